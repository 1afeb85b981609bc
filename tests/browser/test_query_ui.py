"""The query page at ``/`` of ``kemitraan serve`` in real Chromium: the editor (CodeMirror, prefix
completion), a library query with a parameter, rows with labels linked, CSV and JSON downloads, the
share URL, the network view; a hostile label stays text; no request leaves the server."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, SMALL, kemitraan_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ID = "https://w3id.org/kemitraan/id/"
XSS = FIXTURES / "network" / "xss.ttl"


def ui_server(*data: Path):
    """``kemitraan serve --no-bundled`` on ``data`` at a free loopback port; stopped afterwards."""
    return kemitraan_server(list(data))


class Watch:
    """A browser context whose requests to anything but ``base`` are blocked and counted."""

    def __init__(self, browser, base: str):
        self.base, self.elsewhere, self.errors = base, [], []
        self.ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        self.ctx.route("**/*", self.route)

    def route(self, r) -> None:
        if r.request.url.startswith(self.base + "/"):
            r.continue_()
        else:
            self.elsewhere.append(r.request.url)
            r.abort()

    def page(self):
        page = self.ctx.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        return page


def _editor_text(page) -> str:
    return page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")


def _cells(page) -> list[list[str]]:
    return page.eval_on_selector_all("#results tbody tr",
                                     "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))")


def test_query_page_in_chromium(browser, tmp_path):
    with ui_server(SMALL) as base:
        w = Watch(browser, base)
        try:
            page = w.page()
            page.goto(base + "/?lang=en")
            page.evaluate("() => window.kemitraanQuery.ready")
            # the editor is CodeMirror with SPARQL highlighting, and completes the server's prefixes
            assert page.locator(".CodeMirror").count() == 1
            assert page.locator(".CodeMirror .cm-keyword").count() > 0  # SELECT, WHERE … highlighted
            page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT * { ?s a km')")
            page.evaluate("() => { const cm = document.querySelector('.CodeMirror').CodeMirror;"
                          " cm.focus(); cm.setCursor(cm.lineCount(), 0); }")
            page.keyboard.press("Control+Space")
            page.wait_for_selector(".CodeMirror-hints")
            hints = page.eval_on_selector_all(".CodeMirror-hint", "els => els.map(e => e.textContent)")
            assert hints and all(h.startswith("km") for h in hints)
            assert any(h.startswith("kmt:") for h in hints)
            page.keyboard.press("Enter")
            assert _editor_text(page).endswith("?s a kmt:")

            # pick a library query (titles in the chosen language), fill its parameter, run
            page.select_option("#library", "co-partners")
            assert "VALUES" in _editor_text(page) or "?source" in _editor_text(page)  # its text is shown
            page.fill("#param-actor", "org_:test-ministry")
            page.click("#run")
            page.wait_for_function("() => /row\\(s\\)/.test(document.getElementById('status').textContent)")
            rows = _cells(page)
            assert len(rows) == 2
            shown = {r[1] for r in rows}
            assert shown == {"Test Company", "Test University"}  # labels, not IRIs
            assert {r[0] for r in rows} == {"Ministry of Tests"}
            link = page.locator("#results tbody a", has_text="Test Company").first
            assert link.get_attribute("href") == "/id/org/test-company"
            assert link.get_attribute("title") == ID + "org/test-company"

            # download as CSV and JSON: the raw values
            with page.expect_download() as dl:
                page.click("#download-csv")
            got = tmp_path / "results.csv"
            dl.value.save_as(got)
            table = list(csv.reader(io.StringIO(got.read_text(encoding="utf-8"))))
            assert table[0] == ["source", "target", "weight"]
            assert sorted(table[1:]) == [[ID + "org/test-ministry", ID + "org/test-company", "2"],
                                         [ID + "org/test-ministry", ID + "org/test-university", "1"]]
            with page.expect_download() as dl:
                page.click("#download-json")
            got = tmp_path / "results.json"
            dl.value.save_as(got)
            assert len(json.loads(got.read_text(encoding="utf-8"))["results"]["bindings"]) == 2

            # the share URL of a library query reopens it with its parameter, and runs it
            share = page.get_attribute("#share", "href")
            assert share.startswith("/?") and "name=co-partners" in share
            view = page.get_attribute("#view-network", "href")
            assert page.locator("#view-network").is_visible()
            page2 = w.page()
            page2.goto(base + share)
            page2.evaluate("() => window.kemitraanQuery.ready")
            assert page2.input_value("#library") == "co-partners"
            assert page2.input_value("#param-actor") == "org_:test-ministry"
            assert len(_cells(page2)) == 2

            # a query of one's own: its share URL gives the same text back in the editor
            page2.select_option("#library", "")
            text = ('SELECT ?case ?label WHERE {\n  ?case a kmt:Partnership ; rdfs:label ?label .\n'
                    '  FILTER(lang(?label) = "id") # "quoted" & <b>not markup</b>\n} ORDER BY ?case')
            page2.evaluate("t => document.querySelector('.CodeMirror').CodeMirror.setValue(t)", text)
            page2.click("#run")
            page2.wait_for_function("() => /row\\(s\\)/.test(document.getElementById('status').textContent)")
            assert [r[1] for r in _cells(page2)] == ["Lab uji @id", "Jalan uji @id"]
            share2 = page2.get_attribute("#share", "href")
            assert urllib.parse.parse_qs(share2[2:])["query"] == [text]
            page3 = w.page()
            page3.goto(base + share2)
            page3.evaluate("() => window.kemitraanQuery.ready")
            assert _editor_text(page3) == text
            assert len(_cells(page3)) == 2

            # view as network: the project's renderer, its own policy, drawn from the same query
            page.goto(base + view)
            page.evaluate("() => window.kemitraanView.ready")
            labels = page.evaluate("() => JSON.parse(document.getElementById('graph-data').textContent)"
                                   ".nodes.map(n => n.l[1])")
            assert sorted(labels) == ["Ministry of Tests", "Test Company", "Test University"]
        finally:
            w.ctx.close()
        assert w.elsewhere == []
        assert w.errors == []


def test_hostile_labels_stay_text(browser):
    with ui_server(XSS) as base:
        w = Watch(browser, base)
        try:
            page = w.page()
            query = ("SELECT ?s ?l WHERE { ?s rdfs:label ?l "
                     "FILTER(lang(?l) = 'en' && STRSTARTS(STR(?s), '" + ID + "')) } ORDER BY ?s")
            page.goto(base + "/?" + urllib.parse.urlencode({"query": query, "lang": "en"}))
            page.evaluate("() => window.kemitraanQuery.ready")
            rows = _cells(page)
            assert len(rows) == 3
            # each IRI is shown as its label, as text; the literal column the same text
            assert {r[0] for r in rows} == {r[1].removesuffix(" @en") for r in rows}
            assert any("<img src=x" in r[0] for r in rows)
            assert page.locator("#results img, #results script, #results svg, #results b").count() == 0
            hrefs = page.eval_on_selector_all("#results a", "as => as.map(a => a.getAttribute('href'))")
            assert len(hrefs) == 3 and all(h.startswith("/id/") for h in hrefs)
            # the sources: a javascript: and a data: IRI are not links
            page.evaluate("t => document.querySelector('.CodeMirror').CodeMirror.setValue(t)",
                          "SELECT ?src WHERE { ?c <http://purl.org/dc/terms/source> ?src } ORDER BY ?src")
            page.click("#run")
            page.wait_for_function("() => /row\\(s\\)/.test(document.getElementById('status').textContent)")
            assert len(_cells(page)) == 3
            hrefs = page.eval_on_selector_all("#results a", "as => as.map(a => a.getAttribute('href'))")
            assert hrefs == ["https://example.org/safe?a=1&b=2"]
            assert page.evaluate("() => window.__x") is None
        finally:
            w.ctx.close()
        assert w.elsewhere == []
        assert w.errors == []
