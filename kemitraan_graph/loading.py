"""Files -> named graphs: one graph per file, all or nothing, errors as ``path:line: message``.

Nothing is fetched: ``owl:imports`` are followed only to local files, JSON-LD remote contexts are
refused by the parser.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import LoadError
from .limits import check_file
from .namespaces import GRAPH
from .resources import IMPORTS_DIR, SHAPES_NAME, data_dir, ontology_dir
from .store import Backend
from .store.oxigraph import STORE_MARKER

#: file extension -> parser
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
STAGING_SUFFIX = "#kemitraan-staging"

Progress = Callable[[str, int, int], None]  # (file, done, total)


def ontology_files() -> list[Path]:
    """The bundled ontology modules and SKOS schemes (not the shapes, not the reused vocabularies)."""
    root = ontology_dir()
    return [p for p in rdf_files([root]) if p.name != SHAPES_NAME
            and IMPORTS_DIR not in p.relative_to(root).parts]


def bundled_data_files() -> list[Path]:
    return rdf_files([data_dir()])


def rdf_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into RDF files (sorted; folders recursively).

    Inside folders, names starting with ``.`` or ``_`` are skipped (work in progress); a file
    named explicitly is always taken, and must have a known extension.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            stores = {f.parent for f in p.rglob(STORE_MARKER)}  # a store's own files are never data
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if f.is_file() and f.suffix.lower() in FORMATS and not any(
                    part.startswith((".", "_")) for part in rel
                ) and not any(parent in stores for parent in f.parents):
                    out.append(f)
        elif p.is_file():
            if p.suffix.lower() not in FORMATS:
                known = ", ".join(sorted(FORMATS))
                raise LoadError(str(p), None, None, f"unknown RDF file extension {p.suffix!r} (known: {known})")
            out.append(p)
        elif p.exists():  # a FIFO, a device, a socket: reading one could block or never end
            raise LoadError(str(p), None, None, f"is {_kind_of(p)}, not a regular file or a folder")
        else:
            raise LoadError(str(p), None, None, "no such file or folder")
    return list(dict.fromkeys(out))


def _kind_of(path: Path) -> str:
    import stat

    mode = path.stat().st_mode
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def graph_iri(path: Path) -> str:
    """The named graph that holds a file's triples: the file's own ``file:`` IRI."""
    return path.resolve().as_uri()


def file_of_graph(iri: str) -> str:
    """Human-readable file name of a graph IRI (relative to the working folder when possible)."""
    if not iri.startswith("file://"):
        return iri
    from urllib.parse import unquote, urlparse

    p = Path(unquote(urlparse(iri).path))
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class LoadReport:
    files: list[Path] = field(default_factory=list)
    loaded: list[Path] = field(default_factory=list)  # parsed this time
    unchanged: list[Path] = field(default_factory=list)  # kept from a persistent store
    removed: list[str] = field(default_factory=list)  # graphs of files no longer given
    triples: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def load_files(backend: Backend, files: Sequence[Path], *, progress: Progress | None = None) -> LoadReport:
    """Make the store hold exactly ``files`` (plus local files they ``owl:imports``), one graph each.

    Unchanged files of a persistent store are not parsed again. On any error, the store is left
    as it was before the call (new graphs dropped, replaced ones untouched) and LoadError raised.
    """
    t0 = time.perf_counter()
    queue = list(files)
    report = LoadReport(files=queue)
    known = backend.file_hashes()
    wanted = {graph_iri(p): p for p in files}
    present = backend.graph_names()
    created: list[str] = []
    staged: list[tuple[str, str]] = []  # (staging graph, final graph)
    hashes: dict[str, str] = {}
    if getattr(backend, "never_write", False):
        _check_unchanged(backend, files, known, present, wanted)
    try:
        i = 0
        while i < len(queue) or _add_local_imports(backend, queue, wanted):
            path = queue[i]
            i += 1
            g = graph_iri(path)
            digest = sha256(path) if backend.persistent else ""
            if backend.persistent and known.get(g) == digest and g in present:
                report.unchanged.append(path)
            else:
                fmt = FORMATS[path.suffix.lower()]
                check_file(path)  # bounds (entities, nesting) before a parser sees the file
                check_graph_names(path, fmt)
                if g in present:
                    stage = g + STAGING_SUFFIX
                    backend.drop_graph(stage)
                    staged.append((stage, g))
                    report.triples += backend.load_file(path, stage, fmt, path.resolve().as_uri())
                else:
                    created.append(g)
                    report.triples += backend.load_file(path, g, fmt, path.resolve().as_uri())
                report.loaded.append(path)
                hashes[g] = digest
            if progress:
                progress(str(path), i, len(queue))
    except BaseException:
        for g in created:
            backend.drop_graph(g)
        for stage, _ in staged:
            backend.drop_graph(stage)
        raise
    for stage, g in staged:
        backend.drop_graph(g)
        backend.run_update(f"MOVE <{stage}> TO <{g}>")
    for g in sorted(present - set(wanted)):
        if g.startswith("file:"):  # a file given last time but not now (or a stale staging graph)
            backend.drop_graph(g)
            report.removed.append(g)
    if backend.persistent:
        kept = {g: h for g, h in known.items() if g in wanted}
        if {**kept, **hashes} != known:  # an unchanged store is not written to
            backend.save_file_hashes({**kept, **hashes})
    report.warnings += check_imports(backend)
    report.seconds = time.perf_counter() - t0
    return report


def _check_unchanged(backend: Backend, files: Sequence[Path], known: dict[str, str], present: set[str],
                     wanted: dict[str, Path]) -> None:
    """A store opened read-only is used as it is: refuse when a file changed, was added or left."""
    from .errors import StoreError

    for path in files:
        g = graph_iri(path)
        if g not in present or known.get(g) != sha256(path):
            raise StoreError(f"the store is opened read-only but {path} changed since it was built "
                             "(open it without --read-only to update it)")
    gone = sorted(g for g in present if g.startswith("file:") and g not in wanted and g in known)
    if gone:
        raise StoreError(f"the store is opened read-only but {file_of_graph(gone[0])} is no longer given "
                         "(open it without --read-only to update it)")


def _add_local_imports(backend: Backend, queue: list[Path], wanted: dict[str, Path]) -> bool:
    """Queue the local files (``file:`` IRIs, relative ones resolve against the importing file)
    that loaded graphs ``owl:imports`` and that are not loaded yet; True if any was queued."""
    from urllib.parse import unquote, urlparse

    res = backend.execute('SELECT DISTINCT ?imp WHERE { ?o owl:imports ?imp FILTER(STRSTARTS(STR(?imp), "file:")) }')
    added = False
    for (imp,) in res.rows:
        iri = str(imp)
        path = Path(unquote(urlparse(iri).path))
        if iri not in wanted and graph_iri(path) not in wanted and path.is_file() and path.suffix.lower() in FORMATS:
            wanted[graph_iri(path)] = path
            queue.append(path)
            added = True
    return added


def check_graph_names(path: Path, fmt: ox.RdfFormat) -> None:
    """A dataset file (TriG, N-Quads, JSON-LD) may name graphs of its own, but none under the
    engine's namespace (the derived graph, the union of a push...): those it computes or drops."""
    if not fmt.supports_datasets:
        return
    try:
        for quad in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(str(GRAPH)):
                raise LoadError(str(path), None, None,
                                f"it names the graph <{graph.value}>, and graphs under <{GRAPH}> are kept "
                                "for kemitraan's own (the derived triples, the union of a push); "
                                "give the graph another name")
    except (SyntaxError, OSError, ValueError):
        return  # the load itself reports it, with its position


def check_imports(backend: Backend) -> list[str]:
    """owl:imports are never fetched: say which ones point at nothing loaded."""
    res = backend.execute(
        "SELECT DISTINCT ?imp WHERE { ?o owl:imports ?imp . "
        "FILTER NOT EXISTS { { ?imp a owl:Ontology } UNION { ?x owl:versionIRI ?imp } } "
        "FILTER NOT EXISTS { GRAPH ?imp { ?s ?p ?q } } }")
    if not res.rows:
        return []
    graphs = backend.graph_names()
    return [
        f"owl:imports <{imp}> is not loaded and was not fetched (pass it with --data to include it)"
        for (imp,) in res.rows if _local_graph_of(str(imp)) not in graphs
    ]


def _local_graph_of(iri: str) -> str | None:
    """The graph a ``file:`` import is loaded into (``file:///x/./b.ttl`` -> ``file:///x/b.ttl``)."""
    if not iri.startswith("file:"):
        return None
    from urllib.parse import unquote, urlparse

    return graph_iri(Path(unquote(urlparse(iri).path)))
