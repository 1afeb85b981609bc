"""Network views -> ONE self-contained HTML page (vis-network inlined, no request to any host).

``write_view(kg, view, path)`` builds a view (``kemitraan_graph.network``), lays it out in Python
and writes the page atomically; ``render_html(graph)`` returns the page text for any networkx
graph. The data enters the page only as JSON in ``<script type="application/json">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 escaped; the page script builds its DOM with
``textContent``/``createElement``; a Content-Security-Policy allows exactly the two inline
scripts (by sha256), inline styles and ``data:`` images, and nothing else.

Positions are computed here (a fast component-wise layout, see ``layout``) and physics is off;
above 5,000 edges the page strokes the edges itself in one canvas path, so a 10,000-node,
30,000-edge page is interactive within seconds (benchmarks/bench_views.py measures it).
``to_pyvis`` gives a pyvis Network for notebook users who want pyvis's own tools;
``view_widget`` shows a page inline in Jupyter.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..analytics import MEASURES
from ..errors import ViewError

if TYPE_CHECKING:  # pragma: no cover
    from ..api import KnowledgeGraph
    from ..network import Filters

HERE = Path(__file__).resolve().parent
VENDOR_JS = HERE / "vendor" / "vis-network.min.js"

EDGE_PX = 90.0  # typical edge length of the layout, in vis-network canvas pixels
#: graphs up to this size are "small": edge labels, physics toggle, every label drawn
SMALL_LIMIT = 2000
#: above this many edges the page draws the edges itself (one canvas path; no edge clicks, labels
#: or arrows) instead of through vis-network, which makes an object per edge
OWN_EDGES_ABOVE = 5000
#: betweenness goes into a page when exact within this many pair-operations (or when asked for:
#: then sampled above it); see ``network.betweenness_centrality``
PAGE_BETWEENNESS_BUDGET = 2_000_000

#: node kind -> vis-network shape (all of them scale with the node's value)
SHAPES = {
    "case": "diamond",
    "actor": "dot",
    "type": "star",
    "sector": "triangle",
    "benefit": "square",
    "characteristic": "triangleDown",
    "class": "hexagon",
    "property": "square",
    "datatype": "triangleDown",
    "role": "triangle",
    "node": "dot",
    "literal": "square",
    "concept": "triangle",
}
#: bilingual names of node kinds (legend, details, kind filter)
KIND_LABELS = {
    "case": ("Kemitraan", "Partnership"),
    "actor": ("Aktor", "Actor"),
    "type": ("Jenis kemitraan", "Partnership type"),
    "sector": ("Sektor", "Sector"),
    "benefit": ("Manfaat", "Benefit"),
    "characteristic": ("Karakteristik", "Characteristic"),
    "class": ("Kelas", "Class"),
    "property": ("Properti", "Property"),
    "datatype": ("Tipe data", "Datatype"),
    "role": ("Peran", "Role"),
    "node": ("Simpul", "Node"),
    "literal": ("Literal", "Literal"),
    "concept": ("Konsep", "Concept"),
}
PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#86bcb6",
    "#8cd17d",
    "#b6992d",
    "#499894",
    "#d37295",
    "#a0cbe8",
    "#ffbe7d",
    "#79706e",
    "#d4a6c8",
    "#f1ce63",
]
_KMT = "https://w3id.org/kemitraan/ontology#"
#: fixed colours, so the same group looks the same in every view
FIXED_COLOURS = {
    _KMT + "GovernmentPrivateCommunityPartnership": "#4e79a7",
    _KMT + "TripleHelixPartnership": "#59a14f",
    _KMT + "NGOGovernmentCommunityPartnership": "#f28e2b",
    _KMT + "InternationalPartnership": "#b07aa1",
    _KMT + "GovernmentBody": "#e15759",
    _KMT + "Company": "#76b7b2",
    _KMT + "StateOwnedEnterprise": "#499894",
    _KMT + "Consortium": "#86bcb6",
    _KMT + "University": "#8cd17d",
    _KMT + "ResearchInstitute": "#b6992d",
    _KMT + "NGO": "#ffbe7d",
    _KMT + "CommunityGroup": "#edc948",
    _KMT + "InternationalOrganisation": "#d37295",
    _KMT + "Country": "#9c755f",
    _KMT + "BusinessAssociation": "#a0cbe8",
    _KMT + "Individual": "#d4a6c8",
    "sector": "#59a14f",
    "benefit": "#edc948",
    "characteristic": "#ff9da7",
    "type": "#4e79a7",
    "class": "#4e79a7",
    "class-external": "#a0cbe8",
    "property": "#f28e2b",
    "property-external": "#ffbe7d",
    "datatype": "#bab0ac",
    "datatype-external": "#bab0ac",
    "node": "#79706e",
    "literal": "#bab0ac",
}


# --- layout ------------------------------------------------------------------------------


def layout(graph: nx.Graph, *, seed: int = 0) -> dict[Any, tuple[float, float]]:
    """Positions for every node, in canvas pixels.

    Each connected component is laid out on its own: up to 12 nodes as a circle (or a star
    around its hub), larger ones by pivot MDS (Brandes & Pich: BFS distances to 24 pivots,
    classical MDS on them) refined by Fruchterman-Reingold steps whose repulsion is exact up to
    150 nodes and grid-local above (the grid variant of FR), all vectorised with numpy, so the
    cost grows linearly with the graph. The components are then shelf-packed, largest first.
    Deterministic for a given ``seed``. Without numpy every component is a circle.
    """
    u = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    if len(u) == 0:
        return {}
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with pandas; without it: circles
        np = None
    nodes = list(u)
    index = {n: i for i, n in enumerate(nodes)}
    comps = sorted(
        (sorted(index[n] for n in c) for c in nx.connected_components(u)), key=lambda c: (-len(c), c[0])
    )
    placed: list[tuple[list[int], list[tuple[float, float]]]] = []
    if np is None:  # pragma: no cover
        for comp in comps:
            placed.append((comp, _circle(comp, None)))
        return {nodes[i]: p for i, p in _pack(placed).items()}
    src_l, dst_l = [], []
    for a, b in u.edges():
        if a != b:
            src_l.append(index[a])
            dst_l.append(index[b])
    src = np.array(src_l, dtype=np.int64)
    dst = np.array(dst_l, dtype=np.int64)
    comp_of = np.empty(len(nodes), dtype=np.int64)
    for ci, comp in enumerate(comps):
        comp_of[comp] = ci
    order = np.argsort(comp_of[src], kind="stable") if len(src) else src
    src, dst = src[order], dst[order]
    bounds = (
        np.searchsorted(comp_of[src], np.arange(len(comps) + 1))
        if len(src)
        else np.zeros(len(comps) + 1, dtype=np.int64)
    )
    local = np.empty(len(nodes), dtype=np.int64)
    for ci, comp in enumerate(comps):
        if len(comp) <= 12:
            deg = None
            if len(comp) > 2:
                es, ed = src[bounds[ci] : bounds[ci + 1]], dst[bounds[ci] : bounds[ci + 1]]
                deg = np.bincount(np.concatenate([es, ed]), minlength=len(nodes))[comp]
            placed.append((comp, _circle(comp, deg)))
            continue
        idx = np.array(comp, dtype=np.int64)
        local[idx] = np.arange(len(comp))
        es = local[src[bounds[ci] : bounds[ci + 1]]]
        ed = local[dst[bounds[ci] : bounds[ci + 1]]]
        pos = _fr_layout(len(comp), es, ed, np.random.default_rng(seed + ci))
        lengths = np.sqrt(((pos[es] - pos[ed]) ** 2).sum(axis=1))
        med = float(np.median(lengths)) if len(lengths) else 1.0
        pos = pos - pos.mean(axis=0)
        scale = 1.0 / med if med > 1e-9 else 1.0
        rms = float(np.sqrt((pos**2).sum(axis=1).mean()))
        # hairballs have long edges: then give each node room instead (rms radius 0.4 sqrt(m))
        if rms * scale < 0.4 * math.sqrt(len(comp)):
            scale = 0.4 * math.sqrt(len(comp)) / max(rms, 1e-9)
        pos = pos * scale
        placed.append((comp, [(float(x), float(y)) for x, y in pos]))
    return {nodes[i]: p for i, p in _pack(placed).items()}


def _circle(comp: list[int], degrees: Any) -> list[tuple[float, float]]:
    """A tiny component: one point, a pair, a star around its hub, or a ring (unit edges)."""
    m = len(comp)
    if m == 1:
        return [(0.0, 0.0)]
    if m == 2:
        return [(-0.5, 0.0), (0.5, 0.0)]
    hub = -1
    if degrees is not None:
        best = int(max(range(m), key=lambda k: (int(degrees[k]), -k)))
        if int(degrees[best]) >= m - 1:
            hub = best
    ring = [k for k in range(m) if k != hub]
    r = max(1.0, len(ring) / (2 * math.pi))
    out = [(0.0, 0.0)] * m
    for j, k in enumerate(ring):
        a = 2 * math.pi * j / len(ring)
        out[k] = (r * math.cos(a), r * math.sin(a))
    return out


def _pack(placed: list[tuple[list[int], list[tuple[float, float]]]]) -> dict[int, tuple[float, float]]:
    """Shelf-pack the components' bounding boxes (tallest first) into rows; pixel positions."""
    boxes = []
    for comp, pts in placed:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, y0 = min(xs) - 0.8, min(ys) - 0.8
        boxes.append((comp, pts, x0, y0, max(xs) + 0.8 - x0, max(ys) + 0.8 - y0))
    boxes.sort(key=lambda b: (-b[5], -len(b[0]), b[0][0]))
    total = sum(w * h for *_r, w, h in boxes)
    width = max(max(b[4] for b in boxes), math.sqrt(total) * 1.3)
    out: dict[int, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for comp, pts, x0, y0, w, h in boxes:
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for n, (px, py) in zip(comp, pts, strict=True):
            out[n] = ((x + px - x0) * EDGE_PX, (y + py - y0) * EDGE_PX)
        x += w
        row_h = max(row_h, h)
    xs = [p[0] for p in out.values()]
    ys = [p[1] for p in out.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {n: (round(px - mx, 1), round(py - my, 1)) for n, (px, py) in out.items()}


def _fr_layout(m: int, src: Any, dst: Any, rng: Any, iterations: int | None = None) -> Any:
    """Pivot-MDS start + Fruchterman-Reingold refinement of one connected component (numpy)."""
    import numpy as np

    both_s = np.concatenate([src, dst])
    both_d = np.concatenate([dst, src])
    indices = both_d[np.argsort(both_s, kind="stable")]
    indptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(both_s, minlength=m), out=indptr[1:])

    def bfs(start: int) -> Any:
        dist = np.full(m, -1, dtype=np.int64)
        dist[start] = 0
        frontier = np.array([start], dtype=np.int64)
        d = 0
        while frontier.size:
            d += 1
            starts = indptr[frontier]
            counts = indptr[frontier + 1] - starts
            total = int(counts.sum())
            if not total:
                break
            offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
            nb = indices[offsets]
            nb = nb[dist[nb] < 0]
            if not nb.size:
                break
            dist[nb] = d
            frontier = np.flatnonzero(dist == d)
        return dist

    # pivot MDS: farthest-first pivots, double-centred squared distances, top two axes
    k = min(24, m)
    dists = np.empty((m, k))
    mins = np.full(m, np.inf)
    p = int(np.argmax(np.diff(indptr)))
    for i in range(k):
        d = bfs(p).astype(float)
        dists[:, i] = d
        mins = np.minimum(mins, d)
        p = int(np.argmax(mins))
    d2 = dists**2
    c = -0.5 * (d2 - d2.mean(axis=0) - d2.mean(axis=1)[:, None] + d2.mean())
    vals, vecs = np.linalg.eigh(c.T @ c)
    pos = c @ vecs[:, np.argsort(vals)[::-1][:2]]
    pos = pos - pos.mean(axis=0)
    rms = float(np.sqrt((pos**2).sum(axis=1).mean())) or 1.0
    pos = pos / rms * 0.45 * math.sqrt(m) + rng.normal(scale=0.05, size=(m, 2))

    # Fruchterman-Reingold, ideal edge length 1: attraction d^2 along edges, repulsion 1/d.
    # x and y are kept as separate 1-d arrays and every scatter-add is one bincount.
    exact = m <= 150
    if iterations is None:
        iterations = 60 if exact else 32
    temp = 0.1 * math.sqrt(m) + 0.5
    cool = (temp - 0.02) / iterations
    per_cell = 4
    gsz = 16  # far-field grid
    x = np.ascontiguousarray(pos[:, 0])
    y = np.ascontiguousarray(pos[:, 1])
    ends = np.concatenate([src, dst])
    for it in range(iterations):
        if exact:
            dx = x[:, None] - x[None, :]
            dy = y[:, None] - y[None, :]
            inv = 1.0 / np.maximum(dx * dx + dy * dy, 1e-4)
            np.fill_diagonal(inv, 0.0)
            fx = (dx * inv).sum(axis=1)
            fy = (dy * inv).sum(axis=1)
        else:
            # near field: nodes sharing a grid cell (the grid shifts by half a cell every step);
            # each node meets up to 2 x per_cell random cell-mates, weighted up to the cell's size
            cell = 2.0
            shift = (it % 2) * cell / 2
            key = np.floor((x + shift) / cell).astype(np.int64) * 2_000_003 + np.floor(
                (y + shift) / cell
            ).astype(np.int64)
            order = np.argsort(key * 4096 + rng.integers(0, 4096, m), kind="quicksort")
            sk = key[order]
            change = np.empty(m, dtype=bool)
            change[0] = True
            np.not_equal(sk[1:], sk[:-1], out=change[1:])
            starts = np.flatnonzero(change)
            counts = np.diff(np.append(starts, m))
            weight = np.maximum(1.0, (np.repeat(counts, counts) - 1) / (2.0 * per_cell))
            ia, ib, ww = [], [], []
            for o in range(1, per_cell + 1):
                same = np.flatnonzero(sk[:-o] == sk[o:])
                if not same.size:
                    break
                ia.append(order[same])
                ib.append(order[same + o])
                ww.append(weight[same])
            if ia:
                pa, pb, pw = np.concatenate(ia), np.concatenate(ib), np.concatenate(ww)
                dx = x[pa] - x[pb]
                dy = y[pa] - y[pb]
                k = pw / np.maximum(dx * dx + dy * dy, 1e-4)
                idx = np.concatenate([pa, pb])
                fx = np.bincount(idx, np.concatenate([dx * k, -dx * k]), m)
                fy = np.bincount(idx, np.concatenate([dy * k, -dy * k]), m)
            else:
                fx = np.zeros(m)
                fy = np.zeros(m)
            # far field (particle-mesh): forces between the mass centres of a coarse grid, given
            # to every node of a cell; a node's own cell is left to the near field
            x0, y0 = x.min(), y.min()
            span = float(max(x.max() - x0, y.max() - y0)) + 1e-9
            gx = np.minimum(((x - x0) / span * gsz).astype(np.int64), gsz - 1)
            gy = np.minimum(((y - y0) / span * gsz).astype(np.int64), gsz - 1)
            cid = gx * gsz + gy
            mass = np.bincount(cid, minlength=gsz * gsz).astype(float)
            full = np.flatnonzero(mass)
            mf = mass[full]
            cx = np.bincount(cid, x, gsz * gsz)[full] / mf
            cy = np.bincount(cid, y, gsz * gsz)[full] / mf
            ddx = cx[:, None] - cx[None, :]
            ddy = cy[:, None] - cy[None, :]
            inv = mf[None, :] / np.maximum(ddx * ddx + ddy * ddy, (span / gsz) ** 2)
            np.fill_diagonal(inv, 0.0)
            where = np.empty(gsz * gsz, dtype=np.int64)
            where[full] = np.arange(len(full))
            cell_of = where[cid]
            fx += (ddx * inv).sum(axis=1)[cell_of]
            fy += (ddy * inv).sum(axis=1)[cell_of]
        dx = x[src] - x[dst]
        dy = y[src] - y[dst]
        d = np.sqrt(dx * dx + dy * dy)
        fx -= np.bincount(ends, np.concatenate([d * dx, -d * dx]), m)
        fy -= np.bincount(ends, np.concatenate([d * dy, -d * dy]), m)
        length = np.sqrt(fx * fx + fy * fy) + 1e-9
        step = np.minimum(length, temp) / length
        x += fx * step
        y += fy * step
        temp -= cool
    pos = np.stack([x, y], axis=1)
    return pos


# --- page data ---------------------------------------------------------------------------


def _sig(v: float) -> float:
    return float(f"{v:.3g}")


def _lang_pair(data: Mapping[str, Any], key: str = "label") -> list[str]:
    base = str(data.get(key, "") or "")
    return [str(data.get(f"{key}_id") or base), str(data.get(f"{key}_en") or base)]


def measures_for(graph: nx.Graph, size_by: str) -> dict[str, dict[Any, float]]:
    """The measures a page carries: degree always; the others when cheap enough or asked for."""
    from .. import network

    if size_by not in MEASURES:
        raise ViewError(f"unknown size measure {size_by!r}; choose one of {', '.join(MEASURES)}")
    u = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    out: dict[str, dict[Any, float]] = {"degree": {n: float(d) for n, d in u.degree()}}
    if size_by == "eigenvector" or _has_numpy() or len(u) <= SMALL_LIMIT:
        out["eigenvector"] = network.eigenvector_centrality(u)
    if size_by == "betweenness" or network.betweenness_sampled(u, PAGE_BETWEENNESS_BUDGET) is None:
        out["betweenness"] = network.betweenness_centrality(u, budget=PAGE_BETWEENNESS_BUDGET)
    return {k: out[k] for k in MEASURES if k in out}


@lru_cache(maxsize=1)
def _has_numpy() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:  # pragma: no cover
        return False
    return True


def graph_payload(
    graph: nx.Graph,
    *,
    lang: str = "en",
    size_by: str = "degree",
    title: Any = None,
    positions: Mapping[Any, tuple[float, float]] | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """The JSON the page reads.

    ``nodes``: ``{id, iri, k: kind, g: group index, l: [label_id, label_en], x, y, m: measures,
    f: facets, d: details}``; every IRI a facet or a detail mentions is an index into ``keys``,
    whose labels are ``terms[i] = [id, en]``. ``edges`` is flat ``[from0, to0, from1, to1, ...]``
    (node indices), with ``edgeLabel`` (indices into ``edgeTexts``, -1: none) and
    ``edgeWeight`` only when some edge has one. ``groups``: key, kind, label, colour, shape, count.
    """
    if lang not in ("id", "en"):
        raise ViewError(f"unknown language {lang!r}; choose id or en")
    pos = dict(positions) if positions is not None else layout(graph, seed=seed)
    missing = [n for n in graph if n not in pos]
    if missing:
        pos.update(layout(graph.subgraph(missing), seed=seed))
    meas = measures_for(graph, size_by)
    names = list(meas)
    vectors = [meas[m] for m in names]
    known: dict[str, list[str]] = {
        k: [v.get("id", ""), v.get("en", "")] for k, v in (graph.graph.get("terms") or {}).items()
    }
    for kind, pair in KIND_LABELS.items():
        known.setdefault(f"kind:{kind}", list(pair))
    keys: list[str] = []
    kidx: dict[str, int] = {}

    def key(iri: str) -> int:
        i = kidx.get(iri)
        if i is None:
            i = kidx[iri] = len(keys)
            keys.append(iri)
        return i

    broader = graph.graph.get("broader") or {}
    kind_up = graph.graph.get("kind_ancestors") or {}
    node_data = list(graph.nodes(data=True))
    has_actors = any(d.get("kind") == "actor" for _n, d in node_data)

    groups: dict[str, dict[str, Any]] = {}
    for _n, d in node_data:
        kind = str(d.get("kind") or "node")
        group = str(d.get("group") or kind)
        g = groups.get(group)
        if g is None:
            g = groups[group] = {"key": group, "kind": kind, "n": 0}
        g["n"] += 1
    for g in groups.values():
        gkey, kind = g["key"], g["kind"]
        g["shape"] = SHAPES.get(kind, "dot")
        if gkey in known:
            g["label"] = known[gkey]
        elif f"kind:{gkey}" in known:
            g["label"] = known[f"kind:{gkey}"]
        elif gkey.endswith("-external") and f"kind:{kind}" in known:
            t = known[f"kind:{kind}"]
            g["label"] = [t[0] + " (luar)", t[1] + " (external)"]
        else:
            g["label"] = [_local(gkey), _local(gkey)]
    _colour(groups)
    ordered = sorted(
        groups.values(),
        key=lambda g: (
            list(SHAPES).index(g["kind"]) if g["kind"] in SHAPES else 99,
            -g["n"],
            g["label"][1].lower(),
        ),
    )
    gindex = {g["key"]: i for i, g in enumerate(ordered)}
    for g in ordered:  # the details panel names every node's kind
        key(f"kind:{g['kind']}")

    index: dict[Any, int] = {}
    nodes = []
    for i, (n, d) in enumerate(node_data):
        index[n] = i
        kind = str(d.get("kind") or "node")
        x, y = pos[n]
        label = _lang_pair(d)
        if not label[0] and not label[1]:
            label = [str(n), str(n)]
        node: dict[str, Any] = {
            "id": i,
            "iri": str(d.get("iri") or ""),
            "k": kind,
            "g": gindex[str(d.get("group") or kind)],
            "l": label,
            "x": int(round(x)),
            "y": int(round(y)),
            "m": [_sig(v.get(n, 0.0)) for v in vectors],
        }
        facets = _facets(d, kind, has_actors, broader, kind_up, key)
        if facets:
            node["f"] = facets
        details = _details(d, key)
        if details:
            node["d"] = details
        nodes.append(node)

    edge_texts: list[list[str]] = []
    text_index: dict[tuple[str, str], int] = {}
    flat: list[int] = []
    labels: list[int] = []
    weights: list[float] = []
    add_end, add_label, add_weight = flat.append, labels.append, weights.append
    for a, b, d in graph.edges(data=True):
        add_end(index[a])
        add_end(index[b])
        base, lid, len_ = d.get("label"), d.get("label_id"), d.get("label_en")
        li = -1
        if base or lid or len_:
            tk = (str(lid or base or ""), str(len_ or base or ""))
            li = text_index.get(tk, -1)
            if li < 0:
                li = text_index[tk] = len(edge_texts)
                edge_texts.append(list(tk))
        add_label(li)
        w = d.get("weight")
        if w is None or w == 1:
            add_weight(1)
            continue
        try:
            w = _sig(float(w))
        except (TypeError, ValueError):
            w = 1.0
        add_weight(int(w) if w.is_integer() else w)

    if isinstance(title, str):
        title = {"id": title, "en": title}
    title = title or graph.graph.get("title") or {"id": "Jaringan", "en": "Network"}
    n, e = len(nodes), len(labels)
    out: dict[str, Any] = {
        "v": 2,
        "view": str(graph.graph.get("view", "")),
        "lang": lang,
        "title": [
            str(title.get("id") or title.get("en") or ""),
            str(title.get("en") or title.get("id") or ""),
        ],
        "filters": str(graph.graph.get("filters", "") or ""),
        "directed": graph.is_directed(),
        "sizeBy": size_by,
        "measures": names,
        "large": n > SMALL_LIMIT or e > 3 * SMALL_LIMIT,
        "edgeLabels": e <= 300,
        "ownEdges": e > OWN_EDGES_ABOVE,
        "groups": ordered,
        "keys": keys,
        "terms": [known.get(k) or [_local(k), _local(k)] for k in keys],
        "nodes": nodes,
        "edges": flat,
        "edgeTexts": edge_texts,
    }
    if any(li >= 0 for li in labels):
        out["edgeLabel"] = labels
    if any(w != 1 for w in weights):
        out["edgeWeight"] = weights
    return out


def _local(iri: str) -> str:
    from ..api import local_name

    return local_name(iri)


def _colour(groups: dict[str, dict[str, Any]]) -> None:
    taken = set()
    for g in groups.values():
        c = FIXED_COLOURS.get(g["key"])
        if c:
            g["color"] = c
            taken.add(c)
    free = [c for c in PALETTE if c not in taken] or PALETTE
    i = 0
    for gkey in sorted(groups):
        g = groups[gkey]
        if "color" not in g:
            g["color"] = free[i % len(free)]
            i += 1


def _facets(
    d: Mapping[str, Any],
    kind: str,
    has_actors: bool,
    broader: Mapping[str, list[str]],
    kind_up: Mapping[str, list[str]],
    key: Any,
) -> dict[str, list[int]]:
    """Values the page filters on (as key indices): type, sector (with the broader ones),
    country, actor kind (with its superclasses: a state-owned enterprise is also a company)."""
    f: dict[str, list[int]] = {}

    def sectors(values: Any) -> list[int]:
        values = list(values)
        return [key(v) for v in dict.fromkeys([*values, *(b for s in values for b in broader.get(s, ()))])]

    if kind == "case":
        if d.get("type"):
            f["type"] = [key(d["type"])]
        if d.get("sectors"):
            f["sector"] = sectors(d["sectors"])
        if d.get("countries"):
            f["country"] = [key(c) for c in d["countries"]]
    elif kind == "actor":
        if d.get("case_types"):
            f["type"] = [key(t) for t in d["case_types"]]
        if d.get("case_sectors"):
            f["sector"] = sectors(d["case_sectors"])
        if d.get("case_countries"):
            f["country"] = [key(c) for c in d["case_countries"]]
        if d.get("actor_kind"):
            f["kind"] = [key(d["actor_kind"]), *(key(k) for k in kind_up.get(d["actor_kind"], ()))]
    elif not has_actors:
        f["kind"] = [key(f"kind:{kind}")]
    return f


def _details(d: Mapping[str, Any], key: Any) -> dict[str, Any]:
    """What the details panel shows beyond label and kind (IRIs as key indices)."""
    out: dict[str, Any] = {}
    for name in ("type", "actor_kind", "country"):
        if d.get(name):
            out[name] = key(str(d[name]))
    for name in ("sectors", "countries", "benefits", "characteristics"):
        if d.get(name):
            out[name] = [key(str(v)) for v in d[name]]
    for name in ("start", "end", "short_name", "relation"):
        if d.get(name):
            out[name] = str(d[name])
    if d.get("sources"):
        out["sources"] = [str(v) for v in d["sources"]]
    if d.get("partnerships"):
        out["partnerships"] = len(d["partnerships"])
    if d.get("external"):
        out["external"] = True
    if d.get("parties"):
        out["parties"] = [
            [key(str(p.get("actor", ""))), key(str(p["role"])) if p.get("role") else -1] for p in d["parties"]
        ]
    desc = _lang_pair(d, "description")
    if desc[0] or desc[1]:
        out["desc"] = desc
    return out


# --- the page ----------------------------------------------------------------------------

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``, U+2028/9."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """Template, CSS, page script and vis-network (read once), with the scripts' CSP hashes."""
    vendor = VENDOR_JS.read_text(encoding="utf-8")
    vendor = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", vendor)
    script = (HERE / "page.js").read_text(encoding="utf-8")
    for name, text in (("vendor", vendor), ("page.js", script)):
        if re.search(r"</?script|<!--", text, re.IGNORECASE):
            raise ViewError(f"{name} holds '<script', '</script' or '<!--' and cannot be inlined")
    return {
        "template": (HERE / "page.html").read_text(encoding="utf-8"),
        "css": (HERE / "page.css").read_text(encoding="utf-8"),
        "vendor": vendor,
        "script": script,
        "hashes": f"{_sha256(vendor)} {_sha256(script)}",
    }


CSP = (
    "default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)


def render_html(
    graph: nx.Graph,
    *,
    lang: str = "en",
    size_by: str = "degree",
    title: Any = None,
    positions: Mapping[Any, tuple[float, float]] | None = None,
    seed: int = 0,
) -> str:
    """One self-contained HTML page drawing ``graph`` (no request to any other host)."""
    payload = graph_payload(graph, lang=lang, size_by=size_by, title=title, positions=positions, seed=seed)
    assets = _assets()
    values = {
        "lang": lang,
        "title": html.escape(payload["title"][0 if lang == "id" else 1], quote=True),
        "csp": html.escape(CSP.format(hashes=assets["hashes"]), quote=False).replace('"', "&quot;"),
        "css": assets["css"].replace("</", "<\\/"),
        "data": json_for_script(payload),
        "vendor": assets["vendor"],
        "script": assets["script"],
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], assets["template"])


def write_view(
    kg: KnowledgeGraph,
    view: str,
    path: str | Path,
    lang: str = "en",
    filters: Filters | None = None,
    size_by: str = "degree",
    *,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    title: Any = None,
) -> Path:
    """Build ``view`` from ``kg`` and write it as one HTML page to ``path`` (atomically)."""
    from ..atomic import write_text
    from ..network import build_view

    if size_by not in MEASURES:
        raise ViewError(f"unknown size measure {size_by!r}; choose one of {', '.join(MEASURES)}")
    graph = build_view(kg, view, filters=filters, lang=lang, query=query, params=params)
    page = render_html(graph, lang=lang, size_by=size_by, title=title)
    write_text(path, page)
    return Path(path)


# --- notebooks ---------------------------------------------------------------------------


def view_widget(
    kg: KnowledgeGraph,
    view: str,
    *,
    width: str | int = "100%",
    height: int = 650,
    lang: str = "en",
    filters: Filters | None = None,
    size_by: str = "degree",
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> Any:
    """The page in an ``<iframe srcdoc>`` (sandboxed: scripts only) for Jupyter; the HTML text
    itself when IPython is not installed."""
    from ..network import build_view

    graph = build_view(kg, view, filters=filters, lang=lang, query=query, params=params)
    page = render_html(graph, lang=lang, size_by=size_by)
    try:
        from IPython.display import IFrame
    except ImportError:  # pragma: no cover - depends on the environment
        return page

    class SrcdocIFrame(IFrame):
        """IPython's IFrame, with the page inline (``srcdoc``) instead of a URL."""

        def __init__(self, page_html: str, width: Any, height: Any):
            super().__init__("about:blank", width, height)
            self.html = page_html

        def _repr_html_(self) -> str:
            return (
                f'<iframe width="{html.escape(str(self.width))}" height="{html.escape(str(self.height))}" '
                f'sandbox="allow-scripts" style="border:1px solid #ddd" '
                f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>'
            )

    return SrcdocIFrame(page, width, height)


def to_pyvis(
    graph: nx.Graph,
    *,
    notebook: bool = False,
    height: str = "750px",
    width: str = "100%",
    positions: Mapping[Any, tuple[float, float]] | None = None,
    seed: int = 0,
):
    """A ``pyvis.network.Network`` of ``graph`` with our colours, shapes and positions.

    Nodes and edges are set directly (pyvis's ``add_node``/``add_edge`` check for duplicates
    with list scans, quadratic on large graphs). No ``title`` is passed: vis-network shows titles
    as HTML. pyvis's own page template loads Bootstrap and vis from a CDN; use ``render_html`` or
    ``write_view`` for a page that needs nothing from the network.
    """
    from pyvis.network import Network

    net = Network(
        height=height,
        width=width,
        directed=graph.is_directed(),
        notebook=notebook,
        cdn_resources="in_line" if notebook else "local",
    )
    pos = dict(positions) if positions is not None else layout(graph, seed=seed)
    groups: dict[str, dict[str, Any]] = {}
    for _n, d in graph.nodes(data=True):
        key = str(d.get("group") or d.get("kind") or "node")
        groups.setdefault(key, {"key": key, "kind": str(d.get("kind") or "node"), "n": 0})
    _colour(groups)
    for n, d in graph.nodes(data=True):
        key = str(d.get("group") or d.get("kind") or "node")
        nid = str(n)
        x, y = pos.get(n, (0.0, 0.0))
        node = {
            "id": nid,
            "label": str(d.get("label") or n),
            "shape": SHAPES.get(str(d.get("kind")), "dot"),
            "color": groups[key]["color"],
            "x": x,
            "y": y,
            "physics": False,
            "kind": str(d.get("kind") or ""),
            "iri": str(d.get("iri") or ""),
        }
        net.nodes.append(node)
        net.node_ids.append(nid)
        net.node_map[nid] = node
    for a, b, d in graph.edges(data=True):
        edge = {"from": str(a), "to": str(b)}
        if d.get("label"):
            edge["label"] = str(d["label"])
        if "weight" in d:
            try:
                edge["width"] = max(1.0, min(8.0, float(d["weight"])))
            except (TypeError, ValueError):
                pass
        if graph.is_directed():
            edge["arrows"] = "to"
        net.edges.append(edge)
    net.toggle_physics(False)
    return net


__all__ = [
    "CSP",
    "graph_payload",
    "json_for_script",
    "layout",
    "measures_for",
    "render_html",
    "to_pyvis",
    "view_widget",
    "write_view",
]
