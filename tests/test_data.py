"""The bundled data set: counts, sources, one IRI per real actor, validates clean."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from urllib.parse import urlparse

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from kemitraan_graph.namespaces import KMT, ORG, SCHEMA
from kemitraan_graph.resources import bundled_root

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


def test_at_least_126_cases_and_25_of_each_kind(data):
    per_kind = {k: {c for c in cases(data) if (c, RDF.type, cls) in data} for k, cls in KINDS.items()}
    assert len(cases(data)) >= 126
    for kind, found in per_kind.items():
        assert len(found) >= 25, kind
        # each kind's files live in their own folder
        files = list((DATA / "cases" / kind).glob("*.ttl"))
        assert len(files) == len(found), kind


def test_sixty_percent_in_indonesia_and_a_quarter_outside(data):
    all_cases = cases(data)
    inside = {c for c in all_cases if (c, KMT.country, INDONESIA) in data}
    assert len(inside) * 5 >= len(all_cases) * 3
    assert (len(all_cases) - len(inside)) * 4 >= len(all_cases)
    # "outside" means no Indonesian party either
    outside = all_cases - inside
    for c in outside:
        for p in data.objects(c, KMT.hasParticipation):
            assert data.value(p, ORG.member) != INDONESIA, c


ISO_PROVINCE_CASES = """PREFIX kmt: <https://w3id.org/kemitraan/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?code (COUNT(DISTINCT ?case) AS ?n) WHERE {
    ?case kmt:hasParticipation ?p ; kmt:place ?place .
    { ?place dcterms:identifier ?code } UNION { ?place schema:containedInPlace/dcterms:identifier ?code }
    FILTER(STRSTARTS(STR(?code), "ID-")) } GROUP BY ?code"""


def test_cases_in_all_38_indonesian_provinces(data):
    # a province is a place with an ISO 3166-2:ID code (data/places/coordinates.ttl, written by data/tools/gazetteer.py)
    provinces = {str(row[0]) for row in data.query(ISO_PROVINCE_CASES)}
    assert len(provinces) >= 38, sorted(provinces)


def test_every_country_has_its_iso_3166_code(data):
    for country in set(data.subjects(RDF.type, KMT.Country)):
        codes = {str(c) for c in data.objects(country, DCTERMS.identifier)}
        assert codes == {str(country).rsplit("/", 1)[1].upper()}, (country, codes)


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
    assert all(per_type[str(cls)] >= 25 for cls in KINDS.values())
    assert s["cases"] >= 126


# ---------------------------------------------------------------------------------------------------------------
# Issue #14: one node per organisation, typed alike, labelled in both languages (rules in data/README.md)
# ---------------------------------------------------------------------------------------------------------------

PREFIXES = """PREFIX kmt: <https://w3id.org/kemitraan/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org_: <https://w3id.org/kemitraan/id/org/>
"""
ORG_NS = "https://w3id.org/kemitraan/id/org/"
COUNTRY_NS = "https://w3id.org/kemitraan/id/country/"


def rows(g: Graph, query: str) -> list[tuple]:
    return sorted(tuple(str(v) for v in row) for row in g.query(PREFIXES + query))


def test_every_participation_party_is_defined_in_exactly_one_file(data):
    defining = defaultdict(set)
    for f in DATA.rglob("*.ttl"):
        for s in Graph().parse(f).subjects(RDF.type, None):
            defining[s].add(f.relative_to(DATA).as_posix())
    parties = {data.value(p, ORG.member) for c in cases(data) for p in data.objects(c, KMT.hasParticipation)}
    assert None not in parties
    assert {str(a): sorted(defining[a]) for a in parties if len(defining[a]) != 1} == {}


def test_every_amount_has_exactly_one_currency(data):
    assert rows(data, """SELECT ?amount ?n WHERE {
        { SELECT ?amount (COUNT(DISTINCT ?cur) AS ?n) WHERE {
            { ?x kmt:financialValue ?amount } UNION { ?amount a schema:MonetaryAmount }
            OPTIONAL { ?amount schema:currency ?cur } } GROUP BY ?amount }
        FILTER(?n != 1) }""") == []


# --- labels ------------------------------------------------------------------------------------------------------

def documented_proper_names() -> set[str]:
    """The list in data/README.md between <!-- proper-names ... --> and <!-- /proper-names -->."""
    text = (DATA / "README.md").read_text(encoding="utf-8")
    start, end = text.index("<!-- proper-names"), text.index("<!-- /proper-names -->")
    names = set()
    for prefix, local in re.findall(r"`(org_|country):([a-z0-9-]+)`", text[start:end]):
        names.add((ORG_NS if prefix == "org_" else COUNTRY_NS) + local)
    return names


def label_pairs_that_must_differ(g: Graph, proper: set[str]) -> list[tuple]:
    company = {KMT.Company, KMT.StateOwnedEnterprise, KMT.Consortium}
    bad = []
    for kind in ACTOR_KINDS:
        if kind in company:
            continue
        for actor in g.subjects(RDF.type, kind):
            labels = {lbl.language: str(lbl) for lbl in g.objects(actor, RDFS.label)}
            if labels.get("id") is not None and labels.get("id") == labels.get("en") and str(actor) not in proper:
                bad.append((str(actor), labels["id"]))
    return sorted(bad)


def test_indonesian_labels_differ_from_english_unless_a_documented_proper_name(data):
    proper = documented_proper_names()
    assert len(proper) > 20  # the README list was found and read
    assert label_pairs_that_must_differ(data, proper) == []


def test_label_check_catches_an_untranslated_label():
    g = Graph().parse(data="""@prefix kmt: <https://w3id.org/kemitraan/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/kemitraan/id/org/x> a kmt:GovernmentBody ;
            rdfs:label "Global Environment Facility"@id , "Global Environment Facility"@en .
        <https://w3id.org/kemitraan/id/org/y> a kmt:Company ; rdfs:label "PT Y"@id , "PT Y"@en .""", format="turtle")
    assert [a for a, _ in label_pairs_that_must_differ(g, set())] == ["https://w3id.org/kemitraan/id/org/x"]
    assert label_pairs_that_must_differ(g, {"https://w3id.org/kemitraan/id/org/x"}) == []


def test_documented_proper_names_are_actors(data):
    assert {n for n in documented_proper_names() if (URIRef(n), RDF.type, None) not in data} == set()


def test_ngo_government_community_participations_have_indonesian_texts(data):
    assert rows(data, """SELECT ?case ?prop ?text WHERE {
        ?case a kmt:NGOGovernmentCommunityPartnership ; kmt:hasParticipation ?p .
        VALUES ?prop { kmt:responsibility kmt:contribution }
        ?p ?prop ?text . FILTER(LANG(?text) = "en")
        FILTER NOT EXISTS { ?p ?prop ?other . FILTER(LANG(?other) = "id") } }""") == []


# --- renames and mergers -------------------------------------------------------------------------------------------

def test_renames_and_mergers_are_reachable_from_both_names(data):
    events = set(data.subjects(RDF.type, ORG.ChangeEvent))
    assert len(events) >= 7
    actor_kinds = set(ACTOR_KINDS)
    for e in events:
        old, new = set(data.objects(e, ORG.originalOrganization)), set(data.objects(e, ORG.resultingOrganization))
        assert old and new and not old & new, e
        assert data.value(e, DCTERMS.date) is not None and data.value(e, DCTERMS.source) is not None, e
        for o in old:
            assert (o, ORG.changedBy, e) in data, (o, e)
        for n in new:
            assert (n, ORG.resultedFrom, e) in data, (n, e)
        for a in old | new:
            assert set(data.objects(a, RDF.type)) & actor_kinds, a
    # and every changedBy / resultedFrom points at an event that names the organisation
    assert rows(data, """SELECT ?o ?e WHERE {
        { ?o org:changedBy ?e FILTER NOT EXISTS { ?e org:originalOrganization ?o } }
        UNION { ?o org:resultedFrom ?e FILTER NOT EXISTS { ?e org:resultingOrganization ?o } } }""") == []


def test_the_renames_of_issue_14_are_modelled(data):
    changes = set(rows(data, "SELECT ?old ?new WHERE { ?e a org:ChangeEvent ; "
                              "org:originalOrganization ?old ; org:resultingOrganization ?new }"))
    for old, new in [("bp3ti-kominfo", "bakti-kominfo"), ("technology-strategy-board", "innovate-uk"),
                     ("bmub", "bmu-germany"), ("kemenristekdikti", "kemenristek-brin"), ("kemenristek-brin", "brin"),
                     ("bppt", "brin"), ("lapan", "brin"), ("lbm-eijkman", "brin"),
                     ("kementerian-kehutanan", "kementerian-lhk")]:
        assert (ORG_NS + old, ORG_NS + new) in changes, (old, new)


# --- typing rules of data/README.md, each a query returning the actors that break it --------------------------------

TYPING_RULES = {
    "persero-is-a-state-owned-enterprise": """SELECT ?a WHERE {
        ?a rdfs:label ?l . FILTER(LANG(?l) = "id" && CONTAINS(?l, "(Persero)"))
        FILTER NOT EXISTS { ?a a kmt:StateOwnedEnterprise } }""",
    "a-pt-is-not-a-government-body": """SELECT ?a WHERE {
        ?a a kmt:GovernmentBody ; rdfs:label ?l . FILTER(LANG(?l) = "id" && STRSTARTS(?l, "PT ")) }""",
    "only-consortia-have-members": """SELECT ?a WHERE {
        ?a kmt:consortiumMember ?m . FILTER NOT EXISTS { ?a a kmt:Consortium } }""",
    "every-consortium-names-a-member": """SELECT ?a WHERE {
        ?a a kmt:Consortium . FILTER NOT EXISTS { ?a kmt:consortiumMember ?m } }""",
    "every-consortium-member-is-a-typed-actor": """SELECT ?m WHERE {
        ?a kmt:consortiumMember ?m . FILTER NOT EXISTS { ?m a ?k . VALUES ?k { kmt:Company
            kmt:StateOwnedEnterprise kmt:Consortium kmt:GovernmentBody kmt:InternationalOrganisation
            kmt:University kmt:ResearchInstitute kmt:NGO } } }""",
    "private-party-is-a-consortium-or-soe": """SELECT DISTINCT ?a WHERE {
        ?c a kmt:GovernmentPrivateCommunityPartnership ; kmt:hasParticipation ?p .
        ?p org:member ?a ; org:role kmt:role-private-party .
        FILTER NOT EXISTS { ?a a kmt:Consortium } FILTER NOT EXISTS { ?a a kmt:StateOwnedEnterprise }
        FILTER(?a NOT IN (org_:eiffage, org_:manila-water-company)) }""",
    "state-development-finance-institutions-are-soes": """SELECT ?a WHERE {
        VALUES ?a { org_:jbic org_:afd org_:korea-development-bank org_:bpifrance }
        FILTER NOT EXISTS { ?a a kmt:StateOwnedEnterprise } }""",
    "a-bank-is-not-a-government-body": """SELECT ?a WHERE {
        ?a a kmt:GovernmentBody ; rdfs:label ?l . FILTER(LANG(?l) = "en" && REGEX(?l, "\\\\bBank\\\\b")) }""",
}


@pytest.mark.parametrize("rule", sorted(TYPING_RULES))
def test_typing_rule_of_the_readme(data, rule):
    assert rows(data, TYPING_RULES[rule]) == [], rule


def test_typing_rules_are_documented_in_the_readme():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for phrase in ("Persero is a state-owned enterprise", "Consortia and project companies",
                   "State development-finance institutions"):
        assert phrase in readme


def test_typing_rules_catch_the_errors_of_issue_14():
    g = Graph().parse(data="""@prefix kmt: <https://w3id.org/kemitraan/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix org_: <https://w3id.org/kemitraan/id/org/> .
        org_:pt-pii a kmt:GovernmentBody ; rdfs:label "PT Penjaminan Infrastruktur Indonesia (Persero)"@id .
        org_:manila-water-company a kmt:Consortium ; kmt:consortiumMember org_:ayala-corporation .
        org_:ayala-corporation a kmt:Company .
        org_:senac a kmt:Consortium .
        org_:jbic a kmt:GovernmentBody ; rdfs:label "Japan Bank for International Cooperation"@en .""", format="turtle")
    broken = {rule for rule, q in TYPING_RULES.items() if rows(g, q)}
    assert {"persero-is-a-state-owned-enterprise", "a-pt-is-not-a-government-body", "every-consortium-names-a-member",
            "state-development-finance-institutions-are-soes", "a-bank-is-not-a-government-body"} <= broken
    g.remove((None, RDF.type, KMT.Consortium))
    assert "only-consortia-have-members" in {rule for rule, q in TYPING_RULES.items() if rows(g, q)}


# --- dates against the sources' dates -------------------------------------------------------------------------------

def date_span(value) -> tuple:
    """The first and last day an xsd:date, xsd:gYearMonth or xsd:gYear can mean."""
    import calendar
    import datetime as dt

    text = str(value)
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    assert m, f"not a date, year-month or year: {text!r}"
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if day:
        return dt.date(year, month, day), dt.date(year, month, day)
    if month:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def test_date_span_reads_each_precision():
    import datetime as dt

    assert date_span("2016") == (dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    assert date_span("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_span("2018-12-16") == (dt.date(2018, 12, 16),) * 2


def dates_too_late(g: Graph) -> dict[str, str]:
    """Cases with no dated source, and dated facts (start, signing, change events of a party) that begin
    after the last day the latest of the case's sources can have been published."""
    bad = {}
    for case in sorted(cases(g)):
        issued = [date_span(d)[1] for s in g.objects(case, DCTERMS.source) for d in g.objects(s, DCTERMS.issued)]
        if not issued:
            bad[str(case)] = "no source with dcterms:issued"
            continue
        latest = max(issued)
        facts = [("start", d) for d in g.objects(case, SCHEMA.startDate)]
        facts += [("signed", d) for a in g.objects(case, KMT.agreement) for d in g.objects(a, KMT.signedOn)]
        for what, d in facts:
            if date_span(d)[0] > latest:
                bad[str(case)] = f"{what} {d} is after every source (latest published {latest})"
                break
    return bad


def test_every_case_date_is_no_later_than_its_sources(data):
    """A fact dated after every page that states it cannot come from them (issue 14). End dates are
    left out: a source may state a planned end (e.g. a concession that runs until 2041)."""
    assert dates_too_late(data) == {}


def test_every_dated_source_is_a_source_of_something(data):
    dated = set(data.subjects(DCTERMS.issued, None))
    cited = set(data.objects(None, DCTERMS.source))
    assert dated and dated <= cited, sorted(map(str, dated - cited))[:5]


def test_the_date_check_catches_a_date_after_its_sources():
    g = Graph().parse(data="""
        @prefix kmt: <https://w3id.org/kemitraan/ontology#> . @prefix schema: <https://schema.org/> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <urn:c1> kmt:hasParticipation [] ; schema:startDate "2019-03"^^xsd:gYearMonth ;
            dcterms:source <http://e/a> , <http://e/b> .
        <http://e/a> dcterms:issued "2018"^^xsd:gYear . <http://e/b> dcterms:issued "2019-03-02"^^xsd:date .
        <urn:c2> kmt:hasParticipation [] ; schema:startDate "2019"^^xsd:gYear ; kmt:agreement <urn:a2> ;
            dcterms:source <http://e/a> .
        <urn:a2> kmt:signedOn "2019-01-05"^^xsd:date .
        <urn:c3> kmt:hasParticipation [] ; dcterms:source <http://e/undated> .
    """, format="turtle")
    assert dates_too_late(g) == {"urn:c2": "start 2019 is after every source (latest published 2018-12-31)",
                                 "urn:c3": "no source with dcterms:issued"}
