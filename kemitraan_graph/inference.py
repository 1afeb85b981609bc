"""Entailments: the derived graph every query sees, and the RDFS / OWL-RL closure on demand.

``derive`` materialises, at load time, the entailments that make ordinary queries right
(``?c a kmt:Partnership`` finds every case; ``?a a foaf:Agent`` every agent) into
``DERIVED_GRAPH`` and the union. ``closure`` computes a full RDFS or OWL-RL closure with owlrl,
for export; it never enters the store unless ``infer`` is asked for.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from .namespaces import DERIVED_GRAPH, INFERRED_GRAPH
from .store import Backend

REASONERS = ("rdfs", "owlrl")

def _rule(template: str, where: str) -> str:
    """An update that adds what ``where`` entails to the derived graph and to the union."""
    return (f"INSERT {{ GRAPH <{DERIVED_GRAPH}> {{ {template} }} {template} }} "
            f"WHERE {{ {where} FILTER NOT EXISTS {{ {template} }} }}")


_CHAIN = _rule("?case kmt:hasPartner ?party", "?case kmt:hasParticipation ?p . ?p org:member ?party")
_SUBPROPERTY = _rule("?s ?super ?o", "?sub rdfs:subPropertyOf+ ?super . FILTER(isIRI(?super) && ?sub != ?super) "
                     "?s ?sub ?o")
_INVERSE = _rule("?o ?q ?s", "{ ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } "
                 "FILTER(isIRI(?p) && isIRI(?q)) ?s ?p ?o . FILTER(!isLiteral(?o))")
_TYPES = _rule("?x a ?super", "?x a ?c . ?c rdfs:subClassOf+ ?super . FILTER(isIRI(?super) && ?c != ?super)")

#: the entailments every query sees (unless ``asserted``): the ontology's property chain
#: (``kmt:hasPartner``), sub-properties, inverse properties (twice round, since a sub-property's
#: inverse can be a super-property's), and rdf:type up ``rdfs:subClassOf``.
DERIVATION: tuple[str, ...] = (_CHAIN, _SUBPROPERTY, _INVERSE, _SUBPROPERTY, _INVERSE, _TYPES)


def derive(backend: Backend) -> None:
    """Replace the derived graph with the entailments of the loaded graphs (into the union too)."""
    backend.drop_graph(str(DERIVED_GRAPH))
    for update in DERIVATION:
        backend.run_update(update)


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
