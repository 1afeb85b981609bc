"""``kemitraan docs`` in real Chromium: offline (no request to another host), ID/EN switch, stable anchors,
an extension project's terms beside the core's."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

NS = "https://example.org/village/ontology#"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Docs of a project made by ``kemitraan init`` (real subprocesses of the console script)."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "kemitraan"
    root = tmp_path_factory.mktemp("docs")
    env = {**os.environ, "NO_COLOR": "1"}
    run = [str(exe) if exe.exists() else shutil.which("kemitraan") or "kemitraan"]
    res = subprocess.run(run + ["init", str(root / "village"), "--prefix", "vil", "--namespace", NS],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    res = subprocess.run(run + ["--no-bundled", "docs", "-o", str(root / "site"), "--lang", "id"],
                         cwd=root / "village", capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    page = root / "site" / "index.html"
    assert page.is_file()
    return page


def test_docs_page_is_offline_and_switches_language(site, open_page):
    w = open_page(site)
    page = w.page
    assert page.inner_text("#Partnership h3") == "Kemitraan"  # Indonesian first (--lang id)
    assert "Definisi" in page.inner_text("#Partnership")
    text = page.inner_text("#Partnership")
    assert "Bentuk SHACL" in text and "kmt:PartnershipShape" in text
    page.click("#lang-en")
    assert page.inner_text("#Partnership h3") == "Partnership"
    text = page.inner_text("#Partnership")
    assert "Definition" in text and "Definisi" not in text
    # the project's subtype, under its parent kind, both ways
    sub = page.inner_text("#vil-VillageEnterprisePartnership")
    assert "Village enterprise partnership" in sub and "Government–private–community partnership" in sub
    assert "Village enterprise partnership" in page.inner_text("#GovernmentPrivateCommunityPartnership")
    assert page.inner_text("#query-example h3") == "Village enterprise partnerships of this project"
    page.click("#lang-id")
    assert page.inner_text("#query-example h3") == "Kemitraan BUMDes dalam proyek ini"
    assert page.inner_text("#sector-water h3") == "Air minum dan sanitasi"


def test_docs_anchor_opens_at_its_term(site, open_page):
    w = open_page(site)
    w.page.goto(site.as_uri() + "#TripleHelixPartnership")
    w.page.evaluate("() => window.kemitraanView.ready")
    top = w.page.evaluate("() => document.getElementById('TripleHelixPartnership').getBoundingClientRect().top")
    assert 0 <= top < 200
    csp = w.page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
