"""The remote backend's own pieces, without a real SPARQL server: the results parser (hypothesis),
prefixes, query forms, batches for SPARQL Update, and one-line errors for 401/403/500/timeouts
(from a stub server in a thread; tests/test_remote.py runs the real servers)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

from kemitraan_graph.cli import cli
from kemitraan_graph.errors import QueryError, StoreError
from kemitraan_graph.results import QueryResult
from kemitraan_graph.store import open_backend
from kemitraan_graph.store.base import index_triples
from kemitraan_graph.store.remote import (
    UNION_GRAPH,
    RemoteBackend,
    _batches,
    _requests,
    dataset_words,
    parse_sparql_json,
    query_form,
    with_prefixes,
)

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_terms = st.one_of(
    st.none(),
    st.builds(lambda s: URIRef("https://example.org/" + s), st.text("abcxyz0123-_", min_size=1, max_size=10)),
    st.builds(lambda s: BNode("b" + s), st.text("abc0123", min_size=1, max_size=8)),
    st.builds(Literal, _text),
    st.builds(lambda s, lang: Literal(s, lang=lang), _text, st.sampled_from(["id", "en", "en-GB"])),
    st.builds(lambda n: Literal(n), st.integers(-10**12, 10**12)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_terms, _terms), max_size=8))
def test_sparql_json_round_trip(rows):
    result = QueryResult("select", ["a", "b"], [tuple(r) for r in rows])
    back = parse_sparql_json(result.serialize("sparql-json").encode("utf-8"))
    assert back.vars == ["a", "b"]
    assert back.rows == result.rows


def test_virtuoso_typed_literal_and_ask():
    doc = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"typed-literal",' \
          b'"datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"5"}}]}}'
    assert parse_sparql_json(doc).rows == [(Literal(5),)]
    assert parse_sparql_json(b'{"head":{},"boolean":true}').boolean is True


def test_prefixes_and_forms():
    q = "PREFIX kmt: <urn:x#>\nSELECT * WHERE { ?s a kmt:Case }"
    text = with_prefixes(q)
    assert text.endswith(q) and "PREFIX kmt:" not in text[: -len(q)] and "PREFIX rdfs:" in text
    assert query_form("# CONSTRUCT in a comment\nPREFIX a: <urn:a>\nASK {}") == "ask"
    assert query_form("construct { ?s ?p ?o } where { ?s ?p ?o }") == "graph"
    assert query_form("DESCRIBE <urn:x>") == "graph"


def test_update_batches_keep_blank_nodes_together(monkeypatch):
    import kemitraan_graph.store.remote as remote

    monkeypatch.setattr(remote, "BLANK_BATCH", 3)
    monkeypatch.setattr(remote, "UPDATE_BATCH", 2)
    n = [ox.NamedNode(f"urn:n{i}") for i in range(5)]
    b = [ox.BlankNode(f"b{i}") for i in range(4)]
    p = ox.NamedNode("urn:p")
    chain = [ox.Triple(n[0], p, b[0]), ox.Triple(b[0], p, b[1]), ox.Triple(b[1], p, n[1]), ox.Triple(b[1], p, n[2])]
    single = [ox.Triple(b[2], p, n[3]), ox.Triple(b[3], p, n[4])]
    plain = [ox.Triple(n[i], p, n[i + 1]) for i in range(3)]
    batches = list(_batches(index_triples(chain + single + plain), remote.UPDATE_BATCH, remote.BLANK_BATCH))
    assert sum(len(x) for x, _ in batches) == len(chain + single + plain)
    chain_batches = [i for i, (x, _) in enumerate(batches) for t in chain if t in x]
    assert len(set(chain_batches)) == 1  # the connected blank nodes travel together
    assert [blank for _, blank in batches] == [True, True, False, False]
    assert all(len(x) <= 2 for x, blank in batches if not blank)
    assert sorted(map(str, chain)) in [sorted(map(str, x)) for x, _ in batches]  # a group of 4 goes alone


_NODES = st.sampled_from([ox.NamedNode(f"urn:n{i}") for i in range(4)] + [ox.BlankNode(f"b{i}") for i in range(6)])


@given(st.lists(st.tuples(_NODES, st.sampled_from(["urn:p", "urn:q"]), _NODES), max_size=40),
       st.integers(1, 5), st.integers(1, 5))
def test_batches_send_each_triple_once_and_each_blank_node_in_one_batch(triples, named_size, blank_size):
    """Streamed batches (lookups in an index, as push reads a store): every triple exactly once; a
    blank node in one batch only; batches within their sizes, unless one connected group is larger."""
    graph = {ox.Triple(s, ox.NamedNode(p), o) for s, p, o in triples}
    batches = list(_batches(index_triples(graph), named_size, blank_size))
    sent = [t for batch, _ in batches for t in batch]
    assert len(sent) == len(set(sent)) and set(sent) == graph
    where: dict = {}
    for i, (batch, blanks) in enumerate(batches):
        nodes = {n for t in batch for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)}
        assert bool(nodes) == blanks and batch
        for n in nodes:
            assert where.setdefault(n, i) == i
        if not blanks:
            assert len(batch) <= named_size
    # a blank batch over its size is one connected group (it could not be split)
    for batch, blanks in batches:
        if blanks and len(batch) > blank_size:
            assert _connected_groups(batch) == 1


def _connected_groups(triples) -> int:
    parent: dict = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for t in triples:
        ends = [n for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        if len(ends) == 2:
            parent[find(ends[0])] = find(ends[1])
    return len({find(n) for t in triples for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)})


def test_requests_pack_many_graphs(monkeypatch):
    """Batches of many small graphs share requests, within the sizes; blank-node groups stay whole."""
    import kemitraan_graph.store.remote as remote

    monkeypatch.setattr(remote, "BLANK_BATCH", 4)
    monkeypatch.setattr(remote, "UPDATE_BATCH", 5)
    p = ox.NamedNode("urn:p")
    graphs = []
    for g in range(6):
        plain = [ox.Triple(ox.NamedNode(f"urn:g{g}s{i}"), p, ox.Literal(str(i))) for i in range(g)]
        blank = ox.BlankNode(f"b{g}")
        graphs.append((f"urn:graph{g}", plain + [ox.Triple(ox.NamedNode(f"urn:g{g}"), p, blank),
                                                 ox.Triple(blank, p, ox.Literal("x"))]))
    requests = list(_requests((g, index_triples(ts)) for g, ts in graphs))
    sent = [(g, t) for request, _ in requests for g, batch in request for t in batch]
    assert sorted(sent, key=str) == sorted(((g, t) for g, ts in graphs for t in ts), key=str)  # each once
    for request, blanks in requests:
        size = sum(len(batch) for _, batch in request)
        assert size <= (4 if blanks else 5)
        assert all(any(isinstance(n, ox.BlankNode) for t in batch for n in (t.subject, t.object)) == blanks
                   for _, batch in request)
    assert any(len(request) > 1 for request, _ in requests)  # several graphs in one request
    assert len(requests) < 2 * len(graphs)
    for g, ts in graphs:  # a blank node's two triples are in one batch of its own graph
        batches = [batch for request, _ in requests for name, batch in request if name == g and ts[-1] in batch]
        assert len(batches) == 1 and ts[-2] in batches[0]


def test_dataset_of_a_query():
    assert dataset_words("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }") == (False, True)
    assert dataset_words("SELECT * FROM <urn:a> WHERE { ?s ?p ?o }") == (True, False)
    assert dataset_words('SELECT * WHERE { ?s kmt:graph "GRAPH FROM" } # GRAPH') == (False, False)
    be = RemoteBackend("http://127.0.0.1:9/sparql")
    be._named = ["urn:g1", "urn:g2"]  # as read from the manifest of the last push
    plain = be._query_data("SELECT * WHERE { ?s ?p ?o }")
    assert plain["default-graph-uri"] == UNION_GRAPH and "named-graph-uri" not in plain
    named = be._query_data("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert named["default-graph-uri"] == UNION_GRAPH and named["named-graph-uri"] == ["urn:g1", "urn:g2"]
    own = be._query_data("SELECT * FROM NAMED <urn:g1> WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert set(own) == {"query"}
    with pytest.raises(StoreError, match="not a graph of the last push"):
        be.quads("urn:other")


def test_bad_urls_and_registry():
    with pytest.raises(StoreError, match="no SPARQL endpoint"):
        RemoteBackend(None)
    with pytest.raises(StoreError, match="not an http"):
        RemoteBackend("file:///etc/passwd")
    be = open_backend("remote", "http://127.0.0.1:9/sparql")
    assert be.name == "remote"
    with pytest.raises(StoreError, match="push"):
        be.run_update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


class _Stub(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the stdlib's name
        code = int(self.path.strip("/").split("/")[0])
        if code == 0:
            time.sleep(3)
            code = 200
        body = b"Stub says no\nsecond line" if code >= 400 else b'{"head":{},"boolean":true}'
        self.send_response(code)
        self.send_header("Content-Type", "text/plain" if code >= 400 else "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stub() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow  # each loads the ontology for the push
@pytest.mark.parametrize(("code", "expected"), [
    (401, "answered 401 Unauthorized: the server wants credentials"),
    (403, "answered 403 Forbidden: the server refuses this (for updates, grant them or give credentials)"),
    (500, "answered 500 Internal Server Error: Stub says no"),
    (503, "answered 503 Service Unavailable: Stub says no"),
])
def test_http_errors_are_one_line(stub, runner, code, expected):
    url = f"{stub}/{code}/sparql"
    with pytest.raises(QueryError) as info:
        RemoteBackend(url).execute("ASK {}")
    assert str(info.value) == f"{url}: {expected}"
    res = runner.invoke(cli, ["--endpoint", url, "push", "--help"])
    assert res.exit_code == 0
    res = runner.invoke(cli, ["--endpoint", url, "--no-bundled", "push"])
    assert res.exit_code == 2
    assert res.output.strip() == f"Error: {url}: {expected}"


def test_timeout_is_one_line(stub):
    url = f"{stub}/0/sparql"
    backend = RemoteBackend(url, timeout=0.5)
    assert backend.timeout == 0.5
    with pytest.raises(QueryError) as info:
        backend.execute("ASK {}")
    assert str(info.value) == f"{url}: no answer within 0.5 s"
    assert RemoteBackend(f"{stub}/200/sparql").execute("ASK {}").boolean is True
