"""RDF -> networkx views of the knowledge graph, and their analytics.

Views (``build_view(kg, view, filters=Filters(...), lang="en")``):

``stakeholders``  bipartite: partnerships (cases) -- parties, each edge labelled with the role(s)
``actors``        party -- party projection: weight = number of partnerships the two share
``concepts``      cases linked to their partnership type, sectors, benefits and characteristics
                  (and concepts to their broader concepts)
``ontology``      classes and properties: subClassOf, subPropertyOf, domain and range edges
``query``         a library or ad-hoc query: a SELECT with ``?source ?target`` (optional
                  ``?sourceLabel ?targetLabel ?edgeLabel ?group ?weight``) or a CONSTRUCT

Every node has ``kind``, ``label`` (in the chosen language), ``label_id``, ``label_en`` and
``iri``; cases add ``type``, ``sectors``, ``countries``, ``start``, ``end``, ``sources``,
``parties`` (``[{"actor": iri, "role": iri}]``); actors add ``actor_kind`` and ``country``.
Edges have ``label`` (+ ``label_id``/``label_en``) and, by view, ``role``/``roles``,
``weight``/``cases`` or ``relation``. ``graph.graph["terms"]`` maps every IRI the attributes
mention (types, sectors, roles, countries, ...) to ``{"id": ..., "en": ...}`` labels.

Data comes from a handful of SPARQL queries through a ``GraphReader`` (one pass each over the
store), not from walking rdflib triples.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from rdflib import Literal, URIRef

from ..namespaces import DERIVED_GRAPH, INFERRED_GRAPH, KMT, OWL, PARTNERSHIP_TYPES, RDFS
from ..reader import GraphReader
from ..terms import both_labels, lang_key, local_name, pick_label
from .filters import Selection
from .model import Actor, Case, Model

OWL_CLASS = str(OWL.Class)
RDFS_CLASS = str(RDFS.Class)

#: relation labels used by the concepts and ontology views: key -> (id, en)
RELATIONS: dict[str, tuple[str, str]] = {
    "type": ("jenis kemitraan", "partnership type"),
    "sector": ("sektor", "sector"),
    "benefit": ("manfaat yang diklaim", "claims benefit"),
    "characteristic": ("karakteristik yang dibuktikan", "evidences characteristic"),
    "broader": ("lebih luas", "broader"),
    "subClassOf": ("subkelas dari", "subclass of"),
    "subPropertyOf": ("subproperti dari", "subproperty of"),
    "domain": ("domain", "domain"),
    "range": ("jangkauan", "range"),
}
VIEW_TITLES: dict[str, tuple[str, str]] = {
    "stakeholders": (
        "Jaringan pemangku kepentingan: kemitraan dan para pihak",
        "Stakeholder network: partnerships and their parties",
    ),
    "actors": ("Jaringan aktor: pihak yang bermitra bersama", "Actor network: parties that partner together"),
    "concepts": (
        "Jaringan konsep: jenis, sektor, manfaat dan karakteristik",
        "Concept network: types, sectors, benefits and characteristics",
    ),
    "ontology": ("Ontologi: kelas dan properti", "Ontology: classes and properties"),
    "query": ("Hasil kueri", "Query result"),
}

def _label_attrs(texts: Mapping[str, str] | None, iri: str, lang: str) -> dict[str, str]:
    b = both_labels(texts, iri)
    return {"label": b[lang], "label_id": b["id"], "label_en": b["en"]}


def case_attrs(c: Case, model: Model, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "case",
        "iri": c.iri,
        **_label_attrs(model.labels.get(c.iri), c.iri, lang),
        "type": c.type,
        "sectors": sorted(c.sectors),
        "countries": sorted(c.countries),
        "start": c.start,
        "end": c.end,
        "sources": sorted(c.sources),
        "benefits": sorted(c.benefits),
        "characteristics": sorted(c.characteristics),
        "parties": [
            {"actor": a, "role": r} for a in sorted(c.parties) for r in (sorted(c.parties[a]) or [""])
        ],
        "group": c.type or "case",
    }
    if c.description:
        out["description_id"] = pick_label(c.description, "id")
        out["description_en"] = pick_label(c.description, "en")
    return out


def actor_attrs(a: Actor, model: Model, lang: str) -> dict[str, Any]:
    return {
        "kind": "actor",
        "iri": a.iri,
        **_label_attrs(model.labels.get(a.iri), a.iri, lang),
        "actor_kind": a.kind,
        "country": sorted(a.countries)[0] if a.countries else "",
        "short_name": sorted(a.short_names)[0] if a.short_names else "",
        "group": a.kind or "actor",
    }


def concept_attrs(iri: str, kind: str, model: Model, lang: str) -> dict[str, Any]:
    return {"kind": kind, "iri": iri, **_label_attrs(model.labels.get(iri), iri, lang), "group": kind}


def _terms(model: Model, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    return {i: both_labels(model.labels.get(i), i) for i in sorted(set(iris)) if i}


def _case_terms(model: Model, cases: Iterable[Case]) -> set[str]:
    out: set[str] = set()
    for c in cases:
        out |= c.types | c.sectors | c.countries | c.benefits | c.characteristics | set(c.parties)
        for s in c.sectors:
            out |= model.broader.get(s, set())
        for roles in c.parties.values():
            out |= roles
    return out


def _title(view: str) -> dict[str, str]:
    t = VIEW_TITLES[view]
    return {"id": t[0], "en": t[1]}


def stakeholders_view(model: Model, sel: Selection, lang: str) -> nx.Graph:
    g = nx.Graph(view="stakeholders", lang=lang, title=_title("stakeholders"))
    for iri in sorted(sel.cases):
        g.add_node(iri, **case_attrs(sel.cases[iri], model, lang), bipartite=0)
    for a in sorted(sel.actors):
        if a not in g:
            g.add_node(a, **actor_attrs(model.actors[a], model, lang), bipartite=1)
    roles_used: set[str] = set()
    for iri in sorted(sel.cases):
        for actor, roles in sorted(sel.cases[iri].parties.items()):
            rs = sorted(roles)
            roles_used |= roles
            names = [both_labels(model.labels.get(r), r) for r in rs]
            g.add_edge(
                iri,
                actor,
                role=" ".join(rs),
                roles=rs,
                label=" / ".join(n[lang] for n in names),
                label_id=" / ".join(n["id"] for n in names),
                label_en=" / ".join(n["en"] for n in names),
            )
    g.graph["terms"] = _terms(
        model,
        _case_terms(model, sel.cases.values())
        | roles_used
        | {model.actors[a].kind for a in sel.actors}
        | {c for a in sel.actors for c in model.actors[a].countries},
    )
    return g


def actors_view(model: Model, sel: Selection, lang: str) -> nx.Graph:
    g = nx.Graph(view="actors", lang=lang, title=_title("actors"))
    facets: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c in sel.cases.values():
        for a in c.parties:
            f = facets[a]
            f["partnerships"].add(c.iri)
            f["case_types"] |= c.types
            f["case_sectors"] |= c.sectors
            f["case_countries"] |= c.countries
    for a in sorted(sel.actors):
        attrs = actor_attrs(model.actors[a], model, lang)
        for key in ("partnerships", "case_types", "case_sectors", "case_countries"):
            attrs[key] = sorted(facets[a][key])
        g.add_node(a, **attrs)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in sel.cases.values():
        parties = sorted(c.parties)
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                shared[(a, b)].add(c.iri)
    for (a, b), cases in sorted(shared.items()):
        w = len(cases)
        text_id = f"{w} kemitraan bersama"
        text_en = f"{w} shared partnership" + ("" if w == 1 else "s")
        g.add_edge(
            a,
            b,
            weight=w,
            cases=sorted(cases),
            label=text_en if lang == "en" else text_id,
            label_id=text_id,
            label_en=text_en,
        )
    g.graph["terms"] = _terms(
        model,
        _case_terms(model, sel.cases.values())
        | {model.actors[a].kind for a in sel.actors}
        | {c for a in sel.actors for c in model.actors[a].countries},
    )
    return g


def concepts_view(model: Model, sel: Selection, lang: str) -> nx.Graph:
    g = nx.Graph(view="concepts", lang=lang, title=_title("concepts"))

    def rel_attrs(key: str) -> dict[str, str]:
        t = RELATIONS[key]
        return {"relation": key, "label": t[0] if lang == "id" else t[1], "label_id": t[0], "label_en": t[1]}

    def add_concept(iri: str, kind: str) -> None:
        if iri not in g:
            g.add_node(iri, **concept_attrs(iri, kind, model, lang))

    for iri in sorted(sel.cases):
        c = sel.cases[iri]
        g.add_node(iri, **case_attrs(c, model, lang))
        for kind, values in (
            ("type", c.types),
            ("sector", c.sectors),
            ("benefit", c.benefits),
            ("characteristic", c.characteristics),
        ):
            for v in sorted(values):
                add_concept(v, kind)
                g.add_edge(iri, v, **rel_attrs(kind))
    # concepts to their broader concepts (sector hierarchy, characteristic groups)
    for n, data in list(g.nodes(data=True)):
        if data["kind"] in ("sector", "characteristic"):
            for b in sorted(model.broader.get(n, set())):
                add_concept(b, data["kind"])
    direct = _direct_broader(model)
    for n, data in list(g.nodes(data=True)):
        if data["kind"] in ("sector", "characteristic"):
            for b in sorted(direct.get(n, set())):
                if b in g:
                    g.add_edge(n, b, **rel_attrs("broader"))
    g.graph["terms"] = _terms(model, _case_terms(model, sel.cases.values()))
    g.graph["positions"], g.graph["label_side"] = concept_layout(g, direct)
    return g


#: the concepts view's designed layout, in canvas pixels: height of the concept columns, x of the
#: right column, indent of a narrower concept, spacing of the cases in a kind's block
CONCEPT_HEIGHT, CONCEPT_WIDTH, CONCEPT_INDENT, CASE_STEP = 840.0, 520.0, 24.0, 26.0


def _tree_order(nodes: list[str], direct: Mapping[str, set[str]], key: Any) -> list[tuple[str, int]]:
    """``nodes`` as a depth-first walk of their broader/narrower tree: ``(node, depth)``."""
    inside = set(nodes)
    children: dict[str, list[str]] = defaultdict(list)
    roots = []
    for n in nodes:
        ups = [u for u in direct.get(n, ()) if u in inside]
        if ups:
            children[min(ups)].append(n)
        else:
            roots.append(n)
    out: list[tuple[str, int]] = []

    def walk(n: str, depth: int) -> None:
        out.append((n, depth))
        for c in sorted(children.get(n, ()), key=key):
            walk(c, depth + 1)

    for r in sorted(roots, key=key):
        walk(r, 0)
    return out


def concept_layout(
    g: nx.Graph, direct: Mapping[str, set[str]]
) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """Fixed places for the concepts view, so that it reads at a glance.

    The source text's concepts are anchors: sectors down the left edge (labels to their left),
    the five benefits and then the four characteristics with their parts down the right edge
    (labels to their right), narrower concepts indented toward the middle; each kind of
    partnership heads a block of its cases in the middle (label above), the cases ordered by
    their first sector so that their edges run roughly level. Returns ``(positions, label_side)``.
    """
    from ..charts.profile import SOURCE_ORDER

    kinds: dict[str, list[str]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        kinds[d["kind"]].append(n)
    source = {iri: i for i, iri in enumerate(SOURCE_ORDER)}

    def by_label(n: str) -> tuple:
        return (source.get(n, len(source)), str(g.nodes[n].get("label_en") or n).casefold(), n)

    pos: dict[str, tuple[float, float]] = {}
    side: dict[str, str] = {}

    def column(entries: list[tuple[str, int]], x: float, inward: float, where: str, gaps: set[int]) -> None:
        slots = len(entries) + len(gaps) - 1
        step = CONCEPT_HEIGHT / slots if slots > 0 else 0.0
        k = 0
        for i, (n, depth) in enumerate(entries):
            if i in gaps:
                k += 1
            pos[n] = (x + inward * min(depth, 2), step * k if slots > 0 else CONCEPT_HEIGHT / 2)
            side[n] = where
            k += 1

    sectors = _tree_order(kinds["sector"], direct, by_label)
    column(sectors, 0.0, CONCEPT_INDENT, "left", set())
    benefits = _tree_order(kinds["benefit"], direct, by_label)
    chars = _tree_order(kinds["characteristic"], direct, by_label)
    column(benefits + chars, CONCEPT_WIDTH, -CONCEPT_INDENT, "right", {len(benefits)} if benefits and chars else set())

    # the middle: one block per kind of partnership (the four in the source text's order first)
    order = {iri: i for i, iri in enumerate(PARTNERSHIP_TYPES)}
    blocks = sorted(kinds["type"], key=lambda n: (order.get(n, len(order)), by_label(n)))
    members: dict[str, list[str]] = {b: [] for b in blocks}
    loose: list[str] = []
    sector_rank = {n: i for i, (n, _d) in enumerate(sectors)}
    for c in kinds["case"]:
        types = [t for t in blocks if g.has_edge(c, t)]
        (members[types[0]] if types else loose).append(c)
    if loose:
        members[""] = loose
    heads = list(members)
    columns = 1 if len(heads) == 1 else 2
    rows = max(1, math.ceil(len(heads) / columns))
    left, right = CONCEPT_INDENT * 2 + 24.0, CONCEPT_WIDTH - CONCEPT_INDENT * 2 - 24.0
    cell_w, cell_h = (right - left) / columns, CONCEPT_HEIGHT / rows
    per_row = max(1, int((cell_w - 30.0) // CASE_STEP))
    for b, head in enumerate(heads):
        cx = left + cell_w * (b % columns + 0.5)
        top = cell_h * (b // columns) + 50.0
        if head:
            pos[head] = (cx, top)
            side[head] = "above"

        def first_sector(c: str) -> tuple:
            ranks = [sector_rank[s] for s in g[c] if s in sector_rank]
            return (min(ranks) if ranks else len(sector_rank), by_label(c))

        cases = sorted(members[head], key=first_sector)
        width = min(len(cases), per_row)
        for i, c in enumerate(cases):
            r, k = divmod(i, per_row)
            pos[c] = (cx + (k - (width - 1) / 2) * CASE_STEP, top + 44.0 + r * CASE_STEP)
    for n in g:  # anything else (a concept of another kind): below the drawing
        pos.setdefault(n, (CONCEPT_WIDTH / 2, CONCEPT_HEIGHT + 40.0))
    return pos, side


def _direct_broader(model: Model) -> dict[str, set[str]]:
    """The transitive broader map, reduced to its direct links."""
    out = {}
    for c, ups in model.broader.items():
        out[c] = {u for u in ups if not any(u in model.broader.get(o, set()) for o in ups if o != u)}
    return out


_Q_ONTOLOGY = f"""
SELECT DISTINCT ?s ?rel ?o WHERE {{
  GRAPH ?g {{
    {{ ?s a ?o . BIND("a" AS ?rel)
       VALUES ?o {{ owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }} }}
    UNION {{ ?s rdfs:subClassOf ?o . BIND("subClassOf" AS ?rel) }}
    UNION {{ ?s rdfs:subPropertyOf ?o . BIND("subPropertyOf" AS ?rel) }}
    UNION {{ ?s rdfs:domain ?o . BIND("domain" AS ?rel) }}
    UNION {{ ?s rdfs:range ?o . BIND("range" AS ?rel) }}
    UNION {{ ?s skos:definition ?o . BIND("definition" AS ?rel) }}
  }}
  FILTER(?g NOT IN (<{DERIVED_GRAPH}>, <{INFERRED_GRAPH}>))
  FILTER(isIRI(?s))
}}"""


def english_name(iri: str, kind: str = "class") -> str:
    """The English name a reused vocabulary gives a term, read from its local name:
    ``org:FormalOrganization`` -> "Formal organization", ``org:hasMember`` -> "has member"."""
    name = local_name(iri)
    if kind == "datatype":
        return name
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[A-Z]+", name) or [name]
    words = [w if (w.isupper() and len(w) > 1) else w.lower() for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:] if kind == "class" else text


def _outside_kind(iri: str, relation: str) -> str:
    """Kind of a term the ontology points at but does not declare (org:, schema:, xsd:...)."""
    if relation == "subPropertyOf":
        return "property"
    if iri.startswith("http://www.w3.org/2001/XMLSchema#") or iri.endswith(("#langString", "#Literal")):
        return "datatype"
    return "class"


def ontology_view(reader: GraphReader, lang: str) -> nx.DiGraph:
    """Classes and properties of the loaded ontology (not the inferred closure)."""
    g = nx.DiGraph(view="ontology", lang=lang, title=_title("ontology"))
    rows = reader.rows(_Q_ONTOLOGY)
    kinds: dict[str, str] = {}
    defs: dict[str, dict[str, str]] = defaultdict(dict)
    links: list[tuple[str, str, str]] = []
    for s, rel, o in rows:
        s, rel = str(s), str(rel)
        if rel == "a":
            o = str(o)
            if o in (OWL_CLASS, RDFS_CLASS):
                kinds.setdefault(s, "class")
            else:
                kinds[s] = "property"
        elif rel == "definition":
            if isinstance(o, Literal):
                defs[s].setdefault(lang_key(o.language), str(o))
        elif isinstance(o, URIRef):
            links.append((s, rel, str(o)))
    kmt = str(KMT)
    own = {s for s in kinds if s.startswith(kmt)}
    keep_links = [(s, r, o) for s, r, o in links if s in own]
    for _s, r, o in keep_links:
        if o not in kinds:
            kinds[o] = _outside_kind(o, r)
    nodes = own | {o for _s, _r, o in keep_links}
    labels = dict(reader.label_texts(nodes))
    for n in nodes:  # a reused term labelled here in Indonesian only: its own (English) name in EN
        texts = labels.get(n) or {}
        if not texts.get("en") and not n.startswith(kmt):
            note = re.search(r" \([^()]*\)$", texts.get("id", ""))  # e.g. "Konsorsium (schema.org)"
            labels[n] = {**texts, "en": english_name(n, kinds.get(n, "class")) + (note.group() if note else "")}
    for n in sorted(nodes):
        attrs = {
            "kind": kinds.get(n, "class"),
            "iri": n,
            **_label_attrs(labels.get(n), n, lang),
            "external": not n.startswith(kmt),
        }
        attrs["group"] = attrs["kind"] + ("-external" if attrs["external"] else "")
        if defs.get(n):
            attrs["description_id"] = pick_label(defs[n], "id")
            attrs["description_en"] = pick_label(defs[n], "en")
        g.add_node(n, **attrs)
    for s, r, o in sorted(keep_links):
        t = RELATIONS[r]
        if g.has_edge(s, o):
            e = g.edges[s, o]
            e["relation"] += " " + r
            e["label"] += " / " + (t[0] if lang == "id" else t[1])
            e["label_id"] += " / " + t[0]
            e["label_en"] += " / " + t[1]
        else:
            g.add_edge(s, o, relation=r, label=t[0] if lang == "id" else t[1], label_id=t[0], label_en=t[1])
    g.graph["terms"] = {}
    return g
