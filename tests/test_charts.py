"""Timeline, map and query charts: their numbers against independent counts of the data files, the
static figures read back with real readers, the CLI, and the overview page."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.charts.geo import case_map, gazetteer_point, iso2_of
from kemitraan_graph.charts.table import query_table
from kemitraan_graph.charts.timeline import timeline
from kemitraan_graph.cli import cli
from kemitraan_graph.errors import ViewError
from kemitraan_graph.namespaces import PARTNERSHIP_TYPES
from kemitraan_graph.network import Filters
from kemitraan_graph.render.charts import figure_bytes, map_spec, query_spec, timeline_spec, write_chart
from kemitraan_graph.render.overview import ViewLink, render_overview
from kemitraan_graph.resources import data_dir

from .helpers import FIXTURES

KMT = Namespace("https://w3id.org/kemitraan/ontology#")
SCHEMA = Namespace("https://schema.org/")
KINDS = {URIRef(k) for k in PARTNERSHIP_TYPES}
HOSTILE = [FIXTURES / "network" / "small.ttl", FIXTURES / "network" / "xss.ttl", FIXTURES / "profile" / "xss.ttl",
           FIXTURES / "charts" / "xss.ttl"]


@pytest.fixture(scope="module")
def kg():
    with KnowledgeGraph.load() as k:
        yield k


@pytest.fixture(scope="module")
def files_graph() -> Graph:
    """The data files read by rdflib alone (no store, no inference)."""
    g = Graph()
    for f in sorted(data_dir().rglob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def _kind_cases(g: Graph) -> set[URIRef]:
    return {s for k in KINDS for s in g.subjects(RDF.type, k)}


def test_timeline_bars_equal_the_cases_dates(kg, files_graph):
    t = timeline(kg.reader)
    cases = _kind_cases(files_graph)
    starts, ends = Counter(), Counter()
    for c in cases:
        s = [int(str(v)[:4]) for v in files_graph.objects(c, SCHEMA.startDate)]
        e = [int(str(v)[:4]) for v in files_graph.objects(c, SCHEMA.endDate)]
        if s:
            starts[min(s)] += 1
        if e:
            ends[max(e)] += 1
    assert t.total == len(cases) > 50
    assert t.by_year("start") == dict(starts)
    assert t.by_year("end") == dict(ends)
    # per kind: each case counted under its kind
    by_kind = Counter()
    for c in cases:
        kind = next(k for k in PARTNERSHIP_TYPES if (c, RDF.type, URIRef(k)) in files_graph)
        if list(files_graph.objects(c, SCHEMA.startDate)):
            by_kind[kind] += 1
    got = Counter()
    for (event, _year, kind), n in t.counts().items():
        if event == "start":
            got[kind] += n
    assert got == by_kind


def test_timeline_filters_like_the_networks(kg, files_graph):
    t = timeline(kg.reader, Filters(types=("triple-helix",), from_year=2015))
    assert {k.iri for k in t.kinds} == {str(KMT.TripleHelixPartnership)}
    expected = 0
    for c in files_graph.subjects(RDF.type, KMT.TripleHelixPartnership):
        s = [int(str(v)[:4]) for v in files_graph.objects(c, SCHEMA.startDate)]
        e = [int(str(v)[:4]) for v in files_graph.objects(c, SCHEMA.endDate)]
        if s and (not e or max(e) >= 2015):
            expected += 1
    assert t.total == expected == sum(b.count for b in t.bars if b.event == "start") > 0
    assert t.total < timeline(kg.reader).total
    with pytest.raises(ViewError):
        timeline(kg.reader, Filters(types=("no-such-kind",)))


def test_map_country_totals_equal_cases_in_country(kg, files_graph):
    m = case_map(kg.reader)
    expected: dict[str, int] = defaultdict(int)
    for c in _kind_cases(files_graph):
        for country in set(files_graph.objects(c, KMT.country)):
            expected[str(country)] += 1
    assert m.country_counts() == dict(expected)
    # the library query agrees for Indonesia
    res = kg.query("cases-in-country", country="country:id")
    assert m.country_counts()["https://w3id.org/kemitraan/id/country/id"] == len({r[0] for r in res.rows}) > 30
    assert iso2_of("https://w3id.org/kemitraan/id/country/id") == "ID"
    indonesia = next(c for c in m.countries if c.iso2 == "ID")
    assert indonesia.iso_numeric == "360"
    jakarta = next(p for p in m.places if p.label["en"] == "Jakarta")
    assert -7 < jakarta.lat < -6 and 106 < jakarta.lon < 107
    assert len(m.places) > 20
    # the gazetteer, for places without their own coordinates
    lat, lon = gazetteer_point({"id": "Kota Surakarta", "en": "Surakarta"}, "ID")
    assert -8 < lat < -7 and 110 < lon < 111
    assert gazetteer_point({"en": "Bandung Regency"}, "ID") is not None  # affix dropped
    assert gazetteer_point({"en": "Nowhere-at-all"}, "ID") is None


def test_map_uses_the_places_own_coordinates():
    with KnowledgeGraph.load(HOSTILE, bundled=False) as k:
        m = case_map(k.reader)
    place = next(p for p in m.places if p.iri.endswith("kgt-xss"))
    assert (place.lat, place.lon, place.source) == (-6.2, 106.8, "data")


def test_chart_of_a_library_query_holds_its_rows(kg):
    res = kg.query("cases-by-type")
    t = query_table(kg.reader, "cases-by-type", chart="bar")
    assert (t.category, t.value) == ("type", "cases")
    assert sorted((ci, v) for ci, _s, v in t.values()) == sorted((str(r[0]), float(r[1].toPython())) for r in res.rows)
    spec = query_spec(t, "en")
    assert len(spec["data"]["values"]) == len(res.rows) == 4
    heat = query_table(kg.reader, "partnership-profile", chart="heatmap")
    assert heat.series and len(heat.rows) == len(kg.query("partnership-profile").rows)
    with pytest.raises(ViewError, match="two category columns"):
        query_table(kg.reader, "cases-by-type", chart="heatmap")
    with pytest.raises(ViewError, match="SELECT"):
        query_table(kg.reader, "ASK { ?s ?p ?o }")


def _svg_texts(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))


@pytest.mark.slow
def test_static_figures_open_with_real_readers(kg, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    t = timeline(kg.reader)
    svg = figure_bytes(timeline_spec(t, "id"), "svg")
    texts = _svg_texts(svg)
    for word in ("Lini masa kemitraan", "Jenis kemitraan", "Kasus", "Mulai", "Berakhir", "Kemitraan antarnegara"):
        assert word in texts
    assert "Partnership kind" not in texts
    png = figure_bytes(timeline_spec(t, "en", width=400, height=150), "png", dpi=144)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.width > 800  # 2x scale at 144 dpi
    assert round(img.info["dpi"][0]) == 144
    m = case_map(kg.reader)
    pdf = figure_bytes(map_spec(m, "en"), "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "Partnership map" in text and "Cases" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
               or "/FontFile3" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
               for f in fonts.values())
    # a query chart through write_chart, sized
    out = write_chart(kg.reader, "query", tmp_path / "q.svg", query="cases-by-sector", chart="bar", width=300)
    texts = _svg_texts((tmp_path / "q.svg").read_bytes())
    assert "Infrastructure" in texts and out.value == "cases"
    assert 'width="' in (tmp_path / "q.svg").read_text()[:400]


def test_hostile_labels_stay_escaped_in_figures_and_pages(tmp_path):
    with KnowledgeGraph.load(HOSTILE, bundled=False) as k:
        t = write_chart(k.reader, "timeline", tmp_path / "t.svg")
        write_chart(k.reader, "map", tmp_path / "m.html")
    texts = _svg_texts((tmp_path / "t.svg").read_bytes())
    assert '<b onmouseover="window.__x=1">kind</b>' in texts  # drawn as text, parsed as XML fine
    page = (tmp_path / "m.html").read_text()
    assert "<img src=x" not in page and "</script><script>window" not in page
    assert page.count("<script") == 4 and t.total == 6


def test_overview_page_escapes_and_links_relative_files():
    page = render_overview([ViewLink("map.html", {"id": "Peta", "en": "Map"}, {"id": "x", "en": "y"})],
                           {"cases": 3, "actors": 2, "triples": 9,
                            "kinds": [{"label": {"id": "<b>j</b>", "en": "<b>k</b>"}, "count": 3}]}, "id")
    data = json.loads(page.split('id="overview-data">')[1].split("</script>")[0])
    assert data["counts"] == {"cases": 3, "actors": 2, "triples": 9}
    assert data["links"][0]["file"] == "map.html" and "<b>" not in page.split("<body>")[1].split("<script>")[0]
    assert "Kemitraan adalah kerja sama" in page and "A partnership is mutually beneficial" in page
    with pytest.raises(ViewError):
        render_overview([ViewLink("../x.html", {"en": "x"})], {}, "en")


def test_cli_viz_timeline_map_and_chart(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["viz", "timeline", "--type", "international", "-o", str(tmp_path / "t.html")])
    assert r.exit_code == 0, r.output
    assert "wrote" in r.output and (tmp_path / "t.html").read_text().startswith("<!DOCTYPE html>")
    r = runner.invoke(cli, ["viz", "map", "--chart", "bar", "-o", str(tmp_path / "m.html")])
    assert r.exit_code == 2 and "--chart" in r.output
    r = runner.invoke(cli, ["viz", "stakeholders", "--chart", "bar", "-o", str(tmp_path / "s.html")])
    assert r.exit_code == 2 and "--chart" in r.output
    r = runner.invoke(cli, ["viz", "query", "--chart", "bar", "-o", str(tmp_path / "q.html")])
    assert r.exit_code == 2 and "--query" in r.output
    r = runner.invoke(cli, ["viz", "timeline", "--type", "nope", "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 2 and r.output.count("Error:") == 1 and "Traceback" not in r.output
    assert not (tmp_path / "x.html").exists()
    r = runner.invoke(cli, ["viz", "timeline", "--width", "300", "-o", str(tmp_path / "y.html")])
    assert r.exit_code == 2


@pytest.mark.slow
def test_cli_subprocess_writes_a_chart_figure(run_cli, tmp_path):
    out = tmp_path / "chart.svg"
    r = run_cli("viz", "query", "--query", "cases-by-type", "--chart", "bar", "--lang", "id", "-o", str(out),
                "--width", "400")
    assert r.returncode == 0, r.stderr
    assert "4 rows" in r.stderr
    texts = _svg_texts(out.read_bytes())
    assert "Kemitraan antarnegara" in texts and "Berapa banyak kemitraan untuk setiap jenis?" in texts


@pytest.mark.slow
def test_demo_writes_an_index_linking_every_view(kg, tmp_path):
    from kemitraan_graph.demo import DEMO_CHARTS, DEMO_VIEWS, write_index, write_views

    pages = write_views(kg, tmp_path, "en")
    index = write_index(kg, tmp_path, pages, "en")
    data = json.loads(index.read_text().split('id="overview-data">')[1].split("</script>")[0])
    assert [x["file"] for x in data["links"]] == [f"{v}.html" for v in (*DEMO_VIEWS, *DEMO_CHARTS)]
    assert all((tmp_path / x["file"]).exists() for x in data["links"])
    assert data["counts"]["cases"] == sum(k["n"] for k in data["kinds"]) > 50
    assert len(data["kinds"]) == 4


# --- issue #13: pages read only what they draw; a click lists the cases ------------------------------

FILTER_CASES = [
    Filters(),
    Filters(types=("triple-helix",), from_year=2015),
    Filters(sectors=("infrastructure",)),
    Filters(countries=("id",), sectors=("health",), from_year=2010, to_year=2020),
    Filters(to_year=2000),
    Filters(actor_kinds=("Company",)),
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: f.describe() or "none")
def test_chart_filters_keep_what_the_network_views_keep(kg, filters):
    """The timeline and map read the filters with a query each; the network views' case model is the check."""
    from kemitraan_graph.network.filters import select
    from kemitraan_graph.network.model import load_model, year_of

    kept = {i: c for i, c in select(load_model(kg.reader), filters).cases.items() if c.types}
    t = timeline(kg.reader, filters)
    m = case_map(kg.reader, filters)
    assert t.total == m.total == len(kept) > 0
    starts = {i for i, c in kept.items() if c.start and year_of(c.start) is not None}
    assert {c for b in t.bars if b.event == "start" for c in b.cases} == starts
    countries: dict[str, set[str]] = defaultdict(set)
    for i, c in kept.items():
        for country in c.countries:
            countries[country].add(i)
    assert {c.iri: set(c.case_iris) for c in m.countries} == countries


def test_unknown_filter_values_are_refused_as_before(kg):
    for f in (Filters(types=("no-such-kind",)), Filters(sectors=("no-such-sector",)),
              Filters(countries=("no-such-country",))):
        with pytest.raises(ViewError, match="unknown"):
            timeline(kg.reader, f)
        with pytest.raises(ViewError, match="unknown"):
            case_map(kg.reader, f)


def test_click_lists_equal_the_data_files(kg, files_graph):
    """What a click on a bar or a country lists: the cases of that year / country, with their
    labels and sources, against the data files read by rdflib alone."""
    from kemitraan_graph.render.charts import map_panel, timeline_panel

    t = timeline(kg.reader)
    panel = timeline_panel(t)
    starts: dict[int, set[str]] = defaultdict(set)
    for c in _kind_cases(files_graph):
        years = [int(str(v)[:4]) for v in files_graph.objects(c, SCHEMA.startDate)]
        if years:
            starts[min(years)].add(str(c))
    listed = {int(y): {panel["cases"][i]["iri"] for i in idx} for y, idx in panel["groups"]["start"].items()}
    assert listed == dict(starts)
    for entry in panel["cases"]:
        iri = URIRef(entry["iri"])
        assert sorted(entry["s"]) == sorted(str(s) for s in files_graph.objects(iri, URIRef(
            "http://purl.org/dc/terms/source")))
        labels = {o.language: str(o) for o in files_graph.objects(iri, URIRef(
            "http://www.w3.org/2000/01/rdf-schema#label"))}
        assert entry["l"] == [labels["id"], labels["en"]]
        assert panel["kinds"][entry["k"]] in [[k.label["id"], k.label["en"]] for k in t.kinds]

    m = case_map(kg.reader)
    mp = map_panel(m)
    expected: dict[str, set[str]] = defaultdict(set)
    for c in _kind_cases(files_graph):
        for country in set(files_graph.objects(c, KMT.country)):
            expected[str(country)].add(str(c))
    for c in m.countries:
        if c.iso_numeric:
            assert {mp["cases"][i]["iri"] for i in mp["countries"][c.iso_numeric]["c"]} == expected[c.iri]
    indonesia = mp["countries"]["360"]
    assert indonesia["l"] == ["Indonesia", "Indonesia"] and len(indonesia["c"]) == len(expected[
        "https://w3id.org/kemitraan/id/country/id"]) > 30
    jakarta = next(i for i, p in enumerate(m.places) if p.label["en"] == "Jakarta")
    assert {mp["cases"][i]["iri"] for i in mp["places"][jakarta]["c"]} == set(m.places[jakarta].case_iris) != set()


def test_the_page_draws_the_title_once_and_a_figure_keeps_it(kg, tmp_path):
    write_chart(kg.reader, "timeline", tmp_path / "t.html", lang="id")
    page = (tmp_path / "t.html").read_text()
    data = json.loads(page.split('id="chart-data">')[1].split("</script>")[0])
    assert data["title"] == ["Lini masa kemitraan", "Partnership timeline"]
    assert all("title" not in spec for spec in data["specs"].values())  # the header shows it
    assert "<h1 id=\"title\">Lini masa kemitraan</h1>" in page
    t = timeline(kg.reader)
    assert timeline_spec(t, "id")["title"]["text"] == "Lini masa kemitraan"  # figures keep theirs
