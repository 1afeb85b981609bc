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


# --- a click lists the cases (issue #13): checked against the data files read by rdflib alone ---------

KMT = "https://w3id.org/kemitraan/ontology#"
SCHEMA_START = "https://schema.org/startDate"


@pytest.fixture(scope="module")
def files_graph():
    from rdflib import Graph

    from kemitraan_graph.resources import data_dir

    g = Graph()
    for f in sorted(data_dir().rglob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def _kind_cases(g) -> set[str]:
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kemitraan_graph.namespaces import PARTNERSHIP_TYPES

    return {str(s) for k in PARTNERSHIP_TYPES for s in g.subjects(RDF.type, URIRef(k))}


def _listed(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('#case-list > li')).map(li => li.dataset.iri)")


def _click_center(page, js_find: str) -> str:
    """Click (a real mouse click) the centre of the element ``js_find`` returns; returns its aria-label."""
    found = page.evaluate(f"""() => {{ const e = ({js_find})(); if (!e) return null;
        const r = e.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2, e.getAttribute('aria-label') || '',
                document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === e]; }}""")
    assert found is not None and found[3], "the mark is not clickable at its centre"
    page.mouse.click(found[0], found[1])
    return found[2]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_clicking_a_bar_lists_the_cases_of_that_year(open_page, pages, files_graph, lang):
    from rdflib import URIRef

    cases = _kind_cases(files_graph)
    starts: dict[int, set[str]] = {}
    for c in cases:
        years = [int(str(v)[:4]) for v in files_graph.objects(URIRef(c), URIRef(SCHEMA_START))]
        if years:
            starts.setdefault(min(years), set()).add(c)
    # the busiest year (several kinds stacked) and a year with one case
    busy = max(starts, key=lambda y: (len(starts[y]), y))
    single = min(y for y in starts if len(starts[y]) == 1)
    w = open_page(pages["timeline"], viewport=SCREEN)
    page = w.page
    page.evaluate(f"() => window.kemitraanView.setLang('{lang}')")
    page.evaluate("() => window.kemitraanView.ready")
    year_word, event_word = ("Year", "Event: Started") if lang == "en" else ("Tahun", "Peristiwa: Mulai")
    hint = page.text_content("#details-hint")
    assert hint.startswith("Click a bar" if lang == "en" else "Klik batang")
    for year in (busy, single):
        label = _click_center(page, f"""() => Array.from(document.querySelectorAll('#chart svg .mark-rect path'))
            .find(e => (e.getAttribute('aria-label') || '').includes('{year_word}: {year};')
                       && (e.getAttribute('aria-label') || '').includes('{event_word}'))""")
        assert f"{year_word}: {year};" in label
        listed = _listed(page)
        assert sorted(listed) == sorted(starts[year]) and len(listed) == len(set(listed))
        title = page.text_content("#details-title")
        assert title == (f"Started in {year}" if lang == "en" else f"Mulai pada {year}")
        n = len(starts[year])
        assert page.text_content("#details-summary") == (
            (f"{n} cases" if n != 1 else "1 case") if lang == "en" else f"{n} kasus")
    # the listed names are the cases' labels in the chosen language, their sources links
    first = page.locator("#case-list > li").nth(0)
    iri = first.get_attribute("data-iri")
    names = {str(o.value) for o in files_graph.objects(URIRef(iri), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
             if o.language == lang}
    assert first.locator(".case").text_content() in names
    hrefs = first.locator("ul.sources a").evaluate_all("els => els.map(a => a.href)")
    expected = {str(s) for s in files_graph.objects(URIRef(iri), URIRef("http://purl.org/dc/terms/source"))}
    assert hrefs and set(hrefs) <= expected
    assert first.locator(".sources-title").text_content() == ("Sources:" if lang == "en" else "Sumber:")
    w.check()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_clicking_a_country_lists_its_cases(open_page, pages, files_graph, lang):
    from rdflib import URIRef

    from kemitraan_graph.charts.geo import iso2_of, iso_numeric_codes

    per_country: dict[str, set[str]] = {}
    for c in _kind_cases(files_graph):
        for country in files_graph.objects(URIRef(c), URIRef(KMT + "country")):
            per_country.setdefault(str(country), set()).add(c)
    numeric = iso_numeric_codes()
    by_code = {numeric[iso2_of(k)]: v for k, v in per_country.items() if iso2_of(k) in numeric}
    w = open_page(pages["map"], viewport=SCREEN)
    page = w.page
    page.evaluate(f"() => window.kemitraanView.setLang('{lang}')")
    page.evaluate("() => window.kemitraanView.ready")
    # the shaded countries whose centre shows the country itself (not a place's circle or the sea)
    targets = page.evaluate("""() => Array.from(document.querySelectorAll('#chart svg .mark-shape path'))
        .map(e => { const r = e.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
                    const d = e.__data__ && e.__data__.datum;
                    return d && d.n && document.elementFromPoint(x, y) === e ? [x, y, String(d.id), d.name] : null; })
        .filter(Boolean)""")
    assert len(targets) >= 3
    for x, y, code, name in sorted(targets, key=lambda t: -len(by_code.get(t[2], ())))[:3]:
        page.mouse.click(x, y)
        assert page.text_content("#details-title") == name
        assert sorted(_listed(page)) == sorted(by_code[code])
    w.check()


@pytest.mark.parametrize("view", ["timeline", "map", "query"])
def test_the_title_is_shown_once(open_page, pages, view):
    w = open_page(pages[view], viewport=SCREEN)
    page = w.page
    for lang in ("en", "id"):
        page.evaluate(f"() => window.kemitraanView.setLang('{lang}')")
        page.evaluate("() => window.kemitraanView.ready")
        title = page.text_content("#title")
        assert title and title == page.evaluate("() => document.title")
        shown = page.evaluate("() => document.body.innerText")
        assert shown.count(title) == 1, (lang, title)
        svg = page.evaluate("() => Array.from(document.querySelectorAll('#chart svg text')).map(t => t.textContent)")
        assert svg and not any(title in t for t in svg)
    w.check()


def test_hostile_case_labels_in_the_list_stay_text(open_page, hostile):
    w = open_page(hostile / "t.html", viewport=SCREEN)
    page = w.page
    # the hostile case starts in 2020 (tests/fixtures/network/xss.ttl): click its bar
    _click_center(page, """() => Array.from(document.querySelectorAll('#chart svg .mark-rect path'))
        .find(e => (e.getAttribute('aria-label') || '').includes('Year: 2020;')
                   && (e.getAttribute('aria-label') || '').includes('Event: Started'))""")
    texts = page.evaluate("() => Array.from(document.querySelectorAll('#details .case')).map(e => e.textContent)")
    assert "</script><script>window.__x=1</script>" in texts
    assert page.evaluate("() => document.querySelectorAll('#details b, #details img, #details script').length") == 0
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('#details a')).map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("https://") for h in hrefs)  # javascript: and data: stay text
    assert "javascript:window.__x=1" in page.text_content("#details")
    assert page.evaluate("() => window.__x") is None
    w.check()
