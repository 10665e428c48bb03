"""Entry point of the desktop app; replaced by the real window in the desktop issue."""

import sys


def main() -> int:
    from gateway_core.__main__ import main as core_main

    # Until the desktop UI lands, `dy-verifier` serves the sandbox so the demo works.
    return core_main(["sandbox", *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
