"""The case/actor model of the stored data, read with a few SPARQL queries.

``load_vocabulary(reader)`` reads the class and concept hierarchies once; ``load_model(reader)``
adds the cases, their parties and the labels of everything they mention.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef

from ..namespaces import FOAF, KMT, PARTNERSHIP_TYPES, RDF
from ..reader import GraphReader
from ..terms import lang_key

FOAF_AGENT = str(FOAF.Agent)
RDF_TYPE = str(RDF.type)


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


@dataclass
class Vocabulary:
    """The hierarchies every view needs: partnership types, classes, broader concepts."""

    partnership_types: set[str]
    superclasses: dict[str, set[str]]  # class -> every superclass (transitive, not reflexive)
    broader: dict[str, set[str]]  # concept -> every broader concept (transitive, not reflexive)


def load_vocabulary(reader: GraphReader) -> Vocabulary:
    return Vocabulary(
        {str(t) for (t,) in reader.rows(_Q_PTYPES) if t is not None},
        _transitive((str(c), str(s)) for c, s in reader.rows(_Q_SUBCLASS)),
        _transitive((str(c), str(b)) for c, b in reader.rows(_Q_BROADER)),
    )


def load_model(reader: GraphReader, vocabulary: Vocabulary | None = None) -> Model:
    """Cases, parties and the vocabulary, read with a few SPARQL queries."""
    vocab = vocabulary or load_vocabulary(reader)
    ptypes, superclasses, broader = vocab.partnership_types, vocab.superclasses, vocab.broader

    cases: dict[str, Case] = {}
    for case, p, o in reader.rows(_Q_CASE_PROPS):
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
            c.description.setdefault(lang_key(o.language), value)
    for case, actor, role in reader.rows(_Q_PARTIES):
        if actor is None or str(actor) == str(case):
            continue
        c = cases.setdefault(str(case), Case(str(case)))
        roles = c.parties.setdefault(str(actor), set())
        if role is not None:
            roles.add(str(role))

    actors: dict[str, Actor] = {}
    for actor, p, o in reader.rows(_Q_ACTORS):
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
    for what, s in reader.rows(_Q_VOCAB):
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
    labels = reader.label_texts(mentioned)
    return Model(cases, actors, ptypes, superclasses, broader, sectors, countries, actor_kinds, labels)


def most_specific(kinds: set[str], superclasses: Mapping[str, set[str]]) -> str:
    """The class of ``kinds`` that no other of them is a subclass of (ties: alphabetical)."""
    if not kinds:
        return ""
    specific = [k for k in kinds if not any(k in superclasses.get(o, ()) for o in kinds if o != k)]
    return sorted(specific or kinds)[0]


def year_of(value: str) -> int | None:
    """The year a date-like literal starts with (``2016``, ``2016-07``, ``2016-07-21``)."""
    m = re.match(r"\s*(-?\d{4})", value)
    return int(m.group(1)) if m else None
