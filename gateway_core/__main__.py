"""`python -m gateway_core` / `dy-gateway`: `serve` (the headless gateway) and `sandbox`."""

from __future__ import annotations

import sys

USAGE = """usage: python -m gateway_core {serve,sandbox} [options]

  serve     the headless gateway: local signed HTTP API, ledger, sync (see --help)
  sandbox   the built-in Douyin-compatible sandbox alone (see --help)
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(USAGE, end="")
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "sandbox":
        from gateway_core.sandbox.cli import main as sandbox_main

        return sandbox_main(rest)
    if command == "serve":
        from gateway_core.server.cli import main as serve_main

        return serve_main(rest)
    print(f"unknown command {command!r}\n\n{USAGE}", file=sys.stderr, end="")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
