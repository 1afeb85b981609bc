"""Analytics on network views: centralities, communities, components, and their report.

Works on any networkx graph (the views of ``network.py`` or your own); seeded where random.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import ViewError

#: node measures a view can be sized or ranked by


def _undirected(g: nx.Graph) -> nx.Graph:
    return g.to_undirected(as_view=True) if g.is_directed() else g


def degree_centrality(g: nx.Graph) -> dict[Any, float]:
    return nx.degree_centrality(_undirected(g)) if len(g) > 1 else {n: 0.0 for n in g}


#: pair-operations (nodes x (nodes + edges)) allowed for exact betweenness; above, it is sampled
BETWEENNESS_BUDGET = 10_000_000


def betweenness_sampled(g: nx.Graph, budget: float = BETWEENNESS_BUDGET) -> int | None:
    """How many source nodes betweenness samples for ``g`` (None: exact)."""
    n, m = g.number_of_nodes(), g.number_of_edges()
    if n * (n + m) <= budget:
        return None
    return min(n, max(16, int(budget // (n + m))))


def betweenness_centrality(
    g: nx.Graph, *, k: int | None = None, seed: int = 42, budget: float = BETWEENNESS_BUDGET
) -> dict[Any, float]:
    """Normalised betweenness; exact while ``nodes x (nodes + edges)`` is within ``budget``,
    else estimated from ``k`` seeded random sources (networkx's ``k`` sampling)."""
    u = _undirected(g)
    if len(u) <= 2:
        return {n: 0.0 for n in u}
    if k is None:
        k = betweenness_sampled(u, budget)
    if k is not None and k >= len(u):
        k = None
    return nx.betweenness_centrality(u, k=k, seed=seed if k else None, normalized=True)


def eigenvector_centrality(
    g: nx.Graph, *, weight: str | None = "weight", max_iter: int = 1000, tol: float = 1e-6
) -> dict[Any, float]:
    """Eigenvector centrality of each connected component, scaled by sqrt(component share).

    For a connected graph this equals networkx's ``eigenvector_centrality`` (power iteration
    on A + I, unit Euclidean norm). For a disconnected one each component is solved on its own
    (the plain power iteration would give zero to every component but the dominant one) and
    scaled so the whole vector still has unit norm. A component that does not converge within
    ``max_iter`` falls back to its normalised degrees.
    """
    u = _undirected(g)
    n = len(u)
    if n == 0:
        return {}
    return _eigenvector_numpy(u, weight, max_iter, tol)


def _eigenvector_numpy(u: nx.Graph, weight: str | None, max_iter: int, tol: float) -> dict[Any, float]:
    import numpy as np

    nodes = list(u)
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    src, dst, w = [], [], []
    for a, b, x in u.edges(data=weight, default=1) if weight else ((a, b, 1) for a, b in u.edges()):
        if a == b:
            continue
        if x.__class__ is not int and x.__class__ is not float:
            try:
                x = float(x)
            except (TypeError, ValueError):
                x = 1.0
        src.append(index[a])
        dst.append(index[b])
        w.append(x)
    src_a = np.array(src + dst, dtype=np.int64)
    dst_a = np.array(dst + src, dtype=np.int64)
    w_a = np.array(w + w, dtype=float)
    comp = np.zeros(n, dtype=np.int64)
    sizes = []
    for ci, c in enumerate(nx.connected_components(u)):
        comp[[index[v] for v in c]] = ci
        sizes.append(len(c))
    sizes_a = np.array(sizes, dtype=float)
    ncomp = len(sizes)
    x = np.ones(n) / np.sqrt(sizes_a[comp])
    done = np.zeros(ncomp, dtype=bool)
    done[sizes_a == 1] = True
    for _ in range(max_iter):
        new = x + np.bincount(src_a, weights=x[dst_a] * w_a, minlength=n)  # (A + I) x
        norms = np.sqrt(np.bincount(comp, weights=new * new, minlength=ncomp))
        norms[norms == 0] = 1.0
        new = new / norms[comp]
        diff = np.bincount(comp, weights=np.abs(new - x), minlength=ncomp)
        keep = done[comp]
        new[keep] = x[keep]
        x = new
        done |= diff < sizes_a * tol
        if done.all():
            break
    if not done.all():  # fall back to normalised degree where the iteration did not settle
        deg = np.bincount(src_a, weights=w_a, minlength=n)
        dn = np.sqrt(np.bincount(comp, weights=deg * deg, minlength=ncomp))
        dn[dn == 0] = 1.0
        bad = ~done[comp]
        x[bad] = (deg / dn[comp])[bad]
    x = x * np.sqrt(sizes_a[comp] / n)
    return {v: float(x[i]) for i, v in enumerate(nodes)}


def communities(g: nx.Graph, *, seed: int = 42, weight: str | None = "weight") -> list[set[Any]]:
    """Louvain communities (fixed seed: the same graph gives the same answer), largest first."""
    u = _undirected(g)
    if len(u) == 0:
        return []
    if u.number_of_edges() == 0:
        found = [{n} for n in u]
    else:
        found = nx.community.louvain_communities(u, weight=weight, seed=seed)
    return sorted(found, key=lambda c: (-len(c), sorted(map(str, c))[0]))


def components(g: nx.Graph) -> list[set[Any]]:
    """Connected components (weakly, for directed graphs), largest first."""
    u = _undirected(g)
    return sorted(nx.connected_components(u), key=lambda c: (-len(c), sorted(map(str, c))[0]))


@dataclass
class Analysis:
    """Per-node measures and whole-graph figures of one view."""

    view: str
    rows: list[dict[str, Any]]
    summary: dict[str, Any]

    COLUMNS = (
        "node",
        "label",
        "kind",
        "group",
        "degree",
        "degree_centrality",
        "betweenness",
        "eigenvector",
        "community",
        "component",
    )

    def to_json(self) -> str:
        return (
            json.dumps(
                {"view": self.view, "summary": self.summary, "nodes": self.rows}, ensure_ascii=False, indent=2
            )
            + "\n"
        )

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=self.COLUMNS, lineterminator="\r\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(self.rows)
        return buf.getvalue()

    def to_table(self) -> str:
        from rich.console import Console
        from rich.table import Table

        buf = io.StringIO()
        console = Console(file=buf, width=160, color_system=None, markup=False, emoji=False)
        s = self.summary
        console.print(
            f"view: {self.view}  nodes: {s['nodes']}  edges: {s['edges']}  "
            f"components: {s['components']}  communities: {s['communities']}  "
            f"density: {s['density']:.4f}  modularity: {s['modularity']:.4f}"
        )
        table = Table(header_style="bold")
        for col in ("label", "kind", "degree", "betweenness", "eigenvector", "community", "component"):
            table.add_column(
                col, overflow="fold", justify="right" if col not in ("label", "kind") else "left"
            )
        for r in self.rows:
            table.add_row(
                r["label"],
                r["kind"],
                str(r["degree"]),
                f"{r['betweenness']:.4f}",
                f"{r['eigenvector']:.4f}",
                str(r["community"]),
                str(r["component"]),
            )
        console.print(table)
        return buf.getvalue()

    def serialize(self, fmt: str) -> str:
        if fmt == "json":
            return self.to_json()
        if fmt == "csv":
            return self.to_csv()
        if fmt == "table":
            return self.to_table()
        raise ViewError(f"unknown format {fmt!r}; choose table, csv or json")


def analyze(g: nx.Graph, *, top: int | None = None, seed: int = 42) -> Analysis:
    """Degree, betweenness, eigenvector centrality, communities and components of ``g``.

    Rows are sorted by degree, then betweenness, then label; ``top`` keeps the first N.
    """
    u = _undirected(g)
    deg_c = degree_centrality(u)
    btw = betweenness_centrality(u, seed=seed)
    eig = eigenvector_centrality(u)
    comms = communities(u, seed=seed)
    comps = components(u)
    comm_of = {n: i for i, c in enumerate(comms) for n in c}
    comp_of = {n: i for i, c in enumerate(comps) for n in c}
    rows = []
    for n, data in u.nodes(data=True):
        rows.append(
            {
                "node": str(n),
                "label": str(data.get("label", n)),
                "kind": data.get("kind", ""),
                "group": data.get("group", ""),
                "degree": u.degree(n),
                "degree_centrality": round(deg_c.get(n, 0.0), 6),
                "betweenness": round(btw.get(n, 0.0), 6),
                "eigenvector": round(eig.get(n, 0.0), 6),
                "community": comm_of.get(n, -1),
                "component": comp_of.get(n, -1),
            }
        )
    rows.sort(key=lambda r: (-r["degree"], -r["betweenness"], r["label"], r["node"]))
    modularity = 0.0
    if u.number_of_edges():
        modularity = nx.community.modularity(u, comms, weight="weight")
    summary = {
        "nodes": u.number_of_nodes(),
        "edges": u.number_of_edges(),
        "components": len(comps),
        "largest_component": len(comps[0]) if comps else 0,
        "communities": len(comms),
        "modularity": round(modularity, 6),
        "density": round(nx.density(u), 6) if len(u) > 1 else 0.0,
        "betweenness_sampled": betweenness_sampled(u) or 0,
    }
    return Analysis(g.graph.get("view", ""), rows if top is None else rows[:top], summary)


def with_analytics(g: nx.Graph, *, seed: int = 42) -> nx.Graph:
    """A copy of ``g`` with degree, betweenness, eigenvector, community and component on every node."""
    a = analyze(g, seed=seed)
    out = g.copy()
    by_node = {r["node"]: r for r in a.rows}
    for n in out.nodes:
        r = by_node[str(n)]
        for key in ("degree_centrality", "betweenness", "eigenvector", "community", "component"):
            out.nodes[n][key] = r[key]
    return out


