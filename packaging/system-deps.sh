#!/usr/bin/env bash
# Installs the Debian/Ubuntu libraries Qt needs (offscreen and on a real display) and the CJK font,
# only those missing. Not root: names them and the command to run, then carries on, exiting 10 so
# that ./dev asks again next time instead of taking the set-up as done.
set -euo pipefail

pkgs=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3 fonts-dejavu-core
      fonts-noto-cjk libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
      libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
      # PyInstaller (./dev bundle, packaging/check-bundle) needs objdump, objcopy and strip.
      binutils
      # pdftotext / pdftoppm: the day-report PDF test reads the PDF back.
      poppler-utils)
# Screenshots and the frozen-bundle check need a virtual display.
if [ "${1:-}" = "--with-xvfb" ]; then pkgs+=(xvfb xauth imagemagick); fi
# Debian's system Python ships without ensurepip until python3-venv is installed, and without the
# shared libpython that PyInstaller bundles (./dev bundle, the CI bundle check) until libpython3.X is.
py=${PYTHON:-python3}
if ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then pkgs+=(python3-venv); fi
if [ "$(readlink -f "$(command -v "$py" 2>/dev/null || echo /none)")" = "$(readlink -f /usr/bin/python3)" ]; then
  pkgs+=("libpython$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian/Ubuntu system; install Qt's runtime libraries and a CJK font yourself." >&2
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing ${missing[*]}" >&2
  echo "system-deps: run: sudo apt-get install -y ${missing[*]}" >&2
  exit 10
fi
