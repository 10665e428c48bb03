"""Overrides PyInstaller's QtGui hook to leave out plugins a cashier's program never needs.

Dropping them here, before PyInstaller analyses binaries, matters: filtering them out of the
finished Analysis would still ship the libraries they link against. The GTK3 platform theme alone
pulls in GTK, Pango, Cairo and friends (about 16 MB) when the build host has GTK installed; Qt
falls back to its own Fusion look without it.
"""

import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNWANTED_PLUGINS = {
    os.path.join("platformthemes", "libqgtk3.so"),
}

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)


def _wanted(entry: tuple[str, str]) -> bool:
    src, dest = entry
    return os.path.join(os.path.basename(dest), os.path.basename(src)) not in UNWANTED_PLUGINS


binaries = [b for b in binaries if _wanted(b)]
