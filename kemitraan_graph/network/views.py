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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from rdflib import Literal, URIRef

from ..namespaces import DERIVED_GRAPH, INFERRED_GRAPH, KMT, OWL, RDFS
from ..reader import GraphReader
from ..terms import both_labels, lang_key, pick_label
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
    return g


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
    labels = reader.label_texts(nodes)
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
