"""The default backend: an embedded Oxigraph store, in memory or persistent at a path.

rdflib sees it through oxrdflib (``backend.dataset``); queries and loads go to pyoxigraph directly.

Set semantics: every file is a named graph, and the store's default graph holds the union of
them as a set (a triple stated in two files, or stated and derived, is there once). Queries run
on that default graph, not on Oxigraph's "default graph as union", which evaluates the union as a
multiset of quads (a triple in two files would count twice). ``GRAPH ?g`` still names the file.

The derived entailments live in the default graph only (``derives_into_union``): they are the
triples of the union that no named graph states, so the store holds each once, not twice; the
Python side (``graph_names``, ``quads``) still shows them as the graph ``DERIVED_GRAPH``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from ..errors import LoadError, QueryError, StoreError
from ..namespaces import DERIVED_GRAPH, PREFIXES
from ..results import QueryResult
from ..sparql_text import describe_syntax_error
from .base import Backend, _clean_message, encode_result, from_ox, syntax_position, to_ox


class OxigraphBackend(Backend):
    name = "oxigraph"

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        if path is not None:
            check_store_folder(Path(path), read_only=read_only)
        try:
            if read_only:
                self.ox = ox.Store.read_only(str(path))
            else:
                self.ox = ox.Store(str(path)) if path else ox.Store()
        except OSError as exc:
            raise StoreError(f"cannot open store at {path}: {exc}") from exc
        self.persistent = path is not None
        self.path = path
        self.read_only = read_only
        #: opened with --read-only: this process never writes to it
        self.never_write = read_only
        self._dataset: Dataset | None = None
        #: the entailments in the default graph are complete (kept beside a persistent store's data)
        self._derived = self.persistent and (Path(path) / DERIVED_MARKER).is_file()
        #: the union may hold triples that no named graph states (a derivation, maybe cut short;
        #: not in a new store)
        self._union_only = self.persistent and is_store_folder(Path(path))
        if self.persistent and not read_only and not is_store_folder(Path(path)):
            from ..atomic import write_text

            write_text(self._hash_file(), "{}")  # ours from the start, even if the first load fails

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            from oxrdflib import OxigraphStore

            ds = Dataset(store=OxigraphStore(store=self.ox), default_union=False)  # default graph = the union
            for prefix, ns in PREFIXES.items():
                ds.bind(prefix, ns, override=True)
            self._dataset = ds
        return self._dataset

    def load_file(self, path: Path, graph: str, fmt: ox.RdfFormat, base_iri: str | None) -> int:
        self.generation += 1
        self._writable()
        node = ox.NamedNode(graph)
        datasets = fmt.supports_datasets  # TriG, N-Quads, JSON-LD: may name graphs of their own
        before = set(self.ox.named_graphs()) if datasets else set()
        try:
            self.ox.load(path=str(path), format=fmt, base_iri=base_iri, to_graph=node)
        except SyntaxError as exc:
            line, col = syntax_position(exc)
            raise LoadError(str(path), line, col, _clean_message(exc)) from None
        except (OSError, ValueError) as exc:
            raise LoadError(str(path), None, None, _clean_message(exc)) from None
        for other in (set(self.ox.named_graphs()) - before - {node}) if datasets else ():
            self._add_to_union(other)
        return self._add_to_union(node)

    def _add_to_union(self, node: ox.NamedNode) -> int:
        """Copy a named graph's triples into the default graph (a set); returns the graph's size.

        ``ADD`` runs inside Oxigraph (a Python loop over the quads took three times as long)."""
        self.ox.update(f"ADD <{node.value}> TO DEFAULT")
        res = self.ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{node.value}> {{ ?s ?p ?o }} }}")
        return int(next(iter(res))[0].value)

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph, and from the union the triples that no other graph states.
        ``DERIVED_GRAPH``: remove the derived entailments (the union's triples no graph states)."""
        self.generation += 1
        self._writable()
        node = ox.NamedNode(graph)
        if graph == str(DERIVED_GRAPH):
            self._drop_derived()
        elif self.ox.contains_named_graph(node):
            self.ox.update(f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
                           f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{graph}>) }} }}")
            self.ox.remove_graph(node)

    def _drop_derived(self) -> None:
        """The union becomes the set of the named graphs again: ``CLEAR DEFAULT`` and an ``ADD`` per
        graph, in one update (one transaction), 4x faster than deleting the triples no graph
        states; skipped when nothing can have been derived (a new in-memory store's first load)."""
        self._derived = False
        if self.persistent:
            (Path(self.path) / DERIVED_MARKER).unlink(missing_ok=True)  # first: a crash re-derives
        node = ox.NamedNode(str(DERIVED_GRAPH))
        if self.ox.contains_named_graph(node):  # a store built by an earlier version kept one
            self.ox.remove_graph(node)
            self._union_only = True
        if self._union_only:
            graphs = [g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)]
            self.ox.update(" ;\n".join(["CLEAR DEFAULT", *(f"ADD <{g}> TO DEFAULT" for g in graphs)]))
            self._union_only = False

    derives_into_union = True

    def mark_derived(self) -> None:
        self._derived = True
        if self.persistent:
            from ..atomic import write_text

            self.ox.flush()
            write_text(Path(self.path) / DERIVED_MARKER,
                       "The default graph holds the derived entailments: the triples no named graph states.\n")

    def graph_names(self) -> set[str]:
        names = {g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)}
        return names | {str(DERIVED_GRAPH)} if self._derived else names

    def execute(self, text: str, *, limit: int | None = None) -> QueryResult:
        return self._evaluate(text, lambda res: QueryResult.from_oxigraph(res, from_ox, limit))

    def execute_encoded(self, text: str, *, limit: int | None = None) -> tuple:
        return self._evaluate(text, lambda res: encode_result(res, limit))

    def _evaluate(self, text: str, read):
        try:
            res = self.ox.query(text, prefixes=self.prefixes)  # the default graph is the union (a set)
            return read(res)  # (evaluation goes on as the solutions are read)
        except SyntaxError as exc:
            line, col = syntax_position(exc)
            message = describe_syntax_error(_clean_message(exc), text, line, col, self.prefixes)
            raise QueryError(message, line, col) from None
        except OSError as exc:
            raise QueryError(str(exc)) from None

    def run_update(self, text: str) -> None:
        self.generation += 1
        self._writable()
        self._union_only = True  # (an internal update: a derivation, or a MOVE of a graph)
        self.ox.update(text, prefixes=self.prefixes)

    def add_triples(self, triples, graph: str) -> None:
        self.generation += 1
        self._writable()
        g, default = ox.NamedNode(graph), ox.DefaultGraph()
        quads = []
        for s, p, o in triples:
            ts, tp, to = to_ox(s), to_ox(p), to_ox(o)
            quads += [ox.Quad(ts, tp, to, g), ox.Quad(ts, tp, to, default)]
        self.ox.extend(quads)

    def quads(self, graph: str):
        node = ox.NamedNode(graph)
        if graph == str(DERIVED_GRAPH) and not self.ox.contains_named_graph(node):
            return (ox.Quad(row[0], row[1], row[2], node)
                    for row in self.ox.query(f"SELECT ?s ?p ?o WHERE {_UNION_ONLY}"))
        return self.ox.quads_for_pattern(None, None, None, node)

    def triples_matching(self, graph: str | None):
        """Looked up in the store's own indexes: nothing is copied (a push of 994k file triples
        held 2.2 GB when every graph was a list first)."""
        if graph == str(DERIVED_GRAPH):
            return super().triples_matching(graph)
        node = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return lambda s, o: (q.triple for q in self.ox.quads_for_pattern(s, None, o, node))

    accepts_updates = True

    def apply_changes(self, delete, insert, *, default_graph: str) -> tuple[int, int]:
        """See ``Backend.apply_changes``. A file's graph that changes loses its recorded hash, so the
        next load of a persistent store parses that file again (the files stay the source of truth)."""
        self.generation += 1
        self._writable()
        store, union = self.ox, ox.DefaultGraph()
        touched: set[str] = set()
        added = removed = 0

        def stated(ts, tp, to) -> bool:  # in some named graph
            return any(not isinstance(q.graph_name, ox.DefaultGraph) for q in store.quads_for_pattern(ts, tp, to, None))

        for s, p, o, g in delete:
            ts, tp, to = to_ox(s), to_ox(p), to_ox(o)
            if g is None:
                for q in list(store.quads_for_pattern(ts, tp, to, None)):
                    if isinstance(q.graph_name, ox.DefaultGraph):
                        removed += 1
                    else:
                        touched.add(q.graph_name.value)
                    store.remove(q)
            else:
                q = ox.Quad(ts, tp, to, ox.NamedNode(g))
                if q in store:
                    store.remove(q)
                    touched.add(g)
                    if not stated(ts, tp, to) and ox.Quad(ts, tp, to, union) in store:
                        store.remove(ox.Quad(ts, tp, to, union))
                        removed += 1
        for s, p, o, g in insert:
            ts, tp, to = to_ox(s), to_ox(p), to_ox(o)
            target = g or default_graph
            store.add(ox.Quad(ts, tp, to, ox.NamedNode(target)))
            touched.add(target)
            if ox.Quad(ts, tp, to, union) not in store:
                store.add(ox.Quad(ts, tp, to, union))
                added += 1
        if self.persistent:
            hashes = self.file_hashes()
            if touched & set(hashes):
                self.save_file_hashes({k: v for k, v in hashes.items() if k not in touched})
        return added, removed

    def __len__(self) -> int:
        """Distinct triples (the union's size)."""
        res = self.ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(res))[0].value)

    def _hash_file(self) -> Path:
        return Path(self.path) / STORE_MARKER

    def file_hashes(self) -> dict[str, str]:
        if not self.persistent or not self._hash_file().is_file():
            return {}
        import json

        return json.loads(self._hash_file().read_text(encoding="utf-8"))

    def save_file_hashes(self, hashes: dict[str, str]) -> None:
        import json

        from ..atomic import write_text

        if self.persistent:
            self.ox.flush()
            write_text(self._hash_file(), json.dumps(hashes, indent=1, sort_keys=True))

    def freeze(self) -> None:
        """Done writing: a persistent store is reopened read-only, so that worker processes (and
        other readers) can open it too; the next write reopens it for writing."""
        if self.persistent and not self.read_only:
            self._reopen(read_only=True)

    def _writable(self) -> None:
        if self.never_write:
            raise StoreError(f"the store at {self.path} was opened read-only: nothing can be written to it")
        if self.read_only:
            self._reopen(read_only=False)

    def _reopen(self, *, read_only: bool) -> None:
        import gc

        if not self.read_only:
            self.ox.flush()
        self._dataset = None
        self.ox = None
        gc.collect()  # releases the folder lock now
        try:
            self.ox = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot reopen store at {self.path}: {exc}") from exc
        self.read_only = read_only

    def for_worker(self) -> OxigraphBackend:
        """In a forked worker a persistent store is opened again, read-only (RocksDB handles are not
        shared across a fork; the parent holds it read-only too, so nothing writes meanwhile); an
        in-memory store is used as it is, copy-on-write."""
        if not self.persistent:
            return self
        worker = object.__new__(OxigraphBackend)
        worker.ox = ox.Store.read_only(str(self.path))
        worker.persistent, worker.path, worker.read_only, worker._dataset = True, self.path, True, None
        worker._derived = self._derived
        worker.prefixes = self.prefixes
        return worker

    def close(self) -> None:
        """Flush, and release the store (and its folder lock) right away."""
        if self.ox is None:
            return
        if self.persistent and not self.read_only:
            self.ox.flush()
        self._dataset = None
        self.ox = None
        if self.persistent:
            import gc

            gc.collect()


#: the file that marks a folder as a store of ours (graph -> sha256 of its file)
STORE_MARKER = "kemitraan-files.json"
#: the file that says the store's derived entailments are complete
DERIVED_MARKER = "kemitraan-derived.txt"
#: the derived triples: in the union (the default graph), stated by no named graph
_UNION_ONLY = "{ ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"


def is_store_folder(path: Path) -> bool:
    return (path / STORE_MARKER).is_file()


def check_store_folder(path: Path, *, read_only: bool) -> None:
    """A store folder is new (missing or empty) or one of ours; anything else is refused, so that
    ``--store`` never writes database files into a folder of data."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot use {path} as a store: it is not a folder")
    if read_only and not is_store_folder(path):
        raise StoreError(f"{path} is not a kemitraan store (no {STORE_MARKER}); build it first without --read-only")
    if path.is_dir() and any(path.iterdir()) and not is_store_folder(path):
        raise StoreError(f"refusing to use {path} as a store: it is a folder with other files in it "
                         f"(a store folder is empty or holds {STORE_MARKER}); choose an empty or new folder")
