"""Derived shortcuts and RDFS / OWL-RL closure, each in its own named graph."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from .namespaces import DERIVED_GRAPH, INFERRED_GRAPH
from .store import Backend

REASONERS = ("rdfs", "owlrl")

#: kmt:hasPartner from the n-ary participations (the ontology's property chain). Only this
#: direction: ``?party kmt:partnerIn ?case`` triples would give hub actors thousands of triples
#: and slow every lookup on them (measured: 10x on top-actors); write ``^kmt:hasPartner`` instead.
_INSERT = f"""
DROP SILENT GRAPH <{DERIVED_GRAPH}> ;
INSERT {{ GRAPH <{DERIVED_GRAPH}> {{ ?case kmt:hasPartner ?party }} }}
"""
#: for stores whose update WHERE sees only the default graph (Oxigraph): join across all graphs
SHORTCUTS = _INSERT + "WHERE { GRAPH ?g1 { ?case kmt:hasParticipation ?p } GRAPH ?g2 { ?p org:member ?party } }"
#: for stores whose default graph is the union (rdflib Dataset(default_union=True)): much faster there
SHORTCUTS_UNION = _INSERT + "WHERE { ?case kmt:hasParticipation ?p . ?p org:member ?party }"


def derive_shortcuts(backend: Backend) -> None:
    """Materialise the direct party shortcut so simple queries stay simple."""
    backend.run_update(SHORTCUTS_UNION if backend.update_sees_union else SHORTCUTS)


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
    """Replace the inferred graph with the closure of ``merged``; returns its size."""
    new = closure(merged, reasoner)
    backend.drop_graph(str(INFERRED_GRAPH))
    backend.add_triples(new, str(INFERRED_GRAPH))
    return len(new)
