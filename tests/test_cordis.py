"""The CORDIS Horizon 2020 mapping of ``examples/cordis/``: on the shipped 29-row fixture, and on the
shipped 1,000-row sample of the real files (tests/fixtures/cordis-1000)."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import itertools
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.namespaces import KMT

from .helpers import FIXTURES, ROOT

FIXTURE = FIXTURES / "cordis"
#: the first 1,000 participation rows of the real file, and the organisation rows they need
SAMPLE = FIXTURES / "cordis-1000"
ID = "https://w3id.org/kemitraan/id/"
KIND = {"HES": KMT.University, "REC": KMT.ResearchInstitute, "PRC": KMT.Company, "PUB": KMT.GovernmentBody,
        "OTH": KMT.NGO}
ROLE = {"coordinator": KMT["role-coordinator"], "participant": KMT["role-member"],
        "partner": KMT["role-technical-partner"]}


@pytest.fixture(scope="module")
def cordis():
    spec = importlib.util.spec_from_file_location("build_cordis", ROOT / "examples" / "cordis" / "build_cordis.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_cordis"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("build_cordis", None)


def raw_rows(folder: Path, limit: int | None = None) -> list[dict[str, str]]:
    with gzip.open(folder / "eunets_h2020_participations.csv.gz", "rt", newline="", encoding="utf-8") as f:
        return list(itertools.islice(csv.DictReader(f), limit))


def expected_kinds(rows) -> dict[str, URIRef]:
    """Triple helix = (HES or REC) and PRC and PUB among the project's parties; computed here from
    the raw rows, apart from the script (an organisation's type in this sample is its row's type)."""
    types = defaultdict(set)
    for r in rows:
        types[r["rcn"]].add(r["type"])
    return {rcn: KMT.TripleHelixPartnership if t & {"HES", "REC"} and {"PRC", "PUB"} <= t
            else KMT.ResearchInnovationPartnership for rcn, t in types.items()}


def case(rcn: str) -> URIRef:
    return URIRef(f"{ID}case/cordis-h2020-{rcn}")


def test_fixture_maps_every_row(cordis, tmp_path):
    out = tmp_path / "cordis.nt"
    report = cordis.build(FIXTURE, out)
    g = Graph().parse(out, format="nt")
    rows = raw_rows(FIXTURE)
    kinds = expected_kinds(rows)
    assert len(rows) == 29 == report.participations and report.projects == 7
    assert {rcn: g.value(case(rcn), RDF.type) for rcn in kinds} == kinds
    assert sorted(k for k, v in kinds.items() if v == KMT.TripleHelixPartnership) == ["207676", "213154"]
    for r in rows:
        member = URIRef(f"{ID}org/cordis-pic-{r['pic']}")
        roles = {role for p in g.objects(case(r["rcn"]), KMT.hasParticipation) if (p, ORG.member, member) in g
                 for role in g.objects(p, ORG.role)}
        assert ROLE[r["role"]] in roles
        assert (member, RDF.type, KIND[r["type"]]) in g
        code = {"EL": "gr", "UK": "gb"}.get(r["country"], r["country"].lower())
        assert (member, KMT.country, URIRef(f"{ID}country/{code}")) in g
    for rcn in kinds:
        assert (case(rcn), DCTERMS.source, URIRef(f"https://cordis.europa.eu/project/rcn/{rcn}")) in g
        assert (case(rcn), DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
        assert "CORDIS / European Commission" in str(g.value(case(rcn), DCTERMS.rights))
    assert g.value(case("196112"), URIRef("https://schema.org/endDate")) is None  # end year NA
    text = out.read_text(encoding="utf-8")
    assert "CentraleSupélec" in text and "√" not in text and "country/el>" not in text
    assert {"from": "CentraleSup√©lec", "to": "CentraleSupélec"}.items() <= next(
        r for r in report.repaired if r["to"] == "CentraleSupélec").items()
    assert not report.unrepaired and out.with_suffix(".report.json").is_file()


def test_fixture_loads_queries_and_shows_what_shacl_misses(cordis, tmp_path):
    out = tmp_path / "cordis.nt"
    cordis.build(FIXTURE, out)
    with KnowledgeGraph.load([out], bundled=False) as kg:
        def counts(query):
            return {str(r["type"]).rsplit("#")[-1]: int(r["cases"]) for r in kg.query(query).to_dicts()}

        assert counts("cases-by-type") == {"TripleHelixPartnership": 2}  # the four kinds of the source text
        assert counts(str(ROOT / "examples" / "cordis" / "cases-by-class.rq")) == {
            "TripleHelixPartnership": 2, "ResearchInnovationPartnership": 5}
        stats = kg.stats(top=3)
        assert stats["triples"] > 300
        shapes = {v.shape for v in kg.validate().violations}
    # what a project record of CORDIS cannot satisfy: no description, a kind outside the four,
    # one-party projects; nothing else
    assert shapes <= {"kmt:PartnershipDescriptionShape", "kmt:PartnershipKindShape",
                      "kmt:PartnershipParticipationShape", "kmt:PartnershipPartiesShape", None}
    assert "kmt:PartnershipDescriptionShape" in shapes


@pytest.mark.slow
def test_sample_of_1000_rows(cordis, tmp_path):
    out = tmp_path / "sample.nt"
    report = cordis.build(SAMPLE, out, limit=1000)
    rows = raw_rows(SAMPLE, 1000)
    kinds = expected_kinds(rows)
    assert report.participations == 1000 and report.projects == len(kinds) and not report.skipped
    g = Graph().parse(out, format="nt")
    got = {rcn: g.value(case(rcn), RDF.type) for rcn in kinds}
    # an organisation takes its most frequent type; in this sample each keeps the type of its rows
    assert got == kinds
    assert sum(1 for _ in g.subject_objects(KMT.hasParticipation)) == len({(r["rcn"], r["pic"]) for r in rows})
    assert "√" not in out.read_text(encoding="utf-8") and len(report.repaired) > 300


def test_script_refuses_a_folder_without_the_files(cordis, tmp_path, capsys):
    assert cordis.main(["--source", str(tmp_path), "-o", str(tmp_path / "x.nt")]) == 2
    assert "no CORDIS participations file" in capsys.readouterr().err and not (tmp_path / "x.nt").exists()
    assert cordis.main(["--source", str(FIXTURE), "-o", str(tmp_path / "x.nt")]) == 0
    first = (tmp_path / "x.nt").read_bytes()
    assert cordis.main(["--source", str(FIXTURE), "-o", str(tmp_path / "x.nt")]) == 0
    assert (tmp_path / "x.nt").read_bytes() == first  # stable: a persistent store sees no change
