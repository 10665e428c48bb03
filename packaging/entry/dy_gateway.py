"""Frozen entry of the headless gateway (`dy-gateway serve` / `dy-gateway sandbox`)."""

import sys

from gateway_core.__main__ import main

sys.exit(main())
