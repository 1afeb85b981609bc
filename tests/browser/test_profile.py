"""The partnership profile page in real Chromium: no request out, cells list their cases, ID/EN, hostile text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.charts.profile import profile
from kemitraan_graph.render import render_profile, write_profile

pytestmark = pytest.mark.browser

FIX = Path(__file__).resolve().parent.parent / "fixtures"
XSS_CASE = "https://w3id.org/kemitraan/id/case/kgt-xss-script"
HOSTILE_ROWS = {"https://w3id.org/kemitraan/id/country/kgt-xss", "https://w3id.org/kemitraan/ontology#sector-kgt-xss"}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled data's profile (by kind) and its page."""
    with KnowledgeGraph.load() as kg:
        p = profile(kg.reader)
    path = tmp_path_factory.mktemp("profile") / "profile.html"
    path.write_text(render_profile(p, "en"), encoding="utf-8")
    return path, p


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Pages of the hostile fixtures, rows by country and by sector."""
    files = [FIX / "network" / "small.ttl", FIX / "network" / "xss.ttl", FIX / "profile" / "xss.ttl"]
    out = tmp_path_factory.mktemp("hostile")
    with KnowledgeGraph.load(files, bundled=False) as kg:
        return {by: (out / f"{by}.html", write_profile(kg.reader, out / f"{by}.html", by=by, lang=lang))
                for by, lang in (("country", "en"), ("sector", "id"))}


def cell(page, r: int, c: int):
    return page.locator(f'#heatmap td.cell[data-row="{r}"][data-col="{c}"]')


def test_heatmap_draws_every_cell_with_counts_on_hover(open_page, bundled):
    path, p = bundled
    w = open_page(path)
    page = w.page
    assert page.locator("#heatmap tbody tr").count() == len(p.rows) == 4
    assert page.locator("#heatmap td.cell").count() == 4 * len(p.columns) == 36
    for r, row in enumerate(p.rows):
        for c, col in enumerate(p.columns):
            td = cell(page, r, c)
            k = p.cell(row.iri, col.iri).count
            assert td.get_attribute("data-count") == str(k)
            assert f": {k} of {row.cases} cases (" in td.get_attribute("title")
    # darker for a larger share
    r, row = 0, p.rows[0]
    counts = [p.cell(row.iri, col.iri).count for col in p.columns]
    hi, lo = counts.index(max(counts)), counts.index(min(counts))
    bg = [cell(page, r, i).evaluate("e => getComputedStyle(e).backgroundColor") for i in (hi, lo)]
    assert bg[0] != bg[1]
    assert sum(int(x) for x in bg[0][4:-1].split(",")) < sum(int(x) for x in bg[1][4:-1].split(","))
    w.check()


def test_clicking_a_cell_lists_its_cases_with_sources(open_page, bundled):
    path, p = bundled
    w = open_page(path)
    page = w.page
    r, c = 0, 0
    expected = p.cell(p.rows[r].iri, p.columns[c].iri)
    assert expected.count > 0
    cell(page, r, c).click()
    items = page.locator("#case-list > li")
    assert items.count() == expected.count
    assert [items.nth(i).get_attribute("data-iri") for i in range(items.count())] == [k.iri for k in expected.cases]
    first = expected.cases[0]
    links = items.nth(0).locator("ul.sources a")
    assert sorted(links.nth(i).get_attribute("href") for i in range(links.count())) == sorted(first.sources)
    assert links.nth(0).get_attribute("rel") == "noopener noreferrer"
    assert page.text_content("#details-title") == f"{p.columns[c].label['en']} × {p.rows[r].label['en']}"
    assert cell(page, r, c).get_attribute("aria-pressed") == "true"
    w.check()


def test_language_toggle_translates_the_header(open_page, bundled):
    path, p = bundled
    w = open_page(path)
    page = w.page

    def words() -> dict:
        return {
            "title": page.text_content("#title"),
            "by": page.text_content("#by-head"),
            "n": page.text_content("#n-head"),
            "groups": page.locator("#heatmap th.group").all_text_contents(),
            "cols": page.locator("#heatmap th.col").all_text_contents(),
            "rows": page.locator("#heatmap tbody th").all_text_contents(),
            "hint": page.text_content("#details"),
            "lang": page.evaluate("() => document.documentElement.lang"),
        }

    en = words()
    assert en["title"] == "Partnership profile by kind" and en["by"] == "Partnership kind" and en["n"] == "Cases"
    assert en["groups"] == ["Benefits claimed", "Characteristics evidenced"]
    assert en["cols"] == [c.label["en"] for c in p.columns] and en["rows"] == [r.label["en"] for r in p.rows]
    page.click("#lang-id")
    idn = words()
    assert idn["title"] == "Profil kemitraan menurut jenis" and idn["by"] == "Jenis kemitraan"
    assert idn["n"] == "Kasus" and idn["lang"] == "id"
    assert idn["groups"] == ["Manfaat yang diklaim", "Karakteristik yang dibuktikan"]
    assert idn["cols"] == [c.label["id"] for c in p.columns] and idn["rows"] == [r.label["id"] for r in p.rows]
    assert idn["hint"].startswith("Klik sel")
    assert page.get_attribute("#lang-id", "aria-pressed") == "true"
    assert " dari " in cell(page, 0, 0).get_attribute("title")
    cell(page, 0, 0).click()
    assert page.text_content("#case-list .sources-title") == "Sumber:"
    page.click("#lang-en")
    assert words()["title"] == en["title"]
    assert page.text_content("#case-list .sources-title") == "Sources:"
    w.check()


@pytest.mark.parametrize("by", ["country", "sector"])
def test_hostile_labels_stay_text_and_run_no_script(open_page, hostile, by):
    path, p = hostile[by]
    w = open_page(path)
    page = w.page
    assert page.evaluate("() => window.__x") is None
    assert page.locator("#heatmap img, #heatmap svg, #heatmap script, #heatmap b").count() == 0
    row = next(i for i, r in enumerate(p.rows) if r.iri in HOSTILE_ROWS)
    heads = page.locator("#heatmap tbody th").all_text_contents()
    assert heads[row] == p.rows[row].label["id" if by == "sector" else "en"]
    assert "window.__x=1" in heads[row]
    col = next(i for i, c in enumerate(p.columns) if p.cell(p.rows[row].iri, c.iri).cases)
    cell(page, row, col).click()
    item = page.locator(f'#case-list > li[data-iri="{XSS_CASE}"]')
    assert item.locator(".case").text_content() == "</script><script>window.__x=1</script>"
    hrefs = [a.get_attribute("href") for a in item.locator("a").all()]
    assert hrefs == ["https://example.org/safe?a=1&b=2"]  # javascript: and data: stay text
    assert item.locator("ul.sources span").count() == 2
    page.click("#lang-id" if by == "country" else "#lang-en")
    assert page.evaluate("() => window.__x") is None
    assert page.locator("#details img, #details svg, #details script").count() == 0
    w.check()
