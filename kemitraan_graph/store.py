"""Storage backends behind one small registry.

``oxigraph`` (default): an embedded Oxigraph store, in memory or persistent at a path, seen by
rdflib through oxrdflib. ``rdflib``: rdflib's pure-Python memory store, the fallback.
Both hold one named graph per loaded file and answer SPARQL over the union of their graphs.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .errors import LoadError, QueryError, QueryTimeout, StoreError
from .namespaces import PREFIXES
from .results import QueryResult

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


# --- term conversion (pyoxigraph <-> rdflib), kept here and nowhere else -------------------

def from_ox(term: Any) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:  # RDF 1.1 simple literal: rdflib spells it without a datatype
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.DefaultGraph):
        return DATASET_DEFAULT_GRAPH_ID
    raise TypeError(f"unsupported term {term!r}")


def to_ox(term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def syntax_position(exc: SyntaxError) -> tuple[int | None, int | None]:
    """Line and column of a pyoxigraph SyntaxError (query or data)."""
    line, col = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    if line is None:
        import re

        m = re.search(r"(?:at|line) (\d+)[:, column]+(\d+)", str(exc))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    return line, col


class _Worker:
    """One long-lived daemon thread that runs queries (starting a thread per query cost ~1 ms)."""

    def __init__(self) -> None:
        import queue

        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name="kemitraan-query", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            fn, box, done = self.jobs.get()
            try:
                box["value"] = fn()
            except BaseException as exc:  # re-raised in the caller's thread
                box["error"] = exc
            done.set()


_worker: _Worker | None = None
_worker_lock = threading.Lock()


def run_with_timeout(fn: Callable[[], Any], timeout: float | None, what: str) -> Any:
    """Run ``fn`` in the worker thread; raise QueryTimeout when it outlives ``timeout``.

    Oxigraph releases the GIL while it evaluates, so the caller regains control on time. The
    abandoned evaluation runs on in its daemon thread until it finishes or the process exits; the
    next query gets a fresh worker.
    """
    global _worker
    if not timeout:
        return fn()
    with _worker_lock:
        if _worker is None:
            _worker = _Worker()
        worker = _worker
        box: dict[str, Any] = {}
        done = threading.Event()
        worker.jobs.put((fn, box, done))
        if not done.wait(timeout):
            _worker = None  # busy with the runaway query: leave it behind
            raise QueryTimeout(f"stopped after {timeout:g} s (use --timeout to allow longer)", source=what)
    if "error" in box:
        raise box["error"]
    return box["value"]


# --- backends ---------------------------------------------------------------------------

class Backend(ABC):
    """What the rest of the package needs from a store."""

    name: str
    persistent: bool = False
    #: whether the WHERE of an update sees the union of all graphs (else only the default graph)
    update_sees_union: bool = False

    @property
    @abstractmethod
    def dataset(self) -> Dataset:
        """The rdflib view of the whole store (named graphs, union default graph)."""

    @abstractmethod
    def load_file(self, path: Path, graph: str, fmt: ox.RdfFormat, base_iri: str | None) -> int:
        """Parse ``path`` into named graph ``graph``; all or nothing. Returns triples added."""

    @abstractmethod
    def drop_graph(self, graph: str) -> None: ...

    @abstractmethod
    def graph_names(self) -> set[str]: ...

    @abstractmethod
    def run_query(self, text: str, bindings: Mapping[str, Node], *, union: bool = True) -> QueryResult:
        """Evaluate a (guarded) SPARQL query over the union of all graphs."""

    @abstractmethod
    def run_update(self, text: str) -> None:
        """Internal updates only (derived graphs); never exposed to user queries."""

    @abstractmethod
    def add_triples(self, triples: Iterable[tuple[Node, Node, Node]], graph: str) -> None: ...

    @abstractmethod
    def quads(self, graph: str) -> Iterable[Any]:
        """The triples of one named graph as pyoxigraph Quads (fast path for export)."""

    @abstractmethod
    def __len__(self) -> int: ...

    def query(self, text: str, bindings: Mapping[str, Node] | None = None, *,
              timeout: float | None = None, source: str | None = None) -> QueryResult:
        return run_with_timeout(lambda: self.run_query(text, bindings or {}), timeout, source or "query")

    # file bookkeeping of persistent stores: graph IRI -> sha256 of the file it came from,
    # kept beside the data (a JSON file in the store folder), never as triples in the store
    def file_hashes(self) -> dict[str, str]:
        return {}

    def save_file_hashes(self, hashes: dict[str, str]) -> None:  # noqa: B027 - memory stores keep none
        """Persistent stores record the hashes; in-memory ones have nothing to keep."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (persistent ones flush and unlock their folder)."""


class OxigraphBackend(Backend):
    name = "oxigraph"

    def __init__(self, path: str | Path | None = None):
        try:
            self.ox = ox.Store(str(path)) if path else ox.Store()
        except OSError as exc:
            raise StoreError(f"cannot open store at {path}: {exc}") from exc
        self.persistent = path is not None
        self.path = path
        self._dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            from oxrdflib import OxigraphStore

            ds = Dataset(store=OxigraphStore(store=self.ox), default_union=True)
            for prefix, ns in PREFIXES.items():
                ds.bind(prefix, ns, override=True)
            self._dataset = ds
        return self._dataset

    def load_file(self, path: Path, graph: str, fmt: ox.RdfFormat, base_iri: str | None) -> int:
        before = len(self)
        try:
            self.ox.load(path=str(path), format=fmt, base_iri=base_iri, to_graph=ox.NamedNode(graph))
        except SyntaxError as exc:
            line, col = syntax_position(exc)
            raise LoadError(str(path), line, col, _clean_message(exc)) from None
        except (OSError, ValueError) as exc:
            raise LoadError(str(path), None, None, _clean_message(exc)) from None
        return len(self) - before

    def drop_graph(self, graph: str) -> None:
        node = ox.NamedNode(graph)
        if self.ox.contains_named_graph(node):
            self.ox.remove_graph(node)

    def graph_names(self) -> set[str]:
        return {g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)}

    def run_query(self, text: str, bindings: Mapping[str, Node], *, union: bool = True) -> QueryResult:
        from .querylib import inject_values

        try:
            res = self.ox.query(inject_values(text, dict(bindings)), use_default_graph_as_union=union,
                                prefixes=PREFIXES)
            return QueryResult.from_oxigraph(res, from_ox)
        except SyntaxError as exc:
            line, col = syntax_position(exc)
            raise QueryError(_clean_message(exc), line, col) from None
        except OSError as exc:
            raise QueryError(str(exc)) from None

    def run_update(self, text: str) -> None:
        self.ox.update(text, prefixes=PREFIXES)

    def add_triples(self, triples, graph: str) -> None:
        g = ox.NamedNode(graph)
        self.ox.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples])

    def quads(self, graph: str):
        return self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def __len__(self) -> int:
        return len(self.ox)

    def _hash_file(self) -> Path:
        return Path(self.path) / "kemitraan-files.json"

    def file_hashes(self) -> dict[str, str]:
        if not self.persistent or not self._hash_file().is_file():
            return {}
        import json

        return json.loads(self._hash_file().read_text(encoding="utf-8"))

    def save_file_hashes(self, hashes: dict[str, str]) -> None:
        import json

        from .atomic import write_text

        if self.persistent:
            self.ox.flush()
            write_text(self._hash_file(), json.dumps(hashes, indent=1, sort_keys=True))

    def close(self) -> None:
        """Flush, and release the store (and its folder lock) right away."""
        if self.ox is None:
            return
        if self.persistent:
            self.ox.flush()
        self._dataset = None
        self.ox = None
        if self.persistent:
            import gc

            gc.collect()


class RdflibBackend(Backend):
    """Pure rdflib memory store; files are still parsed by Oxigraph's parsers (same errors)."""

    name = "rdflib"
    update_sees_union = True

    def __init__(self, path: str | Path | None = None):
        if path is not None:
            raise StoreError("the rdflib backend is in memory only; use --backend oxigraph with --store")
        self._dataset = Dataset(default_union=True)
        for prefix, ns in PREFIXES.items():
            self._dataset.bind(prefix, ns, override=True)

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def load_file(self, path: Path, graph: str, fmt: ox.RdfFormat, base_iri: str | None) -> int:
        try:
            parsed = list(ox.parse(path=str(path), format=fmt, base_iri=base_iri))
        except SyntaxError as exc:
            line, col = syntax_position(exc)
            raise LoadError(str(path), line, col, _clean_message(exc)) from None
        except (OSError, ValueError) as exc:
            raise LoadError(str(path), None, None, _clean_message(exc)) from None
        target = self._dataset.graph(URIRef(graph))
        before = len(target)
        for q in parsed:
            g = target
            if isinstance(q, ox.Quad) and not isinstance(q.graph_name, ox.DefaultGraph):
                g = self._dataset.graph(from_ox(q.graph_name))
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return len(target) - before

    def drop_graph(self, graph: str) -> None:
        self._dataset.remove_graph(URIRef(graph))

    def graph_names(self) -> set[str]:
        return {str(g.identifier) for g in self._dataset.graphs()
                if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)}

    def run_query(self, text: str, bindings: Mapping[str, Node], *, union: bool = True) -> QueryResult:
        from pyparsing import ParseException

        try:
            res = self._dataset.query(text, initBindings=dict(bindings) or None)
        except ParseException as exc:
            raise QueryError(str(exc.msg), exc.lineno, exc.col) from None
        except Exception as exc:  # rdflib raises many types while evaluating
            raise QueryError(str(exc)) from None
        return QueryResult.from_rdflib(res)

    def run_update(self, text: str) -> None:
        prologue = "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items())
        self._dataset.update(prologue + text)

    def add_triples(self, triples, graph: str) -> None:
        g = self._dataset.graph(URIRef(graph))
        for t in triples:
            g.add(t)

    def quads(self, graph: str):
        g = ox.NamedNode(graph)
        return (ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in self._dataset.graph(URIRef(graph)))

    def __len__(self) -> int:
        return sum(len(g) for g in self._dataset.graphs())


def _clean_message(exc: BaseException) -> str:
    msg = " ".join((str(exc.args[0]) if exc.args else str(exc)).split())
    if "LoadDocumentCallback" in msg:
        return "JSON-LD remote @context is not fetched (nothing is fetched at run time); inline the context"
    return msg


#: name -> factory; each takes an optional path
BACKENDS: dict[str, Callable[..., Backend]] = {
    "oxigraph": OxigraphBackend,
    "rdflib": RdflibBackend,
}


def open_backend(name: str = "oxigraph", path: str | Path | None = None) -> Backend:
    """Open a store by backend name (see BACKENDS)."""
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise StoreError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}") from None
    return factory(path)


__all__ = ["BACKENDS", "Backend", "OxigraphBackend", "RdflibBackend", "open_backend", "run_with_timeout",
           "from_ox", "to_ox"]
