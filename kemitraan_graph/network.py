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

Data comes from a handful of SPARQL queries through ``kg.backend.run_query`` (one pass each over
the store), not from walking rdflib triples.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .analytics import (  # noqa: F401  (re-exported for the views' users)
    BETWEENNESS_BUDGET,
    MEASURES,
    Analysis,
    analyze,
    betweenness_centrality,
    betweenness_sampled,
    communities,
    components,
    degree_centrality,
    eigenvector_centrality,
    measure,
    with_analytics,
)
from .api import local_name, pick_label
from .errors import ViewError
from .namespaces import (
    DERIVED_GRAPH,
    FOAF,
    INFERRED_GRAPH,
    KMT,
    OWL,
    PARTNERSHIP_TYPES,
    PREFIXES,
    RDF,
    RDFS,
    SKOS,
)

if TYPE_CHECKING:  # pragma: no cover
    from .api import KnowledgeGraph

VIEWS = ("stakeholders", "actors", "concepts", "ontology", "query")
LANGS = ("id", "en")

FOAF_AGENT = str(FOAF.Agent)
OWL_CLASS = str(OWL.Class)
RDFS_CLASS = str(RDFS.Class)
RDF_TYPE = str(RDF.type)
RDFS_LABEL = str(RDFS.label)
SKOS_PREFLABEL = str(SKOS.prefLabel)

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
_SAFE_IRI = re.compile(r"[^\s<>\"{}|^`\\]+")


# --- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What to keep. Values are IRIs, CURIEs (``kmt:sector-water``) or local names (``water``).

    ``types``: partnership types; ``sectors``: a sector or any narrower one (skos:broader);
    ``countries``: where a case takes place (kmt:country); ``from_year``/``to_year``: cases
    whose period [start, end] overlaps the range (no end date = still running; no start date =
    left out once a year is given); ``actor_kinds``: parties of these classes or subclasses
    (a case left with no party is dropped).
    """

    types: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    from_year: int | None = None
    to_year: int | None = None
    actor_kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for f in ("types", "sectors", "countries", "actor_kinds"):
            value = getattr(self, f)
            if isinstance(value, str):
                object.__setattr__(self, f, (value,))
            else:
                object.__setattr__(self, f, tuple(value or ()))
        if self.from_year is not None and self.to_year is not None and self.from_year > self.to_year:
            raise ViewError(f"from-year {self.from_year} is after to-year {self.to_year}")

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) not in ((), None) for f in fields(self))

    def describe(self) -> str:
        parts = [
            f"{f.name}={','.join(v) if isinstance(v, tuple) else v}"
            for f in fields(self)
            if (v := getattr(self, f.name)) not in ((), None)
        ]
        return "; ".join(parts)


# --- the data model read from the store --------------------------------------------------


@dataclass
class Case:
    iri: str
    types: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    starts: set[str] = field(default_factory=set)
    ends: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    benefits: set[str] = field(default_factory=set)
    characteristics: set[str] = field(default_factory=set)
    description: dict[str, str] = field(default_factory=dict)
    parties: dict[str, set[str]] = field(default_factory=dict)  # actor -> roles (may be empty)

    @property
    def type(self) -> str:
        return sorted(self.types)[0] if self.types else ""

    @property
    def start(self) -> str:
        return min(self.starts) if self.starts else ""

    @property
    def end(self) -> str:
        return max(self.ends) if self.ends else ""


@dataclass
class Actor:
    iri: str
    kinds: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    short_names: set[str] = field(default_factory=set)
    kind: str = ""


@dataclass
class Model:
    cases: dict[str, Case]
    actors: dict[str, Actor]
    partnership_types: set[str]
    superclasses: dict[str, set[str]]  # class -> every superclass (transitive, reflexive)
    broader: dict[str, set[str]]  # concept -> every broader concept (transitive, not reflexive)
    sectors: set[str]
    countries: set[str]
    actor_kinds: set[str]
    labels: dict[str, dict[str, str]]


_Q_PTYPES = f"""
SELECT DISTINCT ?t WHERE {{
  {{ ?t skos:inScheme kmt:PartnershipTypeScheme }} UNION {{ ?t rdfs:subClassOf kmt:Partnership }}
  UNION {{ VALUES ?t {{ {" ".join(f"<{t}>" for t in PARTNERSHIP_TYPES)} }} }}
  FILTER(isIRI(?t) && ?t != kmt:Partnership)
}}"""
_Q_SUBCLASS = "SELECT ?c ?s WHERE { ?c rdfs:subClassOf ?s . FILTER(isIRI(?c) && isIRI(?s)) }"
_Q_BROADER = "SELECT ?c ?b WHERE { ?c skos:broader ?b . FILTER(isIRI(?c) && isIRI(?b)) }"
_Q_CASE_PROPS = """
SELECT ?case ?p ?o WHERE {
  { SELECT DISTINCT ?case WHERE { ?case kmt:hasParticipation ?x } }
  { VALUES ?p { rdf:type kmt:sector kmt:country schema:startDate schema:endDate dcterms:source
                kmt:claimsBenefit kmt:evidencesCharacteristic dcterms:description }
    ?case ?p ?o }
  UNION
  { ?case kmt:agreement ?agr . ?agr kmt:evidencesCharacteristic ?o . BIND(kmt:evidencesCharacteristic AS ?p) }
}"""
_Q_PARTIES = """
SELECT ?case ?actor ?role WHERE {
  ?case kmt:hasParticipation ?part . ?part org:member ?actor . OPTIONAL { ?part org:role ?role }
}"""
_Q_ACTORS = """
SELECT ?actor ?p ?o WHERE {
  { SELECT DISTINCT ?actor WHERE { ?c kmt:hasParticipation ?part . ?part org:member ?actor } }
  VALUES ?p { rdf:type kmt:country kmt:shortName }
  ?actor ?p ?o
}"""
_Q_VOCAB = """
SELECT DISTINCT ?what ?s WHERE {
  { ?s a kmt:Sector . BIND("sector" AS ?what) } UNION { ?s a kmt:Country . BIND("country" AS ?what) }
  FILTER(isIRI(?s))
}"""


def _rows(kg: KnowledgeGraph, text: str) -> list[tuple[Node | None, ...]]:
    return kg.backend.run_query(text, {}).rows


def _transitive(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """child -> every ancestor (not itself), cycles tolerated."""
    up: dict[str, set[str]] = defaultdict(set)
    for c, p in pairs:
        if c != p:
            up[c].add(p)
    out: dict[str, set[str]] = {}
    for start in list(up):
        seen: set[str] = set()
        stack = list(up[start])
        while stack:
            x = stack.pop()
            if x in seen or x == start:
                continue
            seen.add(x)
            stack.extend(up.get(x, ()))
        out[start] = seen
    return out


def _year(value: str) -> int | None:
    m = re.match(r"\s*(-?\d{4})", value)
    return int(m.group(1)) if m else None


def fetch_labels(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    return kg.label_texts(iris)


def pick(texts: Mapping[str, str] | None, lang: str, iri: str = "") -> str:
    return pick_label(dict(texts or {}), lang, iri)


def both(texts: Mapping[str, str] | None, iri: str = "") -> dict[str, str]:
    return {"id": pick(texts, "id", iri), "en": pick(texts, "en", iri)}


def load_model(kg: KnowledgeGraph) -> Model:
    """Cases, parties and the vocabulary, read with a few SPARQL queries."""
    ptypes = {str(t) for (t,) in _rows(kg, _Q_PTYPES) if t is not None}
    superclasses = _transitive((str(c), str(s)) for c, s in _rows(kg, _Q_SUBCLASS))
    broader = _transitive((str(c), str(b)) for c, b in _rows(kg, _Q_BROADER))

    cases: dict[str, Case] = {}
    for case, p, o in _rows(kg, _Q_CASE_PROPS):
        if not isinstance(case, (URIRef, BNode)) or o is None:
            continue
        c = cases.setdefault(str(case), Case(str(case)))
        p, value = str(p), str(o)
        if p == RDF_TYPE:
            if value in ptypes:
                c.types.add(value)
        elif p == str(KMT.sector):
            c.sectors.add(value)
        elif p == str(KMT.country):
            c.countries.add(value)
        elif p.endswith("startDate"):
            c.starts.add(value)
        elif p.endswith("endDate"):
            c.ends.add(value)
        elif p.endswith("/source"):
            c.sources.add(value)
        elif p == str(KMT.claimsBenefit):
            c.benefits.add(value)
        elif p == str(KMT.evidencesCharacteristic):
            c.characteristics.add(value)
        elif p.endswith("/description") and isinstance(o, Literal):
            lang = (o.language or "").lower()[:2]
            c.description.setdefault(lang, value)
    for case, actor, role in _rows(kg, _Q_PARTIES):
        if actor is None or str(actor) == str(case):
            continue
        c = cases.setdefault(str(case), Case(str(case)))
        roles = c.parties.setdefault(str(actor), set())
        if role is not None:
            roles.add(str(role))

    actors: dict[str, Actor] = {}
    for actor, p, o in _rows(kg, _Q_ACTORS):
        a = actors.setdefault(str(actor), Actor(str(actor)))
        p = str(p)
        if p == RDF_TYPE and str(o).startswith(str(KMT)):
            a.kinds.add(str(o))
        elif p == str(KMT.country):
            a.countries.add(str(o))
        elif p == str(KMT.shortName):
            a.short_names.add(str(o))
    for c in cases.values():
        for actor in c.parties:
            actors.setdefault(actor, Actor(actor))
    country_cls = str(KMT.Country)
    for a in actors.values():
        a.kind = most_specific(a.kinds, superclasses)
        if not a.countries and a.kind == country_cls:
            a.countries.add(a.iri)

    sectors, countries = set(), set()
    for what, s in _rows(kg, _Q_VOCAB):
        (sectors if str(what) == "sector" else countries).add(str(s))
    for c in cases.values():
        sectors |= c.sectors
        countries |= c.countries
    for s in list(sectors):
        sectors |= broader.get(s, set())
    agent_kinds = {
        c
        for c, sups in superclasses.items()
        if c.startswith(str(KMT)) and FOAF_AGENT in sups and c not in ptypes and c != str(KMT.Partnership)
    }
    actor_kinds = agent_kinds | {a.kind for a in actors.values() if a.kind}

    mentioned: set[str] = set(cases) | set(actors) | ptypes | sectors | countries | actor_kinds
    for c in cases.values():
        mentioned |= c.benefits | c.characteristics | c.countries
        for roles in c.parties.values():
            mentioned |= roles
        for concept in c.characteristics | c.sectors:
            mentioned |= broader.get(concept, set())
    for a in actors.values():
        mentioned |= a.countries
    labels = fetch_labels(kg, mentioned)
    return Model(cases, actors, ptypes, superclasses, broader, sectors, countries, actor_kinds, labels)


def most_specific(kinds: set[str], superclasses: Mapping[str, set[str]]) -> str:
    """The class of ``kinds`` that no other of them is a subclass of (ties: alphabetical)."""
    if not kinds:
        return ""
    specific = [k for k in kinds if not any(k in superclasses.get(o, ()) for o in kinds if o != k)]
    return sorted(specific or kinds)[0]


# --- resolving filter values -------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def resolve_values(
    values: Sequence[str],
    candidates: Iterable[str],
    what: str,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    strip: Sequence[str] = (),
) -> set[str]:
    """Map user values (IRI, CURIE, local name, label) to candidate IRIs; ViewError if unknown."""
    from .querylib import expand_curie

    cands = sorted(set(candidates))
    out: set[str] = set()
    for raw in values:
        value = raw.strip()
        iri = expand_curie(value) if ":" in value else None
        if iri and iri in cands:
            out.add(iri)
            continue
        key = _norm(value)
        hits, starts = [], []
        for c in cands:
            ln = local_name(c)
            names = {_norm(ln)}
            for affix in strip:
                if ln.lower().startswith(affix):
                    names.add(_norm(ln[len(affix) :]))
                if ln.lower().endswith(affix):
                    names.add(_norm(ln[: -len(affix)]))
            names |= {_norm(t) for t in (labels or {}).get(c, {}).values()}
            if key and key in names:
                hits.append(c)
            elif key and any(name.startswith(key) for name in names):
                starts.append(c)
        if not hits and len(starts) == 1:  # an unambiguous beginning: "triple" -> TripleHelix...
            hits = starts
        if not hits:
            known = ", ".join(_curie(c) for c in cands) or "none"
            raise ViewError(f"unknown {what} {raw!r} (known: {known})")
        out |= set(hits)
    return out


def _curie(iri: str) -> str:
    best = max(
        ((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)), key=lambda x: len(x[1]), default=None
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


@dataclass
class _Selection:
    cases: dict[str, Case]
    actors: set[str]


def select(model: Model, filters: Filters) -> _Selection:
    """Apply the filters to the model: the cases kept, and the actors kept."""
    types = (
        resolve_values(
            filters.types, model.partnership_types, "partnership type", model.labels, strip=("partnership",)
        )
        if filters.types
        else None
    )
    sectors = (
        resolve_values(filters.sectors, model.sectors, "sector", model.labels, strip=("sector-",))
        if filters.sectors
        else None
    )
    countries = (
        resolve_values(filters.countries, model.countries, "country", model.labels)
        if filters.countries
        else None
    )
    kinds = (
        resolve_values(filters.actor_kinds, model.actor_kinds, "actor kind", model.labels)
        if filters.actor_kinds
        else None
    )

    def actor_ok(a: str) -> bool:
        if kinds is None:
            return True
        kind = model.actors[a].kind if a in model.actors else ""
        return bool(kind) and bool(({kind} | model.superclasses.get(kind, set())) & kinds)

    kept: dict[str, Case] = {}
    for iri, c in model.cases.items():
        if types is not None and not (c.types & types):
            continue
        if sectors is not None and not any(({s} | model.broader.get(s, set())) & sectors for s in c.sectors):
            continue
        if countries is not None and not (c.countries & countries):
            continue
        if filters.from_year is not None or filters.to_year is not None:
            start = _year(c.start) if c.start else None
            end = _year(c.end) if c.end else None
            if start is None:
                continue
            if filters.to_year is not None and start > filters.to_year:
                continue
            if filters.from_year is not None and (end if end is not None else math.inf) < filters.from_year:
                continue
        if kinds is not None:
            parties = {a: r for a, r in c.parties.items() if actor_ok(a)}
            if not parties:
                continue
            c = Case(**{**c.__dict__, "parties": parties})
        kept[iri] = c
    actors = {a for c in kept.values() for a in c.parties}
    return _Selection(kept, actors)


# --- node attributes ---------------------------------------------------------------------


def _label_attrs(texts: Mapping[str, str] | None, iri: str, lang: str) -> dict[str, str]:
    b = both(texts, iri)
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
        out["description_id"] = pick(c.description, "id")
        out["description_en"] = pick(c.description, "en")
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
    return {i: both(model.labels.get(i), i) for i in sorted(set(iris)) if i}


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


# --- the views ---------------------------------------------------------------------------


def stakeholders_view(model: Model, sel: _Selection, lang: str) -> nx.Graph:
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
            names = [both(model.labels.get(r), r) for r in rs]
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


def actors_view(model: Model, sel: _Selection, lang: str) -> nx.Graph:
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


def concepts_view(model: Model, sel: _Selection, lang: str) -> nx.Graph:
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


def ontology_view(kg: KnowledgeGraph, lang: str) -> nx.DiGraph:
    """Classes and properties of the loaded ontology (not the inferred closure)."""
    g = nx.DiGraph(view="ontology", lang=lang, title=_title("ontology"))
    rows = _rows(kg, _Q_ONTOLOGY)
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
                defs[s].setdefault((o.language or "").lower()[:2], str(o))
        elif isinstance(o, URIRef):
            links.append((s, rel, str(o)))
    kmt = str(KMT)
    own = {s for s in kinds if s.startswith(kmt)}
    keep_links = [(s, r, o) for s, r, o in links if s in own]
    for _s, r, o in keep_links:
        if o not in kinds:
            kinds[o] = _outside_kind(o, r)
    nodes = own | {o for _s, _r, o in keep_links}
    labels = fetch_labels(kg, nodes)
    for n in sorted(nodes):
        attrs = {
            "kind": kinds.get(n, "class"),
            "iri": n,
            **_label_attrs(labels.get(n), n, lang),
            "external": not n.startswith(kmt),
        }
        attrs["group"] = attrs["kind"] + ("-external" if attrs["external"] else "")
        if defs.get(n):
            attrs["description_id"] = pick(defs[n], "id")
            attrs["description_en"] = pick(defs[n], "en")
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


# --- query view --------------------------------------------------------------------------


def _node_id(term: Node) -> str:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


_Q_KINDS = "SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t }}"


def _classify(kg: KnowledgeGraph, iris: Sequence[str]) -> dict[str, tuple[str, str]]:
    """IRI -> (kind, group) from its types: case, actor, sector, benefit, characteristic, class..."""
    types: dict[str, set[str]] = defaultdict(set)
    wanted = [i for i in iris if _SAFE_IRI.fullmatch(i) and ":" in i]
    for start in range(0, len(wanted), 1000):
        values = " ".join(f"<{i}>" for i in wanted[start : start + 1000])
        for s, t in _rows(kg, _Q_KINDS.format(values=values)):
            types[str(s)].add(str(t))
    ptypes = {str(t) for (t,) in _rows(kg, _Q_PTYPES) if t is not None}
    superclasses = _transitive((str(c), str(s)) for c, s in _rows(kg, _Q_SUBCLASS))
    by_class = {
        str(KMT.Sector): "sector",
        str(KMT.Benefit): "benefit",
        str(KMT.Characteristic): "characteristic",
        str(KMT.Role): "role",
        OWL_CLASS: "class",
        RDFS_CLASS: "class",
    }
    out = {}
    for i in iris:
        ts = types.get(i, set())
        if ts & ptypes:
            out[i] = ("case", sorted(ts & ptypes)[0])
            continue
        kmt_types = {t for t in ts if t.startswith(str(KMT))}
        agent = {t for t in kmt_types if FOAF_AGENT in superclasses.get(t, set())}
        if agent:
            k = most_specific(agent, superclasses)
            out[i] = ("actor", k)
            continue
        kind = next((v for k, v in by_class.items() if k in ts), None)
        if kind is None and i in ptypes:
            kind = "type"
        out[i] = (kind or "node", kind or "node")
    return out


def query_view(
    kg: KnowledgeGraph, query: str, params: Mapping[str, Any] | None, lang: str, allow_network: bool = False
) -> nx.DiGraph:
    """A SELECT with ?source ?target (+ optional labels, group, weight) or a CONSTRUCT, as a network."""
    if not query:
        raise ViewError("the query view needs a query: a library name, an .rq file or SPARQL text")
    res = kg.query(query, allow_network=allow_network, **dict(params or {}))
    g = nx.DiGraph(
        view="query", lang=lang, query=query if "\n" not in query and len(query) < 200 else "query"
    )
    title = _title("query")
    q = kg.library.get(query)
    if q is not None:
        title = {"id": q.get_title("id"), "en": q.get_title("en")}
    g.graph["title"] = title
    node_labels: dict[str, dict[str, str]] = defaultdict(dict)
    groups: dict[str, str] = {}
    terms: dict[str, Node] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add_edge(s: Node, t: Node, label: Node | str | None, weight: float | None) -> None:
        sid, tid = _node_id(s), _node_id(t)
        terms.setdefault(sid, s)
        terms.setdefault(tid, t)
        e = edges.setdefault((sid, tid), {"labels": [], "weight": 0.0, "count": 0})
        e["count"] += 1
        if weight is not None:
            e["weight"] += weight
        if label is not None and str(label) and str(label) not in [x[0] for x in e["labels"]]:
            e["labels"].append((str(label), label))

    if res.kind == "select":
        if "source" not in res.vars or "target" not in res.vars:
            raise ViewError(
                f"a query drawn as a network must SELECT ?source and ?target (it has: "
                f"{', '.join('?' + v for v in res.vars) or 'no variables'})"
            )
        for row in res.to_dicts():
            s, t = row.get("source"), row.get("target")
            if s is None or t is None:
                continue
            w = row.get("weight")
            weight = None
            if isinstance(w, Literal):
                try:
                    weight = float(w.toPython())
                except (TypeError, ValueError):
                    weight = None
            add_edge(s, t, row.get("edgeLabel"), weight)
            for var, node in (("sourceLabel", s), ("targetLabel", t)):
                lab = row.get(var)
                if isinstance(lab, Literal):
                    lang_tag = (lab.language or "").lower()[:2]
                    node_labels[_node_id(node)].setdefault(lang_tag, str(lab))
            if row.get("group") is not None:
                groups.setdefault(_node_id(s), str(row["group"]))
    elif res.kind == "graph":
        for s, p, o in res.rows:
            p = str(p)
            if p in (RDFS_LABEL, SKOS_PREFLABEL) and isinstance(o, Literal):
                node_labels[_node_id(s)].setdefault((o.language or "").lower()[:2], str(o))
                terms.setdefault(_node_id(s), s)
                continue
            if p == RDF_TYPE:
                groups.setdefault(_node_id(s), str(o))
                terms.setdefault(_node_id(s), s)
                continue
            if isinstance(o, Literal):
                continue  # literal values stay off the drawing
            add_edge(s, o, URIRef(p), None)
    else:
        raise ViewError(
            "an ASK query has no network to draw; use a SELECT with ?source ?target or a CONSTRUCT"
        )

    iris = [i for i, term in terms.items() if isinstance(term, URIRef)]
    edge_iris = {str(lab) for e in edges.values() for _t, lab in e["labels"] if isinstance(lab, URIRef)}
    labels = fetch_labels(kg, list(iris) + sorted(edge_iris) + sorted(set(groups.values())))
    kinds = _classify(kg, iris)
    for nid in sorted(terms):
        term = terms[nid]
        texts = {**labels.get(nid, {}), **node_labels.get(nid, {})}
        if isinstance(term, Literal):
            texts = texts or {"": str(term)}
        kind, group = kinds.get(nid, ("literal" if isinstance(term, Literal) else "node", ""))
        group = groups.get(nid, group or kind)
        g.add_node(
            nid,
            kind=kind,
            iri=str(term) if isinstance(term, URIRef) else "",
            **_label_attrs(texts, str(term) if isinstance(term, URIRef) else nid, lang),
            group=group,
        )
    for (sid, tid), e in sorted(edges.items()):
        ids, ens = [], []
        for text, term in e["labels"]:
            if isinstance(term, URIRef):
                b = both(labels.get(text), text)
            else:
                b = {"id": text, "en": text}
            ids.append(b["id"])
            ens.append(b["en"])
        weight = e["weight"] if e["weight"] else float(e["count"])
        g.add_edge(
            sid,
            tid,
            weight=int(weight) if float(weight).is_integer() else weight,
            label=" / ".join(ens if lang == "en" else ids),
            label_id=" / ".join(ids),
            label_en=" / ".join(ens),
        )
    g.graph["terms"] = {
        gr: both(labels.get(gr), gr)
        for gr in sorted(set(groups.values()))
        if gr.startswith(("http://", "https://", "urn:"))
    }
    return g


# --- entry point -------------------------------------------------------------------------


def build_view(
    kg: KnowledgeGraph,
    view: str,
    filters: Filters | None = None,
    lang: str = "en",
    *,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    allow_network: bool = False,
) -> nx.Graph:
    """The networkx graph of one view (see the module docstring)."""
    if view not in VIEWS:
        raise ViewError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if lang not in LANGS:
        raise ViewError(f"unknown language {lang!r}; choose id or en")
    filters = filters or Filters()
    if view in ("ontology", "query"):
        if not filters.is_empty():
            raise ViewError(f"filters ({filters.describe()}) do not apply to the {view} view")
        if view == "ontology":
            if query:
                raise ViewError("--query belongs to the query view")
            return ontology_view(kg, lang)
        return query_view(kg, query or "", params, lang, allow_network=allow_network)
    if query:
        raise ViewError(f"a query draws the query view, not the {view} view")
    model = load_model(kg)
    sel = select(model, filters)
    builder = {"stakeholders": stakeholders_view, "actors": actors_view, "concepts": concepts_view}[view]
    g = builder(model, sel, lang)
    g.graph["filters"] = filters.describe()
    used = {s for c in sel.cases.values() for s in c.sectors}
    g.graph["broader"] = {s: sorted(model.broader[s]) for s in sorted(used) if model.broader.get(s)}
    kinds = {model.actors[a].kind for a in sel.actors if model.actors[a].kind}
    g.graph["kind_ancestors"] = {
        k: sorted(model.superclasses.get(k, set()) & model.actor_kinds)
        for k in sorted(kinds)
        if model.superclasses.get(k, set()) & model.actor_kinds
    }
    if g.graph["kind_ancestors"]:
        g.graph["terms"].update(_terms(model, {a for v in g.graph["kind_ancestors"].values() for a in v}))
    return g


# --- export ------------------------------------------------------------------------------

EXPORT_FORMATS = ("graphml", "gexf", "json")


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _flat_copy(g: nx.Graph, rename: Mapping[str, str] | None = None) -> nx.Graph:
    """Lists, dicts and None turned into strings (GraphML and GEXF hold scalars only)."""
    rename = rename or {}
    out = g.__class__()
    out.graph.update({k: _scalar(v) for k, v in g.graph.items()})
    for n, d in g.nodes(data=True):
        out.add_node(n, **{rename.get(k, k): _scalar(v) for k, v in d.items()})
    for a, b, d in g.edges(data=True):
        out.add_edge(a, b, **{k: _scalar(v) for k, v in d.items()})
    return out


def export_text(g: nx.Graph, fmt: str) -> str:
    """The graph as GraphML, GEXF or node-link JSON (``nodes`` + ``links``, for D3)."""
    if fmt == "json":
        data = nx.node_link_data(g, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(_flat_copy(g))) + "\n"
    if fmt == "gexf":
        # GEXF reads node attributes "start"/"end" as time spells: keep the dates as plain data
        flat = _flat_copy(g, {"start": "start_date", "end": "end_date"})
        return "\n".join(nx.generate_gexf(flat)) + "\n"
    raise ViewError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def export_network(g: nx.Graph, path: Any, fmt: str) -> None:
    """Write ``export_text(g, fmt)`` to ``path`` atomically."""
    from .atomic import write_text

    write_text(path, export_text(g, fmt))


__all__ = [
    "EXPORT_FORMATS",
    "MEASURES",
    "VIEWS",
    "Analysis",
    "Filters",
    "analyze",
    "betweenness_centrality",
    "build_view",
    "communities",
    "components",
    "degree_centrality",
    "eigenvector_centrality",
    "export_network",
    "export_text",
    "load_model",
    "measure",
    "to_pyvis",
    "with_analytics",
]


def to_pyvis(graph: nx.Graph, **kw: Any):
    """A pyvis Network of ``graph`` (for notebooks); see ``kemitraan_graph.render.to_pyvis``."""
    from .render import to_pyvis as _to_pyvis

    return _to_pyvis(graph, **kw)
