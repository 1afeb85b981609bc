"""``KnowledgeGraph``: the one object the CLI, the server and notebooks use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from . import loading, querylib
from .namespaces import DERIVED_GRAPH, INFERRED_GRAPH, PREFIXES
from .results import QueryResult
from .store import Backend, from_ox, open_backend

DEFAULT_TIMEOUT = 30.0
_SAFE_IRI = re.compile(r"[^\s<>\"{}|^`\\]+")
EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class KnowledgeGraph:
    """The ontology plus data in a store, with the operations researchers run on it."""

    def __init__(self, backend: Backend, ontology: Sequence[Path], data: Sequence[Path],
                 report: loading.LoadReport | None = None):
        self.backend = backend
        self.ontology_files = list(ontology)
        self.data_files = list(data)
        self.load_report = report or loading.LoadReport()
        self._library: dict[str, querylib.LibraryQuery] | None = None

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def load(cls, data: Iterable[str | Path] = (), *, bundled: bool = True, backend: str = "oxigraph",
             store: str | Path | None = None, progress: loading.Progress | None = None) -> KnowledgeGraph:
        """Open a store and load the ontology, the bundled data (unless ``bundled=False``) and ``data``.

        With ``store`` the Oxigraph store persists at that folder; reopening it parses only the
        files that changed. A malformed file raises LoadError and leaves the store as it was.
        """
        ontology = loading.ontology_files()
        files = list(dict.fromkeys(
            ontology + (loading.bundled_data_files() if bundled else []) + loading.rdf_files(data)))
        be = open_backend(backend, store)
        try:
            report = loading.load_files(be, files, progress=progress)
            from .inference import derive_shortcuts

            derive_shortcuts(be)
        except BaseException:
            be.close()
            raise
        kg = cls(be, ontology, [f for f in report.files if f not in ontology], report)  # + local imports
        return kg

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dataset(self) -> Dataset:
        """rdflib view of the store: every file a named graph, the default graph their union."""
        return self.backend.dataset

    def __len__(self) -> int:
        return len(self.backend)

    # --- queries -------------------------------------------------------------------------
    @property
    def library(self) -> dict[str, querylib.LibraryQuery]:
        if self._library is None:
            self._library = querylib.discover()
        return self._library

    def query(self, name_or_text: str, *, allow_network: bool = False, timeout: float | None = DEFAULT_TIMEOUT,
              **params: Any) -> QueryResult:
        """Run a library query by name, an ``.rq`` file, or SPARQL text, with parameters bound as values."""
        q = querylib.resolve(name_or_text, self.library)
        return self.run(q, params, allow_network=allow_network, timeout=timeout)

    def run(self, q: querylib.LibraryQuery, params: dict[str, Any] | None = None, *,
            allow_network: bool = False, timeout: float | None = DEFAULT_TIMEOUT) -> QueryResult:
        bindings = q.bind(params or {})
        source = str(q.path) if q.path else q.name
        querylib.guard(q.text, allow_network=allow_network, local_graphs=self.backend.graph_names,
                       source=source)
        try:
            return self.backend.query(q.text, bindings, timeout=timeout, source=source)
        except querylib.QueryError as exc:
            if exc.source is None:
                exc.source = source
            raise

    def label_texts(self, iris: Iterable[Node | str]) -> dict[str, dict[str, str]]:
        """``iri -> {lang: label}`` from rdfs:label (preferred) or skos:prefLabel; ``""`` = untagged."""
        wanted = [str(i) for i in dict.fromkeys(iris)
                  if i and not isinstance(i, (BNode, Literal)) and _SAFE_IRI.fullmatch(str(i)) and ":" in str(i)]
        found: dict[str, dict[str, tuple[int, str]]] = {}
        for start in range(0, len(wanted), 1000):
            values = " ".join(f"<{i}>" for i in wanted[start:start + 1000])
            res = self.backend.run_query(
                f"SELECT ?s ?k ?l WHERE {{ VALUES ?s {{ {values} }} "
                f"{{ ?s rdfs:label ?l BIND(0 AS ?k) }} UNION {{ ?s skos:prefLabel ?l BIND(1 AS ?k) }} }}", {})
            for s, k, label in res.rows:
                lang = (getattr(label, "language", None) or "").lower()
                lang = "id" if lang.startswith("id") else "en" if lang.startswith("en") else lang
                rank = (int(k), str(label))
                slot = found.setdefault(str(s), {})
                if lang not in slot or rank < slot[lang]:
                    slot[lang] = rank
        return {s: {lang: text for lang, (_k, text) in d.items()} for s, d in found.items()}

    def labels(self, iris: Iterable[Node], lang: str = "en") -> dict[Node, str]:
        """Display label of each IRI: ``lang``, else the other language, else any, else local name."""
        wanted = [i for i in dict.fromkeys(iris) if isinstance(i, URIRef)]
        texts = self.label_texts(wanted)
        return {i: pick_label(texts.get(str(i)), lang, str(i)) for i in wanted}

    def format(self, result: QueryResult, fmt: str = "table", lang: str = "en") -> str:
        labeller = None
        if fmt == "table":
            names = self.labels((v for row in result.rows for v in row if v is not None), lang)
            labeller = names.get
        return result.serialize(fmt, labeller=labeller)

    # --- graphs --------------------------------------------------------------------------
    def file_graphs(self) -> list[str]:
        """Named graphs that hold files (ontology and data), in load order."""
        return [loading.graph_iri(p) for p in self.ontology_files + self.data_files]

    def merged(self, *, ontology: bool = True, data: bool = True, inferred: bool = False) -> Graph:
        """One rdflib Graph of the chosen parts (a copy in memory)."""
        graphs: list[str] = []
        if ontology:
            graphs += [loading.graph_iri(p) for p in self.ontology_files]
        if data:
            graphs += [loading.graph_iri(p) for p in self.data_files]
        if inferred:
            graphs += [str(DERIVED_GRAPH), str(INFERRED_GRAPH)]
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        present = self.backend.graph_names()
        for name in graphs:
            if name in present:
                for q in self.backend.quads(name):
                    g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return g

    # --- checks --------------------------------------------------------------------------
    def validate(self, shapes: str | Path | None = None, *, closed_vocabulary: bool = True):
        """SHACL over ontology + data (and the closed-vocabulary check) -> ValidationReport."""
        from . import validation

        data = self.merged(ontology=False)
        ontology = self.merged(data=False)
        union = data + ontology
        shapes_graph, sparql_checks = validation.split_sparql_constraints(
            validation.load_shapes(Path(shapes) if shapes else loading.shapes_path()))
        violations = validation.shacl_violations(union, shapes_graph)
        violations += validation.run_sparql_checks(
            sparql_checks, lambda text: self.backend.run_query(text, {}), union)
        report = validation.ValidationReport(sorted(violations, key=lambda v: (v.focus, v.path or "", v.text())),
                                             focus_nodes_checked=len(set(data.subjects())))
        if closed_vocabulary:
            report.violations += validation.undefined_terms(data, ontology)
        sources = self._sources({v.focus for v in report.violations})
        for v in report.violations:
            v.source = sources.get(v.focus)
        return report

    def _sources(self, focus: set[str]) -> dict[str, str]:
        """File each (prefixed) focus node is described in."""
        ns = self.dataset.namespace_manager
        out = {}
        for f in focus:
            try:
                iri = ns.expand_curie(f) if ":" in f and not f.startswith(("http", "urn", "file")) else URIRef(f)
            except (ValueError, TypeError):
                continue
            for name in self.file_graphs():
                if (iri, None, None) in self.dataset.graph(URIRef(name)):
                    out[f] = loading.file_of_graph(name)
                    break
        return out

    def infer(self, reasoner: str = "owlrl") -> int:
        """Store the RDFS or OWL-RL closure in its own named graph; returns its size."""
        from .inference import infer

        return infer(self.backend, self.merged(inferred=False), reasoner)

    # --- export --------------------------------------------------------------------------
    def export(self, fmt: str = "turtle", path: str | Path | None = None, *, inferred: bool = False,
               reasoner: str = "owlrl") -> bytes | None:
        """Serialise ontology + data (+ closure with ``inferred``); ``path`` is written atomically."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        if inferred:
            self.infer(reasoner)
        names = self.file_graphs() + ([str(DERIVED_GRAPH), str(INFERRED_GRAPH)] if inferred else [])
        present = self.backend.graph_names()
        quads = [q for name in names if name in present for q in self.backend.quads(name)]
        ox_fmt = EXPORT_FORMATS[fmt]
        if ox_fmt is not ox.RdfFormat.TRIG:
            seen = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
            items: list[Any] = list(seen)
        else:
            items = quads
        prefixes = PREFIXES if ox_fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        data = ox.serialize(items, format=ox_fmt, prefixes=prefixes) if prefixes else ox.serialize(
            items, format=ox_fmt)
        if path is None:
            return data
        from .atomic import write_bytes

        write_bytes(path, data)
        return None

    # --- network views -------------------------------------------------------------------
    def network(self, view: str = "stakeholders", filters=None, lang: str = "en", **kw):
        """The networkx graph of a view: stakeholders, actors, concepts, ontology or query."""
        from .network import build_view

        return build_view(self, view, filters=filters, lang=lang, **kw)

    def view(self, view: str = "stakeholders", **kw):
        """A view as an interactive page inline in Jupyter (the HTML text without IPython)."""
        from .render import view_widget

        return view_widget(self, view, **kw)

    def write_view(self, view: str, path: str | Path, **kw):
        """Write a view as one self-contained HTML page (atomically)."""
        from .render import write_view

        return write_view(self, view, path, **kw)

    # --- summaries -----------------------------------------------------------------------
    def stats(self, top: int = 10, lang: str = "en") -> dict[str, Any]:
        from .summary import stats

        return stats(self, top=top, lang=lang)


def pick_label(texts: dict[str, str] | None, lang: str, iri: str = "") -> str:
    """Text in ``lang``, else the other language, else untagged/any, else the IRI's local name."""
    texts = texts or {}
    other = "en" if lang == "id" else "id"
    return (texts.get(lang) or texts.get(other) or texts.get("") or next(iter(texts.values()), "")
            or (local_name(iri) if iri else ""))


def local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[-1]
    return iri
