"""Time ``KnowledgeGraph.validate`` on the synthetic benchmark data and print its peak memory.

    python benchmarks/bench_validate.py [--sizes 10000 30000] [--pyshacl-max 3000]

Each size runs in its own process, so the peak RSS (resource.getrusage) is that run's alone: load
(--no-bundled, the generator's cases only), then validate natively; sizes up to --pyshacl-max
also through pySHACL on a full copy (``native=False``). Numbers only, no assertions.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import cached  # noqa: E402


def one(n: int, native: bool) -> None:
    from kemitraan_graph import KnowledgeGraph

    path = cached(n)
    t0 = time.perf_counter()
    kg = KnowledgeGraph.load([path], bundled=False)
    t1 = time.perf_counter()
    rss_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = kg.validate(native=native)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:>7} cases  {len(kg):>9,} triples  {'native ' if native else 'pySHACL'}  load {t1 - t0:6.1f} s  "
          f"validate {t2 - t1:7.1f} s  peak RSS {rss:7,.0f} MB (after load {rss_load:6,.0f} MB)  "
          f"violations {len(report.violations)}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000])
    ap.add_argument("--pyshacl-max", type=int, default=0, help="Also run pySHACL up to this many cases.")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--pyshacl", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(args.one, native=not args.pyshacl)
        return
    for n in args.sizes:
        cached(n)  # generate outside the measured process
        subprocess.run([sys.executable, __file__, "--one", str(n)], check=True)
        if n <= args.pyshacl_max:
            subprocess.run([sys.executable, __file__, "--one", str(n), "--pyshacl"], check=True)


if __name__ == "__main__":
    main()
