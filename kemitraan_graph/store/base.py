"""What every backend offers (``Backend``), and the pyoxigraph <-> rdflib term conversion."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from ..namespaces import PREFIXES
from ..results import QueryResult

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: (subject, predicate, object, graph IRI or None for the default graph), as rdflib terms
Quad = tuple[Node, Node, Node, "str | None"]


# --- term conversion (pyoxigraph <-> rdflib), kept here and nowhere else -------------------

def _iri(value: str) -> URIRef:
    """An IRI that Oxigraph has parsed, so valid: rdflib's own check (a regex) is skipped (4x faster;
    a URIRef holds nothing but its string)."""
    return str.__new__(URIRef, value)


#: datatype IRIs, made once (a result repeats a few of them many times)
_DATATYPES: dict[str, URIRef] = {}


def _literal(value: str, language: str | None, datatype: str | None) -> Literal:
    if language:
        return Literal(value, lang=language)
    if datatype == _XSD_STRING:  # RDF 1.1 simple literal: rdflib spells it without a datatype
        return Literal(value)
    iri = _DATATYPES.get(datatype)
    if iri is None:
        iri = _DATATYPES.setdefault(datatype, _iri(datatype))
    return Literal(value, datatype=iri)


def from_ox(term: Any) -> Node | None:
    kind = type(term)
    if kind is ox.NamedNode:
        return _iri(term.value)
    if kind is ox.Literal:
        language = term.language
        return _literal(term.value, language, None if language else term.datatype.value)
    if term is None:
        return None
    if kind is ox.BlankNode:
        return BNode(term.value)
    if kind is ox.DefaultGraph:
        return DATASET_DEFAULT_GRAPH_ID
    raise TypeError(f"unsupported term {term!r}")


def _node(kind: str, value: str, extra: str | None) -> Node:
    """A term from its ``encode_result`` parts."""
    if kind == "I":
        return _iri(value)
    if kind == "L":
        return _literal(value, extra, None)
    if kind == "T":
        return _literal(value, None, extra)
    return BNode(value)


def _parts(term: Any) -> tuple[str, str, str | None]:
    kind = type(term)
    if kind is ox.NamedNode:
        return ("I", term.value, None)
    if kind is ox.Literal:
        return ("L", term.value, term.language) if term.language else ("T", term.value, term.datatype.value)
    if kind is ox.BlankNode:
        return ("B", term.value, None)
    raise TypeError(f"unsupported term {term!r}")


def encode_result(res: Any, limit: int | None = None) -> tuple:
    """A pyoxigraph result as plain tuples, for a worker process to send (``decode_result`` makes
    the QueryResult): each distinct term once as (kind, value, language or datatype), rows as
    indexes into them (-1: unbound). No rdflib term is made in the worker, none pickled."""
    if isinstance(res, ox.QueryBoolean):
        return ("ask", bool(res))
    index: dict[Any, int] = {}
    terms: list[tuple[str, str, str | None]] = []

    def ref(term: Any) -> int:
        if term is None:
            return -1
        i = index.get(term)
        if i is None:
            i = index[term] = len(terms)
            terms.append(_parts(term))
        return i

    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        return ("select", names, terms, [tuple(map(ref, sol)) for sol in islice(res, limit)])
    rows = [(ref(t.subject), ref(t.predicate), ref(t.object)) for t in islice(res, limit)]
    return ("graph", ["subject", "predicate", "object"], terms, rows)


def decode_result(payload: tuple) -> QueryResult:
    """The QueryResult of an ``encode_result`` payload (each distinct term made once)."""
    if payload[0] == "ask":
        return QueryResult("ask", boolean=payload[1])
    kind, names, terms, rows = payload
    nodes: list[Node | None] = [_node(*parts) for parts in terms]
    nodes.append(None)  # index -1: unbound
    get = nodes.__getitem__
    return QueryResult(kind, names, [tuple(map(get, row)) for row in rows])


#: ``match(subject, object)`` -> the Triples of one graph with that subject and/or object (None: any)
Matcher = Callable[[Any, Any], Iterable[Any]]


def index_triples(triples: Iterable[Any]) -> Matcher:
    """Triples in an in-memory Oxigraph index, looked up by subject and object."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    default = ox.DefaultGraph()
    return lambda s, o: (q.triple for q in store.quads_for_pattern(s, None, o, default))


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


# --- backends ---------------------------------------------------------------------------

class Backend(ABC):
    """What the rest of the package needs from a store."""

    name: str
    persistent: bool = False
    #: bumped by every write, so that a worker process forked earlier knows it is stale
    generation: int = 0
    #: prefixes every query may use without declaring them (the project's, plus an extension's own)
    prefixes: dict[str, str] = PREFIXES

    def add_prefix(self, prefix: str, namespace: str) -> None:
        """Let queries use ``prefix:`` for ``namespace`` without a PREFIX line (an extension's terms)."""
        self.prefixes = {**self.prefixes, prefix: namespace}

    #: whether queries are evaluated in this process (False: a server evaluates them, so there is
    #: nothing to fork or to fence off; the guard still checks every query first)
    evaluates_here: bool = True

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
    def execute(self, text: str, *, limit: int | None = None) -> QueryResult:
        """Evaluate a SPARQL query over the union of all graphs, as it is (no guard, no time limit).

        ``limit`` stops reading solutions after that many. User queries reach this only through
        ``runner.run_query``, which guards and times them."""

    def execute_encoded(self, text: str, *, limit: int | None = None) -> QueryResult | tuple:
        """``execute`` for a worker process to send back: a QueryResult, or an ``encode_result``
        payload (cheaper to send than rdflib terms; ``decode_result`` makes the QueryResult)."""
        return self.execute(text, limit=limit)

    @abstractmethod
    def run_update(self, text: str) -> None:
        """Internal updates only (derived graphs); never exposed to user queries."""

    @abstractmethod
    def add_triples(self, triples: Iterable[tuple[Node, Node, Node]], graph: str) -> None: ...

    @abstractmethod
    def quads(self, graph: str) -> Iterable[Any]:
        """The triples of one named graph as pyoxigraph Quads (fast path for export)."""

    def triples_matching(self, graph: str | None) -> Matcher:
        """Lookups in one named graph (``None``: the union every query reads), for a push that
        streams: ``match(subject, object)`` gives its pyoxigraph Triples with that subject and/or
        object (``None``: any). Here the graph is copied into an index first; a store that has
        indexes of its own looks them up."""
        if graph is None:
            rows = self.execute("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").rows
            return index_triples(ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in rows)
        return index_triples(q.triple for q in self.quads(graph))

    @abstractmethod
    def __len__(self) -> int: ...

    # file bookkeeping of persistent stores: graph IRI -> sha256 of the file it came from,
    # kept beside the data (a JSON file in the store folder), never as triples in the store
    def file_hashes(self) -> dict[str, str]:
        return {}

    def save_file_hashes(self, hashes: dict[str, str]) -> None:  # noqa: B027 - memory stores keep none
        """Persistent stores record the hashes; in-memory ones have nothing to keep."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (persistent ones flush and unlock their folder)."""

    def freeze(self) -> None:  # noqa: B027 - optional hook
        """Loading is done: persistent stores may switch to read-only (see the Oxigraph backend)."""

    def for_worker(self) -> Backend:
        """The store as a forked worker process should use it (itself, unless a handle can't be shared)."""
        return self

    #: where the derived entailments go (``inference.derive``): False, into the named graph
    #: ``DERIVED_GRAPH`` and the union; True, into the union (the default graph) only, and
    #: ``quads(DERIVED_GRAPH)`` gives the union's triples that no named graph states (one copy of
    #: each entailment instead of two: at 1M file triples that is a quarter of the store's memory)
    derives_into_union: bool = False

    def mark_derived(self) -> None:  # noqa: B027 - optional hook
        """The entailments are complete (``derives_into_union`` stores record it: the derived
        graph is then listed by ``graph_names``; ``drop_graph(DERIVED_GRAPH)`` forgets it)."""

    #: whether ``apply_changes`` is implemented (the server's SPARQL Update needs it)
    accepts_updates: bool = False

    def apply_changes(self, delete: Iterable[Quad], insert: Iterable[Quad], *,
                      default_graph: str) -> tuple[int, int]:
        """Apply the quads of a SPARQL Update, keeping the union (the default graph) a set of the named
        graphs: ``(s, p, o, None)`` is the default graph. Deleting from it deletes from every named
        graph; inserting into it inserts into ``default_graph``; a named graph's change reaches the
        union. Returns (added, removed) triples of the union (the caller derives the entailments
        again)."""
        from ..errors import StoreError

        raise StoreError(f"the {self.name} backend does not take updates")


def _clean_message(exc: BaseException) -> str:
    msg = " ".join((str(exc.args[0]) if exc.args else str(exc)).split())
    if "LoadDocumentCallback" in msg:
        return "JSON-LD remote @context is not fetched (nothing is fetched at run time); inline the context"
    return msg




__all__ = ["Backend", "from_ox", "syntax_position", "to_ox"]
