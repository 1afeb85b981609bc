"""``GraphReader``: the narrow interface the views and summaries read through.

It runs the engine's own (trusted) queries, runs a person's queries through the guard
(``runner.run_query``), and looks up labels; views never see the store or the API object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .querylib import LibraryQuery, discover, resolve
from .results import QueryResult
from .runner import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, run_query
from .sandbox import WorkerPool
from .store import Backend
from .terms import is_safe_iri, lang_key, pick_label

#: IRIs per label query (a VALUES block)
_LABEL_BATCH = 1000
#: a node ?s's labels, rdfs:label (?k 0) before skos:prefLabel (?k 1)
_LABEL_PATTERN = "{ ?s rdfs:label ?l BIND(0 AS ?k) } UNION { ?s skos:prefLabel ?l BIND(1 AS ?k) }"


def _best_labels(found: dict[str, dict[str, tuple[int, str]]], rows: Iterable[tuple[str | None, ...]]) -> None:
    """Keep, per node and language, the first label by (property rank, text)."""
    for s, k, label, tag in rows:
        if s is None or label is None:
            continue
        lang = lang_key(tag)
        rank = (int(k or 0), label)
        slot = found.setdefault(s, {})
        if lang not in slot or rank < slot[lang]:
            slot[lang] = rank


class GraphReader:
    """Read access to one store: internal queries, guarded user queries, labels."""

    def __init__(self, backend: Backend, library: Mapping[str, LibraryQuery] | None = None, *, workers: int = 1):
        self.backend = backend
        self._library = dict(library) if library is not None else None
        #: worker processes for a person's queries (``sandbox``): they can be stopped for real
        self.pool = WorkerPool(backend, size=workers)

    def close(self) -> None:
        """Stop the worker processes."""
        self.pool.close()

    @property
    def library(self) -> dict[str, LibraryQuery]:
        if self._library is None:
            self._library = discover()
        return self._library

    def rows(self, text: str) -> list[tuple[Node | None, ...]]:
        """Rows of one of the engine's own SELECT queries (not guarded: the text is ours)."""
        return self.backend.execute(text).rows

    def texts(self, text: str) -> list[tuple[str | None, ...]]:
        """Rows of one of the engine's own SELECT queries as plain strings (an IRI, a literal's
        lexical form, a blank node's id; ``None`` when unbound). No rdflib term is made: on an
        embedded Oxigraph store the solutions are read as they come (a view over 100,000 rows
        spends most of its time converting terms otherwise); ask for ``LANG(?x)`` or
        ``DATATYPE(?x)`` in the query when they matter."""
        store = getattr(self.backend, "ox", None)
        if isinstance(store, ox.Store) and self.backend.evaluates_here:
            res = store.query(text, prefixes=self.backend.prefixes)
            width = range(len(res.variables))
            return [tuple(None if (t := sol[i]) is None else t.value for i in width) for sol in res]
        return [tuple(None if v is None else str(v) for v in row) for row in self.backend.execute(text).rows]

    def query(self, name_or_text: str | LibraryQuery, params: Mapping[str, Any] | None = None, *,
              allow_network: bool = False, timeout: float | None = DEFAULT_TIMEOUT, limit: int | None = None,
              max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB, lang: str | None = None) -> QueryResult:
        """A person's query (library name, ``.rq`` file, text, or a parsed query), guarded, bound,
        and run in a worker process within ``timeout`` seconds and ``max_memory_mb``.

        Parameters are checked against the graph first (``params.prepare``: short names, IRIs that
        are nowhere in it, defaults used, the ``lang`` parameter); its messages become ``result.notes``.
        """
        from .params import prepare

        q = name_or_text if isinstance(name_or_text, LibraryQuery) else resolve(name_or_text, self.library)
        params, notes = prepare(self, q, params or {}, lang)
        result = run_query(self.backend, q, params, allow_network=allow_network, timeout=timeout, limit=limit,
                           max_memory_mb=max_memory_mb, pool=self.pool)
        result.notes = notes + result.notes
        return result

    def triple_count(self) -> int:
        return len(self.backend)

    def label_texts(self, iris: Iterable[Node | str]) -> dict[str, dict[str, str]]:
        """``iri -> {lang: label}`` from rdfs:label (preferred) or skos:prefLabel; ``""`` = untagged."""
        wanted = [str(i) for i in dict.fromkeys(iris)
                  if i is not None and not isinstance(i, (BNode, Literal)) and is_safe_iri(str(i))]
        found: dict[str, dict[str, tuple[int, str]]] = {}
        for start in range(0, len(wanted), _LABEL_BATCH):
            values = " ".join(f"<{i}>" for i in wanted[start:start + _LABEL_BATCH])
            _best_labels(found, self.texts(f"SELECT ?s ?k ?l (LANG(?l) AS ?lang) WHERE {{ VALUES ?s {{ {values} }} "
                                           f"{_LABEL_PATTERN} }}"))
        return {s: {lang: text for lang, (_k, text) in d.items()} for s, d in found.items()}

    def labels(self, iris: Iterable[Node], lang: str = "en") -> dict[Node, str]:
        """Display label of each IRI: ``lang``, else the other language, else any, else local name."""
        wanted = [i for i in dict.fromkeys(iris) if isinstance(i, URIRef)]
        texts = self.label_texts(wanted)
        return {i: pick_label(texts.get(str(i)), lang, str(i)) for i in wanted}


__all__ = ["GraphReader"]
