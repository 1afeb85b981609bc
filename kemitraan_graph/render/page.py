"""Network views -> ONE self-contained HTML page (vis-network inlined, no request to any host).

``write_view(reader, view, path)`` builds a view (``kemitraan_graph.network``), lays it out in
Python (``layout``) and writes the page atomically; ``render_html(graph)`` returns the page text for
any networkx graph. The data enters the page only as JSON in ``<script type="application/json">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 escaped; the page script builds its DOM with
``textContent``/``createElement``; a Content-Security-Policy allows exactly the two inline
scripts (by sha256), inline styles and ``data:`` images, and nothing else.

Positions are computed here (a fast component-wise layout, see ``layout``) and physics is off;
above 5,000 edges the page strokes the edges itself in one canvas path, so a 10,000-node,
30,000-edge page is interactive within seconds (benchmarks/bench_views.py measures it).
The notebook helpers (``view_widget``, ``to_pyvis``) are in ``notebook``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..errors import ViewError
from ..network import analytics
from ..network.names import MEASURES
from ..terms import check_lang, local_name
from .layout import layout
from .template import fill_page, page_assets

if TYPE_CHECKING:  # pragma: no cover
    from ..network import Filters
    from ..reader import GraphReader


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
#: Okabe & Ito's colour-blind-safe palette (Color Universal Design), then a few darker/lighter
#: companions; groups that share a colour differ in shape (``GROUP_SHAPES``), the second channel
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#7F7F7F",  # grey
    "#004D7A",  # dark blue
    "#8C5A00",  # dark orange
    "#006B4F",  # dark green
    "#8E3F72",  # dark purple
]
_KMT = "https://w3id.org/kemitraan/ontology#"
#: fixed colours, so the same group looks the same in every view (and in the static figures)
FIXED_COLOURS = {
    # the four kinds of partnership (diamonds)
    _KMT + "GovernmentPrivateCommunityPartnership": "#E69F00",
    _KMT + "TripleHelixPartnership": "#009E73",
    _KMT + "NGOGovernmentCommunityPartnership": "#CC79A7",
    _KMT + "InternationalPartnership": "#56B4E9",
    # parties: related kinds share a hue and differ in shape (GROUP_SHAPES)
    _KMT + "GovernmentBody": "#D55E00",
    _KMT + "Company": "#0072B2",
    _KMT + "StateOwnedEnterprise": "#004D7A",
    _KMT + "StartUp": "#0072B2",
    _KMT + "Consortium": "#8C5A00",
    _KMT + "BusinessAssociation": "#8C5A00",
    _KMT + "University": "#006B4F",
    _KMT + "ResearchInstitute": "#006B4F",
    _KMT + "NGO": "#8E3F72",
    _KMT + "InternationalOrganisation": "#8E3F72",
    _KMT + "CommunityGroup": "#F0E442",
    _KMT + "Country": "#7F7F7F",
    _KMT + "Individual": "#7F7F7F",
    # concepts and ontology terms
    "sector": "#009E73",
    "benefit": "#E69F00",
    "characteristic": "#CC79A7",
    "type": "#0072B2",
    "class": "#0072B2",
    "class-external": "#56B4E9",
    "property": "#D55E00",
    "property-external": "#E69F00",
    "datatype": "#7F7F7F",
    "datatype-external": "#BBBBBB",
    "node": "#7F7F7F",
    "literal": "#BBBBBB",
}
#: shapes of party groups (their kind's shape is a dot): groups of one colour differ in shape
GROUP_SHAPES = {
    _KMT + "GovernmentBody": "dot",
    _KMT + "Company": "dot",
    _KMT + "StateOwnedEnterprise": "square",
    _KMT + "StartUp": "triangle",
    _KMT + "Consortium": "hexagon",
    _KMT + "BusinessAssociation": "square",
    _KMT + "University": "triangle",
    _KMT + "ResearchInstitute": "triangleDown",
    _KMT + "NGO": "dot",
    _KMT + "InternationalOrganisation": "star",
    _KMT + "CommunityGroup": "dot",
    _KMT + "Country": "dot",
    _KMT + "Individual": "square",
}
#: label placement of anchor nodes (a view's ``graph.graph["label_side"]``) -> page code
LABEL_SIDES = {"left": "l", "right": "r", "below": "b", "above": "t"}


# --- page data ---------------------------------------------------------------------------


def _sig(v: float) -> float:
    return float(f"{v:.3g}")


def _lang_pair(data: Mapping[str, Any], key: str = "label") -> list[str]:
    base = str(data.get(key, "") or "")
    return [str(data.get(f"{key}_id") or base), str(data.get(f"{key}_en") or base)]


def measures_for(graph: nx.Graph, size_by: str) -> dict[str, dict[Any, float]]:
    """The measures a page carries: degree always; the others when cheap enough or asked for."""
    if size_by not in MEASURES:
        raise ViewError(f"unknown size measure {size_by!r}; choose one of {', '.join(MEASURES)}")
    u = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    out: dict[str, dict[Any, float]] = {"degree": {n: float(d) for n, d in u.degree()}}
    out["eigenvector"] = analytics.eigenvector_centrality(u)
    if size_by == "betweenness" or analytics.betweenness_sampled(u, PAGE_BETWEENNESS_BUDGET) is None:
        out["betweenness"] = analytics.betweenness_centrality(u, budget=PAGE_BETWEENNESS_BUDGET)
    return {k: out[k] for k in MEASURES if k in out}


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
    f: facets, d: details, a: label side of an anchor (l, r, t, b)}``; ``pinned``: the positions
    are a view's designed layout (``graph.graph["positions"]``, e.g. the concepts view), whose
    anchors (``graph.graph["label_side"]``) keep their place and have their labels drawn first;
    every IRI a facet or a detail mentions is an index into ``keys``, whose labels are
    ``terms[i] = [id, en]``. ``edges`` is flat ``[from0, to0, from1, to1, ...]`` (node indices),
    with ``edgeLabel`` (indices into ``edgeTexts``, -1: none) and ``edgeWeight`` only when some
    edge has one. ``groups``: key, kind, label, colour, shape, count.
    """
    check_lang(lang)
    if positions is None:  # a view with a designed layout (the concepts view) brings its own
        positions = graph.graph.get("positions") or None
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
        g["shape"] = group_shape(gkey, kind)
        if gkey in known:
            g["label"] = known[gkey]
        elif f"kind:{gkey}" in known:
            g["label"] = known[f"kind:{gkey}"]
        elif gkey.endswith("-external") and f"kind:{kind}" in known:
            t = known[f"kind:{kind}"]
            g["label"] = [t[0] + " (luar)", t[1] + " (external)"]
        else:
            g["label"] = [local_name(gkey), local_name(gkey)]
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

    sides = graph.graph.get("label_side") or {}
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
        side = sides.get(n)
        if side in LABEL_SIDES:  # an anchor: its label is placed first, on this side
            node["a"] = LABEL_SIDES[side]
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
        "pinned": bool(graph.graph.get("positions")) and positions is graph.graph.get("positions"),
        "large": n > SMALL_LIMIT or e > 3 * SMALL_LIMIT,
        "edgeLabels": e <= 300,
        "ownEdges": e > OWN_EDGES_ABOVE,
        "groups": ordered,
        "keys": keys,
        "terms": [known.get(k) or [local_name(k), local_name(k)] for k in keys],
        "nodes": nodes,
        "edges": flat,
        "edgeTexts": edge_texts,
    }
    if any(li >= 0 for li in labels):
        out["edgeLabel"] = labels
    if any(w != 1 for w in weights):
        out["edgeWeight"] = weights
    return out


def group_shape(key: str, kind: str) -> str:
    """The shape of a group: a party kind's own (``GROUP_SHAPES``), else its node kind's."""
    if kind == "actor" and key in GROUP_SHAPES:
        return GROUP_SHAPES[key]
    return SHAPES.get(kind, "dot")


def _colour(groups: dict[str, dict[str, Any]]) -> None:
    """Fixed colours first; a group whose fixed colour another group of the same shape already
    has on this page (or that has none) takes the next free colour of the palette."""
    for g in groups.values():
        g.setdefault("shape", group_shape(g["key"], g["kind"]))
    taken: set[tuple[str, str]] = set()
    used: set[str] = set()
    for gkey in sorted(groups, key=lambda k: (k not in FIXED_COLOURS, k)):
        g = groups[gkey]
        c = FIXED_COLOURS.get(gkey)
        if c and (c, g["shape"]) not in taken:
            g["color"] = c
            taken.add((c, g["shape"]))
            used.add(c)
    free = [c for c in PALETTE if c not in used] or PALETTE
    i = 0
    for gkey in sorted(groups):
        g = groups[gkey]
        if "color" not in g:
            while (free[i % len(free)], g["shape"]) in taken and i < 2 * len(free):
                i += 1
            g["color"] = free[i % len(free)]
            taken.add((g["color"], g["shape"]))
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

_ASSETS = ("page", (("vendor", "vendor/vis-network.min.js"), ("script", "page.js")))


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
    return fill_page(page_assets(*_ASSETS), lang=lang, title=payload["title"][0 if lang == "id" else 1],
                     payload=payload)


def write_view(
    reader: GraphReader,
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
    """Build ``view`` from ``reader`` and write it as one HTML page to ``path`` (atomically)."""
    from ..atomic import write_text
    from ..network import build_view

    if size_by not in MEASURES:
        raise ViewError(f"unknown size measure {size_by!r}; choose one of {', '.join(MEASURES)}")
    graph = build_view(reader, view, filters=filters, lang=lang, query=query, params=params)
    page = render_html(graph, lang=lang, size_by=size_by, title=title)
    write_text(path, page)
    return Path(path)
