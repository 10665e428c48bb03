"""`python -m bench [NAME ...]` (or `./dev bench`): every benchmark, or the named ones, in turn.

Each runs in its own process so one's memory and threads never colour another's figures.
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHES = ("gateway", "ledger", "sync", "app", "history")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"\n=== bench_{name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.bench_{name}"])
        print(f"=== bench_{name}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
        if code:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
