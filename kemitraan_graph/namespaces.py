"""Every IRI prefix the project uses, in one place."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

KMT = Namespace("https://w3id.org/kemitraan/ontology#")
ONTOLOGY_IRI = "https://w3id.org/kemitraan/ontology"
ID = Namespace("https://w3id.org/kemitraan/id/")
GRAPH = Namespace("https://w3id.org/kemitraan/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SDG = Namespace("http://metadata.un.org/sdg/")
WD = Namespace("http://www.wikidata.org/entity/")
VANN = Namespace("http://purl.org/vocab/vann/")

#: the four kinds of partnership of the source text (IRIs as plain strings; the ontology may add more)
PARTNERSHIP_TYPES: tuple[str, ...] = tuple(
    str(KMT) + name
    for name in ("GovernmentPrivateCommunityPartnership", "TripleHelixPartnership",
                 "NGOGovernmentCommunityPartnership", "InternationalPartnership")
)

#: Named graphs the engine writes itself (never a user's file).
DERIVED_GRAPH = GRAPH["derived"]
INFERRED_GRAPH = GRAPH["inferred"]

#: Prefixes known to every query, CURIE parameter and serialisation.
PREFIXES: dict[str, str] = {
    "kmt": str(KMT),
    "case": str(ID) + "case/",
    "org_": str(ID) + "org/",
    "country": str(ID) + "country/",
    "person": str(ID) + "person/",
    "place": str(ID) + "place/",
    "agr": str(ID) + "agreement/",
    "out": str(ID) + "output/",
    "org": str(ORG),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "sdg": str(SDG),
    "wd": str(WD),
    "vann": str(VANN),
}

__all__ = [
    "DCTERMS", "DERIVED_GRAPH", "FOAF", "GRAPH", "ID", "INFERRED_GRAPH", "KMT",
    "ONTOLOGY_IRI", "ORG", "PARTNERSHIP_TYPES", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA", "SDG", "SH",
    "SKOS", "VANN", "WD", "XSD",
]
