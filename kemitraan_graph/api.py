"""``KnowledgeGraph``: the one object the CLI and notebooks use; each method is one library call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from .loading import (
    LoadReport,
    Progress,
    bundled_data_files,
    graph_iri,
    load_files,
    ontology_files,
    rdf_files,
)
from .namespaces import DERIVED_GRAPH, INFERRED_GRAPH, PREFIXES
from .project import Project, read_project
from .querylib import LibraryQuery
from .reader import GraphReader
from .resources import shapes_path
from .results import TABLE_MAX_ROWS, QueryResult
from .runner import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
from .store import Backend, from_ox, open_backend


class KnowledgeGraph:
    """The ontology plus data in a store, with the operations researchers run on it."""

    def __init__(self, backend: Backend, ontology: Sequence[Path], data: Sequence[Path],
                 report: LoadReport | None = None, project: Project | None = None):
        self.backend = backend
        self.ontology_files = list(ontology)
        self.data_files = list(data)
        self.load_report = report or LoadReport()
        self.project = project
        library = None
        if project is not None and project.queries:
            from .querylib import discover
            from .resources import query_dirs

            library = discover(query_dirs() + list(project.queries))
        self.reader = GraphReader(backend, library)

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def load(cls, data: Iterable[str | Path] = (), *, bundled: bool = True, backend: str = "oxigraph",
             store: str | Path | None = None, progress: Progress | None = None,
             asserted: bool = False, project: Project | str | Path | None = None,
             read_only: bool = False) -> KnowledgeGraph:
        """Open a store and load the ontology, the bundled data (unless ``bundled=False``) and ``data``.

        With ``store`` the Oxigraph store persists at that folder; reopening it parses only the
        files that changed. A malformed file raises LoadError and leaves the store as it was.
        Queries see the union of the files as a set, with the entailments of ``inference.derive``
        (class and property reasoning); ``asserted=True`` leaves the entailments out.
        ``project`` (a ``kemitraan.toml`` or its ``Project``) adds its modules to the ontology and
        its data, shapes and queries.
        """
        if project is not None and not isinstance(project, Project):
            project = read_project(project)
        ontology = ontology_files() + (rdf_files(project.modules) if project else [])
        extra = rdf_files(project.data) if project else []
        files = list(dict.fromkeys(
            ontology + (bundled_data_files() if bundled else []) + extra + rdf_files(data)))
        be = open_backend(backend, store, read_only=read_only)
        if project is not None and project.prefix and project.namespace:
            be.add_prefix(project.prefix, project.namespace)
        try:
            report = load_files(be, files, progress=progress)
            from .inference import derive, drop_derived

            if getattr(be, "never_write", False):
                pass  # a read-only store keeps what it derived when it was built
            elif asserted:
                drop_derived(be)
            elif report.loaded or report.removed or str(DERIVED_GRAPH) not in be.graph_names():
                derive(be)  # an unchanged persistent store keeps what it derived last time
            be.freeze()
        except BaseException:
            be.close()
            raise
        kg = cls(be, ontology, [f for f in report.files if f not in ontology], report, project)  # + local imports
        return kg

    @classmethod
    def connect(cls, endpoint: str | None, *, update_endpoint: str | None = None, graph_store: str | None = None,
                timeout: float | None = None) -> KnowledgeGraph:
        """A graph on a SPARQL server (nothing loaded here): queries and views run on the server.

        It reads the graph that ``push`` wrote (see ``store.remote``); ``timeout`` bounds each request.
        """
        from .store.remote import DEFAULT_TIMEOUT as HTTP_TIMEOUT
        from .store.remote import RemoteBackend

        be = RemoteBackend(endpoint, update_endpoint, graph_store, timeout=timeout or HTTP_TIMEOUT)
        return cls(be, ontology_files(), [])

    def push(self, endpoint: str | None = None, *, update_endpoint: str | None = None,
             graph_store: str | None = None, timeout: float | None = None):
        """Upload what this store answers from (ontology, data, derived triples) to a SPARQL server.

        Through the Graph Store Protocol when ``graph_store`` is given (PUT replaces), else SPARQL
        Update; pushing again replaces the graph. Returns a ``store.remote.PushReport``.
        """
        from .store.remote import DEFAULT_TIMEOUT as HTTP_TIMEOUT
        from .store.remote import RemoteBackend

        remote = RemoteBackend(endpoint, update_endpoint, graph_store, timeout=timeout or HTTP_TIMEOUT)
        try:
            return remote.push(self.backend)
        finally:
            remote.close()

    def close(self) -> None:
        self.reader.close()
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
              limit: int | None = None, max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
              labels: bool = False, lang: str | None = None, **params: Any) -> QueryResult:
        """Run a library query by name, an ``.rq`` file, or SPARQL text, with parameters bound as values.

        It runs in a worker process that is stopped after ``timeout`` seconds or when it needs more
        than ``max_memory_mb``; ``limit`` stops the evaluation after that many rows.
        ``labels=True`` adds a ``NAME_label`` column after every IRI column, in ``lang`` (default
        ``en``, falling back to the other language); a query with a ``lang`` parameter gets ``lang``.
        Parameters may be short names (``sector="port"``); ``result.notes`` says which defaults
        were used and warns of an IRI that is nowhere in the graph.
        """
        result = self.reader.query(name_or_text, params, allow_network=allow_network, timeout=timeout,
                                   limit=limit, max_memory_mb=max_memory_mb, lang=lang)
        if labels:
            from .tables import with_labels

            result = with_labels(result, self.reader, lang or "en")
        return result

    def labels(self, iris: Iterable[Node], lang: str = "en") -> dict[Node, str]:
        """Display label of each IRI: ``lang``, else the other language, else any, else local name."""
        return self.reader.labels(iris, lang)

    def format(self, result: QueryResult, fmt: str = "table", lang: str = "en") -> str:
        """Text of ``result`` in ``fmt``; the table shows IRIs by their labels in ``lang`` (or as
        CURIEs when the result has its own label columns, see ``query(labels=True)``)."""
        return "".join(self.format_chunks(result, fmt, lang))

    def format_chunks(self, result: QueryResult, fmt: str = "table", lang: str = "en", *,
                      deadline: float | None = None) -> Iterator[str]:
        """:meth:`format` in pieces of a few thousand rows, to write a long answer as it is made; past
        ``deadline`` (a ``time.monotonic()`` value) it raises :class:`QueryTimeout`."""
        labeller = None
        if fmt == "table":
            from .tables import labelled_columns
            from .terms import curie, display_label

            if labelled_columns(result):
                labeller = lambda v: curie(str(v))  # noqa: E731
            else:
                texts = self.reader.label_texts(v for row in result.rows[:TABLE_MAX_ROWS] for v in row
                                                if isinstance(v, URIRef))
                labeller = lambda v: display_label(texts.get(str(v)), lang, str(v))  # noqa: E731
        return result.chunks(fmt, labeller=labeller, deadline=deadline)

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
        if self.project and self.project.prefix and self.project.namespace:
            g.bind(self.project.prefix, self.project.namespace, override=True)
        present = self.backend.graph_names()
        for name in graphs:
            if name in present:
                for q in self.backend.quads(name):
                    g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return g

    # --- checks --------------------------------------------------------------------------
    def shapes_files(self, shapes: str | Path | None = None) -> list[Path]:
        """The shapes used: ``shapes`` if given, else the bundled ones plus the project's."""
        if shapes:
            return [Path(shapes)]
        extra = rdf_files(self.project.shapes) if self.project else []
        return [shapes_path(), *extra]

    def validate(self, shapes: str | Path | None = None, *, closed_vocabulary: bool = True,
                 progress: Progress | None = None, native: bool = True):
        """SHACL over ontology + data + derived entailments (the graphs every query sees), the
        SHACL-SPARQL rules on the store's union (the same graphs), and the closed-vocabulary check
        -> ValidationReport, every problem with the file and line of its focus node.

        SHACL Core runs natively on the store (``shacl_native``: no in-memory copy of the data);
        shapes it does not support, or ``native=False``, go through pySHACL on a full copy.
        ``progress(stage, done, total)`` is called as it goes."""
        from .sourcemap import SourceMap
        from .validation import (
            ValidationReport,
            annotate,
            context_graph,
            load_shapes,
            native_shapes,
            native_violations,
            quiet_literals,
            run_sparql_checks,
            scan_data,
            shacl_violations,
            spaces_of,
            split_sparql_constraints,
            undefined_terms,
        )

        with quiet_literals():
            names = self.merged(ontology=False, data=False)  # no triples: the prefixes only
            present = self.backend.graph_names()
            data_graphs = [g for g in (graph_iri(p) for p in self.data_files) if g in present]
            union_graphs = [g for g in [*self.file_graphs(), str(DERIVED_GRAPH), str(INFERRED_GRAPH)] if g in present]
            shapes_graph = load_shapes(self.shapes_files(shapes))
            shacl_part, sparql_checks = split_sparql_constraints(shapes_graph)
            compiled = native_shapes(shacl_part) if native else None
            if compiled is not None:
                violations = native_violations(compiled, self.backend.quads, union_graphs, shacl_part, names,
                                               progress)
                union = None
            else:
                union = self.merged(inferred=True)  # files + derived (+ an explicit infer): what queries see
                violations = shacl_violations(union, shacl_part)
            violations += run_sparql_checks(sparql_checks, self.backend.execute, names)
            spaces = spaces_of([self.project.namespace] if self.project and self.project.namespace else [])
            ontology = self.merged(data=False)
            defined = {str(s) for s in ontology.subjects() if isinstance(s, URIRef)}
            n_subjects, hits = scan_data(self.backend.quads, data_graphs, spaces, defined)
            if closed_vocabulary:
                violations += undefined_terms(hits, ontology, spaces, names=names)
            if union is None:
                union = context_graph(self.backend.quads, union_graphs, violations, shapes_graph, names)
            sources = SourceMap(self.ontology_files + self.data_files)
            return ValidationReport(annotate(violations, union, shapes_graph, sources),
                                    focus_nodes_checked=n_subjects)

    def check(self, *, reason: bool = True, checks: Sequence[str | Path] = ()):
        """The ontology quality report (``kemitraan check``): labels, definitions, undefined and
        deprecated terms, parents in the core, duplicate labels, imports, OWL-RL consistency, and
        the violation queries of ``checks/`` (bundled and the project's)."""
        from .quality import quality_report

        dirs = [*(self.project.checks if self.project else []), *map(Path, checks)]
        return quality_report(self.backend, core=ontology_files(), ontology=self.ontology_files,
                              data=self.data_files, check_dirs=dirs, reason=reason,
                              prefixes={self.project.prefix or "ext": self.project.namespace}
                              if self.project and self.project.namespace else None)

    def write_docs(self, out_dir: str | Path, lang: str = "en") -> list[Path]:
        """Offline HTML documentation of the ontology and vocabularies (``kemitraan docs``)."""
        from .render.docs import write_docs

        own = ({self.project.prefix or "ext": self.project.namespace}
               if self.project and self.project.namespace else None)
        return write_docs(self.reader, out_dir, shapes=self.shapes_files(), lang=lang,
                          title=self.project.name if self.project else None, prefixes=own)

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
    def cases(self, lang: str = "en"):
        """One row per case (a ``tables.CaseTable``): labels in both languages, kind, sectors,
        countries, start, end, number of parties, party labels, sources; ``.serialize(fmt)`` writes
        csv, tsv, json or xlsx, ``.to_dataframe()`` gives pandas."""
        from .tables import cases_table

        return cases_table(self.reader, lang)

    def stats(self, top: int = 10, lang: str = "en") -> dict[str, Any]:
        from .summary import stats

        return stats(self.reader, files=len(self.data_files), top=top, lang=lang)

    # --- import --------------------------------------------------------------------------
    def import_table(self, path: str | Path, output: str | Path | None = None, *, validate: bool = True):
        """A table (CSV, XLSX, ODS, YAML; one row a case) -> Turtle reconciled against this graph,
        SHACL-validated on the ontology + the new file, written atomically to ``output``.
        Returns ``(ImportReport, turtle_text)``; raises TableError or ValidationFailed, writing nothing."""
        from .importer import import_table

        def check(files: list[Path]):
            # with the project's own modules and shapes, so that its subtypes and sectors count
            with KnowledgeGraph.load(files, bundled=False, backend="oxigraph", project=self.project) as temporary:
                return temporary.validate()

        return import_table(path, output, self.reader, check if validate else None)

    def write_import_template(self, path: str | Path) -> Path:
        """The spreadsheet template for ``import_table``, its drop-down lists from this graph."""
        from .importer import write_template_for

        return write_template_for(self.reader, path)
