"""Entailments: the derived graph every query sees, and the RDFS / OWL-RL closure on demand.

``derive`` materialises, at load time, the entailments that make ordinary queries right
(``?c a kmt:Partnership`` finds every case; ``?a a foaf:Agent`` every agent) into the union
(and ``DERIVED_GRAPH``, unless the store ``derives_into_union``: then that graph is the union's
triples that no file states). ``closure`` computes a full RDFS or OWL-RL closure with owlrl,
for export; it never enters the store unless ``infer`` is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from .namespaces import DERIVED_GRAPH, INFERRED_GRAPH
from .store import Backend

REASONERS = ("rdfs", "owlrl")

@dataclass(frozen=True)
class Rule:
    """An entailment as a SPARQL update that adds what ``where`` entails to the union (and, with
    ``named``, to the derived graph). With ``split`` (a variable of ``where``, and ``split_where``:
    the pattern that finds its values), the rule runs once per value (a VALUES clause), so that the
    engine never holds every new triple of a large rule at once (at 30k cases, rdf:type up the
    class tree adds a million triples; in one update its peak memory was 190 MB above the store's)."""

    template: str
    where: str
    split: str | None = None
    split_where: str = ""

    @property
    def split_query(self) -> str:
        """The SELECT of the values ``split`` takes."""
        return f"SELECT DISTINCT {self.split} {{ {self.split_where} }}"

    def update(self, values: str = "", *, named: bool = True) -> str:
        derived = f"GRAPH <{DERIVED_GRAPH}> {{ {self.template} }} " if named else ""
        return (f"INSERT {{ {derived}{self.template} }} "
                f"WHERE {{ {values} {self.where} FILTER NOT EXISTS {{ {self.template} }} }}")


_CHAIN = Rule("?case kmt:hasPartner ?party", "?case kmt:hasParticipation ?p . ?p org:member ?party")
_SUBPROPERTY = Rule("?s ?super ?o", "?sub rdfs:subPropertyOf+ ?super . FILTER(isIRI(?super) && ?sub != ?super) "
                    "?s ?sub ?o",
                    "?sub", "?sub rdfs:subPropertyOf+ ?super . FILTER(isIRI(?sub) && isIRI(?super) && ?sub != ?super)")
_INVERSE = Rule("?o ?q ?s", "{ ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } "
                "FILTER(isIRI(?p) && isIRI(?q)) ?s ?p ?o . FILTER(!isLiteral(?o))",
                "?p", "{ ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } FILTER(isIRI(?p) && isIRI(?q))")
_TYPES = Rule("?x a ?super", "?x a ?c . ?c rdfs:subClassOf+ ?super . FILTER(isIRI(?super) && ?c != ?super)",
              "?c", "?c rdfs:subClassOf+ ?super . FILTER(isIRI(?c) && isIRI(?super) && ?c != ?super)")

#: the entailments every query sees (unless ``asserted``): the ontology's property chain
#: (``kmt:hasPartner``), sub-properties, inverse properties (twice round, since a sub-property's
#: inverse can be a super-property's), and rdf:type up ``rdfs:subClassOf``.
RULES: tuple[Rule, ...] = (_CHAIN, _SUBPROPERTY, _INVERSE, _SUBPROPERTY, _INVERSE, _TYPES)
#: the same rules, each as one update (no split)
DERIVATION: tuple[str, ...] = tuple(rule.update() for rule in RULES)


def derivation_updates(select: Callable[[str], Iterable[str]], *, named: bool = True) -> Iterator[str]:
    """The updates of :data:`RULES` in order, split rules once per value; ``select(query)`` gives the
    IRIs a split's SELECT finds (it runs when the update before it has been applied). ``named``:
    the derived triples go to ``DERIVED_GRAPH`` as well as the union."""
    for rule in RULES:
        if rule.split is None:
            yield rule.update(named=named)
            continue
        for iri in sorted(select(rule.split_query)):
            yield rule.update(f"VALUES {rule.split} {{ <{iri}> }}", named=named)


def derive(backend: Backend) -> None:
    """Replace the derived entailments with those of the loaded graphs (see the module's doc)."""
    backend.drop_graph(str(DERIVED_GRAPH))

    def select(query: str) -> list[str]:
        return [str(row[0]) for row in backend.execute(query).rows if isinstance(row[0], URIRef)]

    for update in derivation_updates(select, named=not backend.derives_into_union):
        backend.run_update(update)
    backend.mark_derived()


def drop_derived(backend: Backend) -> None:
    """Asserted triples only: no derived graph."""
    backend.drop_graph(str(DERIVED_GRAPH))


def closure(graph: Graph, reasoner: str = "owlrl") -> Graph:
    """The triples that RDFS or OWL-RL entails from ``graph`` and that it does not already hold."""
    import owlrl

    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}; choose one of {', '.join(REASONERS)}")
    semantics = owlrl.OWLRL_Semantics if reasoner == "owlrl" else owlrl.RDFS_Semantics
    work = Graph()
    for t in graph:
        work.add(t)
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    new = Graph()
    for t in work:
        # owlrl works in generalised RDF (literals as subjects); keep only RDF triples
        if t not in graph and not isinstance(t[0], Literal) and isinstance(t[1], URIRef):
            new.add(t)
    return new


def infer(backend: Backend, merged: Graph, reasoner: str = "owlrl") -> int:
    """Store the closure of ``merged`` in ``INFERRED_GRAPH`` (and the union): later queries see it."""
    new = closure(merged, reasoner)
    backend.drop_graph(str(INFERRED_GRAPH))
    backend.add_triples(new, str(INFERRED_GRAPH))
    return len(new)
