"""Store benchmark: load and every library query, against raw pyoxigraph and plain rdflib.

    python benchmarks/bench_store.py [--sizes 10000 30000 100000] [--runs 5] [--rdflib-max 10000]

Prints, for each size: load time and triples/s (ours, raw pyoxigraph, plain rdflib), then per
library query the median of N runs for ours / raw pyoxigraph / rdflib and the ratios. No
assertions: targets live in the issue and benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox  # noqa: E402
from generate import cached  # noqa: E402

from kemitraan_graph import KnowledgeGraph  # noqa: E402
from kemitraan_graph.loading import ontology_files  # noqa: E402
from kemitraan_graph.namespaces import PREFIXES  # noqa: E402
from kemitraan_graph.querylib import inject_values  # noqa: E402


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def with_deadline(fn, seconds: float):
    """Run fn in a thread; None if it outlives the deadline (rdflib can take minutes)."""
    box = {}
    t = threading.Thread(target=lambda: box.setdefault("v", fn()), daemon=True)
    t.start()
    t.join(seconds)
    return box.get("v")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000, 100000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rdflib-max", type=int, default=10000, help="largest size also run on plain rdflib")
    ap.add_argument("--rdflib-deadline", type=float, default=20.0, help="seconds per rdflib query before giving up")
    args = ap.parse_args()
    onto = ontology_files()
    for n in args.sizes:
        path = cached(n)
        print(f"\n== {n} synthetic cases ({path.name})")
        t0 = time.perf_counter()
        kg = KnowledgeGraph.load([path], bundled=False)
        t_ours = time.perf_counter() - t0
        triples = len(kg)
        raw = ox.Store()
        t0 = time.perf_counter()
        for f in onto + [path]:
            raw.load(path=str(f), to_graph=ox.NamedNode(f.resolve().as_uri()))
        t_raw = time.perf_counter() - t0
        ds = None
        t_rdf = None
        if n <= args.rdflib_max:
            from rdflib import Dataset, URIRef

            ds = Dataset(default_union=True)
            t0 = time.perf_counter()
            for f in onto + [path]:
                ds.graph(URIRef(f.resolve().as_uri())).parse(f, format="nt" if f.suffix == ".nt" else "turtle")
            t_rdf = time.perf_counter() - t0
        print(f"triples: {triples}")
        print(f"{'load':34s} ours {t_ours:7.2f} s ({triples / t_ours:,.0f} triples/s) | raw pyoxigraph "
              f"{t_raw:6.2f} s | rdflib " + (f"{t_rdf:6.2f} s" if t_rdf else "skipped")
              + f" | ours/raw {t_ours / t_raw:4.2f}x" + (f" | rdflib/ours {t_rdf / t_ours:5.1f}x" if t_rdf else ""))
        print(f"{'query (median of ' + str(args.runs) + ')':34s} {'ours ms':>9s} {'raw ms':>9s} {'rdflib ms':>10s}"
              f" {'ours/raw':>9s} {'rdflib/ours':>12s} rows")
        for name, q in kg.library.items():
            bindings = q.bind({})
            text = inject_values(q.text, bindings)
            t_q = median_time(lambda q=q: kg.run(q, {}), args.runs)
            rows = len(kg.run(q, {}))
            t_r = median_time(lambda text=text: list(raw.query(text, use_default_graph_as_union=True,
                                                               prefixes=PREFIXES)), args.runs)
            t_l = None
            if ds is not None:
                def rdflib_run(q=q, bindings=bindings):
                    return list(ds.query(q.text, initBindings=bindings or None))

                t0 = time.perf_counter()
                done = with_deadline(rdflib_run, args.rdflib_deadline)
                t_l = time.perf_counter() - t0 if done is not None else float("inf")
            rd = "" if t_l is None else (">%.0f s" % args.rdflib_deadline if t_l == float("inf") else f"{t_l * 1e3:10.1f}")
            ratio = "" if t_l is None else (f">{args.rdflib_deadline / t_q:.0f}x" if t_l == float("inf")
                                            else f"{t_l / t_q:11.1f}x")
            print(f"{name:34s} {t_q * 1e3:9.1f} {t_r * 1e3:9.1f} {rd:>10s} {t_q / t_r:8.2f}x {ratio:>12s} {rows}")
        kg.close()


if __name__ == "__main__":
    main()
