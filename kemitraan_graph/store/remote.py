"""A remote SPARQL server as a backend: the SPARQL 1.1 Protocol for queries, and ``push``.

Servers such as Oxigraph server and Virtuoso evaluate their "union of all graphs" as a multiset
(a triple stated in two graphs counts twice), and hold graphs of their own. So ``push`` uploads
the embedded store's default graph (the set-union of every file plus the derived entailments) as
ONE graph, ``UNION_GRAPH``, and every query names that graph as its default graph
(``default-graph-uri``): the server sees exactly the triples the embedded store answers from.

``push`` also uploads every named graph of the embedded store under its own name (one per file; the
derived entailments are in the union only, as in the embedded store), and lists them in
``MANIFEST_GRAPH`` (``<UNION_GRAPH> dcterms:hasPart <graph>``; another union graph has its own
list, ``manifest_of``). A query that uses ``GRAPH`` names those graphs as its named graphs
(``named-graph-uri``), so ``GRAPH ?g`` ranges over the project's graphs, as in the embedded store,
and never over the union graph or the server's own graphs. A query with its own ``FROM``/``FROM
NAMED`` is sent as it is.

Uploads use the Graph Store Protocol (``PUT`` per graph replaces it, so a second push never
duplicates; a graph over ``STORE_BATCH`` triples is PUT in part and POSTed in more parts) or,
without a graph store URL, SPARQL Update (``DROP SILENT GRAPH`` + ``INSERT DATA``, many graphs per
request). Graphs of an earlier push that the store no longer holds are dropped.
Every failure of the connection or of the server becomes a one-line ``StoreError``.
Blank nodes: a blank node in a file's graph and in the union is one node here, and may be two on
the server (each PUT, or each update request, has its own); no library query joins graphs on one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..namespaces import DCTERMS, DERIVED_GRAPH, GRAPH, PREFIXES
from ..results import QueryResult
from ..sparql_text import tokens
from .base import Backend, Matcher, from_ox, index_triples, to_ox

#: the one graph ``push`` writes and every query reads as its default graph
UNION_GRAPH = str(GRAPH) + "union"


def manifest_of(union: str) -> str:
    """The graph that lists the named graphs pushed with ``union`` (``<union> dcterms:hasPart <g>``)."""
    return union + "/pushed"


MANIFEST_GRAPH = manifest_of(UNION_GRAPH)
_HAS_PART = str(DCTERMS.hasPart)
#: SPARQL Update operations (DROP) per request
DROP_BATCH = 100
#: seconds to wait for a server unless told otherwise
DEFAULT_TIMEOUT = 60.0
#: triples per SPARQL Update request (servers limit the size of one request; Virtuoso compiles
#: each request to SQL and refuses one over 10,000 lines, which a blank-node template reaches soonest)
UPDATE_BATCH = 2000
BLANK_BATCH = 300
#: triples per Graph Store request: a graph is PUT in one request up to this size, and the rest
#: POSTed (added) in more (one request of 2M triples outlasts a 60 s timeout on a busy server)
STORE_BATCH = 100_000
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_GRAPH_MEDIA = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
                "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-quads": ox.RdfFormat.N_QUADS}
_STATUS = {401: "401 Unauthorized: the server wants credentials",
           403: "403 Forbidden: the server refuses this (for updates, grant them or give credentials)",
           404: "404 Not Found: is this the server's SPARQL URL?"}


def query_form(text: str) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE): the first query keyword decides."""
    for kind, tok, _ in tokens(text):
        if kind == "word" and tok.upper() in _FORMS:
            return _FORMS[tok.upper()]
    return "select"


def dataset_words(text: str) -> tuple[bool, bool]:
    """Whether the query declares its own dataset (``FROM``), and whether it uses ``GRAPH``."""
    words = {tok.upper() for kind, tok, _ in tokens(text) if kind == "word"}
    return "FROM" in words, "GRAPH" in words


def with_prefixes(text: str) -> str:
    """The query with the project's prefixes declared (the embedded store knows them without)."""
    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([\w\-.]*):", text)}
    missing = "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items() if p not in declared)
    return missing + text


def _first_line(text: str, limit: int = 300) -> str:
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and not line.startswith("<"):
            return line[:limit]
    return ""


def _json_term(b: dict[str, Any]) -> Node:
    kind, value = b.get("type"), b.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = b.get("xml:lang")
    if lang:
        return Literal(value, lang=lang)
    datatype = b.get("datatype")
    if datatype and datatype != _XSD_STRING:
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def parse_sparql_json(data: bytes) -> QueryResult:
    """A SPARQL 1.1 JSON results document (also Virtuoso's ``typed-literal``) -> QueryResult."""
    doc = json.loads(data)
    if "boolean" in doc:
        return QueryResult("ask", boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    rows = [tuple(_json_term(b[n]) if n in b else None for n in names)
            for b in doc.get("results", {}).get("bindings", [])]
    return QueryResult("select", names, rows)


def _batches(match: Matcher, named_size: int, blank_size: int) -> Iterator[tuple[list[Any], bool]]:
    """One graph's triples in batches for SPARQL Update or the Graph Store: ``(batch, has blank
    nodes)``, at most ``blank_size`` triples with blank nodes, then ``named_size`` without.

    A blank node is one node only within one request, so the triples that share blank nodes (a
    connected group, found through ``match`` lookups) always travel in the same batch. Streamed:
    only the current batch and the blank nodes already sent are held.
    """
    seen: set[Any] = set()
    batch: list[Any] = []
    for t in match(None, None):
        for start in (t.subject, t.object):
            if type(start) is not ox.BlankNode or start in seen:
                continue
            seen.add(start)
            group, frontier = [], [start]
            while frontier:  # each triple once: by its blank subject, else by its blank object
                node = frontier.pop()
                for u in match(node, None):
                    group.append(u)
                    if type(u.object) is ox.BlankNode and u.object not in seen:
                        seen.add(u.object)
                        frontier.append(u.object)
                for u in match(None, node):
                    if type(u.subject) is not ox.BlankNode:
                        group.append(u)
                    elif u.subject not in seen:
                        seen.add(u.subject)
                        frontier.append(u.subject)
            if batch and len(batch) + len(group) > blank_size:
                yield batch, True
                batch = []
            batch += group
    if batch:
        yield batch, True
    batch = []
    for t in match(None, None):
        if type(t.subject) is not ox.BlankNode and type(t.object) is not ox.BlankNode:
            batch.append(t)
            if len(batch) == named_size:
                yield batch, False
                batch = []
    if batch:
        yield batch, False


def _requests(graphs: Iterable[tuple[str, Matcher]]) -> Iterator[tuple[list[tuple[str, list[Any]]], bool]]:
    """The triples of many graphs as SPARQL Update requests: ``([(graph, batch), ...], blank nodes)``.

    Each graph is cut by ``_batches``; batches of several graphs then share one request up to the
    same sizes (``UPDATE_BATCH`` triples, or ``BLANK_BATCH`` with blank nodes), so a push of many
    small files takes few requests."""
    limits = {True: BLANK_BATCH, False: UPDATE_BATCH}
    pending: dict[bool, tuple[list[tuple[str, list[Any]]], int]] = {True: ([], 0), False: ([], 0)}
    for graph, match in graphs:
        for batch, blanks in _batches(match, UPDATE_BATCH, BLANK_BATCH):
            request, size = pending[blanks]
            if request and size + len(batch) > limits[blanks]:
                yield request, blanks
                request, size = [], 0
            request.append((graph, batch))
            pending[blanks] = (request, size + len(batch))
    for blanks in (True, False):
        if pending[blanks][0]:
            yield pending[blanks][0], blanks


def _relabel(triples: list[Any], suffix: str) -> list[Any]:
    """The triples with every blank node label suffixed (the same node within them, a new label)."""
    def node(n: Any) -> Any:
        return ox.BlankNode(n.value + suffix) if isinstance(n, ox.BlankNode) else n

    return [ox.Triple(node(t.subject), t.predicate, node(t.object)) for t in triples]


@dataclass
class PushReport:
    graph: str
    triples: int
    method: str  # "graph store" or "update"
    target: str
    #: named graphs uploaded besides the union (one per file)
    graphs: int = 0


class RemoteBackend(Backend):
    """A SPARQL server reached over HTTP; read-only except through ``push``."""

    name = "remote"
    evaluates_here = False

    def __init__(self, endpoint: str | None, update_endpoint: str | None = None, graph_store: str | None = None,
                 *, timeout: float | None = DEFAULT_TIMEOUT, graph: str = UNION_GRAPH):
        if not (endpoint or update_endpoint or graph_store):
            raise StoreError("no SPARQL endpoint given")
        for url in (endpoint, update_endpoint, graph_store):
            if url and not re.match(r"(?i)^https?://[^\s/]+", url):
                raise StoreError(f"not an http(s) URL: {url!r}")
        self.endpoint, self.update_endpoint, self.graph_store = endpoint, update_endpoint, graph_store
        self.graph = graph
        self.timeout = timeout
        self._client: Any = None
        self._io: Any = None
        self._graphs: set[str] | None = None
        self._named: list[str] | None = None
        self.manifest = manifest_of(graph)

    # --- HTTP -------------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        if self._client is None:
            import httpx

            self._client = httpx.Client(timeout=self.timeout, follow_redirects=True,
                                        headers={"User-Agent": "kemitraan-graph"})
        return self._client

    def _send(self, method: str, url: str, **kw: Any) -> Any:
        """The request, made on the backend's own I/O thread.

        Reaching its server is this backend's transport, not something a query does: a person's
        query runs inside ``guard.no_network()`` (per thread) in the worker process, and the
        query text itself was checked before (no SERVICE, LOAD or foreign FROM reaches the server).
        """
        if self._io is None:
            from concurrent.futures import ThreadPoolExecutor

            self._io = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kemitraan-remote")
        return self._io.submit(self.client.request, method, url, **kw).result()

    def _request(self, method: str, url: str, *, query: bool = True, allow: frozenset[int] | set[int] = frozenset(),
                 **kw: Any) -> Any:
        """One HTTP request; a failure becomes one line ``URL: what happened`` (QueryError while
        answering a query, so that it travels back from a worker process intact; else StoreError)."""
        import httpx

        def fail(detail: str) -> Exception:
            return QueryError(detail, source=url) if query else StoreError(f"{url}: {detail}")

        try:
            resp = self._send(method, url, **kw)
        except httpx.ConnectError as exc:
            reason = "connection refused" if "refused" in str(exc).lower() else _first_line(str(exc)) or "no connection"
            raise fail(f"cannot connect: {reason}") from None
        except httpx.TimeoutException:
            raise fail(f"no answer within {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise fail(f"request failed: {_first_line(str(exc)) or type(exc).__name__}") from None
        if resp.status_code >= 400 and resp.status_code not in allow:
            detail = _STATUS.get(resp.status_code) or f"{resp.status_code} {resp.reason_phrase}"
            body = _first_line(resp.text)
            if resp.status_code == 400 and query:  # a query the server could not parse
                raise fail(f"the server rejected the query: {body or detail}")
            raise fail(f"answered {detail}" + (f": {body}" if body and resp.status_code not in _STATUS else ""))
        return resp

    def _query_url(self) -> str:
        if not self.endpoint:
            raise StoreError("no SPARQL query endpoint given (only an update or graph store URL)")
        return self.endpoint

    # --- queries ----------------------------------------------------------------------------
    def execute(self, text: str, *, limit: int | None = None) -> QueryResult:
        form = query_form(text)
        accept = ("application/n-triples, text/turtle;q=0.9" if form == "graph"
                  else "application/sparql-results+json")
        resp = self._request("POST", self._query_url(), data=self._query_data(text), headers={"Accept": accept})
        media = resp.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        try:
            if form != "graph":
                return parse_sparql_json(resp.content).limited(limit)
            fmt = _GRAPH_MEDIA.get(media, ox.RdfFormat.N_TRIPLES)
            rows = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                    for t in ox.parse(resp.content, format=fmt)]
        except (ValueError, SyntaxError, KeyError, TypeError) as exc:
            raise QueryError(f"the answer is not readable {media}: {_first_line(str(exc))}",
                             source=self.endpoint) from None
        return QueryResult("graph", ["subject", "predicate", "object"], rows).limited(limit)

    def _query_data(self, text: str) -> dict[str, Any]:
        """The form of a query: the pushed union as its default graph and, when it uses ``GRAPH``,
        the pushed named graphs (the server's dataset otherwise holds other graphs, or none)."""
        data: dict[str, Any] = {"query": with_prefixes(text)}
        own_dataset, uses_graph = dataset_words(text)
        if own_dataset:  # FROM / FROM NAMED: the query's own dataset, as in the embedded store
            return data
        data["default-graph-uri"] = self.graph
        if uses_graph:
            named = self.named_graphs()
            if named:
                data["named-graph-uri"] = named
        return data

    def named_graphs(self) -> list[str]:
        """The named graphs of the last push (read once from its manifest graph; [] if none)."""
        if self._named is None:
            self._named = sorted(self._manifest(query=True))
        return self._named

    def _manifest(self, *, query: bool) -> set[str]:
        """The graphs the manifest graph lists, asked with the query URL, else read by the graph
        store URL (nothing to read: an empty set)."""
        if self.endpoint:
            text = f"SELECT ?g WHERE {{ GRAPH <{self.manifest}> {{ <{self.graph}> <{_HAS_PART}> ?g }} }}"
            resp = self._request("POST", self.endpoint, query=query, data={"query": text},
                                 headers={"Accept": "application/sparql-results+json"})
            return {str(r[0]) for r in parse_sparql_json(resp.content).rows if isinstance(r[0], URIRef)}
        if self.graph_store:
            import httpx

            try:
                resp = self._send("GET", self.graph_store, params={"graph": self.manifest},
                                  headers={"Accept": "application/n-triples"})
            except httpx.HTTPError:
                resp = None
            if resp is None or resp.status_code != 200:
                return set()  # an error worth a message shows up with the first upload
            try:
                return {t.object.value for t in ox.parse(resp.content, format=ox.RdfFormat.N_TRIPLES)
                        if t.predicate.value == _HAS_PART and isinstance(t.object, ox.NamedNode)}
            except (SyntaxError, ValueError):
                return set()
        return set()

    def graph_names(self) -> set[str]:
        """Graphs the server holds (asked once); FROM may name these."""
        if self._graphs is None:
            resp = self._request("POST", self._query_url(),
                                 data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                                 headers={"Accept": "application/sparql-results+json"})
            self._graphs = {str(r[0]) for r in parse_sparql_json(resp.content).rows if r[0] is not None}
        return self._graphs

    def __len__(self) -> int:
        """Distinct triples of the pushed graph."""
        rows = self.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def quads(self, graph: str):
        """The triples of the pushed union, or of one of the pushed named graphs."""
        g = ox.NamedNode(graph)
        if graph == self.graph:
            text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        elif graph in self.named_graphs():
            text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        else:
            raise StoreError(f"<{graph}> is not a graph of the last push to this server")
        return (ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in self.execute(text).rows)

    # --- what a remote store does not do here ----------------------------------------------
    @property
    def dataset(self) -> Dataset:
        raise StoreError("a remote store has no local rdflib dataset; query it instead")

    def load_file(self, path: Path, graph: str, fmt: ox.RdfFormat, base_iri: str | None) -> int:
        raise StoreError("files are not loaded into a remote store; load them locally and push")

    def drop_graph(self, graph: str) -> None:
        raise StoreError("a remote store is changed only by push")

    def run_update(self, text: str) -> None:
        raise StoreError("a remote store is changed only by push")

    def add_triples(self, triples: Iterable[tuple[Node, Node, Node]], graph: str) -> None:
        raise StoreError("a remote store is changed only by push")

    def for_worker(self) -> Backend:
        """A forked worker process opens connections of its own."""
        return RemoteBackend(self.endpoint, self.update_endpoint, self.graph_store, timeout=self.timeout,
                             graph=self.graph)

    def close(self) -> None:
        if self._io is not None:
            self._io.shutdown(wait=False)
            self._io = None
        if self._client is not None:
            self._client.close()
            self._client = None

    # --- push --------------------------------------------------------------------------------
    def push(self, source: Backend) -> PushReport:
        """Replace ``UNION_GRAPH`` on the server with the default graph of ``source`` (a set), and
        each named graph of ``source`` with its triples; drop the graphs of an earlier push that
        ``source`` no longer holds; then record the graphs in the manifest graph."""
        # the derived graph is not a graph of its own (the union's triples that no file states):
        # remotely too, GRAPH ?g names the files, and the entailments are in the union
        reserved = {self.graph, self.manifest, str(DERIVED_GRAPH)}
        named = sorted(g for g in source.graph_names() if g not in reserved)
        # each graph is read through lookups as it is sent, never held whole (at 994k file triples a
        # push held every graph as a list first: 2.2 GB)
        graphs = [(self.graph, source.triples_matching(None))] + [(g, source.triples_matching(g)) for g in named]
        # graphs of an earlier push that are gone (a derived graph that an earlier version pushed too)
        stale = sorted(self._manifest(query=False) - set(named) - {self.graph, self.manifest})
        manifest = index_triples(ox.Triple(ox.NamedNode(self.graph), ox.NamedNode(_HAS_PART), ox.NamedNode(g))
                                 for g in named)
        if self.graph_store:
            for graph, match in [*graphs, (self.manifest, manifest)]:
                verb = "PUT"  # PUT replaces the graph (an empty one too), POST adds the rest to it
                for batch, _ in chain(_batches(match, STORE_BATCH, STORE_BATCH), [([], False)]):
                    if batch or verb == "PUT":
                        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
                        self._request(verb, self.graph_store, query=False, params={"graph": graph},
                                      content=body, headers={"Content-Type": "application/n-triples"})
                    verb = "POST"
            for graph in stale:
                self._request("DELETE", self.graph_store, query=False, params={"graph": graph},
                              allow={404})
            method, target = "graph store", self.graph_store
        else:
            target = self.update_endpoint or self._query_url()
            drops = [g for g, _ in graphs] + stale + [self.manifest]
            for i in range(0, len(drops), DROP_BATCH):
                self._update(target, " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in drops[i:i + DROP_BATCH]))
            for request, with_blanks in _requests([*graphs, (self.manifest, manifest)]):
                # a blank node label once per request (Virtuoso refuses one in two operations)
                blocks = [f"GRAPH <{g}> {{\n" + ox.serialize(_relabel(batch, f"g{i}") if with_blanks else batch,
                                                             format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                          + "}" for i, (g, batch) in enumerate(request)]
                if with_blanks:
                    # INSERT DATA may not hold blank nodes on every server (Virtuoso); a template may,
                    # one graph per template (Virtuoso 7.2 fails on a blank node in a template of two)
                    text = " ;\n".join(f"INSERT {{ {block} }} WHERE {{}}" for block in blocks)
                else:
                    text = "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
                self._update(target, text)
            method = "update"
        self._graphs = None
        self._named = None
        return PushReport(self.graph, len(source), method, target, len(named))

    def _update(self, url: str, text: str) -> None:
        self._request("POST", url, query=False, data={"update": text})


__all__ = ["DEFAULT_TIMEOUT", "MANIFEST_GRAPH", "UNION_GRAPH", "PushReport", "RemoteBackend", "dataset_words",
           "manifest_of", "parse_sparql_json", "query_form", "with_prefixes"]
