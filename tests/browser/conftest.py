"""Real Chromium for the HTML views: one browser per session, every request to a host blocked
and counted, console errors collected."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (make chromium installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@dataclass
class Watched:
    """A page and what it tried to do: requests to anything but file:/data:, console errors."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def check(self) -> None:
        assert self.blocked == [], f"requests to other hosts: {self.blocked}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture
def open_page(browser):
    """open_page(path) -> Watched, after the page says it has drawn (kemitraanView.ready)."""
    opened: list[tuple[object, Watched]] = []

    def _open(path: Path, viewport: dict | None = None) -> Watched:
        ctx = browser.new_context(viewport=viewport or {"width": 1280, "height": 800})
        page = ctx.new_page()
        w = Watched(page)
        ctx.route("**/*", w.route)
        page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: w.errors.append(f"page error: {e}"))
        opened.append((ctx, w))
        page.goto(path.as_uri())
        page.evaluate("() => window.kemitraanView.ready")
        return w

    yield _open
    for ctx, _w in opened:
        ctx.close()
    for _ctx, w in opened:
        w.check()
