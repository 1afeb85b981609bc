"""The bundled data set: counts, sources, one IRI per real actor, validates clean."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from urllib.parse import urlparse

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kemitraan_graph.loading import bundled_root
from kemitraan_graph.namespaces import KMT, ORG

DATA = bundled_root() / "data"
KINDS = {
    "government-private-community": KMT.GovernmentPrivateCommunityPartnership,
    "triple-helix": KMT.TripleHelixPartnership,
    "ngo-government-community": KMT.NGOGovernmentCommunityPartnership,
    "international": KMT.InternationalPartnership,
}
INDONESIA = URIRef("https://w3id.org/kemitraan/id/country/id")
ACTOR_KINDS = [KMT[k] for k in ("Individual", "Country", "GovernmentBody", "Company", "StateOwnedEnterprise",
                                "Consortium", "University", "ResearchInstitute", "NGO", "CommunityGroup",
                                "InternationalOrganisation", "BusinessAssociation")]


@pytest.fixture(scope="module")
def data(kg) -> Graph:
    return kg.merged(ontology=False)


def cases(g: Graph) -> set[URIRef]:
    return set(g.subjects(KMT.hasParticipation, None))


def test_at_least_60_cases_and_12_of_each_kind(data):
    per_kind = {k: {c for c in cases(data) if (c, RDF.type, cls) in data} for k, cls in KINDS.items()}
    assert len(cases(data)) >= 60
    for kind, found in per_kind.items():
        assert len(found) >= 12, kind
        # each kind's files live in their own folder
        files = list((DATA / "cases" / kind).glob("*.ttl"))
        assert len(files) == len(found), kind


def test_half_in_indonesia_and_a_quarter_outside(data):
    all_cases = cases(data)
    inside = {c for c in all_cases if (c, KMT.country, INDONESIA) in data}
    assert len(inside) * 2 >= len(all_cases)
    assert (len(all_cases) - len(inside)) * 4 >= len(all_cases)
    # "outside" means no Indonesian party either
    outside = all_cases - inside
    for c in outside:
        for p in data.objects(c, KMT.hasParticipation):
            assert data.value(p, ORG.member) != INDONESIA, c


def test_every_case_has_wellformed_http_sources(data):
    for c in cases(data):
        sources = list(data.objects(c, DCTERMS.source))
        assert sources, c
        for s in sources:
            assert isinstance(s, URIRef), (c, s)
            u = urlparse(str(s))
            assert u.scheme in ("http", "https") and "." in u.netloc and not u.netloc.endswith("."), (c, s)
            assert ":" not in u.netloc or u.port in (80, 443), (c, s)


def test_every_case_file_names_its_sources_in_its_header():
    for f in (DATA / "cases").rglob("*.ttl"):
        text = f.read_text(encoding="utf-8")
        header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
        assert "Sources" in header or "Source" in header, f
        g = Graph().parse(f)
        for c in cases(g):
            for s in g.objects(c, DCTERMS.source):
                assert str(s) in header, (f.name, str(s))


def normalise(label: str) -> str:
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\((persero|tbk)\)|\b(pt|tbk|persero|ltd|inc|plc)\b", " ", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def duplicates(g: Graph) -> list[tuple]:
    seen: dict[tuple, set] = defaultdict(set)
    for kind in ACTOR_KINDS:
        for actor in g.subjects(RDF.type, kind):
            for label in g.objects(actor, RDFS.label):
                seen[(kind, label.language, normalise(str(label)))].add(actor)
    return [(k, sorted(v)) for k, v in seen.items() if len(v) > 1]


def test_no_two_actors_of_a_kind_share_a_normalised_label(data):
    assert duplicates(data) == []


def test_duplicate_check_catches_near_duplicates():
    g = Graph().parse(data="""@prefix kmt: <https://w3id.org/kemitraan/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/kemitraan/id/org/a> a kmt:StateOwnedEnterprise ; rdfs:label "PT Jasa Marga (Persero) Tbk"@id .
        <https://w3id.org/kemitraan/id/org/b> a kmt:StateOwnedEnterprise ; rdfs:label "Jasa Marga"@id .""",
                         format="turtle")
    assert len(duplicates(g)) == 1


def test_every_actor_is_defined_once_with_one_kind(data):
    used = {o for o in data.objects(None, ORG.member)} | set(data.objects(None, KMT.signatory))
    for actor in used:
        kinds = [k for k in data.objects(actor, RDF.type) if k in ACTOR_KINDS]
        assert len(kinds) == 1, (actor, kinds)
        langs = sorted(label.language for label in data.objects(actor, RDFS.label))
        assert langs == ["en", "id"], (actor, langs)
    files_defining = defaultdict(set)
    for f in (DATA / "actors").glob("*.ttl"):
        for s in Graph().parse(f).subjects(RDF.type, None):
            files_defining[s].add(f.name)
    assert {s: f for s, f in files_defining.items() if len(f) > 1} == {}


def test_bundled_data_validates_clean(kg):
    report = kg.validate()
    assert report.conforms, report.to_text()


def test_stats_shows_the_counts(kg):
    s = kg.stats()
    per_type = {row["iri"]: row["count"] for row in s["partnership_types"]}
    assert all(per_type[str(cls)] >= 12 for cls in KINDS.values())
    assert s["cases"] >= 60
