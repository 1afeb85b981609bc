"""Timeline, map, query chart and overview pages in real Chromium at 1500x950, in both languages:
no request out, no console error, every legend/panel word in the chosen language, hostile text stays text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.demo import write_index
from kemitraan_graph.render.charts import write_chart

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIX = Path(__file__).resolve().parent.parent / "fixtures"
HOSTILE = [FIX / "network" / "small.ttl", FIX / "network" / "xss.ttl", FIX / "profile" / "xss.ttl",
           FIX / "charts" / "xss.ttl"]
SCREEN = {"width": 1500, "height": 950}
#: words each page draws, per language (legend titles, axis titles, facet headers, notes, page title)
WORDS = {
    "timeline": {"id": ["Lini masa kemitraan", "Jenis kemitraan", "Kasus", "Tahun", "Mulai", "Berakhir",
                        "Kemitraan antarnegara", "dengan tahun mulai"],
                 "en": ["Partnership timeline", "Partnership kind", "Cases", "Year", "Started", "Ended",
                        "International partnership", "with a start year"]},
    "map": {"id": ["Peta kemitraan", "Kasus", "Tempat (kasus)", "tempat tanpa koordinat", "Peta dasar"],
            "en": ["Partnership map", "Cases", "Place (cases)", "places without coordinates", "Basemap"]},
    "query": {"id": ["Berapa banyak kemitraan untuk setiap jenis?", "Kemitraan antarnegara", "baris"],
              "en": ["How many partnerships are there of each type?", "International partnership", "rows"]},
    "index": {"id": ["Graf dalam angka", "Tampilan", "Kemitraan adalah kerja sama", "Lini masa", "Peta", "Aktor"],
              "en": ["The graph in numbers", "Views", "A partnership is mutually beneficial", "Timeline", "Map",
                     "Actors"]},
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    with KnowledgeGraph.load() as kg:
        paths = {"timeline": out / "timeline.html", "map": out / "map.html", "query": out / "query.html"}
        write_chart(kg.reader, "timeline", paths["timeline"])
        write_chart(kg.reader, "map", paths["map"])
        write_chart(kg.reader, "query", paths["query"], query="cases-by-type", chart="bar")
        paths["index"] = write_index(kg, out, [paths["timeline"], paths["map"]], "en")
    return paths


def page_text(page) -> str:
    return page.evaluate("() => document.body.innerText + ' ' + "
                         "Array.from(document.querySelectorAll('#chart svg text')).map(t => t.textContent).join(' ')")


@pytest.mark.parametrize("view", ["timeline", "map", "query", "index"])
def test_every_word_in_the_chosen_language(open_page, pages, view):
    w = open_page(pages[view], viewport=SCREEN)
    page = w.page
    for lang, other in (("en", "id"), ("id", "en"), ("en", "id")):
        page.evaluate(f"() => window.kemitraanView.setLang('{lang}')")
        page.evaluate("() => window.kemitraanView.ready")
        text = page_text(page)
        for word in WORDS[view][lang]:
            assert word in text, (lang, word)
        for word in WORDS[view][other]:
            if word not in WORDS[view][lang] and not any(word in x for x in WORDS[view][lang]):
                assert word not in text, (lang, word)
        assert page.evaluate("() => document.documentElement.lang") == lang
    if view != "index":
        box = page.locator("#chart svg").bounding_box()
        assert box["width"] > 300 and box["x"] + box["width"] <= SCREEN["width"]
        assert page.locator("#chart svg path, #chart svg rect").count() > 3
    w.check()


def test_links_of_the_index_open_the_pages(open_page, pages):
    w = open_page(pages["index"], viewport=SCREEN)
    hrefs = w.page.evaluate("() => Array.from(document.querySelectorAll('#views a')).map(a => a.href)")
    assert [h.rsplit("/", 1)[1] for h in hrefs] == ["timeline.html", "map.html"]
    w.page.locator("#views a").nth(1).click()
    w.page.wait_for_function("() => window.kemitraanView && window.kemitraanView.data.view === 'map'")
    w.page.evaluate("() => window.kemitraanView.ready")
    w.check()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile-charts")
    with KnowledgeGraph.load(HOSTILE, bundled=False) as kg:
        write_chart(kg.reader, "timeline", out / "t.html")
        write_chart(kg.reader, "map", out / "m.html", lang="id")
        write_chart(kg.reader, "query", out / "q.html", chart="bar", query=(
            "SELECT ?case (1 AS ?n) WHERE { ?case a <https://w3id.org/kemitraan/ontology#"
            "GovernmentPrivateCommunityPartnership> }"))
    return out


@pytest.mark.parametrize(("name", "text"), [
    ("t.html", '<b onmouseover="window.__x=1">kind</b>'),
    ("m.html", "</script><script>window.__x=1</script>tempat"),
    ("q.html", "</script><script>window.__x=1</script>"),
])
def test_hostile_label_stays_text(open_page, hostile, name, text):
    w = open_page(hostile / name, viewport=SCREEN)
    page = w.page
    texts = page.evaluate("() => Array.from(document.querySelectorAll('#chart svg text')).map(t => t.textContent)")
    assert any(t == text or (t.endswith("\u2026") and text.startswith(t[:-1])) for t in texts)  # maybe ellipsised
    assert page.evaluate("() => document.querySelectorAll('script').length") == 4  # data, vega, interpreter, page
    assert page.evaluate("() => document.querySelectorAll('#chart b, #chart img, body > b, body > img').length") == 0
    page.locator("#chart svg").hover()
    assert page.evaluate("() => window.__x") is None
    w.check()
