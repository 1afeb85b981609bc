"""The network / read-only guard on the parsed query (kemitraan_graph.guard), and its second line.

Every walk-around of issue #9 is refused; queries the guard lets through are run with both engines
against a listener on 127.0.0.1 that must receive nothing (a differential, hypothesis-driven test).
"""

from __future__ import annotations

import glob
import http.server
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kemitraan_graph.errors import QueryError, QueryRefused
from kemitraan_graph.guard import (
    MAX_QUERY_CHARS,
    MAX_QUERY_NESTING,
    MAX_QUERY_OPERATORS,
    analyse,
    check_query,
    lex,
    no_network,
)
from kemitraan_graph.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parents[1]


# --- a listener on 127.0.0.1 that counts every connection ------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        body = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args: object) -> None:  # quiet
        pass


class _CountingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    timeout = 2

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0

    def verify_request(self, request, client_address) -> bool:
        self.connections += 1
        return True


@pytest.fixture(scope="module")
def listener():
    server = _CountingServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _port(server: _CountingServer) -> int:
    return server.server_address[1]


def _run_engines(text: str) -> None:
    """Run ``text`` with Oxigraph and rdflib, as the backends would; errors are fine, requests are not."""
    res = None
    try:
        res = ox.Store().query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        if not isinstance(res, ox.QueryBoolean):
            list(res)
    except (SyntaxError, OSError, ValueError, RuntimeError):
        pass
    finally:
        del res  # pyoxigraph results must be dropped on the thread that made them
    ds = rdflib.Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    try:
        list(ds.query(text))
    except Exception:  # noqa: BLE001 - rdflib raises many types; only the listener's count matters
        pass


# --- the walk-arounds of the issue -----------------------------------------------------------

WALK_AROUNDS = [
    # the tokenizer read `.SERVICE` as one word
    "SELECT * WHERE {{ BIND(1 AS ?z).SERVICE <{ep}/a> {{?x ?y ?w}} }}",
    # an IRI with \u escapes was not seen as an IRI, so `#` started a "comment"
    "SELECT * WHERE {{ BIND(<http://x/\\u0041#> AS ?z) SERVICE <{ep}/b> {{?x ?y ?w}} }}",
    # rdflib applies escapes before parsing
    "SELECT * WHERE {{ \\u0053ERVICE <{ep}/c> {{?x ?y ?w}} }}",
    "SELECT * WHERE {{ S\\u0045RVICE <{ep}/c> {{?x ?y ?w}} }}",
    "SELECT * \\u0046ROM <{ep}/d> WHERE {{ ?s ?p ?o }}",
    "SELECT * \\u0046ROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    "SELECT * \\u0046ROM NAMED <{ep}/d> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    # every form of SERVICE, nested anywhere
    "SELECT * WHERE {{ SERVICE SILENT <{ep}/e> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{ep}/f> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{ep}/f> }} SERVICE SILENT ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{ep}/g> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{ep}/h> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{ep}/i> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{ep}/j> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{ep}/k> {{ ?s ?p ?o }} }} }}",
    "ASK {{ FILTER NOT EXISTS {{ SERVICE <{ep}/k> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{ep}/l> {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{ep}/m> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{ep}/m> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{ep}/n> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SeRvIcE\t<{ep}/n>{{?s ?p ?o}} }}",
    "PREFIX remote: <{ep}/> SELECT * WHERE {{ SERVICE remote:o {{ ?s ?p ?o }} }}",
    "PREFIX : <{ep}/> SELECT * WHERE {{ SERVICE:o {{ ?s ?p ?o }} }}",
    # comments around the keyword, and a comment that ends at \r for one parser only
    "SELECT * WHERE {{ #c\nSERVICE#c\n<{ep}/p>#c\n{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o # a comment\r SERVICE <{ep}/q> {{ ?a ?b ?c }}\n}}",
    # a comment for Oxigraph (\u000A is not a newline there), a string for rdflib
    'SELECT * WHERE {{ ?s ?p ?o # \\u000A FILTER("""\nSERVICE <{ep}/r> {{ ?a ?b ?c }}\n#""")\n}}',
    # an escaped quote: the end of a string for rdflib, inside it for Oxigraph
    'SELECT * WHERE {{ ?s ?p "\\u0022 . SERVICE <{ep}/s> {{ ?a ?b ?c }} #" }}',
    # `<` as an operator for the parsers, an IRI for a naive lexer
    "PREFIX : <{ep}/> SELECT * WHERE {{ ?a ?b ?c FILTER(?a <?b)SERVICE:t#>\n{{ ?s ?p ?o }} }}",
    # FROM a graph that is not in the store
    "SELECT * FROM <{ep}/u> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{ep}/u> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "PREFIX r: <{ep}/> SELECT * from r:v WHERE {{ ?s ?p ?o }}",
    "BASE <{ep}/> SELECT * FROM <w> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
]


@pytest.mark.parametrize("template", WALK_AROUNDS)
def test_walk_arounds_are_refused_and_reach_nothing(template, listener):
    text = template.format(ep=f"http://127.0.0.1:{_port(listener)}")
    with pytest.raises(QueryError) as info:
        check_query(text)
    assert info.value.source == "query"
    before = listener.connections
    # the same text under no_network(): the rdflib engine is stopped even without the guard
    ds = rdflib.Dataset(default_union=True)
    try:
        with no_network():
            list(ds.query(text))
    except Exception:  # noqa: BLE001 - QueryRefused, or rdflib's own error
        pass
    assert listener.connections == before


def test_refusals_name_the_line_and_column():
    text = "SELECT * WHERE {\n  SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o }\n}"
    with pytest.raises(QueryRefused) as info:
        check_query(text, source="q.rq")
    assert (info.value.line, info.value.column) == (2, 3)
    assert str(info.value).startswith("q.rq:2:3: SERVICE reaches the network")
    with pytest.raises(QueryRefused) as info:
        check_query("SELECT *\nWHERE { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
    assert (info.value.line, info.value.column) == (2, 9)  # the escape as written
    with pytest.raises(QueryRefused) as info:
        check_query("SELECT *\n  FROM <http://example.org/g> { ?s ?p ?o }")
    assert (info.value.line, info.value.column) == (2, 8)  # the graph after FROM
    assert "FROM <http://example.org/g> is not a graph in the store" in str(info.value)


@pytest.mark.parametrize("text, word", [
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT"),
    ("PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("load <http://example.org/data.ttl> INTO GRAPH <x:g>", "LOAD"),
    ("DROP ALL", "DROP"),
    ("CLEAR DEFAULT", "CLEAR"),
    ("WITH <x:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("\\u0049NSERT DATA { <a:b> <a:c> <a:d> }", None),
])
def test_updates_are_refused_even_with_network_allowed(text, word):
    with pytest.raises(QueryError) as info:
        check_query(text, allow_network=True)
    if word:
        assert isinstance(info.value, QueryRefused)
        assert f"{word} is an update: queries are read-only here" in str(info.value)


def test_network_allowed_lets_service_and_from_through():
    check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", allow_network=True)
    check_query("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", allow_network=True)
    # rdflib cannot parse SERVICE after a `#` (even inside an IRI): left to the engine when allowed
    check_query("PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
                "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s a owl:Class } }", allow_network=True)


def test_from_a_graph_of_the_store_is_allowed():
    graph = "file:///data/cases.ttl"
    text = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> FROM NAMED <{graph}> WHERE {{ ?s ?p ?o }}"
    check_query(text, local_graphs={graph})
    calls = []
    check_query(text, local_graphs=lambda: calls.append(1) or {graph})
    assert calls == [1]
    check_query("SELECT * WHERE { ?s ?p ?o }", local_graphs=lambda: pytest.fail("called without FROM"))
    with pytest.raises(QueryRefused, match="FROM <file:///elsewhere.ttl>"):
        check_query("SELECT * FROM <file:///elsewhere.ttl> WHERE { ?s ?p ?o }", local_graphs={graph})


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s rdfs:label 'SERVICE <http://x/> { }' }",  # in a string
    'SELECT * WHERE { ?s rdfs:label """from\nSERVICE <http://x/> { }""" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE in a comment, DELETE and FROM <http://x/> too",
    "SELECT ?insert ?service ?from WHERE { ?insert kmt:delete ?service . ?x kmt:loadFactor ?from }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:x ?o }",
    "SELECT * WHERE { ?s <http://example.org/service#from> ?o }",
    "SELECT * WHERE { ?s ?p <http://dbpedia.org/resource/Service_(economics)> }",
    "SELECT * WHERE { ?s ?p '\\u0053ERVICE <http://x/> {}' }",  # an escape inside a string
    "SELECT * WHERE { ?s ?p <http://x/\\u0053ERVICE> }",
    "SELECT ?s WHERE { ?s a kmt:Partnership } ORDER BY ?s LIMIT 10",
])
def test_keywords_inside_strings_comments_iris_and_names_pass(text):
    check_query(text)


def test_every_library_query_passes_quickly():
    files = sorted(glob.glob(str(ROOT / "queries" / "*.rq")))
    assert files
    analyse.cache_clear()
    start = time.perf_counter()
    for path in files:
        check_query(Path(path).read_text(encoding="utf-8"), source=path)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    for path in files:
        check_query(Path(path).read_text(encoding="utf-8"), source=path)
    assert time.perf_counter() - start < 0.05, "the analysis is cached by text"
    assert cold < 20


def test_syntax_error_has_one_position():
    with pytest.raises(QueryError) as info:
        check_query("SELECT ?s WHERE {\n  ?s ?p \n}")
    assert info.value.line == 3 and info.value.column == 2  # Oxigraph's position: where the object is missing
    assert "(at char" not in str(info.value) and "line:" not in str(info.value) and "error at" not in str(info.value)
    assert str(info.value).startswith("query:3:2: ")
    with pytest.raises(QueryError, match="unterminated or malformed string") as info:
        check_query("SELECT * WHERE { ?s ?p 'abc }")
    assert (info.value.line, info.value.column) == (1, 24)


def test_bounds_are_checked_before_parsing():
    deep = "SELECT * WHERE " + "{ " * 3000 + "} " * 3000
    start = time.perf_counter()
    with pytest.raises(QueryError, match=f"deeper than {MAX_QUERY_NESTING} levels") as info:
        check_query(deep)
    assert info.value.line == 1 and info.value.column == 16 + 2 * MAX_QUERY_NESTING
    ors = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f"?o = {i}" for i in range(2000)) + ") }"
    with pytest.raises(QueryError, match=f"more than {MAX_QUERY_OPERATORS} ||"):
        check_query(ors)
    huge = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f"?o = {i}" for i in range(10_000)) + ") }"
    with pytest.raises(QueryError, match=f"longer than {MAX_QUERY_CHARS:,} characters"):
        check_query(huge)
    assert time.perf_counter() - start < 2
    # just inside the bounds, the parse runs (in a thread of its own, with room to recurse)
    check_query("SELECT * WHERE " + "{ " * (MAX_QUERY_NESTING - 1) + "} " * (MAX_QUERY_NESTING - 1))
    check_query("SELECT * WHERE { FILTER(" + "(" * 60 + "1" + ")" * 60 + ") }")


def test_lexer_never_crashes_and_is_linear():
    text = "'''" * 30_000 + '"' * 10_000
    start = time.perf_counter()
    lex(text)
    assert time.perf_counter() - start < 1
    with pytest.raises(QueryError):
        check_query(text[:MAX_QUERY_CHARS])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_guard_never_crashes(text):
    try:
        check_query(text)
    except QueryError as exc:
        assert exc.line is None or exc.line >= 1


# --- no_network(): the audit-hook line for the rdflib engine --------------------------------

def test_no_network_blocks_sockets_urllib_and_files(listener, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("x", encoding="utf-8")
    before = listener.connections
    with pytest.raises(QueryRefused, match="look up '127.0.0.1'"), no_network():
        socket.create_connection(("127.0.0.1", _port(listener)), timeout=1)
    with socket.socket() as sock, pytest.raises(QueryRefused, match="connect to"), no_network():
        sock.connect(("127.0.0.1", _port(listener)))
    with pytest.raises(QueryRefused, match="fetch http"), no_network():
        urllib.request.urlopen(f"http://127.0.0.1:{_port(listener)}/", timeout=1)
    with pytest.raises(QueryRefused, match="open the file"), no_network():
        secret.read_text(encoding="utf-8")
    assert listener.connections == before
    # outside the block, and in other threads, nothing is blocked
    assert secret.read_text(encoding="utf-8") == "x"
    box = {}
    with no_network():
        t = threading.Thread(target=lambda: box.setdefault("v", secret.read_text(encoding="utf-8")))
        t.start()
        t.join()
    assert box["v"] == "x"


def test_no_network_reports_an_attempt_the_engine_swallowed(listener):
    """rdflib tries four parsers on a FROM graph and hides each failure: the block says what was tried."""
    ep = f"http://127.0.0.1:{_port(listener)}/swallowed"
    before = listener.connections
    ds = rdflib.Dataset(default_union=True)
    with pytest.raises(QueryRefused, match=f"tried to fetch {ep}") as info, no_network(source="q.rq"):
        list(ds.query(f"SELECT * FROM <{ep}> WHERE {{ ?s ?p ?o }}"))
    assert info.value.source == "q.rq"
    assert listener.connections == before


def test_the_listener_does_count(listener):
    """Positive control: without the guard, both engines do reach the listener."""
    ep = f"http://127.0.0.1:{_port(listener)}/control"
    before = listener.connections
    _run_engines(f"SELECT * WHERE {{ SERVICE <{ep}> {{ ?s ?p ?o }} }}")
    assert listener.connections >= before + 2


# --- the differential test: whatever the guard lets through reaches nothing -----------------

_KEYWORDS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "\\u0053ERVICE", "S\\u0045RVICE",
             "\\u0073ervice SILENT", "SERV\\u0049CE"]
_BEFORE = [" ", "", ".", "\n", "\t", "\r", " #x\n", " #x\r", " # \\u000A", "\\u000A", " . ", "}{", "\r\n"]
_ENDPOINTS = ["<{ep}/a>", "<{ep}/\\u0041#>", ":b", "?e", "<\\u0068ttp://127.0.0.1:{port}/c>", "r:d"]
_WRAP = ["{}", "OPTIONAL {{ {} }}", "{{ ?q ?r ?t }} UNION {{ {} }}", "MINUS {{ {} }}", "FILTER EXISTS {{ {} }}",
         "{{ SELECT * WHERE {{ {} }} }}", "GRAPH ?g {{ {} }}", "FILTER(?a <?b){}", "{{ {} }}"]
_NOISE = ["", "?s ?p ?o", "BIND(<{ep}/x> AS ?e)", "BIND(<http://x/\\u0041#> AS ?z)", '?s ?p "\\u0022"',
          "?s ?p '''a'b''c'''", "?s ?p \"x\\\\\"", "?s <http://x/#> ?o", "# SERVICE <{ep}/n> {{ }}\n",
          '?s ?p "#"', "FILTER(?a < ?b)", "VALUES ?e {{ <{ep}/v> }}"]
#: ways to hide the pattern (or not): comments ending at \n, \r\n or \r, strings, escaped quotes
_HIDE = ["{}", "# {}\n", "#{}\r\n", '?k ?l "{}"', "?k ?l '''{}'''", '?k ?l "\\u0022 {} \\u0022"',
         "# \\u000A {}\n", "?k ?l <http://x/#> # {}\n", '?k ?l """{}\n"""', "#{}\r"]
_FROMS = ["", "FROM <{ep}/f>", "\\u0046ROM <{ep}/f>", "from NAMED <{ep}/f>", "FROM r:f", "FROM\r<{ep}/f>",
          "#\\u000A FROM <{ep}/f>\n", "FROM <file:///etc/hostname>"]


@st.composite
def hostile_queries(draw, port: int) -> str:
    ep = f"http://127.0.0.1:{port}"
    fill = {"ep": ep, "port": port}
    keyword = draw(st.sampled_from(_KEYWORDS))
    endpoint = draw(st.sampled_from(_ENDPOINTS)).format(**fill)
    pattern = f"{draw(st.sampled_from(_BEFORE))}{keyword} {endpoint} {{ ?x ?y ?w }}"
    if draw(st.booleans()):
        pattern = draw(st.sampled_from(_WRAP)).format(pattern)
    pattern = draw(st.sampled_from(_HIDE)).format(pattern)
    if draw(st.integers(0, 4)) == 0:
        pattern = ""  # FROM and the noise alone
    noise = draw(st.sampled_from(_NOISE)).format(**fill)
    tail = draw(st.sampled_from(_NOISE)).format(**fill)
    head = draw(st.sampled_from(_FROMS)).format(**fill)
    prologue = f"PREFIX : <{ep}/> PREFIX r: <{ep}/>\n" if draw(st.booleans()) else ""
    body = " . ".join(part for part in ("?a ?b ?c", noise, pattern, tail) if part)
    return f"{prologue}SELECT * {head} WHERE {{ {body} }}"


def test_differential_what_the_guard_lets_through_reaches_nothing(listener):
    port = _port(listener)
    passed: list[str] = []

    @settings(max_examples=160, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(hostile_queries(port))
    def run(text: str) -> None:
        try:
            check_query(text)
        except QueryError:
            return
        passed.append(text)
        before = listener.connections
        _run_engines(text)
        assert listener.connections == before, f"the guard let through a query that reached the network: {text!r}"

    run()
    assert passed, "the generator should also write queries the guard lets through"
