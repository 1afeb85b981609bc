"""The fallback backend: rdflib's pure-Python memory store (files still parsed by Oxigraph)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..errors import LoadError, QueryError, StoreError
from ..namespaces import PREFIXES
from ..results import QueryResult
from .base import Backend, _clean_message, from_ox, syntax_position, to_ox


class RdflibBackend(Backend):
    """Pure rdflib memory store; files are still parsed by Oxigraph's parsers (same errors)."""

    name = "rdflib"

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
        self.generation += 1
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
        self.generation += 1
        self._dataset.remove_graph(URIRef(graph))

    def graph_names(self) -> set[str]:
        return {str(g.identifier) for g in self._dataset.graphs()
                if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)}

    def execute(self, text: str, *, limit: int | None = None) -> QueryResult:
        from pyparsing import ParseException

        try:
            return QueryResult.from_rdflib(self._dataset.query(text), limit)
        except ParseException as exc:
            raise QueryError(str(exc.msg), exc.lineno, exc.col) from None
        except Exception as exc:  # rdflib raises many types while evaluating
            raise QueryError(str(exc)) from None

    def run_update(self, text: str) -> None:
        self.generation += 1
        prologue = "".join(f"PREFIX {p}: <{n}>\n" for p, n in self.prefixes.items())
        self._dataset.update(prologue + text)

    def add_triples(self, triples, graph: str) -> None:
        self.generation += 1
        g = self._dataset.graph(URIRef(graph))
        for t in triples:
            g.add(t)

    def quads(self, graph: str):
        g = ox.NamedNode(graph)
        return (ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in self._dataset.graph(URIRef(graph)))

    def __len__(self) -> int:
        """Distinct triples (rdflib's union of the graphs is a set)."""
        return sum(1 for _ in self._dataset.triples((None, None, None)))

    def add_prefix(self, prefix: str, namespace: str) -> None:
        super().add_prefix(prefix, namespace)
        self._dataset.bind(prefix, namespace, override=True)  # rdflib's queries read the bindings
