"""``kemitraan import``: tables -> validated Turtle, reconciliation, errors by sheet/row/column,
the template and its round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS

from kemitraan_graph.cli import cli
from kemitraan_graph.errors import TableError, ValidationFailed
from kemitraan_graph.importer import COLUMNS, normalise, parse_date, slugify
from kemitraan_graph.namespaces import KMT, SCHEMA

from .helpers import ROOT

UMBULAN = ROOT / "data" / "cases" / "government-private-community" / "umbulan-water-supply.ttl"

GOOD = {
    "label_id": "Uji kemitraan riset", "label_en": "Research partnership test",
    "description_id": "Uraian uji.", "description_en": "A test description.",
    "kind": "Kemitraan perguruan tinggi–industri–pemerintah", "sector": "Riset; health",
    "country": "id", "place": "Kota Uji Baru", "start_date": "2021-03", "end_date": "2023",
    "value": "1500000000", "currency": "idr", "agreement_kind": "MoU", "agreement_signed": "2021-03-01",
    "sources": "https://example.org/a\nhttps://example.org/b",
    "parties": "Universitas Gadjah Mada | | researcher\nPT Uji Baru Sekali | company | Funder, coordinator\n"
               "KEMENTERIAN  keuangan | | funder",
}


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def problems(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in exc.value.problems]


# --- the happy path ------------------------------------------------------------------------------

@pytest.mark.slow
def test_csv_import_reconciles_mints_and_validates(kg, tmp_path):
    out = tmp_path / "data" / "new.ttl"
    report, text = kg.import_table(write_csv(tmp_path / "cases.csv", [GOOD]), out)
    g = Graph().parse(out, format="turtle")
    case = URIRef("https://w3id.org/kemitraan/id/case/research-partnership-test")
    assert (case, RDF.type, KMT.TripleHelixPartnership) in g
    assert set(g.objects(case, KMT.sector)) == {KMT["sector-research"], KMT["sector-health"]}
    assert str(g.value(case, SCHEMA.startDate)) == "2021-03"
    members = {str(m) for p in g.objects(case, KMT.hasParticipation) for m in g.objects(p, ORG.member)}
    assert members == {"https://w3id.org/kemitraan/id/org/ugm",
                       "https://w3id.org/kemitraan/id/org/kementerian-keuangan",
                       "https://w3id.org/kemitraan/id/org/pt-uji-baru-sekali"}
    assert [p.iri.rsplit("/", 1)[-1] for p in report.new] == ["pt-uji-baru-sekali"]
    assert {p.how for p in report.matched} == {"label"}
    new_place = URIRef("https://w3id.org/kemitraan/id/place/kota-uji-baru")
    assert report.new_places == [str(new_place)] and (new_place, RDF.type, SCHEMA.Place) in g
    assert "matched parties: 2" in report.to_text() and "new parties: 1" in report.to_text()
    assert text == out.read_text(encoding="utf-8")


def test_yaml_and_ods_give_the_same_graph_as_csv(kg, tmp_path):
    _, from_csv = kg.import_table(write_csv(tmp_path / "c.csv", [GOOD]), None, validate=False)
    entry = {**GOOD, "sector": ["Riset", "health"], "parties": GOOD["parties"].splitlines()}
    y = tmp_path / "c.yaml"
    y.write_text(yaml.safe_dump({"cases": [entry]}, allow_unicode=True), encoding="utf-8")
    _, from_yaml = kg.import_table(y, None, validate=False)
    _, from_ods = kg.import_table(write_ods(tmp_path / "c.ods", [GOOD]), None, validate=False)
    graphs = [Graph().parse(data=t, format="turtle") for t in (from_csv, from_yaml, from_ods)]
    assert len(graphs[0]) > 30
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def write_ods(path: Path, rows: list[dict]) -> Path:
    """A minimal OpenDocument spreadsheet (to test the reader; written with zipfile)."""
    columns = list(rows[0])

    def line(values):
        return "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
            if "\n" not in str(v) else '<table:table-cell office:value-type="string">'
            + "".join(f"<text:p>{escape(p)}</text:p>" for p in str(v).split("\n")) + "</table:table-cell>"
            for v in values) + "</table:table-row>"

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="cases">'
               + line(columns) + "".join(line([r[c] for c in columns]) for r in rows)
               + "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


# --- errors: sheet, row, column; nothing written -------------------------------------------------

@pytest.mark.parametrize("change, expected", [
    ({"sector": "helth"}, "row 2, column 'sector': unknown sector 'helth'; did you mean 'Health'?"),
    ({"start_date": "2021-13-01"}, "row 2, column 'start_date': '2021-13-01' is not a date"),
    ({"end_date": "2019"}, "row 2, column 'end_date': ends (2019) before it starts (2021-03)"),
    ({"kind": "tripel helix"}, "did you mean 'University–industry–government partnership'"),
    ({"parties": "Nobody Known At All | | funder\nUniversitas Gadjah Mada | | researcher"},
     "no actor has this name; give its kind"),
    ({"parties": "Universitas Gadjah Mada | | researcher\nUGM | | funder"}, "the same party is listed twice: org_:ugm"),
    ({"parties": "Universitas Gadjah Mada | researcher"}, "expected 'name | kind | role'"),
    ({"value": "1.500.000"}, "column 'value': '1.500.000' is not a number"),
    ({"currency": ""}, "value and currency go together"),
    ({"sources": "example.org/page"}, "'example.org/page' is not an http(s) address"),
    ({"id": "Bad Id!"}, "column 'id': 'Bad Id!': write lowercase"),
    ({"parties": "Q999999999 | | funder"}, "no actor has the Wikidata id Q999999999"),
])
def test_bad_cells_are_named_and_nothing_is_written(kg, tmp_path, change, expected):
    out = tmp_path / "out.ttl"
    with pytest.raises(TableError) as exc:
        kg.import_table(write_csv(tmp_path / "c.csv", [{**GOOD, **change}]), out)
    assert any(expected in p for p in problems(exc)), problems(exc)
    assert not out.exists() and not list(tmp_path.glob(".out.ttl*"))


def test_missing_and_misspelt_columns(kg, tmp_path):
    row = {k: v for k, v in GOOD.items() if k != "sector"} | {"sectr": "health"}
    with pytest.raises(TableError) as exc:
        kg.import_table(write_csv(tmp_path / "c.csv", [row]), tmp_path / "o.ttl")
    assert "column 'sector': required column is missing" in problems(exc)
    assert "column 'sectr': unknown column; did you mean 'sector'?" in problems(exc)


def test_every_row_is_checked_and_named(kg, tmp_path):
    rows = [GOOD, {**GOOD, "id": "second", "sector": "nope"}, {**GOOD, "id": "third", "country": "Atlantis"}]
    with pytest.raises(TableError) as exc:
        kg.import_table(write_csv(tmp_path / "c.csv", rows, ["id", *GOOD]), tmp_path / "o.ttl")
    assert [p.split(":")[0] for p in problems(exc)] == ["row 3, column 'sector'", "row 4, column 'country'"]


def test_xlsx_errors_name_the_sheet(kg, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "cases"
    ws.append(list(GOOD))
    ws.append([{**GOOD, "start_date": "kemarin"}[c] for c in GOOD])
    wb.save(tmp_path / "c.xlsx")
    with pytest.raises(TableError) as exc:
        kg.import_table(tmp_path / "c.xlsx", tmp_path / "o.ttl")
    assert problems(exc) == ["sheet 'cases', row 2, column 'start_date': 'kemarin' is not a date: "
                             "write YYYY-MM-DD, YYYY-MM or YYYY"]


@pytest.mark.slow
def test_shacl_failure_writes_nothing(kg, tmp_path):
    # two universities only: a triple-helix case needs industry and government too (shapes R2)
    row = {**GOOD, "parties": "Universitas Gadjah Mada | | researcher\nInstitut Teknologi Bandung | | researcher"}
    out = tmp_path / "o.ttl"
    with pytest.raises(ValidationFailed) as exc:
        kg.import_table(write_csv(tmp_path / "c.csv", [row]), out)
    assert exc.value.report.violations and all("research-partnership-test" in v.focus
                                               for v in exc.value.report.violations)
    assert not out.exists()


def test_minted_iris_never_clash_and_stay_ascii(kg, tmp_path):
    row = {**GOOD, "parties": "Universitas Gadjah Mada | | researcher\n"
                              "<Évry> \"Ünïcödé\" {Corp} | company | funder\nPT PII x | company | funder\n"
                              "Kementerian Keuangan | | funder"}
    report, text = kg.import_table(write_csv(tmp_path / "c.csv", [row]), None, validate=False)
    assert [p.iri.rsplit("/", 1)[-1] for p in report.new] == ["evry-unicode-corp", "pt-pii-x"]
    assert Graph().parse(data=text, format="turtle").value(
        URIRef(report.new[0].iri), RDFS.label) is not None  # the raw text is a label, never an IRI
    same = {**GOOD, "parties": "Universitas Gadjah Mada | | researcher\nUGM! | company | funder"}
    with pytest.raises(TableError):  # normalises to an existing actor's short name: matched, twice
        kg.import_table(write_csv(tmp_path / "d.csv", [same]), None)
    clash = {**GOOD, "parties": "Universitas Gadjah Mada | | researcher\nP.T. S.M.I. | company | funder\n"
                                "Kementerian Keuangan | | funder"}
    report, _ = kg.import_table(write_csv(tmp_path / "e.csv", [clash]), None, validate=False)
    assert report.new[0].iri.endswith("/org/p-t-s-m-i")


# --- parsers (hypothesis) ------------------------------------------------------------------------

@given(st.text())
def test_slug_is_lowercase_ascii(text):
    slug = slugify(text)
    assert slug and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)
    assert not slug.startswith("-") and "--" not in slug and slugify(slug) == slug


@given(st.text())
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_dates_round_trip(day):
    assert str(parse_date(day.isoformat())) == day.isoformat() == str(parse_date(day))


@given(st.text())
def test_bad_dates_raise_value_error_only(text):
    try:
        parse_date(text)
    except ValueError:
        pass


# --- template and round trip ---------------------------------------------------------------------

def test_template_has_the_vocabularies_as_drop_downs(kg, tmp_path):
    from openpyxl import load_workbook

    kg.write_import_template(tmp_path / "t.xlsx")
    wb = load_workbook(tmp_path / "t.xlsx")
    ws = wb["cases"]
    assert [c.value for c in ws[1]] == [c.name for c in COLUMNS]
    formulas = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    lists = wb["lists"]
    heads = {c.value: c.column_letter for c in lists[1]}
    sector_range = next(f for f in formulas if f"${heads['sector']}$" in f)
    assert formulas[sector_range].startswith("G2")  # the sector column
    sectors = [c.value for c in lists[heads["sector"]][1:] if c.value]
    assert "Health" in sectors and "Research" in sectors and len(formulas) == 4


def umbulan_projection() -> Graph:
    """What the template can hold of the Umbulan case: the case's own columns, its participations'
    members and roles, its money, its agreement's kind, labels and signing date."""
    src = Graph().parse(UMBULAN, format="turtle")
    case = URIRef("https://w3id.org/kemitraan/id/case/umbulan-water-supply")
    held = {RDF.type, RDFS.label, DCTERMS.description, KMT.sector, KMT.country, KMT.place, SCHEMA.startDate,
            SCHEMA.endDate, KMT.hasParticipation, KMT.agreement, KMT.financialValue, DCTERMS.source}
    out = Graph()
    for p, o in src.predicate_objects(case):
        if p in held:
            out.add((case, p, o))
    for part in src.objects(case, KMT.hasParticipation):
        for p in (RDF.type, ORG.member, ORG.role):
            for o in src.objects(part, p):
                out.add((part, p, o))
    for money in src.objects(case, KMT.financialValue):
        for p, o in src.predicate_objects(money):
            out.add((money, p, o))
    for agr in src.objects(case, KMT.agreement):
        for p in (RDF.type, RDFS.label, KMT.signedOn):
            for o in src.objects(agr, p):
                out.add((agr, p, o))
    return out


@pytest.mark.slow
def test_template_round_trips_a_bundled_case(kg, tmp_path):
    from openpyxl import load_workbook

    src = Graph().parse(UMBULAN, format="turtle")
    case = URIRef("https://w3id.org/kemitraan/id/case/umbulan-water-supply")
    agr = src.value(case, KMT.agreement)
    en = {i: kg.labels([i], "en")[i] for i in set(src.objects()) if isinstance(i, URIRef)}

    def lang(node, prop, tag):
        return next(str(o) for o in src.objects(node, prop) if o.language == tag)

    parties = [f"{en[src.value(p, ORG.member)]} |  | {', '.join(en[r] for r in src.objects(p, ORG.role))}"
               for p in src.objects(case, KMT.hasParticipation)]
    money = src.value(case, KMT.financialValue)
    values = {
        "id": "umbulan-water-supply",
        "label_id": lang(case, RDFS.label, "id"), "label_en": lang(case, RDFS.label, "en"),
        "description_id": lang(case, DCTERMS.description, "id"),
        "description_en": lang(case, DCTERMS.description, "en"),
        "kind": en[src.value(case, RDF.type)], "sector": "; ".join(en[s] for s in src.objects(case, KMT.sector)),
        "country": en[src.value(case, KMT.country)], "place": en[src.value(case, KMT.place)],
        "start_date": dt.date.fromisoformat(str(src.value(case, SCHEMA.startDate))),
        "value": int(src.value(money, SCHEMA.value)), "currency": str(src.value(money, SCHEMA.currency)),
        "agreement_kind": en[src.value(agr, RDF.type)], "agreement_id": str(agr).rsplit("/", 1)[-1],
        "agreement_label_id": lang(agr, RDFS.label, "id"), "agreement_label_en": lang(agr, RDFS.label, "en"),
        "agreement_signed": str(src.value(agr, KMT.signedOn)),
        "sources": "\n".join(sorted(str(s) for s in src.objects(case, DCTERMS.source))),
        "parties": "\n".join(parties),
    }
    template = tmp_path / "template.xlsx"
    kg.write_import_template(template)
    wb = load_workbook(template)
    ws = wb["cases"]
    for j, col in enumerate(COLUMNS, start=1):
        ws.cell(row=2, column=j, value=values.get(col.name))
    wb.save(template)
    report, text = kg.import_table(template, tmp_path / "umbulan.ttl")
    imported = Graph().parse(tmp_path / "umbulan.ttl", format="turtle")
    expected = umbulan_projection()
    assert len(expected) > 40 and not report.new and len(report.matched) == 6
    assert isomorphic(imported, expected), sorted(set(imported) ^ set(expected), key=str)[:10]
    assert any(isinstance(s, BNode) for s in imported.subjects())


# --- CLI ----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_cli_import_template_and_errors(runner, tmp_path):
    table = write_csv(tmp_path / "c.csv", [GOOD])
    r = runner.invoke(cli, ["import", str(table), "-o", str(tmp_path / "o.ttl"), "--report", "json"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "o.ttl").exists() and '"new"' in r.stderr
    r = runner.invoke(cli, ["import", str(table), "--no-validate"])
    assert r.exit_code == 0 and "case:research-partnership-test a kmt:TripleHelixPartnership" in r.stdout
    r = runner.invoke(cli, ["import", "--template", str(tmp_path / "t.xlsx")])
    assert r.exit_code == 0 and (tmp_path / "t.xlsx").stat().st_size > 5000
    r = runner.invoke(cli, ["import", "--template", str(tmp_path / "t.csv")])
    assert r.exit_code == 2 and "the template is an .xlsx workbook" in r.stderr
    r = runner.invoke(cli, ["import"])
    assert r.exit_code == 2 and "give a TABLE" in r.stderr
    invalid = write_csv(tmp_path / "invalid.csv",
                        [{**GOOD, "parties": "Universitas Gadjah Mada | | researcher\nITB | | researcher"}])
    r = runner.invoke(cli, ["import", str(invalid), "-o", str(tmp_path / "invalid.ttl")])
    assert r.exit_code == 1 and "do not validate" in r.stderr and "TripleHelix" in r.stderr
    assert not (tmp_path / "invalid.ttl").exists()


@pytest.mark.slow
def test_subprocess_import(run_cli, tmp_path):
    good = write_csv(tmp_path / "good.csv", [GOOD])
    bad = write_csv(tmp_path / "bad.csv", [{**GOOD, "sector": "helth"}])
    r = run_cli("import", str(good), "-o", str(tmp_path / "good.ttl"))
    assert r.returncode == 0 and "new parties: 1" in r.stderr and (tmp_path / "good.ttl").exists()
    r = run_cli("import", str(bad), "-o", str(tmp_path / "bad.ttl"))
    assert r.returncode == 2 and "Traceback" not in r.stderr and not (tmp_path / "bad.ttl").exists()
    assert "bad.csv: row 2, column 'sector': unknown sector 'helth'; did you mean 'Health'?" in r.stderr


def test_csv_reader_keeps_quoted_newlines():
    buf = io.StringIO()
    csv.writer(buf).writerows([["a", "b"], ["x\ny", "z"]])
    assert list(csv.reader(io.StringIO(buf.getvalue())))[1] == ["x\ny", "z"]


@pytest.mark.parametrize("vocab, texts, iri", [
    ("kinds", ["triple-helix", "Kemitraan perguruan tinggi–industri–pemerintah", "kmt:TripleHelixPartnership",
               "https://w3id.org/kemitraan/ontology#TripleHelixPartnership", "University–industry–government "
               "partnership"], KMT.TripleHelixPartnership),
    ("sectors", ["Jalan tol", "toll-road", "TOLL ROAD", "kmt:sector-toll-road"], KMT["sector-toll-road"]),
    ("roles", ["Penyandang dana", "funder", "role-funder"], KMT["role-funder"]),
    ("countries", ["id", "Indonesia", "country:id"], URIRef("https://w3id.org/kemitraan/id/country/id")),
])
def test_vocabulary_values_by_label_short_name_or_iri(kg, vocab, texts, iri):
    from kemitraan_graph.importer import load_vocabularies

    v = getattr(load_vocabularies(kg.reader), vocab)
    assert [v.lookup(t).iri for t in texts] == [str(iri)] * len(texts)


def test_a_new_name_close_to_an_existing_actor_is_flagged(kg, tmp_path):
    row = {**GOOD, "parties": GOOD["parties"] + "\nUniversitas Gajah Mada | university | researcher"}
    report, _ = kg.import_table(write_csv(tmp_path / "c.csv", [row]), None, validate=False)
    flagged = {p.name: p.near for p in report.new}
    assert flagged == {"PT Uji Baru Sekali": None, "Universitas Gajah Mada": "Universitas Gadjah Mada"}
    assert "close to existing 'Universitas Gadjah Mada': is it the same?" in report.to_text()


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
                        min_size=1).filter(str.strip), min_size=2, max_size=4))
def test_csv_cells_come_back_as_written(values):
    import tempfile

    from kemitraan_graph.importer import read_table

    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "t.csv", [{f"c{i}": v for i, v in enumerate(values)}])
        table = read_table(path)
    assert table.columns == [f"c{i}" for i in range(len(values))]
    assert [table.rows[0].cells[c] for c in table.columns] == values and table.rows[0].row == 2
