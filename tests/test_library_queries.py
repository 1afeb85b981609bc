"""Every library query against the bundled data, with its expected answer set.

The expected sets live in tests/expected/<query>.tsv (regenerate.py rewrites them after a deliberate
change; review the diff). Independent checks below recompute some answers straight from the files
with rdflib, so a wrong query cannot hide behind a regenerated snapshot.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from kemitraan_graph.namespaces import KMT, ORG, SCHEMA
from kemitraan_graph.querylib import discover

from .expected.regenerate import answer_lines
from .helpers import ROOT
from .test_data import DATA, KINDS

EXPECTED = Path(__file__).parent / "expected"
NAMES = sorted(discover())


def test_every_library_query_has_an_expected_answer_set():
    assert sorted(p.stem for p in EXPECTED.glob("*.tsv")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_library_query_answer(kg, name):
    res = kg.query(name)
    header, *rows = (EXPECTED / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    assert res.vars == header.split("\t")
    assert answer_lines(res) == rows


@pytest.fixture(scope="module")
def rdflib_kg():
    from kemitraan_graph import KnowledgeGraph

    with KnowledgeGraph.load(backend="rdflib") as kg:
        yield kg


# rdflib's own SPARQL engine takes minutes on the multi-join ones (triple-helix-parties: > 30 s
# on 9k triples), so the fallback backend is checked on the ones a notebook user runs most.
RDFLIB_SUBSET = ["cases-by-type", "cases-in-sector", "parties-of-case", "cases-of-actor", "benefits-claimed",
                 "roles-used", "sources-of-case", "cases-started-between", "top-actors", "financial-values"]


@pytest.mark.parametrize("name", RDFLIB_SUBSET)
def test_library_query_same_on_rdflib_backend(rdflib_kg, name):
    header, *rows = (EXPECTED / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    assert answer_lines(rdflib_kg.query(name)) == rows


@pytest.fixture(scope="module")
def files_graph() -> Graph:
    g = Graph()
    for f in DATA.rglob("*.ttl"):
        g.parse(f)
    return g


def test_cases_by_type_matches_folders(kg):
    got = {str(t): int(n) for t, n in kg.query("cases-by-type").rows}
    assert got == {str(cls): len(list((DATA / "cases" / k).glob("*.ttl"))) for k, cls in KINDS.items()}


def test_top_actors_matches_a_count_from_files(kg, files_graph):
    counts = Counter()
    for case in set(files_graph.subjects(KMT.hasParticipation, None)):
        for actor in {files_graph.value(p, ORG.member) for p in files_graph.objects(case, KMT.hasParticipation)}:
            counts[actor] += 1
    got = {row[0]: int(row[2]) for row in kg.query("top-actors").rows}
    assert got == {a: n for a, n in counts.items() if n >= 2}


def test_sources_of_case_matches_file(kg, files_graph):
    case = URIRef("https://w3id.org/kemitraan/id/case/umbulan-water-supply")
    got = {row[0] for row in kg.query("sources-of-case", case=str(case)).rows}
    assert got == set(files_graph.objects(case, DCTERMS.source)) and len(got) >= 2


def test_cases_in_country_default_is_indonesia(kg, files_graph):
    indonesia = URIRef("https://w3id.org/kemitraan/id/country/id")
    got = {row[0] for row in kg.query("cases-in-country").rows}
    expected = {c for c in files_graph.subjects(KMT.country, indonesia)
                if (c, KMT.hasParticipation, None) in files_graph}
    assert got == expected


def test_cases_in_sector_includes_narrower_sectors(kg):
    infra = {row[0] for row in kg.query("cases-in-sector").rows}
    ports = {row[0] for row in kg.query("cases-in-sector", sector="kmt:sector-port").rows}
    toll = {row[0] for row in kg.query("cases-in-sector", sector="kmt:sector-toll-road").rows}
    assert ports and toll and ports | toll <= infra


def test_cases_started_between_respects_bounds(kg, files_graph):
    rows = kg.query("cases-started-between", **{"from": "2000", "to": "2010"}).rows
    assert rows, "the bundled data has cases that started in 2000-2010"
    for row in rows:
        assert 2000 <= int(str(row[1])[:4]) <= 2010
    expected = {c for c in files_graph.subjects(KMT.hasParticipation, None)
                for d in files_graph.objects(c, SCHEMA.startDate) if 2000 <= int(str(d)[:4]) <= 2010}
    assert {row[0] for row in rows} == expected


def test_case_types_are_the_four_kinds(files_graph):
    cases = set(files_graph.subjects(KMT.hasParticipation, None))
    assert len(cases) >= 60
    for case in cases:
        kinds = set(files_graph.objects(case, RDF.type)) & set(KINDS.values())
        assert len(kinds) == 1, case


def test_competency_questions_document_lists_every_query():
    text = (ROOT / "ontology" / "competency-questions.md").read_text(encoding="utf-8")
    for name, q in discover().items():
        assert f"queries/{name}.rq" in text and q.get_title("id") in text, name
    assert len(discover()) >= 20
