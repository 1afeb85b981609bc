"""``kemitraan serve``: the SPARQL 1.1 Protocol endpoint, the library at /queries, the page at /.

The server runs as a real subprocess on a free loopback port; SPARQLWrapper is the client.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.dom.minidom
from collections.abc import Iterator

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

from kemitraan_graph.errors import QueryError
from kemitraan_graph.guard import with_dataset
from kemitraan_graph.loading import graph_iri
from kemitraan_graph.querylib import discover
from kemitraan_graph.runner import UPDATES_GRAPH
from kemitraan_graph.serve import is_loopback
from kemitraan_graph.serve.negotiation import choose_format

from .helpers import ROOT, SMALL, kemitraan_server

CASES = "SELECT ?case ?label WHERE { ?case a kmt:Partnership ; rdfs:label ?label } ORDER BY ?case ?label"
ROAD = "https://w3id.org/kemitraan/id/case/test-road"
CONSTRUCT = f"CONSTRUCT {{ <{ROAD}> ?p ?o }} WHERE {{ <{ROAD}> ?p ?o FILTER(isIRI(?o) || isLiteral(?o)) }}"
#: a cartesian product of the fixture with itself three times (~10^10 rows): never finishes in time
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def running_server(*options: str):
    """``kemitraan serve`` on the small fixture at a free loopback port; always stopped afterwards."""
    return kemitraan_server([SMALL], *options)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as base:
        yield base


def client(base: str, query: str, fmt: str = JSON, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(base + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
    else:
        sw.setMethod(method)
    return sw


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body text) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def get(base: str, query: str, accept: str = "application/sparql-results+json"):
    return http(base + "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


def answer_set(doc: dict) -> set[tuple]:
    """A SPARQL JSON result as a set of rows of (var, type, value, lang or datatype)."""
    return {tuple(sorted((k, t["type"], t["value"], t.get("xml:lang") or t.get("datatype")) for k, t in b.items()))
            for b in doc["results"]["bindings"]}


def api_set(kg, query: str) -> set[tuple]:
    from kemitraan_graph.results import QueryResult

    res: QueryResult = kg.query(query)
    return answer_set(json.loads(res.serialize("sparql-json")))


# --- fast: no server --------------------------------------------------------------------------

def test_negotiation_and_loopback():
    assert choose_format(None, "select") == "sparql-json"
    assert choose_format("text/csv;q=0.5, application/sparql-results+xml", "select") == "sparql-xml"
    assert choose_format("text/*", "select") == "csv"
    assert choose_format("application/ld+json", "graph") == "jsonld"
    assert choose_format("*/*", "graph") == "turtle"
    assert choose_format("image/png", "select") is None
    assert choose_format("text/turtle;q=0, */*;q=0.1", "graph") == "ntriples"
    assert all(is_loopback(h) for h in ("127.0.0.1", "::1", "[::1]", "localhost", "127.1.2.3"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.2", "::", "example.org"))


def test_page_is_offline():
    """The page and its assets name no other host; values are drawn as text, never as HTML."""
    static = ROOT / "kemitraan_graph" / "serve" / "static"
    for name in ("index.html", "app.js", "app.css"):
        text = (static / name).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, name
    js = (static / "app.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js


# --- the endpoint -----------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
def test_select_json_all_methods_equal_the_api(server, small_kg, method):
    doc = client(server, CASES, JSON, method).query().convert()
    assert doc["head"]["vars"] == ["case", "label"]
    assert answer_set(doc) == api_set(small_kg, CASES)
    assert len(doc["results"]["bindings"]) == 4  # two cases, labels in id and en


@pytest.mark.slow
def test_select_xml_and_csv(server, small_kg):
    expected = {(str(c), str(label)) for c, label in small_kg.query(CASES)}
    dom: xml.dom.minidom.Document = client(server, CASES, XML).query().convert()
    rows = set()
    for result in dom.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.firstChild.firstChild.data for b in result.getElementsByTagName("binding")}
        rows.add((values["case"], values["label"]))
    assert rows == expected
    text = client(server, CASES, CSV).query().convert().decode("utf-8")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["case", "label"]
    assert {tuple(r) for r in table[1:]} == expected


@pytest.mark.slow
def test_ask_and_tsv(server):
    assert client(server, "ASK { ?c a kmt:TripleHelixPartnership }").query().convert() == {"head": {}, "boolean": True}
    assert client(server, "ASK { ?c a <https://example.org/Nothing> }").query().convert()["boolean"] is False
    status, headers, body = get(server, CASES, "text/tab-separated-values")
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.splitlines()[0] == "?case\t?label" and f"<{ROAD}>" in body


@pytest.mark.slow
def test_construct_turtle_ntriples_jsonld(server, small_kg):
    expected = small_kg.query(CONSTRUCT).graph()
    assert len(expected) > 5
    turtle = client(server, CONSTRUCT, TURTLE).query().convert()
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), expected)
    status, headers, body = get(server, CONSTRUCT, "application/n-triples")
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert isomorphic(Graph().parse(data=body, format="nt"), expected)
    jsonld = client(server, CONSTRUCT, JSONLD).query().convert()  # SPARQLWrapper parses it into a Graph
    assert isomorphic(jsonld, expected)


@pytest.mark.slow
def test_library_query_equals_the_cli(server, run_cli):
    cli = run_cli("--no-bundled", "--data", str(SMALL), "query", "cases-of-actor", "-p",
                  "actor=org_:test-company", "-f", "sparql-json")
    assert cli.returncode == 0, cli.stderr
    status, headers, body = http(server + "/queries/cases-of-actor?actor=org_:test-company",
                                 headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    assert answer_set(json.loads(body)) == answer_set(json.loads(cli.stdout))
    assert len(json.loads(body)["results"]["bindings"]) == 2
    # the same text through /sparql gives the same answers as the CLI's --text
    cli = run_cli("--no-bundled", "--data", str(SMALL), "query", "--text", CASES, "-f", "sparql-json")
    assert answer_set(client(server, CASES).query().convert()) == answer_set(json.loads(cli.stdout))


@pytest.mark.slow
def test_queries_listing(server):
    status, headers, body = http(server + "/queries")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    listing = {q["name"]: q for q in json.loads(body)}
    assert set(listing) == set(discover())
    q = listing["cases-of-actor"]
    assert q["title"]["id"] and q["title"]["en"] and q["title"]["id"] != q["title"]["en"]
    assert q["params"][0]["name"] == "actor" and q["params"][0]["type"] == "iri"
    assert q["view"] in ("table", "graph")
    assert http(server + "/queries/no-such-query")[0] == 404
    status, _h, body = http(server + "/queries/cases-of-actor?actor=not%20an%20iri")
    assert status == 400 and "actor" in body
    assert http(server + "/queries/cases-of-actor?nope=1")[0] == 400


@pytest.mark.slow
def test_malformed_query_is_400_with_position(server):
    with pytest.raises(QueryBadFormed) as err:
        client(server, "SELECT ?s WHERE { ?s ?p }").query()
    assert "1:26" in str(err.value)
    status, _h, body = get(server, "SELECT ?s WHERE {\n  ?s ?p }")
    assert status == 400 and "2:" in body
    assert http(server + "/sparql")[0] == 400  # no query at all


@pytest.mark.slow
def test_updates_and_network_are_403(server):
    insert = "INSERT DATA { <https://e/s> <https://e/p> <https://e/o> }"
    assert get(server, insert)[0] == 403
    assert http(server + "/sparql", urllib.parse.urlencode({"update": insert}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert http(server + "/sparql", insert.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    status, _h, body = get(server, "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }")
    assert status == 403 and "SERVICE" in body
    status, _h, body = get(server, "SELECT * FROM <https://example.org/remote> WHERE { ?s ?p ?o }")
    assert status == 403
    assert get(server, "ASK { ?s ?p ?o }")[0] == 200  # still serving, nothing changed
    assert get(server, "ASK { <https://e/s> ?p ?o }")[2].strip().endswith("false}")


@pytest.mark.slow
def test_headers_csp_and_no_cors(server):
    for url in ("/", "/static/app.js", "/queries", "/sparql?query=ASK%7B%7D", "/sparql", "/nowhere"):
        status, headers, _body = http(server + url, headers={"Origin": "https://elsewhere.example"})
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp, url
        assert "Access-Control-Allow-Origin" not in headers, url
    status, headers, body = http(server + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "<textarea" in body
    # a graph named by the protocol that is not in the store: refused like FROM
    status, _h, body = http(server + "/sparql?" + urllib.parse.urlencode(
        {"query": "ASK {}", "default-graph-uri": "https://example.org/g"}))
    assert status == 403 and "https://example.org/g" in body
    assert get(server, CASES, "image/png")[0] == 406


@pytest.mark.slow
def test_cors_only_when_asked():
    with running_server("--cors", "https://allowed.example") as base:
        _s, headers, _b = http(base + "/queries", headers={"Origin": "https://allowed.example"})
        assert headers["Access-Control-Allow-Origin"] == "https://allowed.example"
        _s, headers, _b = http(base + "/queries", headers={"Origin": "https://other.example"})
        assert "Access-Control-Allow-Origin" not in headers


# --- limits -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_max_rows_header(server):
    with running_server("--max-rows", "5") as base:
        status, headers, body = get(base, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 200 and headers["X-Kemitraan-Max-Rows"] == "5"
        assert headers["X-Kemitraan-Truncated"] == "true"
        assert len(json.loads(body)["results"]["bindings"]) == 5
        status, headers, body = get(base, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
        assert headers["X-Kemitraan-Max-Rows"] == "5" and "X-Kemitraan-Truncated" not in headers
        assert len(json.loads(body)["results"]["bindings"]) == 3
    _s, headers, _b = get(server, CASES)
    assert headers["X-Kemitraan-Max-Rows"] == "100000" and "X-Kemitraan-Truncated" not in headers


@pytest.mark.slow
def test_timeout_is_503_and_others_still_answer():
    timeout = 3.0
    with running_server("--timeout", str(timeout)) as base:
        slow: dict = {}

        def run_slow() -> None:
            started = time.monotonic()
            slow["answer"] = get(base, SLOW)
            slow["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=run_slow)
        thread.start()
        time.sleep(0.3)
        started = time.monotonic()
        status, _h, body = get(base, "ASK { ?s ?p ?o }")
        quick = time.monotonic() - started
        thread.join(timeout + 5)
        assert status == 200 and "true" in body
        assert quick < 1.0  # answered while the slow one still runs in another worker
        status, _h, body = slow["answer"]
        assert status == 503 and "stopped after 3 s" in body
        assert slow["seconds"] < timeout + 2
        assert get(base, "ASK { ?s ?p ?o }")[0] == 200  # serving on after the runaway query


def test_cli_warns_off_loopback_and_passes_options(runner, monkeypatch):
    """The command parses options and calls one library function (stubbed here: nothing binds)."""
    from kemitraan_graph.cli import cli
    from kemitraan_graph.cli import serve as serve_cli

    calls = []
    monkeypatch.setattr(serve_cli, "run_server", lambda kg, **kw: calls.append(kw))
    args = ["--no-bundled", "--data", str(SMALL), "serve", "--port", "9", "--timeout", "3", "--max-rows", "7"]
    result = runner.invoke(cli, [*args, "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "warning: binding 0.0.0.0, not loopback" in result.stderr
    assert calls[-1] == {"host": "0.0.0.0", "port": 9, "timeout": 3.0, "max_rows": 7, "allow_network": False,
                         "cors": None, "base": "/"}
    result = runner.invoke(cli, args)
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert calls[-1]["host"] == "127.0.0.1"


# --- default-graph-uri / named-graph-uri ------------------------------------------------------

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_with_dataset_replaces_the_dataset_clauses():
    g = "file:///d/a%20b.ttl"
    assert with_dataset("SELECT * FROM <a:x> FROM NAMED <a:y> WHERE { ?s ?p ?o }", [g], []) \
        .split() == ["SELECT", "*", "FROM", f"<{g}>", "WHERE", "{", "?s", "?p", "?o", "}"]
    assert " ".join(with_dataset("PREFIX e: <https://e/> CONSTRUCT { ?s ?p ?o } FROM e:g WHERE { ?s ?p ?o }",
                                 [], [g]).split()) == \
        f"PREFIX e: <https://e/> CONSTRUCT {{ ?s ?p ?o }} FROM NAMED <{g}> WHERE {{ ?s ?p ?o }}"
    assert " ".join(with_dataset("ASK { FILTER EXISTS { ?a ?b ?c } }", [g], [g]).split()) == \
        f"ASK FROM <{g}> FROM NAMED <{g}> {{ FILTER EXISTS {{ ?a ?b ?c }} }}"
    assert with_dataset("DESCRIBE <a:b>", [g], []).split() == ["DESCRIBE", "<a:b>", "FROM", f"<{g}>"]
    assert with_dataset("INSERT DATA {}", [g], []) == "INSERT DATA {}"  # not a query: left to the guard
    with pytest.raises(QueryError):
        with_dataset("ASK {}", ["not an iri"], [])


def _count(doc: dict) -> int:
    return int(doc["results"]["bindings"][0]["n"]["value"])


@pytest.mark.slow
def test_default_graph_uri_restricts_like_from(server, run_cli):
    g = graph_iri(SMALL)
    sw = client(server, COUNT_ALL)
    sw.addDefaultGraph(g)
    restricted = _count(sw.query().convert())
    cli = run_cli("--no-bundled", "--data", str(SMALL), "query", "--text",
                  f"SELECT (COUNT(*) AS ?n) FROM <{g}> WHERE {{ ?s ?p ?o }}", "-f", "sparql-json")
    assert cli.returncode == 0, cli.stderr
    assert restricted == _count(json.loads(cli.stdout))
    everything = _count(client(server, COUNT_ALL).query().convert())
    assert 0 < restricted < everything  # one file's graph, not the union with the ontology
    # the protocol's dataset wins over the query's own FROM (SPARQL 1.1 Protocol 2.1.4)
    ontology = next(iri for iri in _graphs(server) if iri != g and iri.startswith("file:"))
    sw = client(server, f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> WHERE {{ ?s ?p ?o }}", method=POST)
    sw.addDefaultGraph(g)
    assert _count(sw.query().convert()) == restricted
    # and the answer rows equal the CLI's, in a query with reasoning over that file alone
    query = "SELECT ?c WHERE { ?c a kmt:TripleHelixPartnership }"
    sw = client(server, query)
    sw.addDefaultGraph(g)
    cli = run_cli("--no-bundled", "--data", str(SMALL), "query", "--text",
                  query.replace("WHERE", f"FROM <{g}> WHERE"), "-f", "sparql-json")
    assert answer_set(sw.query().convert()) == answer_set(json.loads(cli.stdout)) != set()


def _graphs(base: str) -> set[str]:
    doc = client(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").query().convert()
    return {b["g"]["value"] for b in doc["results"]["bindings"]}


@pytest.mark.slow
def test_named_graph_uri_with_graph_pattern(server):
    g = graph_iri(SMALL)
    assert g in _graphs(server) and len(_graphs(server)) > 1
    sw = client(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    sw.addNamedGraph(g)
    doc = sw.query().convert()
    assert {b["g"]["value"] for b in doc["results"]["bindings"]} == {g}
    # named graphs only: the default graph of that dataset is empty
    status, _h, body = http(server + "/sparql?" + urllib.parse.urlencode(
        [("query", "ASK { ?s ?p ?o }"), ("named-graph-uri", g)]), headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is False
    # a graph that is not in the store is refused, by GET and by POST form
    for method in ("GET", POST):
        sw = client(server, "ASK { GRAPH ?g { ?s ?p ?o } }", method=method)
        sw.addNamedGraph("https://example.org/not-here")
        assert sent(sw) == 403
    status, _h, body = http(server + "/sparql?" + urllib.parse.urlencode(
        [("query", "ASK {}"), ("default-graph-uri", "not an iri")]))
    assert status == 400 and "absolute IRI" in body


# --- SPARQL Update ----------------------------------------------------------------------------

TOKEN = "s3cret-token-for-tests"
NEW_CASE = "https://w3id.org/kemitraan/id/case/test-new"
INSERT_CASE = (f'INSERT DATA {{ <{NEW_CASE}> a kmt:TripleHelixPartnership ; rdfs:label "Kasus baru"@id }}')
COUNT_CASES = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a kmt:Partnership }"
ROAD_LABEL = f'<{ROAD}> rdfs:label "Test road"@en'


def updater(base: str, update: str, token: str | None = None, direct: bool = False) -> SPARQLWrapper:
    sw = SPARQLWrapper(base + "/sparql")
    sw.setMethod(POST)
    if direct:
        sw.setRequestMethod(POSTDIRECTLY)
    sw.setQuery(update)
    if token is not None:
        sw.addCustomHttpHeader("Authorization", f"Bearer {token}")
    return sw


def sent(sw: SPARQLWrapper) -> int:
    """The status of a SPARQLWrapper request whose answer is not needed (the connection closed)."""
    try:
        response = sw.query().response
    except urllib.error.HTTPError as err:
        err.close()
        return err.code
    response.read()
    response.close()
    return response.status


def post_update(base: str, update: str, headers: dict[str, str] | None = None):
    return http(base + "/sparql", update.encode(), {"Content-Type": "application/sparql-update", **(headers or {})})


@pytest.mark.slow
def test_updates_with_a_token_keep_sets_and_reasoning():
    with running_server("--allow-update", "--update-token", TOKEN) as base:
        before = _count(client(base, COUNT_CASES).query().convert())
        assert before == 2
        # no token: 401 with a Bearer challenge; a wrong one: 403; nothing changed
        with pytest.raises(Unauthorized):
            updater(base, INSERT_CASE).query()
        status, headers, _b = post_update(base, INSERT_CASE)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        status, _h, _b = post_update(base, INSERT_CASE, {"Authorization": "Basic " + TOKEN})
        assert status == 401
        assert sent(updater(base, INSERT_CASE, token="wrong")) == 403
        assert _count(client(base, COUNT_CASES).query().convert()) == before
        # with the token: applied; the new case is found as a kmt:Partnership (subclass reasoning)
        assert sent(updater(base, INSERT_CASE, token=TOKEN)) == 200
        assert _count(client(base, COUNT_CASES).query().convert()) == before + 1
        doc = client(base, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{NEW_CASE}> a kmt:TripleHelixPartnership }} }}") \
            .query().convert()
        assert {b["g"]["value"] for b in doc["results"]["bindings"]} == {UPDATES_GRAPH}
        # a second, identical insert changes nothing: the union stays a set
        assert sent(updater(base, INSERT_CASE, token=TOKEN, direct=True)) == 200
        assert _count(client(base, COUNT_CASES).query().convert()) == before + 1
        doc = client(base, f"SELECT ?l WHERE {{ <{NEW_CASE}> rdfs:label ?l }}").query().convert()
        assert len(doc["results"]["bindings"]) == 1
        # DELETE DATA of an asserted triple removes it from the union and from its file's graph
        assert client(base, f"ASK {{ {ROAD_LABEL} }}").query().convert()["boolean"] is True
        status, _h, body = post_update(base, f"DELETE DATA {{ {ROAD_LABEL} }}", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200, body
        assert client(base, f"ASK {{ {ROAD_LABEL} }}").query().convert()["boolean"] is False
        assert client(base, f"ASK {{ GRAPH ?g {{ {ROAD_LABEL} }} }}").query().convert()["boolean"] is False
        # DELETE/INSERT WHERE: the derived types follow (re-typed case still counted, the old type gone)
        status, _h, body = post_update(
            base, f"DELETE {{ ?c a kmt:TripleHelixPartnership }} "
                  f"INSERT {{ ?c a kmt:GovernmentPrivateCommunityPartnership }} "
                  f"WHERE {{ ?c a kmt:TripleHelixPartnership FILTER(?c = <{NEW_CASE}>) }}",
            {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200, body
        retyped = client(base, f"ASK {{ <{NEW_CASE}> a kmt:TripleHelixPartnership }}").query().convert()
        assert retyped["boolean"] is False
        assert _count(client(base, COUNT_CASES).query().convert()) == before + 1
        # the guard still applies to updates: SERVICE / LOAD 403, malformed 400 with its position,
        # the engine's own graphs are not writable
        auth = {"Authorization": f"Bearer {TOKEN}"}
        status, _h, body = post_update(
            base, "INSERT { ?s ?p ?o } WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", auth)
        assert status == 403 and "SERVICE" in body
        assert post_update(base, "LOAD <https://example.org/data.ttl>", auth)[0] == 403
        status, _h, body = post_update(base, "INSERT DATA { <https://e/s> <https://e/p> }", auth)
        assert status == 400 and "1:" in body
        status, _h, body = post_update(
            base, "INSERT DATA { GRAPH <https://w3id.org/kemitraan/graph/derived> { <https://e/s> <https://e/p> 1 } }",
            auth)
        assert status == 403
        assert get(base, INSERT_CASE)[0] == 403  # an update sent as a query is still refused
        assert _count(client(base, COUNT_CASES).query().convert()) == before + 1


@pytest.mark.slow
def test_update_token_from_the_environment(monkeypatch):
    monkeypatch.setenv("KEMITRAAN_UPDATE_TOKEN", TOKEN)
    with running_server("--allow-update") as base:
        assert post_update(base, INSERT_CASE)[0] == 401
        assert post_update(base, INSERT_CASE, {"Authorization": f"Bearer {TOKEN}"})[0] == 200
        assert _count(client(base, COUNT_CASES).query().convert()) == 3


def test_cli_update_options(runner, monkeypatch):
    """Off loopback an update token is required (refused before anything loads); it reaches the app."""
    from kemitraan_graph.cli import cli
    from kemitraan_graph.cli import serve as serve_cli

    calls = []
    monkeypatch.setattr(serve_cli, "run_server", lambda kg, **kw: calls.append(kw))
    monkeypatch.delenv("KEMITRAAN_UPDATE_TOKEN", raising=False)
    args = ["--no-bundled", "--data", str(SMALL), "serve", "--port", "9"]
    result = runner.invoke(cli, [*args, "--host", "0.0.0.0", "--allow-update"])
    assert result.exit_code == 2 and not calls
    assert "--update-token" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(cli, [*args, "--host", "0.0.0.0", "--allow-update", "--update-token", TOKEN])
    assert result.exit_code == 0, result.output
    assert calls[-1]["allow_update"] is True and calls[-1]["update_token"] == TOKEN
    result = runner.invoke(cli, [*args, "--allow-update"])  # loopback: a token is optional
    assert result.exit_code == 0 and calls[-1]["update_token"] is None
    result = runner.invoke(cli, ["--read-only", *args, "--allow-update"])
    assert result.exit_code == 2 and "--read-only" in result.output
