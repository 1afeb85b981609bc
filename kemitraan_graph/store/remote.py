"""A remote SPARQL server as a backend: the SPARQL 1.1 Protocol for queries, and ``push``.

Servers such as Oxigraph server and Virtuoso evaluate their "union of all graphs" as a multiset
(a triple stated in two graphs counts twice), and hold graphs of their own. So ``push`` uploads
the embedded store's default graph (the set-union of every file plus the derived entailments) as
ONE graph, ``UNION_GRAPH``, and every query names that graph as its default graph
(``default-graph-uri``): the server sees exactly the triples the embedded store answers from.

Uploads use the Graph Store Protocol (``PUT`` replaces the graph, so a second push never
duplicates) or, without a graph store URL, SPARQL Update (``DROP SILENT GRAPH`` + ``INSERT DATA``).
Every failure of the connection or of the server becomes a one-line ``StoreError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..namespaces import GRAPH, PREFIXES
from ..results import QueryResult
from ..sparql_text import tokens
from .base import Backend, from_ox, to_ox

#: the one graph ``push`` writes and every query reads as its default graph
UNION_GRAPH = str(GRAPH) + "union"
#: seconds to wait for a server unless told otherwise
DEFAULT_TIMEOUT = 60.0
#: triples per SPARQL Update request (servers limit the size of one request; Virtuoso compiles
#: each request to SQL and refuses one over 10,000 lines, which a blank-node template reaches soonest)
UPDATE_BATCH = 2000
BLANK_BATCH = 300
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


def _update_batches(triples: list[Any]) -> list[tuple[list[Any], bool]]:
    """Triples in batches for SPARQL Update: ``(batch, has blank nodes)``.

    A blank node is one node only within one request, so the triples that share blank nodes
    (a connected group) always travel in the same batch.
    """
    parent: dict[Any, Any] = {}

    def find(x: Any) -> Any:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    named, blank = [], []
    for t in triples:
        nodes = [n for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        if not nodes:
            named.append(t)
            continue
        blank.append(t)
        if len(nodes) == 2:
            a, b = find(nodes[0]), find(nodes[1])
            if a != b:
                parent[a] = b
    groups: dict[Any, list[Any]] = {}
    for t in blank:
        node = t.subject if isinstance(t.subject, ox.BlankNode) else t.object
        groups.setdefault(find(node), []).append(t)
    out: list[tuple[list[Any], bool]] = []
    batch: list[Any] = []
    for group in groups.values():
        if batch and len(batch) + len(group) > BLANK_BATCH:
            out.append((batch, True))
            batch = []
        batch += group
    if batch:
        out.append((batch, True))
    out += [(named[i:i + UPDATE_BATCH], False) for i in range(0, len(named), UPDATE_BATCH)]
    return out


@dataclass
class PushReport:
    graph: str
    triples: int
    method: str  # "graph store" or "update"
    target: str


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

    def _request(self, method: str, url: str, *, query: bool = True, **kw: Any) -> Any:
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
        if resp.status_code >= 400:
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
        data = {"query": with_prefixes(text), "default-graph-uri": self.graph}
        resp = self._request("POST", self._query_url(), data=data, headers={"Accept": accept})
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
        if graph != self.graph:
            raise StoreError(f"only the pushed graph <{self.graph}> is read from a remote store")
        g = ox.NamedNode(graph)
        return (ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)
                for s, p, o in self.execute("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").rows)

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
        """Replace ``UNION_GRAPH`` on the server with the default graph of ``source`` (a set)."""
        triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o))
                   for s, p, o in source.execute("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").rows]
        if self.graph_store:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            self._request("PUT", self.graph_store, query=False, params={"graph": self.graph}, content=body,
                          headers={"Content-Type": "application/n-triples"})
            method, target = "graph store", self.graph_store
        else:
            target = self.update_endpoint or self._query_url()
            self._update(target, f"DROP SILENT GRAPH <{self.graph}>")
            for batch, with_blanks in _update_batches(triples):
                chunk = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                # INSERT DATA may not hold blank nodes on every server (Virtuoso); a template may
                head, tail = ("INSERT", " WHERE {}") if with_blanks else ("INSERT DATA", "")
                self._update(target, f"{head} {{ GRAPH <{self.graph}> {{\n{chunk}\n}} }}{tail}")
            method = "update"
        self._graphs = None
        return PushReport(self.graph, len(triples), method, target)

    def _update(self, url: str, text: str) -> None:
        self._request("POST", url, query=False, data={"update": text})


__all__ = ["DEFAULT_TIMEOUT", "UNION_GRAPH", "PushReport", "RemoteBackend", "parse_sparql_json", "query_form",
           "with_prefixes"]
