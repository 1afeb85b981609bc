"""Alignment: every term we reuse from W3C ORG, PROV-O, SKOS, FOAF and DCTERMS exists in the
published vocabulary (the copies in ontology/imports/, written by others)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from .helpers import IMPORTS

VOCABS = {
    "http://www.w3.org/ns/org#": "org.ttl",
    "http://www.w3.org/ns/prov#": "prov-o.ttl",
    "http://www.w3.org/2004/02/skos/core#": "skos.ttl",
    "http://xmlns.com/foaf/0.1/": "foaf.ttl",
    "http://purl.org/dc/terms/": "dcterms.ttl",
}
EXTERNAL = IMPORTS


@pytest.fixture(scope="module")
def used_terms(kg) -> dict[str, set[URIRef]]:
    g = kg.merged()
    out: dict[str, set[URIRef]] = {ns: set() for ns in VOCABS}
    for triple in g:
        for term in triple:
            if isinstance(term, URIRef):
                for ns in VOCABS:
                    if term.startswith(ns) and len(term) > len(ns):
                        out[ns].add(term)
    return out


@pytest.mark.parametrize("ns, filename", list(VOCABS.items()), ids=list(VOCABS.values()))
def test_reused_terms_exist_in_the_published_vocabulary(used_terms, ns, filename):
    published = Graph().parse(EXTERNAL / filename)
    defined = {s for s in published.subjects() if isinstance(s, URIRef)}
    assert used_terms[ns], f"no {ns} term used at all?"
    assert sorted(t for t in used_terms[ns] if t not in defined) == []


def test_our_restated_org_axioms_agree_with_org(kg):
    """The ORG axioms kemitraan.ttl restates (it does not owl:imports) are really in ORG."""
    org = Graph().parse(EXTERNAL / "org.ttl")
    ours = kg.merged(data=False)
    ORG = "http://www.w3.org/ns/org#"
    restated = [(s, p, o) for s, p, o in ours if str(s).startswith(ORG) and str(o).startswith(
        ("http://www.w3.org/ns/org#", "http://xmlns.com/foaf/0.1/", "http://www.w3.org/2004/02/skos/core#"))
        and str(p) in ("http://www.w3.org/2000/01/rdf-schema#subClassOf", "http://www.w3.org/2002/07/owl#inverseOf")]
    assert restated
    for t in restated:
        assert t in org, t
