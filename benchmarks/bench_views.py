"""Network pages at scale: write time, file size and time to interactive, beside pyvis.

    python benchmarks/bench_views.py [--nodes 10000] [--edges-per-node 3] [--runs 3] [--pyvis-timeout 600]

A synthetic networkx graph (Barabási–Albert, 10,000 nodes, ~30,000 edges, with the attributes
our views carry) is written with ``kemitraan_graph.render.render_html`` and opened in
Chromium (every request to a host blocked); "interactive" is when the page has applied the
positions and drawn its first frame (``kemitraanView.ready``, measured from navigation start).
The same graph then goes through pyvis ``from_nx`` + ``write_html`` once, in a subprocess with a
time limit. The bundled data's views are timed too. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kemitraan_graph.atomic import write_text  # noqa: E402
from kemitraan_graph.namespaces import PARTNERSHIP_TYPES  # noqa: E402
from kemitraan_graph.render import render_html  # noqa: E402
from tests.browser.conftest import ARGS, CHROMIUM  # noqa: E402  (one launch configuration)

KMT = "https://w3id.org/kemitraan/ontology#"
KINDS = [
    KMT + k
    for k in ("GovernmentBody", "Company", "University", "NGO", "Country", "InternationalOrganisation")
]
TYPES = list(PARTNERSHIP_TYPES)


def synthetic(n: int, m: int, seed: int = 1) -> nx.Graph:
    """A Barabási–Albert graph dressed like a stakeholder view (cases and actors, both languages)."""
    rng = random.Random(seed)
    g = nx.barabasi_albert_graph(n, m, seed=seed)
    g = nx.relabel_nodes(g, {i: f"https://w3id.org/kemitraan/id/node/n{i}" for i in g})
    for i, node in enumerate(g):
        if i % 5 == 0:
            t = rng.choice(TYPES)
            g.nodes[node].update(
                kind="case",
                iri=node,
                label=f"Partnership {i}",
                label_id=f"Kemitraan {i}",
                label_en=f"Partnership {i}",
                type=t,
                group=t,
                sectors=[KMT + "sector-water"],
                countries=["https://w3id.org/kemitraan/id/country/id"],
                start="2015-01-01",
                sources=[f"https://example.org/{i}"],
            )
        else:
            k = rng.choice(KINDS)
            g.nodes[node].update(
                kind="actor",
                iri=node,
                label=f"Actor {i}",
                label_id=f"Aktor {i}",
                label_en=f"Actor {i}",
                actor_kind=k,
                group=k,
            )
    for a, b in g.edges:
        g.edges[a, b].update(label="member", label_id="anggota", label_en="member")
    return g


def time_write(g: nx.Graph, path: Path, runs: int) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        write_text(path, render_html(g))
        times.append(time.perf_counter() - t)
    return statistics.median(times), path.stat().st_size


def time_interactive(path: Path, runs: int) -> tuple[float, float, int] | None:
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    ready, wall, blocked = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            page = ctx.new_page()

            def route(r):
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            ctx.route("**/*", route)
            t = time.perf_counter()
            page.goto(path.as_uri())
            at = page.evaluate("() => window.kemitraanView.ready")
            wall.append(time.perf_counter() - t)
            ready.append(at / 1000)
            ctx.close()
        browser.close()
    return statistics.median(ready), statistics.median(wall), len(blocked)


PYVIS_JOB = """
import sys, time, pickle
from pyvis.network import Network
g = pickle.load(open(sys.argv[1], "rb"))
t = time.perf_counter()
net = Network(height="900px", width="100%")
net.from_nx(g)
t1 = time.perf_counter()
net.write_html(sys.argv[2])
t2 = time.perf_counter()
print(f"{t1 - t:.3f} {t2 - t1:.3f}")
"""


def time_pyvis(g: nx.Graph, workdir: Path, timeout: float) -> tuple[str, str, str]:
    import pickle

    plain = nx.Graph()  # what a pyvis user would pass: ids, labels, groups
    for node, d in g.nodes(data=True):
        plain.add_node(node, label=d["label"], group=d["group"])
    plain.add_edges_from(g.edges)
    gp = workdir / "graph.pickle"
    gp.write_bytes(pickle.dumps(plain))
    out = workdir / "pyvis.html"
    t = time.perf_counter()
    try:
        res = subprocess.run(
            [sys.executable, "-c", PYVIS_JOB, str(gp), str(out)],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s (stopped)", "-", "-"
    total = time.perf_counter() - t
    if res.returncode != 0:
        return "failed: " + res.stderr.strip().splitlines()[-1], "-", "-"
    from_nx, write = (float(x) for x in res.stdout.split())
    size = f"{out.stat().st_size / 1e6:.2f} MB + CDN" if out.exists() else "-"
    return (
        f"{from_nx + write:.2f} s (from_nx {from_nx:.2f} s, write {write:.2f} s; process {total:.1f} s)",
        size,
        "loads vis/Bootstrap from a CDN",
    )


def bundled_rows() -> list[tuple[str, str, str, str]]:
    from kemitraan_graph import KnowledgeGraph
    from kemitraan_graph.network import build_view

    rows = []
    try:
        kg = KnowledgeGraph.load()
    except Exception as exc:  # the data may be mid-edit
        return [("bundled data", f"not loaded: {exc}", "", "")]
    with tempfile.TemporaryDirectory() as tmp:
        for view in ("stakeholders", "actors", "concepts", "ontology"):
            t = time.perf_counter()
            g = build_view(kg.reader, view)
            built = time.perf_counter() - t
            path = Path(tmp) / f"{view}.html"
            t = time.perf_counter()
            write_text(path, render_html(g))
            wrote = time.perf_counter() - t
            rows.append(
                (
                    f"bundled {view} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)",
                    f"build {built:.2f} s + write {wrote:.2f} s",
                    f"{path.stat().st_size / 1e6:.2f} MB",
                    "",
                )
            )
    kg.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=10_000)
    ap.add_argument("--edges-per-node", type=int, default=3)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pyvis-timeout", type=float, default=600.0)
    ap.add_argument("--no-pyvis", action="store_true")
    args = ap.parse_args()

    g = synthetic(args.nodes, args.edges_per_node)
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        page = work / "synthetic.html"
        seconds, size = time_write(g, page, args.runs)
        inter = time_interactive(page, args.runs)
        label = f"kemitraan render_html ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)"
        rows.append((label, f"{seconds:.2f} s (target < 1 s)", f"{size / 1e6:.2f} MB (target < 4 MB)", ""))
        if inter is None:
            rows.append(("  Chromium: time to interactive", "no /usr/bin/chromium", "", ""))
        else:
            ready, wall, blocked = inter
            rows.append(
                (
                    "  Chromium: time to interactive",
                    f"{ready:.2f} s (target < 3 s)",
                    f"wall {wall:.2f} s",
                    f"{blocked} request(s) to other hosts",
                )
            )
        if not args.no_pyvis:
            rows.append(
                ("pyvis from_nx + write_html (same graph, once)", *time_pyvis(g, work, args.pyvis_timeout))
            )
    rows += bundled_rows()

    widths = [max(len(r[i]) for r in rows + [("what", "time", "size", "note")]) for i in range(4)]
    line = " | ".join
    print(line(h.ljust(w) for h, w in zip(("what", "time", "size", "note"), widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(line(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(
        f"\n(median of {args.runs} runs; machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
