"""Store benchmark: load and every library query, against raw pyoxigraph and plain rdflib.

    python benchmarks/bench_store.py [--sizes 10000 30000 100000] [--runs 5] [--rdflib-max 10000]

Prints, for each size: load time and triples/s (ours, raw pyoxigraph, plain rdflib), then per
library query the median of N runs for ours / raw pyoxigraph / rdflib and the ratios. No
assertions: targets live in the issue and benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import functools
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyoxigraph as ox  # noqa: E402
from generate import cached  # noqa: E402

from kemitraan_graph import KnowledgeGraph  # noqa: E402
from kemitraan_graph.inference import derivation_updates, derive  # noqa: E402
from kemitraan_graph.loading import ontology_files  # noqa: E402
from kemitraan_graph.namespaces import PREFIXES  # noqa: E402
from kemitraan_graph.querylib import inject_values  # noqa: E402
from kemitraan_graph.runner import run_query  # noqa: E402


def _raw_select(store: ox.Store, query: str) -> list[str]:
    return [sol[0].value for sol in store.query(query, prefixes=PREFIXES)]


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def rdflib_times(ds, queries, deadline: float) -> dict[str, float | None]:
    """Median-free single timing of each query on plain rdflib, each in a forked child process
    that is killed at the deadline (a thread would keep the GIL busy and skew later numbers)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    out: dict[str, float | None] = {}
    for name, (text, bindings) in queries.items():
        q = ctx.Queue()

        def child(text=text, bindings=bindings, q=q):
            t0 = time.perf_counter()
            list(ds.query(text, initBindings=bindings or None))
            q.put(time.perf_counter() - t0)

        proc = ctx.Process(target=child)
        proc.start()
        proc.join(deadline)
        if proc.is_alive():
            proc.kill()
            proc.join()
            out[name] = None
        else:
            out[name] = q.get() if not q.empty() else None
    return out


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
        print(f"\n== {n} synthetic cases ({path.name})", flush=True)
        t0 = time.perf_counter()
        kg = KnowledgeGraph.load([path], bundled=False)
        t_ours = time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        triples = len(kg)
        t0 = time.perf_counter()
        derive(kg.backend)  # again, to time it apart (the store is left the same)
        t_derive = time.perf_counter() - t0
        # raw pyoxigraph: the same files in its default graph (a set, like our union), then the same
        # entailments with the same updates: the same data and answers, without our layer
        raw = ox.Store()
        t0 = time.perf_counter()
        for f in onto + [path]:
            raw.load(path=str(f), to_graph=ox.DefaultGraph())
        t_raw = time.perf_counter() - t0
        t0 = time.perf_counter()
        for update in derivation_updates(functools.partial(_raw_select, raw), named=False):
            raw.update(update, prefixes=PREFIXES)
        t_raw_derive = time.perf_counter() - t0
        queries = {name: (inject_values(q.text, q.bind({})), q.bind({})) for name, q in kg.library.items()}
        ours, raws, worker, layout = {}, {}, {}, {}
        for name, q in kg.library.items():
            ours[name] = median_time(lambda q=q, kg=kg: run_query(kg.backend, q, timeout=None), args.runs)
            # what kg.query does by default: in a worker process, with a time and memory limit
            worker[name] = median_time(lambda q=q, kg=kg: kg.reader.query(q), args.runs)
            text = queries[name][0]
            raws[name] = median_time(lambda text=text, raw=raw: list(raw.query(text, prefixes=PREFIXES)), args.runs)
            # pyoxigraph itself on our store (files' graphs + the union): what the layout costs, apart
            # from our layer (guard, conversion to rdflib terms)
            layout[name] = median_time(lambda text=text, st=kg.backend.ox: list(st.query(text, prefixes=PREFIXES)),
                                       args.runs)
        rows = {name: len(run_query(kg.backend, q, timeout=None)) for name, q in kg.library.items()}
        kg.close()
        raw = None  # free the memory before rdflib loads
        t_rdf, rdf = None, {}
        if n <= args.rdflib_max:
            from rdflib import Dataset, URIRef

            ds = Dataset(default_union=True)
            t0 = time.perf_counter()
            for f in onto + [path]:
                ds.graph(URIRef(f.resolve().as_uri())).parse(f, format="nt" if f.suffix == ".nt" else "turtle")
            t_rdf = time.perf_counter() - t0
            prologue = "".join(f"PREFIX {p}: <{u}>\n" for p, u in PREFIXES.items())
            # the derived shortcut, added directly (rdflib's own GRAPH ?g join takes minutes here)
            from kemitraan_graph.namespaces import DERIVED_GRAPH, KMT, ORG

            derived = ds.graph(DERIVED_GRAPH)
            for case, _p, part in ds.triples((None, KMT.hasParticipation, None)):
                for member in ds.objects(part, ORG.member):
                    derived.add((case, KMT.hasPartner, member))
            rdf = rdflib_times(ds, {k: (prologue + kg.library[k].text, b) for k, (_t, b) in queries.items()},
                               args.rdflib_deadline)
        print(f"triples: {triples} distinct (union with the derived entailments); "
              f"peak RSS after our load {peak_mb:,.0f} MB; deriving the entailments alone {t_derive:.2f} s")
        print(f"{'load':30s} ours {t_ours:6.2f} s ({triples / t_ours:,.0f} triples/s) | raw pyoxigraph "
              f"{t_raw:6.2f} s ({triples / t_raw:,.0f}/s) | rdflib " + (f"{t_rdf:6.2f} s" if t_rdf else "skipped")
              + f" | ours/raw {t_ours / t_raw:4.2f}x" + (f" | rdflib/ours {t_rdf / t_ours:5.1f}x" if t_rdf else ""))
        print(f"{'':30s} raw + the same derivation {t_raw + t_raw_derive:6.2f} s "
              f"| ours/(raw + derivation) {t_ours / (t_raw + t_raw_derive):4.2f}x")
        print(f"{'query (median of ' + str(args.runs) + ')':30s} {'ours ms':>9s} {'worker ms':>9s} {'raw ms':>9s} "
              f"{'rdflib ms':>10s} {'ours/raw':>9s} {'rdflib/ours':>12s} {'rows':>6s} {'ox-on-ours ms':>13s} "
              f"{'ours/ox-on-ours':>15s}")
        for name in kg.library:
            t_q, t_r = ours[name], raws[name]
            if name in rdf:
                t_l = rdf[name]
                rd = f">{args.rdflib_deadline:.0f} s" if t_l is None else f"{t_l * 1e3:.1f}"
                ratio = f">{args.rdflib_deadline / t_q:.0f}x" if t_l is None else f"{t_l / t_q:.1f}x"
            else:
                rd = ratio = "-"
            print(f"{name:30s} {t_q * 1e3:9.1f} {worker[name] * 1e3:9.1f} {t_r * 1e3:9.1f} {rd:>10s} "
                  f"{t_q / t_r:8.2f}x {ratio:>12s} "
                  f"{rows[name]:6d} {layout[name] * 1e3:13.1f} {t_q / layout[name]:14.2f}x", flush=True)


if __name__ == "__main__":
    main()
