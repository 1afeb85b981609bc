"""The ontology: parses, bilingual, consistent under OWL-RL, closed vocabulary, covers the source text."""

from __future__ import annotations

import csv

import owlrl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kemitraan_graph.loading import ontology_files
from kemitraan_graph.namespaces import KMT, ONTOLOGY_IRI
from kemitraan_graph.resources import shapes_path

from .helpers import FIXTURES, IMPORTS

SHAPES_FIXTURES = FIXTURES / "shapes"
OWLRL_ERROR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#").error
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, SKOS.Concept,
              SKOS.ConceptScheme)

# Every concept of the source text (konsep-kemitraan, the Indonesian text the project starts from), in its own wording
SEED_CONCEPTS = [
    # definition
    "kemitraan", "individu", "organisasi", "negara", "karakteristik", "manfaat",
    # four characteristics and their parts
    "kesepakatan bersama", "tujuan", "peran", "tanggung jawab", "pembagian hasil", "komitmen", "kepercayaan",
    "komunikasi", "koordinasi", "evaluasi", "penyelesaian masalah",
    # five benefits
    "kapasitas dan sumber daya", "efisiensi dan efektivitas", "inovasi dan kreativitas", "jangkauan",
    "dampak positif", "reputasi", "citra",
    # four kinds of example, their parties and sectors
    "pemerintah", "swasta", "masyarakat", "infrastruktur", "jalan tol", "bandara", "pelabuhan",
    "perguruan tinggi", "industri", "ilmu pengetahuan", "teknologi", "inovasi", "riset", "paten", "start-up",
    "organisasi non-pemerintah", "kemiskinan", "lingkungan hidup", "hak asasi manusia",
    "antarnegara", "regional", "global", "perdagangan", "keamanan", "kesehatan",
]


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    for f in ontology_files():
        g.parse(f)
    return g


def kmt_terms(g: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in g.subjects(RDF.type, t)
            if isinstance(s, URIRef) and s.startswith(str(KMT))}


def test_header(onto):
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) and onto.value(o, OWL.versionInfo)
    assert str(onto.value(o, URIRef("http://purl.org/dc/terms/license"))).startswith(
        "https://creativecommons.org/licenses/by/4.0")
    titles = {t.language for t in onto.objects(o, URIRef("http://purl.org/dc/terms/title"))}
    assert titles == {"id", "en"}


def test_every_term_has_both_labels_and_definitions(onto):
    terms = kmt_terms(onto)
    assert len(terms) > 100
    missing = []
    for t in sorted(terms):
        for prop in (RDFS.label, SKOS.definition):
            langs = sorted(o.language for o in onto.objects(t, prop) if isinstance(o, Literal))
            if langs != ["en", "id"]:
                missing.append(f"{t} {prop} {langs}")
        if onto.value(t, RDFS.isDefinedBy) is None:
            missing.append(f"{t} rdfs:isDefinedBy")
        if (t, RDF.type, SKOS.Concept) in onto:
            if sorted(o.language for o in onto.objects(t, SKOS.prefLabel)) != ["en", "id"]:
                missing.append(f"{t} skos:prefLabel")
    assert missing == []


@pytest.mark.parametrize("phrase", SEED_CONCEPTS)
def test_every_concept_of_the_source_text_has_an_indonesian_label(onto, phrase):
    labels = [str(o).lower() for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
              for s, o in onto.subject_objects(p)
              if isinstance(o, Literal) and o.language == "id" and str(s).startswith(str(KMT))]
    assert any(phrase in label for label in labels), phrase


def test_the_four_kinds_are_classes_and_concepts(onto):
    scheme = KMT.PartnershipTypeScheme
    kinds = set(onto.subjects(SKOS.inScheme, scheme))
    assert kinds == {KMT.GovernmentPrivateCommunityPartnership, KMT.TripleHelixPartnership,
                     KMT.NGOGovernmentCommunityPartnership, KMT.InternationalPartnership}
    for k in kinds:
        assert (k, RDF.type, OWL.Class) in onto and (k, RDFS.subClassOf, KMT.Partnership) in onto


def test_partnership_is_not_an_organisational_collaboration(onto):
    org = Namespace("http://www.w3.org/ns/org#")
    assert (KMT.Partnership, RDFS.subClassOf, org.OrganizationalCollaboration) not in onto
    assert (KMT.Partnership, RDFS.subClassOf, org.Organization) in onto


def owlrl_problems(g: Graph) -> list[str]:
    work = Graph()
    for t in g:
        work.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(work)
    return [str(o) for o in work.objects(None, OWLRL_ERROR)] + [
        f"{s} a owl:Nothing" for s in work.subjects(RDF.type, OWL.Nothing)]


@pytest.mark.slow
def test_owlrl_closure_of_ontology_and_data_is_consistent(kg):
    assert owlrl_problems(kg.merged()) == []


def test_owlrl_detects_a_disjointness_clash(onto):
    clash = Graph().parse(data="""@prefix kmt: <https://w3id.org/kemitraan/ontology#> .
        <https://w3id.org/kemitraan/id/org/test-both> a kmt:Company , kmt:NGO .""", format="turtle")
    assert owlrl_problems(onto + clash) != []


def test_closed_vocabulary_on_bundled_data(kg):
    from kemitraan_graph.validation import undefined_terms

    assert undefined_terms(kg.merged(ontology=False), kg.merged(data=False)) == []


def test_closed_vocabulary_check_fires(small_kg):
    from kemitraan_graph.validation import undefined_terms

    bad = Graph().parse(data="""@prefix kmt: <https://w3id.org/kemitraan/ontology#> .
        <https://w3id.org/kemitraan/id/case/x> kmt:sector kmt:sector-moonbase .""", format="turtle")
    found = undefined_terms(bad, small_kg.merged(data=False))
    assert [v.value for v in found] == ["kmt:sector-moonbase"]


def test_shapes_conform_to_shacl_shacl():
    import pyshacl

    shapes = Graph().parse(shapes_path())
    meta = Graph().parse(IMPORTS / "shacl-shacl.ttl")
    conforms, _g, text = pyshacl.validate(shapes, shacl_graph=meta)
    assert conforms, text


def manifest():
    with (SHAPES_FIXTURES / "MANIFEST.tsv").open() as f:
        return [pytest.param(*row, id=row[0]) for row in csv.reader(f, delimiter="\t") if row]


@pytest.fixture(scope="module")
def ontology_graph():
    from kemitraan_graph import KnowledgeGraph

    with KnowledgeGraph.load([], bundled=False) as kg:
        yield kg.merged()


def violations_of(path, ontology_graph):
    from kemitraan_graph import KnowledgeGraph

    with KnowledgeGraph.load([path], bundled=False) as kg:
        return kg.validate()


def test_good_fixture_conforms(ontology_graph):
    report = violations_of(SHAPES_FIXTURES / "good.ttl", ontology_graph)
    assert report.conforms, report.to_text()


@pytest.mark.parametrize("name, shape, focus", manifest())
def test_each_shape_fires_on_its_bad_fixture(name, shape, focus, ontology_graph):
    report = violations_of(SHAPES_FIXTURES / name, ontology_graph)
    assert not report.conforms
    short_shape = "kmt:" + shape.rsplit("#", 1)[1]
    short_focus = "case:" + focus.rsplit("/", 1)[1] if "/id/case/" in focus else None
    hits = [v for v in report.violations if v.shape == short_shape]
    assert hits, report.to_text()
    if short_focus:
        assert short_focus in {v.focus for v in hits}
    for v in hits:  # messages in both languages
        assert set(v.message) >= {"en", "id"} or v.shape is None, v
