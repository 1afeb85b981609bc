"""Resolvable IRIs: ``/id/...`` and ``/ontology`` served by ``kemitraan serve``, by content negotiation.

The server runs as a real subprocess on a free loopback port, over the small fixture plus one
actor with a hostile label (tests/browser/test_resource_browser.py opens its page in Chromium).
"""

from __future__ import annotations

import json
import re
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kemitraan_graph.serve.app import CSP

from .helpers import ROOT, SMALL, kemitraan_server

ID = "https://w3id.org/kemitraan/id/"
KMT = "https://w3id.org/kemitraan/ontology#"
HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'
HOSTILE_TTL = f"""@prefix kmt: <{KMT}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}org/hostile> a kmt:Company ; rdfs:label {json.dumps(HOSTILE)}@en , "Aktor jahat"@id .
<{ID}case/test-road> kmt:hasPartner <{ID}org/hostile> .
"""
#: (path, a triple its RDF must hold): a case, an actor, an ontology term
RESOURCES = [
    ("/id/case/test-road", (URIRef(ID + "case/test-road"), RDFS.label, Literal("Test road", lang="en"))),
    ("/id/org/test-company", (URIRef(ID + "org/test-company"), RDF.type, URIRef(KMT + "Company"))),
    ("/ontology", (URIRef(KMT + "Partnership"), RDF.type, OWL.Class)),
]


@contextmanager
def resource_server(*options: str) -> Iterator[str]:
    """``kemitraan serve`` on the small fixture + the hostile actor; stopped afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp) / "hostile.ttl"
        extra.write_text(HOSTILE_TTL, encoding="utf-8")
        with kemitraan_server([SMALL, extra], *options) as base:
            yield base


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with resource_server() as base:
        yield base


def get(url: str, accept: str | None = None, **headers: str) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers={**({"Accept": accept} if accept else {}), **headers})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def page_data(body: bytes) -> dict:
    m = re.search(rb'<script type="application/json" id="resource-data">(.*?)</script>', body, re.S)
    assert m, body[:300]
    return json.loads(m.group(1))


@pytest.mark.slow
@pytest.mark.parametrize(("path", "triple"), RESOURCES)
def test_negotiation(server, path, triple):
    # a browser's Accept header: the HTML page, with the CSP
    status, headers, body = get(server + path, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers["content-security-policy"] == CSP
    assert page_data(body)["iri"] == (str(triple[0]) if path != "/ontology" else KMT.rstrip("#"))
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt")):
        status, headers, body = get(server + path, accept)
        assert status == 200, (path, accept, body[:200])
        assert headers["content-type"].split(";")[0] == accept
        g = Graph().parse(data=body.decode("utf-8"), format=fmt)
        assert triple in g, (path, accept)
        assert "Accept" in headers["vary"]


@pytest.mark.slow
def test_unknown_iri_and_unacceptable(server):
    assert get(server + "/id/case/no-such-case", "text/turtle")[0] == 404
    assert get(server + "/id/case/no-such-case", "text/html")[0] == 404
    assert get(server + "/id/case/test-road", "image/png")[0] == 406
    assert get(server + "/id/case/test-road?format=ttl", "text/html")[2].startswith(b"@prefix")
    assert get(server + "/id/case/test-road?lang=fr")[0] == 400


@pytest.mark.slow
def test_page_content(server):
    data = page_data(get(server + "/id/case/test-road")[2])
    assert data["label"] == "Test road" and data["definitions"] == ["A test case."]
    assert data["sources"] == [{"kind": "iri", "iri": "https://example.org/test-road",
                                "label": "https://example.org/test-road",
                                "href": "https://example.org/test-road"}]
    objects = {(s["p"]["iri"], s["o"].get("iri", s["o"]["label"])) for s in data["statements"]}
    assert (KMT + "country", ID + "country/test-land") in objects
    # project IRIs link to this server, the participations (blank nodes) are shown with their parts
    agreement = next(s["o"] for s in data["statements"] if s["p"]["iri"] == KMT + "agreement")
    assert agreement["href"] == "/id/agreement/test-road-concession"
    parts = [s["parts"] for s in data["statements"] if s["p"]["iri"] == KMT + "hasParticipation"]
    assert len(parts) == 2 and all(any(p["p"]["iri"].endswith("#member") for p in ps) for ps in parts)
    # Indonesian, by parameter and by Accept-Language
    assert page_data(get(server + "/id/case/test-road?lang=id")[2])["label"] == "Jalan uji"
    assert page_data(get(server + "/id/case/test-road", **{"Accept-Language": "id-ID,id;q=0.9"})[2])["label"] \
        == "Jalan uji"
    actor = page_data(get(server + "/id/org/test-company")[2])
    cases = {(c["case"]["iri"], c["role"]["iri"] if c["role"] else None) for c in actor["cases"]}
    assert cases == {(ID + "case/test-road", KMT + "role-private-party"),
                     (ID + "case/test-lab", KMT + "role-technical-partner")}
    assert {i["s"]["iri"] for i in actor["incoming"]} >= {ID + "case/test-road", ID + "case/test-lab"}
    onto = page_data(get(server + "/ontology")[2])
    term = next(t for t in onto["terms"] if t["iri"] == KMT + "Partnership")
    assert term["anchor"] == "Partnership" and term["labels"]["id"] and term["definitions"]


def test_base_rewrites_links(small_kg):
    from kemitraan_graph.serve.resource import ResourcePages

    pages = ResourcePages(small_kg.reader, base="https://example.org/kg")
    assert pages.iri_of("/id/case/test-road") == ID + "case/test-road"
    data = pages.resource_data(ID + "case/test-road", "en")
    hrefs = {s["o"].get("href") for s in data["statements"] if s["o"]["kind"] == "iri"}
    assert "https://example.org/kg/id/agreement/test-road-concession" in hrefs
    assert "https://example.org/kg/ontology#GovernmentPrivateCommunityPartnership" in {
        t["href"] for t in data["types"]}
    assert pages.resource_data(ID + "case/no-such-case", "en") is None


def test_w3id_rules_point_at_the_paths():
    rules = (ROOT / "w3id" / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteEngine on" in rules
    for path in ("^id/(.*)$", "^ontology$"):
        assert path in rules
    assert "R=303" in rules
