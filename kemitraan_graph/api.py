"""``KnowledgeGraph``: the one object the CLI and notebooks use; each method is one library call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from .loading import (
    LoadReport,
    Progress,
    bundled_data_files,
    file_of_graph,
    graph_iri,
    load_files,
    ontology_files,
    rdf_files,
)
from .namespaces import DERIVED_GRAPH, INFERRED_GRAPH, PREFIXES
from .querylib import LibraryQuery
from .reader import GraphReader
from .resources import shapes_path
from .results import QueryResult
from .runner import DEFAULT_TIMEOUT
from .store import Backend, from_ox, open_backend


class KnowledgeGraph:
    """The ontology plus data in a store, with the operations researchers run on it."""

    def __init__(self, backend: Backend, ontology: Sequence[Path], data: Sequence[Path],
                 report: LoadReport | None = None):
        self.backend = backend
        self.ontology_files = list(ontology)
        self.data_files = list(data)
        self.load_report = report or LoadReport()
        self.reader = GraphReader(backend)

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def load(cls, data: Iterable[str | Path] = (), *, bundled: bool = True, backend: str = "oxigraph",
             store: str | Path | None = None, progress: Progress | None = None,
             asserted: bool = False) -> KnowledgeGraph:
        """Open a store and load the ontology, the bundled data (unless ``bundled=False``) and ``data``.

        With ``store`` the Oxigraph store persists at that folder; reopening it parses only the
        files that changed. A malformed file raises LoadError and leaves the store as it was.
        Queries see the union of the files as a set, with the entailments of ``inference.derive``
        (class and property reasoning); ``asserted=True`` leaves the entailments out.
        """
        ontology = ontology_files()
        files = list(dict.fromkeys(
            ontology + (bundled_data_files() if bundled else []) + rdf_files(data)))
        be = open_backend(backend, store)
        try:
            report = load_files(be, files, progress=progress)
            from .inference import derive, drop_derived

            if asserted:
                drop_derived(be)
            elif report.loaded or report.removed or str(DERIVED_GRAPH) not in be.graph_names():
                derive(be)  # an unchanged persistent store keeps what it derived last time
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
    def library(self) -> dict[str, LibraryQuery]:
        return self.reader.library

    def query(self, name_or_text: str, *, allow_network: bool = False, timeout: float | None = DEFAULT_TIMEOUT,
              **params: Any) -> QueryResult:
        """Run a library query by name, an ``.rq`` file, or SPARQL text, with parameters bound as values."""
        return self.reader.query(name_or_text, params, allow_network=allow_network, timeout=timeout)

    def labels(self, iris: Iterable[Node], lang: str = "en") -> dict[Node, str]:
        """Display label of each IRI: ``lang``, else the other language, else any, else local name."""
        return self.reader.labels(iris, lang)

    def format(self, result: QueryResult, fmt: str = "table", lang: str = "en") -> str:
        labeller = None
        if fmt == "table":
            names = self.labels((v for row in result.rows for v in row if v is not None), lang)
            labeller = names.get
        return result.serialize(fmt, labeller=labeller)

    # --- graphs --------------------------------------------------------------------------
    def file_graphs(self) -> list[str]:
        """Named graphs that hold files (ontology and data), in load order."""
        return [graph_iri(p) for p in self.ontology_files + self.data_files]

    def merged(self, *, ontology: bool = True, data: bool = True, inferred: bool = False) -> Graph:
        """One rdflib Graph of the chosen parts (a copy in memory)."""
        graphs: list[str] = []
        if ontology:
            graphs += [graph_iri(p) for p in self.ontology_files]
        if data:
            graphs += [graph_iri(p) for p in self.data_files]
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
        from .validation import (
            ValidationReport,
            load_shapes,
            run_sparql_checks,
            shacl_violations,
            split_sparql_constraints,
            undefined_terms,
        )

        data = self.merged(ontology=False)
        ontology = self.merged(data=False)
        union = data + ontology
        shapes_graph, sparql_checks = split_sparql_constraints(
            load_shapes(Path(shapes) if shapes else shapes_path()))
        violations = shacl_violations(union, shapes_graph)
        violations += run_sparql_checks(
            sparql_checks, self.backend.execute, union)
        report = ValidationReport(sorted(violations, key=lambda v: (v.focus, v.path or "", v.text())),
                                             focus_nodes_checked=len(set(data.subjects())))
        if closed_vocabulary:
            report.violations += undefined_terms(data, ontology)
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
                    out[f] = file_of_graph(name)
                    break
        return out

    def infer(self, reasoner: str = "owlrl") -> int:
        """Store the RDFS or OWL-RL closure in its own named graph; returns its size."""
        from .inference import infer

        return infer(self.backend, self.merged(inferred=False), reasoner)

    # --- export --------------------------------------------------------------------------
    def export(self, fmt: str = "turtle", path: str | Path | None = None, *, inferred: bool = False,
               reasoner: str = "owlrl") -> bytes | None:
        """Serialise ontology + data (+ the derived graph and the closure with ``inferred``).

        The closure is computed for this export only: it never enters the store, so no later
        answer changes. ``path`` is written atomically; without it the bytes are returned.
        """
        from .export import serialize
        from .inference import closure

        extra = closure(self.merged(inferred=True), reasoner) if inferred else None
        names = self.file_graphs() + ([str(DERIVED_GRAPH)] if inferred else [])
        data = serialize(self.backend, names, fmt, inferred=extra)
        if path is None:
            return data
        from .atomic import write_bytes

        write_bytes(path, data)
        return None

    # --- network views -------------------------------------------------------------------
    def network(self, view: str = "stakeholders", filters=None, lang: str = "en", **kw):
        """The networkx graph of a view: stakeholders, actors, concepts, ontology or query."""
        from .network import build_view

        return build_view(self.reader, view, filters=filters, lang=lang, **kw)

    def view(self, view: str = "stakeholders", **kw):
        """A view as an interactive page inline in Jupyter (the HTML text without IPython)."""
        from .render.notebook import view_widget

        return view_widget(self.reader, view, **kw)

    def write_view(self, view: str, path: str | Path, **kw):
        """Write a view as one self-contained HTML page (atomically)."""
        from .render import write_view

        return write_view(self.reader, view, path, **kw)

    # --- summaries -----------------------------------------------------------------------
    def stats(self, top: int = 10, lang: str = "en") -> dict[str, Any]:
        from .summary import stats

        return stats(self.reader, files=len(self.data_files), top=top, lang=lang)
