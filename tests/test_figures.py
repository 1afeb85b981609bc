"""Static figures (render/figure.py) opened with real readers; the concepts view's designed layout;
bilingual names in the ontology and query views; the page's palette and shapes."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kemitraan_graph import KnowledgeGraph, ViewError
from kemitraan_graph.charts.profile import profile
from kemitraan_graph.cli import cli
from kemitraan_graph.network import build_view
from kemitraan_graph.render import figure
from kemitraan_graph.render import page as render_page

FIX = Path(__file__).resolve().parent / "fixtures" / "network"
KMT = "https://w3id.org/kemitraan/ontology#"
CASE = "https://w3id.org/kemitraan/id/case/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def net_kg():
    graph = KnowledgeGraph.load([FIX / "small.ttl", FIX / "xss.ttl"], bundled=False)
    yield graph
    graph.close()


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()  # a real XML parser: the file must be well-formed
    assert root.tag == SVG + "svg"
    return ["".join(t.itertext()) for t in root.iter(SVG + "text")]


def pdf_text(path: Path) -> tuple[str, set[str]]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    embedded = set()
    for p in reader.pages:
        for font in (p["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for desc in [font.get("/FontDescriptor")] + [
                d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts") or []
            ]:
                if desc is not None and any(k in desc.get_object() for k in ("/FontFile2", "/FontFile3")):
                    embedded.add(str(font.get("/BaseFont")))
    return text, embedded


@pytest.mark.slow
def test_network_figures_open_and_hold_their_labels(net_kg, tmp_path):
    g = build_view(net_kg.reader, "stakeholders")
    svg = figure.write_network_figure(g, tmp_path / "s.svg", width=600, height=450)
    texts = svg_texts(tmp_path / "s.svg")
    assert svg.format == "svg" and svg.labels and set(svg.labels) <= set(texts)
    assert "Example toll road PPP" in texts and "Government body (2)" in svg.legend
    assert all(line in texts for entry in svg.legend for line in figure.wrap(entry, 30))
    assert svg.title == "Stakeholder network: partnerships and their parties" and svg.title in texts
    # a hostile label is drawn as text: the SVG stays well-formed and holds no script element
    assert "</script><script>window.__x=1</script>" in texts
    assert not list(ET.parse(tmp_path / "s.svg").getroot().iter(SVG + "script"))

    pdf = figure.write_network_figure(g, tmp_path / "s.pdf", lang="id", width=600, height=450)
    text, fonts = pdf_text(tmp_path / "s.pdf")
    assert "KPBU Jalan Tol Contoh" in pdf.labels and "KPBU Jalan Tol Contoh" in text
    assert "Pemerintah (2)" in pdf.legend and "Government body (2)" not in pdf.legend
    assert fonts and all("DejaVu" in f for f in fonts)  # TrueType, embedded

    from PIL import Image

    png = figure.write_network_figure(g, tmp_path / "s.png", width=600, height=450, dpi=144)
    with Image.open(tmp_path / "s.png") as im:
        im.load()
        assert im.size == (1200, 900) and im.format == "PNG"
        assert im.info.get("Title") == png.title
        colours = {c for _n, c in im.convert("RGB").getcolors(maxcolors=1 << 20)}
    groups = render_page.graph_payload(g)["groups"]
    found = [gr["color"] for gr in groups if tuple(int(gr["color"][i : i + 2], 16) for i in (1, 3, 5)) in colours]
    assert len(found) == len(groups)  # every group's colour is painted


@pytest.mark.slow
def test_figure_labels_do_not_overlap_and_stay_inside(kg, tmp_path):
    g = build_view(kg.reader, "stakeholders")
    fig, info = figure.network_figure(g, width=720, height=560)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == len(info.labels) >= 40
    for i, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 + 0.5 and frame.y0 <= a.y0 and a.y1 <= frame.y1 + 0.5
        for b in boxes[i + 1 :]:
            assert not (a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5)


def test_concepts_figure_shows_every_concept(kg, tmp_path):
    g = build_view(kg.reader, "concepts")
    info = figure.write_network_figure(g, tmp_path / "c.svg")
    texts = " ".join(svg_texts(tmp_path / "c.svg"))
    concepts = [d["label_en"] for _n, d in g.nodes(data=True) if d["kind"] != "case"]
    assert len(concepts) >= 40
    missing = [c for c in concepts if " ".join(figure.wrap(c)) not in info.labels]
    assert missing == []
    for c in concepts:
        for line in figure.wrap(c):
            assert line in texts


@pytest.mark.slow
def test_profile_figure(kg, tmp_path):
    p = profile(kg.reader, lang="id")
    info = figure.write_profile_figure(kg.reader, tmp_path / "p.svg", lang="id")
    texts = svg_texts(tmp_path / "p.svg")
    for r in p.rows:
        assert f"{r.label['id']} ({r.cases})" in texts
    # every cell writes its count and share (two lines), row by row: the profile's own numbers
    expected = []
    for r in p.rows:
        for c in p.columns:
            cell = p.cell(r.iri, c.iri)
            expected += [str(cell.count), f"{cell.share:.0%}"] if r.cases else ["0"]
    start = texts.index(expected[0])
    assert texts[start : start + len(expected)] == expected
    assert sum(int(x) for x in expected[::2]) == sum(v for v in p.counts().values()) > 0
    assert info.legend == ["Manfaat", "Karakteristik"] and set(info.legend) <= set(texts)
    assert "Profil kemitraan menurut jenis" in texts
    figure.write_profile_figure(kg.reader, tmp_path / "p.pdf", by="sector")
    text, fonts = pdf_text(tmp_path / "p.pdf")
    assert "Infrastructure" in text and "Benefits" in text and fonts


def test_bad_figure_arguments(net_kg, tmp_path):
    g = build_view(net_kg.reader, "actors")
    with pytest.raises(ViewError, match="figure"):
        figure.write_network_figure(g, tmp_path / "x.gif")
    with pytest.raises(ViewError, match="dpi"):
        figure.write_network_figure(g, tmp_path / "x.png", dpi=0)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_clean_text_is_drawable(text):
    out = figure.clean_text(text)
    chars = figure._charmap()
    assert all(ch == " " or ch == "?" or ord(ch) in chars for ch in out)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in out)


def test_wrap_breaks_at_spaces_and_dashes():
    assert figure.wrap("Kemitraan organisasi non-pemerintah–pemerintah–masyarakat") == [
        "Kemitraan organisasi",
        "non-pemerintah–",
        "pemerintah–masyarakat",
    ]
    assert figure.wrap("Trust") == ["Trust"]


# --- the concepts view's designed layout ---------------------------------------------------


def test_concepts_view_has_fixed_anchors(kg):
    g = build_view(kg.reader, "concepts")
    pos, side = g.graph["positions"], g.graph["label_side"]
    assert set(pos) == set(g)
    kinds = {n: d["kind"] for n, d in g.nodes(data=True)}
    assert {kinds[n] for n in side} == {"type", "sector", "benefit", "characteristic"}
    assert all(side[n] == "left" for n in g if kinds[n] == "sector")
    assert all(side[n] == "right" for n in g if kinds[n] in ("benefit", "characteristic"))
    assert all(side[n] == "above" for n in g if kinds[n] == "type")
    lefts = sorted(pos[n][1] for n in g if kinds[n] == "sector")
    assert min(b - a for a, b in zip(lefts, lefts[1:], strict=False)) >= 30  # one slot each
    assert max(pos[n][0] for n in g if kinds[n] == "sector") < min(pos[n][0] for n in g if kinds[n] == "case")
    # every case sits in the block under its kind: nearer its own kind than any other
    types = [n for n in g if kinds[n] == "type"]
    for c in (n for n in g if kinds[n] == "case"):
        own = [t for t in types if g.has_edge(c, t)][0]
        dist = {t: (pos[t][0] - pos[c][0]) ** 2 + (pos[t][1] - pos[c][1]) ** 2 for t in types}
        assert min(dist, key=dist.get) == own
    data = render_page.graph_payload(g)
    assert data["pinned"] is True
    anchors = {n["iri"]: n.get("a") for n in data["nodes"] if n.get("a")}
    assert anchors[KMT + "benefit-reach-impact"] == "r" and anchors[KMT + "TripleHelixPartnership"] == "t"
    assert {(n["x"], n["y"]) for n in data["nodes"] if n["iri"] == KMT + "TripleHelixPartnership"} == {
        tuple(round(v) for v in pos[KMT + "TripleHelixPartnership"])
    }


def test_other_views_are_not_pinned(net_kg):
    data = render_page.graph_payload(build_view(net_kg.reader, "stakeholders"))
    assert data["pinned"] is False and not any("a" in n for n in data["nodes"])


# --- names in both languages ---------------------------------------------------------------


def test_ontology_view_names_reused_terms_in_english(tmp_path):
    ttl = tmp_path / "o.ttl"
    ttl.write_text(
        "@prefix kmt: <https://w3id.org/kemitraan/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        'skos:Concept a owl:Class ; rdfs:label "Konsep"@id .\n'
        'org:FormalOrganization a owl:Class ; rdfs:label "Organisasi formal"@id .\n'
        'org:hasMember a owl:ObjectProperty ; rdfs:label "memiliki anggota"@id .\n'
        'kmt:Sector a owl:Class ; rdfs:label "Sektor"@id , "Sector"@en ; rdfs:subClassOf skos:Concept .\n'
        'kmt:Consortium a owl:Class ; rdfs:label "Konsorsium"@id , "Consortium"@en ;'
        " rdfs:subClassOf org:FormalOrganization .\n"
        "kmt:consortiumMember a owl:ObjectProperty ; rdfs:subPropertyOf org:hasMember .\n",
        encoding="utf-8",
    )
    with KnowledgeGraph.load([ttl], bundled=False) as kg_:
        g = build_view(kg_.reader, "ontology")
    names = {n: (d["label_id"], d["label_en"]) for n, d in g.nodes(data=True)}
    assert names["http://www.w3.org/2004/02/skos/core#Concept"] == ("Konsep", "Concept")
    assert names["http://www.w3.org/ns/org#FormalOrganization"] == ("Organisasi formal", "Formal organization")
    assert names["http://www.w3.org/ns/org#hasMember"] == ("memiliki anggota", "has member")
    assert names[KMT + "Sector"] == ("Sektor", "Sector")


def test_query_view_legend_names_classes_in_both_languages(kg):
    q = "SELECT ?source ?target WHERE { ?source kmt:hasParticipation ?p . ?p org:member ?target }"
    g = build_view(kg.reader, "query", query=q)
    data = render_page.graph_payload(g, lang="id")
    labels = {gr["key"]: gr["label"] for gr in data["groups"]}
    gov = labels[KMT + "GovernmentBody"]
    texts = kg.reader.label_texts([KMT + "GovernmentBody"])[KMT + "GovernmentBody"]
    assert gov == [texts["id"], texts["en"]] and "GovernmentBody" not in gov
    assert all(not (lab[0] == lab[1] == key.rsplit("#", 1)[-1]) for key, lab in labels.items() if "#" in key)


def test_palette_is_colour_blind_safe_and_company_differs_from_consortium():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert okabe_ito <= set(render_page.PALETTE)
    c = render_page.FIXED_COLOURS
    assert c[KMT + "Company"] != c[KMT + "Consortium"]
    assert render_page.GROUP_SHAPES[KMT + "Company"] != render_page.GROUP_SHAPES[KMT + "Consortium"]
    pairs = [(c[k], render_page.GROUP_SHAPES[k]) for k in render_page.GROUP_SHAPES]
    assert len(set(pairs)) == len(pairs)  # colour and shape together tell every party kind apart


# --- CLI -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_writes_figures(runner, tmp_path):
    out = tmp_path / "concepts.svg"
    r = runner.invoke(cli, ["viz", "concepts", "-o", str(out), "--lang", "id", "--width", "700", "--height", "500"])
    assert r.exit_code == 0, r.output
    assert "Manfaat (5)" in svg_texts(out)
    r = runner.invoke(cli, ["viz", "actors", "-o", str(tmp_path / "a.png"), "--by", "kind"])
    assert r.exit_code == 2 and "--by belongs to the profile view" in r.output
    r = runner.invoke(cli, ["viz", "profile", "-o", str(tmp_path / "p.png"), "--size-by", "degree"])
    assert r.exit_code == 2 and "--size-by" in r.output


@pytest.mark.slow
def test_cli_figure_subprocess(run_cli, tmp_path):
    out = tmp_path / "profile.pdf"
    r = run_cli("viz", "profile", "-o", str(out), "--by", "sector", "--lang", "id")
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stderr and "pdf" in r.stderr
    text, fonts = pdf_text(out)
    assert "Infrastruktur" in text and "Manfaat" in text and fonts
