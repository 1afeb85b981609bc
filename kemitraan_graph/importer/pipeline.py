"""A table in, a validated Turtle file out (or nothing at all)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Graph, URIRef

from ..atomic import write_text
from ..errors import ValidationFailed
from ..terms import curie
from .build import ImportReport, build_graph
from .lookup import Rows, load_vocabularies
from .readers import read_table

#: ``validate(files) -> ValidationReport`` over the ontology plus ``files`` (given by the API)
Validator = Callable[[list[Path]], object]


def context_graph(reader: Rows, iris: Iterable[str]) -> Graph:
    """What the loaded graph says about the existing things a new file points at (their types and
    labels), so that the new file can be validated without the whole data set."""
    g = Graph()
    wanted = sorted(set(iris))
    for start in range(0, len(wanted), 500):
        values = " ".join(f"<{i}>" for i in wanted[start:start + 500])
        for s, p, o in reader.rows(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
                                   "VALUES ?p { rdf:type rdfs:label } ?s ?p ?o }"):
            g.add((s, p, o))
    return g


def turtle(graph: Graph, source: str) -> str:
    body = graph.serialize(format="turtle")
    return f"# Imported by `kemitraan import` from {Path(source).name}; check the sources before committing.\n" + body


def import_table(path: str | Path, output: str | Path | None, reader: Rows, validate: Validator | None = None
                 ) -> tuple[ImportReport, str]:
    """Read a table, reconcile it against the graph ``reader`` reads, build the Turtle, validate it
    (SHACL on the ontology + the new file + what it points at) and write it atomically to ``output``.

    Raises TableError (bad cells, each with sheet/row/column) or ValidationFailed (the report
    holds only the problems of the new file); in both cases nothing is written.
    """
    table = read_table(path)
    vocabs = load_vocabularies(reader)
    graph, report, referenced = build_graph(table, vocabs)
    text = turtle(graph, str(path))
    if validate is not None:
        context = context_graph(reader, referenced)
        with tempfile.TemporaryDirectory(prefix="kemitraan-import-") as tmp:
            new, ctx = Path(tmp) / "import.ttl", Path(tmp) / "context.ttl"
            new.write_text(text, encoding="utf-8")
            ctx.write_text(context.serialize(format="turtle"), encoding="utf-8")
            result = validate([new, ctx])
        ours = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
        ours |= {curie(s) for s in ours}
        result.violations = [v for v in result.violations  # only the new file's own nodes count
                             if v.focus in ours or not (":" in v.focus and not v.focus.startswith("_:"))]
        if not result.conforms:
            raise ValidationFailed(result)
    if output is not None:
        write_text(output, text)
        report.output = str(output)
    return report, text


__all__ = ["Validator", "context_graph", "import_table", "turtle"]
