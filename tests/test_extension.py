"""Extension projects (``kemitraan init``, ``kemitraan.toml``, ``--project``), ``kemitraan check``,
and validation that points at the line (issue #12 items 1-2, issue #10 item 5)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.cli import cli
from kemitraan_graph.errors import LoadError
from kemitraan_graph.project import read_project
from kemitraan_graph.sourcemap import index_text

from .helpers import FIXTURES

FIX = FIXTURES / "extension"
NS = "https://example.org/village/ontology#"
CASE = "https://example.org/village/id/case-example-village-water"

SECTOR = """
vil:sector-village-water a skos:Concept , kmt:Sector ;
    skos:inScheme kmt:SectorScheme ;
    skos:broader kmt:sector-water ;
    skos:prefLabel "Air desa"@id , "Village water"@en ;
    skos:definition "Air minum yang dikelola desa."@id , "Drinking water run by a village."@en ;
    rdfs:isDefinedBy <https://example.org/village/ontology> .
"""

SECOND_CASE = """
@prefix kmt:     <https://w3id.org/kemitraan/ontology#> .
@prefix vil:     <https://example.org/village/ontology#> .
@prefix id:      <https://example.org/village/id/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix schema:  <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

id:case-second a {type} ;
    rdfs:label "Kasus kedua"@id , "Second case"@en ;
    dcterms:description "Kasus uji kedua."@id , "A second test case."@en ;
    kmt:sector {sector} ;
    kmt:country <https://w3id.org/kemitraan/id/country/id> ;
    schema:startDate {date} ;
    kmt:hasParticipation
        [ a kmt:Participation ; org:member id:example-district ; org:role kmt:role-public-authority ] ,
        [ a kmt:Participation ; org:member id:second-company ; org:role kmt:role-private-party ] ,
        [ a kmt:Participation ; org:member id:example-bumdes ; org:role kmt:role-operator ] ;
    kmt:agreement id:agreement-example-village-water ;
    dcterms:source <https://example.org/second> .

id:second-company a kmt:Company ; rdfs:label {company} .
"""
GOOD = {"type": "vil:VillageEnterprisePartnership", "sector": "vil:sector-village-water",
        "date": '"2022-05-01"^^xsd:date', "company": '"PT Kedua"@id , "Second Company"@en'}


def invoke(runner, *args, cwd=None):
    return runner.invoke(cli, [*args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path, runner):
    """A project made by ``kemitraan init``, with Indonesia defined so it runs without the bundled data."""
    d = tmp_path / "village"
    res = invoke(runner, "init", str(d), "--prefix", "vil", "--namespace", NS, "--name", "village")
    assert res.exit_code == 0, res.output
    shutil.copy(FIX / "country.ttl", d / "data" / "country.ttl")
    return d


def extend(d, **changes):
    """Add a sector to the module and a second case (with ``changes`` to break it)."""
    module = d / "ontology" / "village.ttl"
    module.write_text(module.read_text(encoding="utf-8") + SECTOR, encoding="utf-8")
    (d / "data" / "second-case.ttl").write_text(SECOND_CASE.format(**{**GOOD, **changes}), encoding="utf-8")


def base_args(d):
    return ["--project", str(d / "kemitraan.toml"), "--no-bundled"]


def test_init_writes_a_project_and_refuses_a_full_folder(project, runner):
    for rel in ("kemitraan.toml", "ontology/village.ttl", "data/example-case.ttl", "queries/example.rq",
                "shapes/shapes.ttl", "checks/village-case-has-a-country.rq", "tests/test_project.py", "README.md"):
        assert (project / rel).is_file(), rel
    module = (project / "ontology" / "village.ttl").read_text(encoding="utf-8")
    assert "owl:imports <https://w3id.org/kemitraan/ontology>" in module
    assert '"Village enterprise partnership"@en' in module and "@id" in module
    p = read_project(project / "kemitraan.toml")
    assert p.namespace == NS and p.prefix == "vil" and p.modules == [project / "ontology"]
    res = runner.invoke(cli, ["init", str(project)])
    assert res.exit_code == 2 and "not empty" in res.output


def test_extended_project_is_clean_and_answers_for_the_parent_kind(project, runner):
    extend(project)
    args = base_args(project)
    res = invoke(runner, *args, "validate")
    assert res.exit_code == 0, res.output
    assert "conforms" in res.output
    res = invoke(runner, *args, "check", "--no-reason", "-f", "json")
    assert res.exit_code == 0, res.output
    assert [f for f in json.loads(res.stdout) if f["level"] in ("ERROR", "WARN")] == []
    res = invoke(runner, *args, "query", "--text",
                 "SELECT ?c WHERE { ?c a kmt:GovernmentPrivateCommunityPartnership } ORDER BY ?c", "-f", "csv")
    assert res.exit_code == 0, res.output
    assert CASE in res.stdout and "https://example.org/village/id/case-second" in res.stdout
    res = invoke(runner, *args, "query", "example", "-f", "csv")  # the project's own query
    assert res.exit_code == 0 and "case-second" in res.stdout
    res = invoke(runner, *args, "queries", "--format", "json")
    assert "example" in {q["name"] for q in json.loads(res.stdout)}


def test_project_is_found_in_the_working_folder(project, run_cli):
    extend(project)
    res = run_cli("--no-bundled", "validate", cwd=project)
    assert res.returncode == 0, res.stdout + res.stderr
    res = run_cli("--no-bundled", "check", "--no-reason", "-f", "tsv", cwd=project)
    assert res.returncode == 0 and res.stdout.startswith("level\trule\twhere\tfocus\tmessage")


def test_api_loads_a_project(project):
    extend(project)
    with KnowledgeGraph.load(project=project / "kemitraan.toml", bundled=False) as kg:
        n = kg.query("SELECT (COUNT(?c) AS ?n) WHERE { ?c a kmt:Partnership }").rows[0][0]
        assert int(n) == 2
        assert "example" in kg.library


def _line_of(path, text):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize("changes, command, expected", [
    ({"type": "vil:VillageEnterprisePartnershipp"}, "validate",
     ["vil:VillageEnterprisePartnershipp is not defined", "did you mean vil:VillageEnterprisePartnership"]),
    ({"sector": "kmt:sector-watr"}, "validate", ["[kmt:sector]", "did you mean kmt:sector-water"]),
    ({"date": '"2022-02-30"^^xsd:date'}, "validate", ["[schema:startDate]", '"2022-02-30"^^xsd:date']),
    ({"company": '"PT Contoh Air"@id , "Example Water Company"@en'}, "check", ["duplicate-actors", "second-company"]),
], ids=["undefined-class", "unknown-sector", "bad-date", "duplicate-actor"])
def test_broken_extension_says_what_and_where(project, runner, changes, command, expected):
    extend(project, **changes)
    res = invoke(runner, *base_args(project), command, *(["--no-reason"] if command == "check" else []))
    assert res.exit_code == 1, res.output
    for text in expected:
        assert text in res.stdout, (text, res.stdout)
    case_file = project / "data" / "second-case.ttl"
    assert re.search(r"data/second-case\.ttl:\d+: ", res.stdout), res.stdout
    if command == "validate":
        bad = next(v for k, v in changes.items())
        assert f"second-case.ttl:{_line_of(case_file, bad)}:" in res.stdout


def test_term_without_indonesian_label(project, runner):
    module = project / "ontology" / "village.ttl"
    module.write_text(module.read_text(encoding="utf-8") + """
vil:VillageCooperative a owl:Class ; rdfs:subClassOf kmt:CommunityGroup ;
    rdfs:label "Village cooperative"@en ;
    skos:definition "Koperasi desa."@id , "A village cooperative."@en .
""", encoding="utf-8")
    res = invoke(runner, *base_args(project), "check", "--no-reason")
    assert res.exit_code == 1
    line = _line_of(module, "vil:VillageCooperative a owl:Class")
    assert f"ERROR ontology/village.ttl:{line}: vil:VillageCooperative: no label @id" in res.stdout.replace(
        str(project) + "/", "") or f"village.ttl:{line}: vil:VillageCooperative: no label @id" in res.stdout
    assert "[missing-label]" in res.stdout


def test_project_file_errors_name_the_line(tmp_path):
    p = tmp_path / "kemitraan.toml"
    p.write_text('name = "x"\nmodule = ["ontology"]\n', encoding="utf-8")
    with pytest.raises(LoadError) as e:
        read_project(p)
    assert e.value.line == 2 and "did you mean 'modules'" in str(e.value)
    p.write_text('name = "x"\nlang = \n', encoding="utf-8")
    with pytest.raises(LoadError) as e:
        read_project(p)
    assert e.value.line == 2 and "not valid TOML" in str(e.value)


# --- validation that points at the line --------------------------------------------------

FIVE = FIX / "five-mistakes.ttl"


def test_five_mistakes_each_reported_with_its_line(runner):
    res = invoke(runner, "--no-bundled", "--data", str(FIVE), "validate")
    assert res.exit_code == 1
    out = res.stdout
    where = f"{FIVE.relative_to(FIVE.parents[3])}" if False else "five-mistakes.ttl"
    expected = {
        12: "kmt:TripleHelixPartnershp is not defined",  # the misspelt type ...
        13: "[rdfs:label]",  # ... hides nothing else of the case
        15: "did you mean kmt:sector-research",
        17: "[schema:startDate]",
        20: "case:five-mistakes / participation of org_:five-university: Violation [org:role]",
    }
    for line, text in expected.items():
        assert any(f"{where}:{line}: " in row and text in row for row in out.splitlines()), (line, text, out)
    lines = out.splitlines()[:-1]
    assert len(lines) == len(set(lines))  # no line printed twice
    assert all(re.search(r"five-mistakes\.ttl:\d+: ", row) for row in lines)  # every one with file:line
    assert not re.search(r"\b[0-9a-f]{32}\b", out)  # no blank-node hash


def test_report_in_indonesian_has_no_english_words(runner):
    res = invoke(runner, "--no-bundled", "--data", str(FIVE), "validate", "--lang", "id")
    out = res.stdout
    for english in ("Violation", "problem(s)", "value=", "participation of", "did you mean", "(shape "):
        assert english not in out, english
    for indonesian in ("Pelanggaran", "nilai=", "masalah", "keikutsertaan org_:five-university", "maksud Anda"):
        assert indonesian in out, indonesian


def test_validate_json_has_file_and_line(run_cli):
    res = run_cli("--no-bundled", "--data", str(FIVE), "validate", "--format", "json")
    assert res.returncode == 1
    found = json.loads(res.stdout)["violations"]
    assert {v["line"] for v in found} >= {12, 13, 15, 17, 20}
    assert all(v["source"].endswith("five-mistakes.ttl") for v in found)


# --- check ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_check_finds_a_disjointness_clash_with_owlrl(project, runner):
    (project / "data" / "clash.ttl").write_text("""@prefix kmt: <https://w3id.org/kemitraan/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/village/id/both> a kmt:Company , kmt:NGO ;
    rdfs:label "Keduanya"@id , "Both"@en .
""", encoding="utf-8")
    res = invoke(runner, *base_args(project), "check", "-f", "json")
    assert res.exit_code == 1
    found = [f for f in json.loads(res.stdout) if f["rule"] == "inconsistent"]
    assert found and found[0]["file"].endswith("clash.ttl") and found[0]["line"] == 3
    assert "disjoint" in found[0]["message"]["en"]
    res = invoke(runner, *base_args(project), "check", "-f", "json", "--fail-on", "none")
    assert res.exit_code == 0


@pytest.mark.slow
def test_bundled_data_checks_clean(run_cli):
    res = run_cli("check", "--fail-on", "error")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr
    assert res.stdout.strip().splitlines()[-1].startswith("0 error(s)")


def test_bundled_checks_catch_their_errors(tmp_path, runner):
    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix kmt: <https://w3id.org/kemitraan/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/kemitraan/id/org/kgt-bank> a kmt:GovernmentBody ;
    rdfs:label "Bank Uji"@id , "Test Bank"@en .
""", encoding="utf-8")
    res = invoke(runner, "--no-bundled", "--data", str(bad), "check", "--no-reason", "-f", "tsv")
    assert res.exit_code == 1
    row = next(r for r in res.stdout.splitlines() if "a-bank-is-not-a-government-body" in r).split("\t")
    assert row[0] == "ERROR" and row[2].endswith("bad.ttl:3") and row[3] == "org_:kgt-bank"


# --- the source map's lexer ------------------------------------------------------------------

_names = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\\r\n'), max_size=20)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_names, _texts, st.integers(0, 3), st.booleans()), min_size=1, max_size=8,
                unique_by=lambda t: t[0]))
def test_sourcemap_finds_every_subject_line(items):
    lines = ["@prefix e: <http://e.example/> .", "# a comment with e:fake . and a dot"]
    expected = {}
    for name, text, blank, long_form in items:
        lines += [""] * blank
        expected[f"http://e.example/{name}"] = len(lines) + 1
        if long_form:
            lines += [f"e:{name} e:p \"\"\"{text} . e:x\"\"\" ;", "    e:q [ e:r 1.5 ] , e:z ."]
        else:
            lines.append(f"<http://e.example/{name}> e:p \"{text}\" .")
    idx = index_text("\n".join(lines) + "\n")
    assert {k: v[0] for k, v in idx.subjects.items()} == expected


def test_project_default_language_is_used_when_lang_is_not_given(project, runner):
    toml = project / "kemitraan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('lang = "en"', 'lang = "id"'), encoding="utf-8")
    res = invoke(runner, *base_args(project), "query", "example")
    assert res.exit_code == 0 and "Contoh air bersih desa" in res.stdout
    res = invoke(runner, *base_args(project), "query", "example", "--lang", "en")
    assert "Example village water supply" in res.stdout and "Contoh air bersih desa" not in res.stdout


def test_viz_shows_the_project_cases(project, runner, tmp_path):
    extend(project)
    out = tmp_path / "v.html"
    res = invoke(runner, *base_args(project), "viz", "stakeholders", "-o", str(out))
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "Second case" in page and "Example village water supply" in page


@pytest.mark.slow
def test_a_case_added_by_spreadsheet_joins_the_project(project, runner, tmp_path):
    """Issue #12's walk-through: a subtype, a sector, a case in Turtle and one from a spreadsheet;
    validate and check are clean and the parent kind finds all three cases."""
    import csv

    extend(project)
    table = tmp_path / "cases.csv"
    row = {
        "label_id": "Air desa ketiga", "label_en": "Third village water supply",
        "description_id": "Kasus uji dari lembar kerja.", "description_en": "A test case from a spreadsheet.",
        "kind": NS + "VillageEnterprisePartnership", "sector": "Village water", "country": "id",
        "start_date": "2023-02", "agreement_kind": "MoU", "agreement_signed": "2023-02-01",
        "sources": "https://example.org/third",
        "parties": "Example District Government | | public authority\n"
                   "PT Ketiga Air | company | private party\nBUMDes Contoh | | operator",
    }
    with table.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(row))
        w.writeheader()
        w.writerow(row)
    args = base_args(project)
    out = project / "data" / "third-case.ttl"
    res = runner.invoke(cli, [*args, "import", str(table), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.is_file() and "Ketiga" in out.read_text(encoding="utf-8")
    res = invoke(runner, *args, "validate")
    assert res.exit_code == 0 and "conforms" in res.output, res.output
    res = invoke(runner, *args, "check", "--no-reason", "-f", "json")
    assert res.exit_code == 0, res.output
    assert [f for f in json.loads(res.stdout) if f["level"] == "ERROR"] == []
    res = invoke(runner, *args, "query", "-f", "csv", "--text",
                 "SELECT ?c WHERE { ?c a kmt:GovernmentPrivateCommunityPartnership ; rdfs:label ?l "
                 "FILTER(LANG(?l) = 'en') }")
    assert res.exit_code == 0, res.output
    assert len(res.stdout.splitlines()) == 1 + 3  # the example case, the Turtle one and the spreadsheet one
    assert "Third village water supply" in invoke(runner, *args, "query", "-f", "csv", "--labels", "--text",
                                                  "SELECT ?c WHERE { ?c a vil:VillageEnterprisePartnership }").stdout
