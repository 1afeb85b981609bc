"""Legible networks in real Chromium at 1500x950, in both languages: every node inside the canvas
on the first paint, no two drawn labels overlapping, every legend, filter and panel word in the
chosen language, the concepts view's concept labels all drawn; no request to another host; a
hostile label stays text. Screenshots are kept in pytest's tmp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.network import build_view
from kemitraan_graph.render import render_html

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWS = ["stakeholders", "actors", "concepts", "ontology", "query"]
QUERY = "SELECT ?source ?target WHERE { ?source kmt:hasParticipation ?p . ?p org:member ?target }"
SIZE = {"width": 1500, "height": 950}
KMT = "https://w3id.org/kemitraan/ontology#"
FIX = Path(__file__).resolve().parent.parent / "fixtures" / "network"
#: panel words every page shows: element id -> key of the page's word table
PANEL = {"legend-title": "legend", "fit": "fit", "size-label": "sizeBy"}

GEOMETRY = """() => {
  const v = window.kemitraanView, net = v.network, box = document.getElementById('network');
  const w = box.clientWidth, h = box.clientHeight, s = net.getScale(), pos = net.getPositions();
  const outside = [];
  for (const id in pos) {
    const d = net.canvasToDOM(pos[id]), r = v.nodes.get(Number(id)).size * s;
    if (d.x - r < 0 || d.y - r < 0 || d.x + r > w || d.y + r > h) outside.push(id);
  }
  return {w, h, outside, n: Object.keys(pos).length, labels: v.labels()};
}"""

WORDS = """() => {
  const data = JSON.parse(document.getElementById('graph-data').textContent);
  const keys = data.keys, terms = data.terms;
  return {
    words: window.kemitraanView.words,
    groups: data.groups.map(g => g.label),
    legend: [...document.querySelectorAll('#legend li')].map(li => li.querySelector('span').textContent),
    summaries: [...document.querySelectorAll('#filters summary')].map(s => [s.parentElement.id, s.textContent]),
    options: [...document.querySelectorAll('#filters input')].map(i => [terms[keys.indexOf(i.value)],
                                                                        i.nextElementSibling.textContent]),
    sizes: [...document.querySelectorAll('#size-by option')].map(o => [o.value, o.textContent]),
    panel: Object.fromEntries(['legend-title', 'fit', 'size-label'].map(id => [id,
                                document.getElementById(id).textContent])),
    hint: document.querySelector('#details p').textContent,
    status: document.getElementById('status').textContent,
  };
}"""


@pytest.fixture(scope="module")
def pages(kg, tmp_path_factory):
    """(view, lang) -> page path, from the bundled graph."""
    out = tmp_path_factory.mktemp("legible")
    made = {}
    for view in VIEWS:
        for lang in ("en", "id"):
            g = build_view(kg.reader, view, lang=lang, query=QUERY if view == "query" else None)
            path = out / f"{view}-{lang}.html"
            path.write_text(render_html(g, lang=lang), encoding="utf-8")
            made[(view, lang)] = path
    return made


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
                    and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]):
                bad.append((a["text"], b["text"]))
    return bad


def check_words(page, lang: str) -> dict:
    got = page.evaluate(WORDS)
    li, other = (0, 1) if lang == "id" else (1, 0)
    words, own = got["words"], got["words"][lang]
    # the table itself: every word differs between the languages (but the IRI)
    for key, value in words["en"].items():
        if isinstance(value, str) and key != "iri":
            assert value != words["id"][key], key
    assert (words["id"]["legend"], words["en"]["legend"]) == ("Keterangan", "Legend")
    for text, pair in zip(got["legend"], got["groups"], strict=True):
        assert text == (pair[li] or pair[other])
        if pair[0] and pair[1] and pair[0] != pair[1]:
            assert text != pair[other]
    for elem, key in PANEL.items():
        assert got["panel"][elem] == own[key]
    for facet_id, text in got["summaries"]:
        assert text.startswith(own["facet"][facet_id.removeprefix("filter-")])
    for pair, text in got["options"]:
        if pair and pair[0] and pair[1]:
            assert text == pair[li]
    assert [t for _v, t in got["sizes"]] == [own[v] for v, _t in got["sizes"]]
    assert got["hint"] == own["hint"]
    assert (" dari " in got["status"]) == (lang == "id")
    return got


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("view", VIEWS)
def test_first_paint_is_legible(open_page, pages, view, lang, tmp_path):
    w = open_page(pages[(view, lang)], viewport=SIZE)
    page = w.page
    page.wait_for_timeout(50)
    geo = page.evaluate(GEOMETRY)
    assert geo["n"] > 20 and geo["outside"] == [], f"{len(geo['outside'])} nodes outside the canvas"
    labels = geo["labels"]
    assert len(labels) >= 20  # the most important nodes are named at overview zoom
    assert overlapping(labels) == []
    assert all(b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["w"] <= geo["w"] and b["y"] + b["h"] <= geo["h"]
               for b in labels)
    got = check_words(page, lang)
    if view == "query":  # class code names show as their labels
        assert not any(t.isidentifier() and t[0].isupper() and any(c.isupper() for c in t[1:])
                       for t in got["legend"])
    shot = tmp_path / f"{view}-{lang}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    w.check()  # no request to another host, no console error


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_concept_label_is_drawn(open_page, pages, kg, lang):
    w = open_page(pages[("concepts", lang)], viewport=SIZE)
    page = w.page
    page.wait_for_timeout(50)
    g = build_view(kg.reader, "concepts", lang=lang)
    concepts = {d["label_id" if lang == "id" else "label_en"] for _n, d in g.nodes(data=True) if d["kind"] != "case"}
    assert len(concepts) >= 40
    overview = page.evaluate("() => window.kemitraanView.labels()")
    drawn = {b["text"] for b in overview}
    assert concepts - drawn == set()
    # zooming in on a kind's block names more of its cases, still without overlaps
    page.evaluate("""() => { const v = window.kemitraanView, net = v.network;
        const data = JSON.parse(document.getElementById('graph-data').textContent);
        const head = data.nodes.find(n => n.a === 't');
        net.moveTo({position: {x: head.x, y: head.y + 90}, scale: net.getScale() * 3, animation: false}); }""")
    zoomed = page.evaluate("() => window.kemitraanView.labels()")
    new = {b["id"] for b in zoomed} - {b["id"] for b in overview}
    assert overlapping(zoomed) == [] and len(new) >= 3
    w.check()


def test_language_switch_redraws_labels_in_the_other_language(open_page, pages, kg):
    w = open_page(pages[("ontology", "en")], viewport=SIZE)
    page = w.page
    en = {b["text"] for b in page.evaluate("() => window.kemitraanView.labels()")}
    assert "Konsep" not in en and "Keanggotaan" not in en
    g = build_view(kg.reader, "ontology")
    assert g.nodes["http://www.w3.org/2004/02/skos/core#Concept"]["label_en"] == "Concept"
    page.click("#lang-id")
    check_words(page, "id")
    ids = {b["text"] for b in page.evaluate("() => window.kemitraanView.labels()")}
    assert ids != en and overlapping(page.evaluate("() => window.kemitraanView.labels()")) == []
    w.check()


def test_hostile_label_is_drawn_as_text(open_page, tmp_path):
    with KnowledgeGraph.load([FIX / "small.ttl", FIX / "xss.ttl"], bundled=False) as kg_:
        g = build_view(kg_.reader, "stakeholders")
    path = tmp_path / "xss.html"
    path.write_text(render_html(g), encoding="utf-8")
    w = open_page(path, viewport=SIZE)
    page = w.page
    drawn = [b["text"] for b in page.evaluate("() => window.kemitraanView.labels()")]
    assert "</script><script>window.__x=1</script>" in drawn  # on the canvas, as text
    assert page.evaluate("() => window.__x") is None
    assert page.locator("img").count() == 0 and page.locator("#network script").count() == 0
    w.check()


@pytest.mark.parametrize("size", [(1024, 700), (1920, 1080)], ids=["small", "large"])
def test_first_paint_fits_any_window(open_page, pages, size):
    w = open_page(pages[("actors", "en")], viewport={"width": size[0], "height": size[1]})
    geo = w.page.evaluate(GEOMETRY)
    assert geo["outside"] == [] and overlapping(geo["labels"]) == [] and len(geo["labels"]) >= 10
    w.page.set_viewport_size({"width": 1300, "height": 800})  # a resize before any zoom frames it again
    w.page.wait_for_timeout(400)
    geo = w.page.evaluate(GEOMETRY)
    assert geo["outside"] == [] and overlapping(geo["labels"]) == []
    w.check()
