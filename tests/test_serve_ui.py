"""What the query page at ``/`` asks ``kemitraan serve`` for: ``/prefixes``, ``/labels``, ``/view``,
and the vendored editor under ``/static/vendor/`` (the page itself: tests/browser/test_query_ui.py)."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from kemitraan_graph.namespaces import PREFIXES
from kemitraan_graph.resources import asset
from kemitraan_graph.serve.ui import page_csp

from .test_serve import http, running_server

ID = "https://w3id.org/kemitraan/id/"


@pytest.fixture(scope="module")
def server():
    with running_server() as base:
        yield base


def _json(base: str, path: str, data: bytes | None = None) -> tuple[int, object]:
    headers = {"Content-Type": "application/json"} if data is not None else {}
    status, _h, body = http(base + path, data=data, headers=headers)
    return status, (json.loads(body) if status == 200 else body)


def test_page_csp_reads_the_meta_policy():
    page = '<html><head><meta http-equiv="Content-Security-Policy" content="script-src &#x27;sha256-x&#x27;">'
    assert page_csp(page) == "script-src 'sha256-x'; frame-ancestors 'none'"
    assert page_csp("<html><head></head>") is None


def test_vendored_editor_has_its_licence():
    vendor = asset("serve", "static", "vendor")
    assert "MIT License" in (vendor / "LICENSE-CODEMIRROR-MIT").read_text(encoding="utf-8")
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for name in ("codemirror.js", "codemirror.css", "sparql.js", "show-hint.js", "show-hint.css"):
        assert (vendor / name).is_file() and f"`{name}`" in readme


@pytest.mark.slow
def test_prefixes_and_static_editor(server):
    status, got = _json(server, "/prefixes")
    assert status == 200 and got == PREFIXES
    for name, media in (("codemirror.js", "text/javascript"), ("sparql.js", "text/javascript"),
                        ("show-hint.js", "text/javascript"), ("codemirror.css", "text/css")):
        status, headers, body = http(server + "/static/vendor/" + name)
        assert status == 200 and headers["Content-Type"].startswith(media), name
        assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "CodeMirror" in http(server + "/static/vendor/codemirror.js")[2]
    status, headers, body = http(server + "/")
    assert "/static/vendor/codemirror.js" in body and "<textarea" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.slow
def test_labels(server):
    road, outside, bad = ID + "case/test-road", "https://example.org/x", "javascript:alert(1)"
    status, got = _json(server, "/labels?lang=id", json.dumps([road, outside, bad, 7]).encode())
    assert status == 200
    assert got == {road: {"label": "Jalan uji", "href": "/id/case/test-road"},
                   outside: {"href": outside}, bad: {}}  # no label known; a javascript: IRI is no link
    status, got = _json(server, "/labels?" + urllib.parse.urlencode({"iri": road, "lang": "en"}))
    assert status == 200 and got == {road: {"label": "Test road", "href": "/id/case/test-road"}}
    status, got = _json(server, "/labels?lang=xx&iri=" + urllib.parse.quote(road))
    assert got[road]["label"] == "Test road"  # an unknown language falls back to the default
    assert _json(server, "/labels", b"{not json")[0] == 400
    assert _json(server, "/labels", b'{"iri": 1}')[0] == 400
    assert _json(server, "/labels", b"[" + b'"x",' * 700_000 + b'"x"]')[0] == 413


@pytest.mark.slow
def test_view_draws_a_query_with_the_page_policy(server, tmp_path):
    status, headers, body = http(server + "/view?name=co-partners&actor=org_:test-ministry&lang=id")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    csp = headers["Content-Security-Policy"]
    assert "'sha256-" in csp and "'self'" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "connect-src 'none'" in csp
    assert page_csp(body) == csp
    assert "Kementerian Uji" in body and '<html lang="id"' in body
    text = ("SELECT ?source ?target WHERE { ?c kmt:hasParticipation/org:member ?source , ?target "
            "FILTER(?source != ?target) }")
    status, _h, body = http(server + "/view?" + urllib.parse.urlencode({"query": text}))
    assert status == 200 and "Test Company" in body
    # query text is never read as a file path or a library name
    rq = tmp_path / "secret.rq"
    rq.write_text(f"SELECT ?source ?target WHERE {{ BIND(<{ID}x> AS ?source) BIND(<{ID}y> AS ?target) }}",
                  encoding="utf-8")
    status, _h, body = http(server + "/view?" + urllib.parse.urlencode({"query": str(rq)}))
    assert status == 400
    assert http(server + "/view?query=co-partners")[0] == 400
    assert http(server + "/view")[0] == 400
    assert http(server + "/view?name=co-partners&query=ASK%7B%7D")[0] == 400
    assert http(server + "/view?query=ASK%7B%7D&actor=x")[0] == 400
    assert http(server + "/view?name=no-such-query")[0] == 404
    status, headers, body = http(server + "/view?name=cases-of-actor&actor=org_:test-ministry")
    assert status == 400 and "?source" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
