"""A resource page of ``kemitraan serve`` in real Chromium: drawn, linked, a hostile label stays text,
and no request leaves the server."""

from __future__ import annotations

import pytest

from tests.test_resource_pages import HOSTILE, ID, resource_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_resource_page_in_chromium(browser):
    with resource_server() as base:
        ctx = browser.new_context()
        elsewhere: list[str] = []
        errors: list[str] = []

        def route(r):
            if r.request.url.startswith(base + "/"):
                r.continue_()
            else:
                elsewhere.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(base + "/id/org/hostile")
            page.wait_for_selector("h1")
            assert page.inner_text("h1") == HOSTILE  # the label is text, not markup
            assert page.locator("#resource img").count() == 0
            assert page.title() == HOSTILE + " · Kemitraan Graph"
            # the case it takes part in links to the case's page on this server
            page.click(f'a[title="{ID}case/test-road"]')
            page.wait_for_url(base + "/id/case/test-road")
            page.wait_for_selector("h1")
            assert page.inner_text("h1") == "Test road"
            assert "A test case." in page.inner_text("#resource")
            # the ontology page, scrolled to a term
            page.goto(base + "/ontology?lang=id#Partnership")
            page.wait_for_selector("article#Partnership")
            assert page.locator("article#Partnership h3").inner_text() == "Kemitraan"
        finally:
            ctx.close()
        assert elsewhere == []
        assert errors == []
