"""Run the benchmarks: every `benchmarks/bench_*.py` module's `main()`, in name order.

    python -m benchmarks.run                  # all of them (what `make bench` does)
    python -m benchmarks.run search duplicates  # only these (bench_search, bench_duplicates)

Each module appends its figures to benchmarks/results/<name>.jsonl (see common.py).
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    known = available()
    unknown = [n for n in names if n.removeprefix("bench_") not in known]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(known)}")
        return 2
    chosen = [n.removeprefix("bench_") for n in names] or known
    for name in chosen:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.bench_{name}").main()
        print(f"== {name} done in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
