"""Labelled tables (``--labels``), the cases table (``kemitraan cases``), query parameters given by
short name, and the library query defects of issue 10."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.cli import cli
from kemitraan_graph.errors import ParameterError
from kemitraan_graph.namespaces import KMT
from kemitraan_graph.tables import CASE_COLUMNS

from .helpers import SMALL

CASE = "https://w3id.org/kemitraan/id/case/"
UMBULAN = CASE + "umbulan-water-supply"
PATIMBAN = CASE + "patimban-port-jica-loan"
LANGS = ("en", "id")


def n_cases(kg: KnowledgeGraph) -> int:
    return int(kg.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kmt:Partnership }").rows[0][0])


# --- --labels -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_labels_add_a_label_column_after_every_iri_column(kg, lang):
    res = kg.query("cases-in-country", country="country:jp", labels=True, lang=lang)
    assert res.vars == ["case", "case_label", "type", "type_label", "start"]
    assert len(res) >= 5
    names = kg.labels([r[0] for r in res] + [r[2] for r in res], lang)
    for case, case_label, kind, kind_label, _start in res:
        assert case_label == Literal(names[case]) and kind_label == Literal(names[kind])


def test_labels_follow_the_language(kg):
    en, id_ = (kg.query("cases-by-type", labels=True, lang=lang) for lang in LANGS)
    assert [r[0] for r in en] == [r[0] for r in id_]
    assert {str(r[1]) for r in en}.isdisjoint({str(r[1]) for r in id_})  # every type label differs
    assert any("Kemitraan" in str(r[1]) for r in id_) and any("partnership" in str(r[1]) for r in en)


@pytest.mark.parametrize("lang", LANGS)
def test_labels_in_csv_tsv_json_and_dataframe(kg, lang):
    res = kg.query("cases-by-type", labels=True, lang=lang)
    want = {str(r[0]): str(r[1]) for r in res}
    rows = list(csv.DictReader(io.StringIO(kg.format(res, "csv", lang))))
    assert list(rows[0]) == ["type", "type_label", "cases"]
    assert {r["type"]: r["type_label"] for r in rows} == want
    tsv = kg.format(res, "tsv", lang).splitlines()
    assert tsv[0].split("\t") == ["?type", "?type_label", "?cases"]
    assert {line.split("\t")[1].strip('"') for line in tsv[1:]} == set(want.values())
    data = json.loads(kg.format(res, "json", lang))
    assert {d["type"]: d["type_label"] for d in data} == want
    df = res.to_dataframe()
    assert list(df.columns) == ["type", "type_label", "cases"]
    assert dict(zip(df["type"], df["type_label"], strict=True)) == want


def test_labels_on_the_command_line(runner):
    out = {}
    for lang in LANGS:
        res = runner.invoke(cli, ["query", "cases-by-type", "--labels", "--lang", lang, "-f", "csv"])
        assert res.exit_code == 0, res.output
        out[lang] = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(out["en"][0]) == ["type", "type_label", "cases"]
    by_type = {lang: {r["type"]: r["type_label"] for r in rows} for lang, rows in out.items()}
    tri = str(KMT.TripleHelixPartnership)
    assert by_type["en"][tri] == "University–industry–government partnership"
    assert by_type["id"][tri].startswith("Kemitraan")


def test_values_is_a_list_in_row_order(kg):
    res = kg.query("cases-by-type")
    values = res.values()
    assert isinstance(values, list)
    assert values == [tuple(str(v) for v in row) for row in res.rows]


# --- kemitraan cases --------------------------------------------------------------------------------

def test_cases_table_has_one_row_per_case(kg):
    table = kg.cases()
    assert table.columns == list(CASE_COLUMNS)
    assert len(table) == n_cases(kg) > 50
    rows = {r["case"]: r for r in table.to_dicts()}
    assert len(rows) == len(table)
    umbulan = rows[UMBULAN]
    assert umbulan["label_en"] != umbulan["label_id"] and umbulan["label_id"].startswith("KPBU")
    assert umbulan["kind"] == "Government–private–community partnership"
    assert "Water and sanitation" in umbulan["sectors"] and umbulan["countries"] == ["Indonesia"]
    assert umbulan["start"].startswith("2016") and umbulan["parties"] == len(umbulan["party_labels"]) >= 5
    assert "Ministry of Finance" in umbulan["party_labels"]
    assert any(s.startswith("https://setkab.go.id/") for s in umbulan["sources"])
    assert kg.cases(lang="id").to_dicts()[0]["kind"].startswith("Kemitraan")


SMALL_ARGS = ("--no-bundled", "--data", str(SMALL))  # a fixed data set: others may add bundled cases meanwhile


def test_cases_command_csv_via_clirunner(runner, small_kg):
    res = runner.invoke(cli, [*SMALL_ARGS, "cases", "-f", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == list(CASE_COLUMNS)
    assert len(rows) == n_cases(small_kg) == 2
    road = next(r for r in rows if r["case"].endswith("test-road"))
    assert (road["label_en"], road["label_id"], road["start"], road["end"], road["parties"]) == (
        "Test road", "Jalan uji", "2015-03-01", "2050", "2")
    assert road["party_labels"] == "Ministry of Tests; Test Company"


@pytest.mark.slow  # real subprocesses
def test_cases_command_tsv_and_json_in_a_subprocess(run_cli, small_kg, tmp_path):
    proc = run_cli(*SMALL_ARGS, "cases", "-f", "tsv", "--lang", "id")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split("\t") == list(CASE_COLUMNS)
    assert len(lines) - 1 == n_cases(small_kg)
    assert all(len(line.split("\t")) == len(CASE_COLUMNS) for line in lines)
    assert "Kemitraan pemerintah–swasta–masyarakat" in proc.stdout
    out = tmp_path / "cases.json"
    proc = run_cli(*SMALL_ARGS, "cases", "-f", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data) == n_cases(small_kg) and set(data[0]) == set(CASE_COLUMNS)
    assert data[0]["sources"] == ["https://example.org/test-lab"]


@pytest.mark.slow  # real subprocesses
def test_cases_xlsx_opens_with_openpyxl_and_pandas(run_cli, small_kg, tmp_path):
    import datetime

    import openpyxl
    import pandas as pd

    out = tmp_path / "cases.xlsx"
    proc = run_cli(*SMALL_ARGS, "cases", "-f", "xlsx", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["cases.xlsx"]  # no temporary file left beside it
    wb = openpyxl.load_workbook(out, read_only=True)
    try:
        rows = list(wb.active.iter_rows(values_only=True))
    finally:
        wb.close()
    assert list(rows[0]) == list(CASE_COLUMNS)
    assert len(rows) - 1 == n_cases(small_kg)
    road = next(r for r in rows if str(r[0]).endswith("test-road"))
    assert road[6] == datetime.datetime(2015, 3, 1) and road[7] == "2050" and road[8] == 2  # a real date cell
    df = pd.read_excel(out, engine="openpyxl")
    assert list(df.columns) == list(CASE_COLUMNS) and len(df) == n_cases(small_kg)
    assert CASE + "test-lab" in set(df["case"])


def test_bundled_cases_xlsx_bytes_open_with_pandas(kg):
    import pandas as pd

    df = pd.read_excel(io.BytesIO(kg.cases().serialize("xlsx")), engine="openpyxl")
    assert len(df) == n_cases(kg) and UMBULAN in set(df["case"])


# --- parameters: short names, IRIs nowhere in the graph, defaults --------------------------------

@pytest.mark.parametrize(("param", "short", "full"), [
    ("sector", "port", "kmt:sector-port"),
    ("sector", "Toll road", "kmt:sector-toll-road"),
    ("country", "id", "country:id"),
    ("actor", "kementerian-keuangan", "org_:kementerian-keuangan"),
    ("case", "umbulan", "case:umbulan-water-supply"),
])
def test_iri_parameters_take_the_short_names_of_the_views(kg, param, short, full):
    name = {"sector": "cases-in-sector", "country": "cases-in-country", "actor": "cases-of-actor",
            "case": "parties-of-case"}[param]
    by_short = kg.query(name, **{param: short})
    assert len(by_short) > 0
    assert by_short.values() == kg.query(name, **{param: full}).values()
    assert not [n for n in by_short.notes if n.startswith("warning")]


def test_short_names_are_the_ones_viz_takes():
    from kemitraan_graph.matching import match
    from kemitraan_graph.network.filters import resolve_values

    cands = [str(KMT["sector-port"]), str(KMT["sector-airport"]), str(KMT["sector-toll-road"])]
    labels = {str(KMT["sector-toll-road"]): {"en": "Toll road", "id": "Jalan tol"}}
    for value in ("port", "toll-road", "Jalan tol", "kmt:sector-airport"):
        assert resolve_values([value], cands, "sector", labels, strip=("sector-",)) == set(
            match(value, cands, labels, strip=("sector-",)))
    assert match("jalan tol", cands, labels) == [str(KMT["sector-toll-road"])]


def test_an_iri_nowhere_in_the_graph_warns_with_the_nearest_labels(kg):
    res = kg.query("cases-in-sector", sector="kmt:sector-prt")
    assert len(res) == 0
    [warning] = [n for n in res.notes if n.startswith("warning")]
    assert "kmt:sector-prt is nowhere in the graph" in warning and "Port (kmt:sector-port)" in warning


@pytest.mark.slow  # real subprocesses
def test_the_warning_and_the_default_on_the_command_line(run_cli):
    proc = run_cli(*SMALL_ARGS, "query", "cases-in-sector", "-p", "sector=kmt:sector-prt", "-f", "csv")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == ["case,party,role"]
    assert "warning: parameter 'sector': kmt:sector-prt is nowhere in the graph (nearest: Port" in proc.stderr
    proc = run_cli(*SMALL_ARGS, "query", "cases-of-actor", "-f", "csv")
    assert proc.returncode == 0
    assert "note: parameter 'actor' not given: using the default org_:kementerian-keuangan" in proc.stderr
    assert "note:" not in proc.stdout
    quiet = run_cli(*SMALL_ARGS, "-q", "query", "cases-of-actor", "-f", "csv")
    assert quiet.stderr == "" and quiet.stdout == proc.stdout


def test_an_unknown_short_name_is_an_error_with_the_nearest(runner):
    res = runner.invoke(cli, ["query", "cases-in-sector", "-p", "sector=prot"])
    assert res.exit_code == 2
    assert "parameter 'sector':" in res.output and "'prot'" in res.output and "Port (kmt:sector-port)" in res.output
    assert "Traceback" not in res.output


def test_an_ambiguous_short_name_is_an_error(kg):
    with pytest.raises(ParameterError, match="more than one"):
        kg.query("cases-in-sector", sector="a")  # begins several sectors, names none exactly


# --- library query defects --------------------------------------------------------------------------

def test_financial_values_mark_the_level_so_sums_do_not_double_count(kg):
    res = kg.query("financial-values")
    assert res.vars == ["case", "level", "agreement", "value", "currency"]
    rows = res.to_dicts()
    assert {str(r["level"]) for r in rows} == {"case", "agreement"}
    for r in rows:
        assert (r["agreement"] is None) == (str(r["level"]) == "case")
    patimban = [r for r in rows if str(r["case"]) == PATIMBAN]
    case_total = [int(r["value"]) for r in patimban if str(r["level"]) == "case"]
    tranches = [int(r["value"]) for r in patimban if str(r["level"]) == "agreement"]
    assert case_total == [sum(tranches)] and len(tranches) == 3
    per_currency: dict[str, int] = defaultdict(int)
    for r in rows:
        if str(r["level"]) == "case":
            per_currency[str(r["currency"])] += int(r["value"])
    assert per_currency["JPY"] == 272_508_000_000 + 70_000_000_000  # Patimban + VLSI, each once


def test_parties_of_case_answers_in_the_language_asked(kg):
    for lang in LANGS:
        res = kg.query("parties-of-case", lang=lang)
        texts = [v for r in res for v in r[2:] if v is not None]
        assert texts and {v.language for v in texts} == {lang}


def test_parties_of_case_falls_back_to_the_other_language(tmp_path):
    ttl = tmp_path / "one.ttl"
    ttl.write_text("""
@prefix kmt: <https://w3id.org/kemitraan/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
<http://e/case> a kmt:InternationalPartnership ; kmt:hasParticipation <http://e/p> .
<http://e/p> org:member <http://e/a> ; org:role kmt:role-funder ;
   kmt:responsibility "hanya bahasa Indonesia"@id ; kmt:contribution "dana"@id, "funds"@en .
""", encoding="utf-8")
    with KnowledgeGraph.load([ttl], bundled=False) as small:
        [row] = small.query("parties-of-case", case="http://e/case", lang="en").rows
        assert row[2] == Literal("hanya bahasa Indonesia", lang="id") and row[3] == Literal("funds", lang="en")


def test_parties_of_case_takes_lang_on_the_command_line(runner):
    res = runner.invoke(cli, ["query", "parties-of-case", "--lang", "id", "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert any("Rp818 miliar" in d.get("contribution", "") for d in data)


def test_sources_of_case_show_the_whole_url_in_the_table(kg):
    text = kg.format(kg.query("sources-of-case", case=UMBULAN), "table")
    assert "https://katadata.co.id/amp/berita/industri/5e9a56c96d961/" in text
    assert "https://setkab.go.id/en/?p=211878" in text


def test_labelled_iris_still_show_their_label_in_the_table(kg):
    text = kg.format(kg.query("cases-by-type"), "table")
    assert "International partnership" in text and "https://" not in text


def test_characteristics_evidenced_says_what_it_counts(kg):
    q = kg.library["characteristics-evidenced"]
    assert "each case" not in q.get_title("en") and "setiap kasus" not in q.get_title("id")
    assert q.get_title("en").startswith("How many cases")
    res = kg.query("characteristics-evidenced")
    assert res.vars == ["characteristic", "cases"] and len(res) == 4


def test_stats_and_cases_by_sector_count_sectors_the_same_way(kg):
    from kemitraan_graph.summary import format_stats

    stats = kg.stats(lang="en")
    query = {str(s): int(n) for s, n in kg.query("cases-by-sector").rows}
    assert {row["iri"]: row["count"] for row in stats["sectors"]} == query
    assert query[str(KMT["sector-infrastructure"])] > 20
    assert "top-level sector" in format_stats(stats)
    assert "top-level sector" in kg.library["cases-by-sector"].get_title("en")


def test_a_query_without_iri_columns_is_unchanged_by_labels(kg):
    res = kg.query("SELECT (1 AS ?one) WHERE {}", labels=True)
    assert res.vars == ["one"] and res.rows == [(Literal(1),)]
    assert isinstance(kg.query("SELECT ?s WHERE { ?s a kmt:Partnership } LIMIT 1", labels=True).rows[0][0], URIRef)


def test_the_table_with_labels_shows_curies_beside_the_labels(kg):
    text = kg.format(kg.query("cases-by-type", labels=True, lang="id"), "table", "id")
    assert "kmt:TripleHelixPartnership" in text and "Kemitraan perguruan tinggi" in text


def test_lang_without_labels_is_not_silently_ignored(runner):
    res = runner.invoke(cli, ["query", "cases-by-type", "--lang", "id", "-f", "csv"])
    assert res.exit_code == 0
    assert "note: --lang changes only labels: add --labels" in res.stderr
    assert "note:" not in res.stdout


@given(st.text(max_size=30))
def test_matching_never_fails_and_finds_every_candidate_by_its_curie(value):
    from kemitraan_graph.matching import match, nearest
    from kemitraan_graph.terms import curie

    cands = [str(KMT["sector-port"]), str(KMT["sector-airport"]), "https://w3id.org/kemitraan/id/country/id"]
    labels = {cands[0]: {"en": "Port", "id": "Pelabuhan"}}
    hits = match(value, cands, labels, strip=("sector-",))
    assert set(hits) <= set(cands)
    assert set(nearest(value, cands, labels)) <= set(cands)
    for c in cands:
        assert match(curie(c), cands, labels) == [c]
