"""Frozen entry of the desktop program; both `dy-verifier` and `dy-verifier-console` run this.

A file outside the `app` package, because PyInstaller runs its entry script as `__main__`: running
app/__main__.py itself would import the app package twice under two names.
"""

import sys

from app.__main__ import main

sys.exit(main())
