"""One query-result type, and every output format made from it."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .safe_text import for_terminal, for_xml

#: formats a SELECT/ASK result can be written in
SELECT_FORMATS = ("table", "csv", "tsv", "json", "sparql-json", "sparql-xml")
#: formats a CONSTRUCT/DESCRIBE result can be written in
GRAPH_FORMATS = ("table", "turtle", "ntriples", "jsonld", "rdfxml", "json", "csv", "tsv")
ALL_FORMATS = tuple(dict.fromkeys(SELECT_FORMATS + GRAPH_FORMATS))

Labeller = Callable[[Node], str]


@dataclass
class QueryResult:
    """Rows of a SELECT, the answer of an ASK, or the triples of a CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    #: messages for the person who asked (``warning: ...`` / ``note: ...``), e.g. a default used
    notes: list[str] = field(default_factory=list)

    # --- construction ---------------------------------------------------------------
    @classmethod
    def from_oxigraph(cls, res: Any, convert: Callable[[Any], Node | None], limit: int | None = None) -> QueryResult:
        import pyoxigraph as ox

        if isinstance(res, ox.QueryBoolean):
            return cls("ask", boolean=bool(res))
        memo: dict[Any, Node | None] = {}  # results repeat terms a lot; convert each once

        def term(t: Any) -> Node | None:
            try:
                return memo[t]
            except KeyError:
                memo[t] = value = convert(t)
                return value

        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            width = range(len(names))
            rows = [tuple(term(sol[i]) for i in width) for sol in islice(res, limit)]
            return cls("select", names, rows)
        rows = [(term(t.subject), term(t.predicate), term(t.object)) for t in islice(res, limit)]
        return cls("graph", ["subject", "predicate", "object"], rows)

    @classmethod
    def from_rdflib(cls, res: Any, limit: int | None = None) -> QueryResult:
        if res.type == "ASK":
            return cls("ask", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            names = [str(v) for v in res.vars]
            return cls("select", names, [tuple(row) for row in islice(res, limit)])
        return cls("graph", ["subject", "predicate", "object"], [tuple(t) for t in islice(res.graph, limit)])

    # --- access ---------------------------------------------------------------------
    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else bool(self.rows)

    def column(self, name: str) -> list[Node | None]:
        i = self.vars.index(name)
        return [row[i] for row in self.rows]

    def to_dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]

    def values(self) -> list[tuple[str | None, ...]]:
        """The rows as plain strings, in order (handy for tests and comparisons)."""
        return [tuple(None if v is None else str(v) for v in row) for row in self.rows]

    def graph(self) -> Graph:
        if self.kind != "graph":
            raise TypeError("only CONSTRUCT/DESCRIBE results are graphs")
        g = Graph()
        for t in self.rows:
            g.add(t)  # type: ignore[arg-type]
        return g

    def limited(self, limit: int | None) -> QueryResult:
        if limit is None or len(self.rows) <= limit:
            return self
        return QueryResult(self.kind, self.vars, self.rows[:limit], self.boolean, list(self.notes))

    def to_dataframe(self):
        """A pandas DataFrame of the rows (needs the ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install 'kemitraan-graph[pandas]'") from exc
        if self.kind == "ask":
            return pd.DataFrame({"boolean": [self.boolean]})
        return pd.DataFrame([[_python(v) for v in row] for row in self.rows], columns=self.vars)

    # --- output ---------------------------------------------------------------------
    def serialize(self, fmt: str, labeller: Labeller | None = None, *, deadline: float | None = None) -> str:
        """Text of the result in ``fmt`` (see ALL_FORMATS); ``table`` uses ``labeller`` for IRIs."""
        return "".join(self.chunks(fmt, labeller, deadline=deadline))

    def chunks(self, fmt: str, labeller: Labeller | None = None, *, deadline: float | None = None) -> Iterator[str]:
        """The text of :meth:`serialize` in pieces of at most ``CHUNK_ROWS`` rows, so that a long result can
        be written as it is made. Past ``deadline`` (a ``time.monotonic()`` value) it raises
        :class:`~kemitraan_graph.errors.QueryTimeout`: the time limit of a query covers writing its answer."""
        if self.kind == "ask":
            yield _ask_text(self.boolean, fmt)
            return
        writer = _WRITERS.get(fmt)
        if writer is None or (self.kind == "graph" and fmt not in GRAPH_FORMATS) or (
            self.kind == "select" and fmt not in SELECT_FORMATS
        ):
            allowed = GRAPH_FORMATS if self.kind == "graph" else SELECT_FORMATS
            raise ValueError(f"format {fmt!r} does not fit a {self.kind} result; use one of {', '.join(allowed)}")
        check = _deadline_check(deadline)
        check()
        yield from writer(self, labeller, check)
        check()


def _ask_text(boolean: bool | None, fmt: str) -> str:
    if fmt == "sparql-json":
        return json.dumps({"head": {}, "boolean": boolean}) + "\n"
    if fmt == "sparql-xml":
        return _XML_HEAD + "<head/>\n  <boolean>" + ("true" if boolean else "false") + "</boolean>\n</sparql>\n"
    if fmt == "json":
        return json.dumps({"boolean": boolean}) + "\n"
    return ("true" if boolean else "false") + "\n"


#: rows written per piece of :meth:`QueryResult.chunks` (the deadline is checked between pieces)
CHUNK_ROWS = 2000


def _deadline_check(deadline: float | None) -> Callable[[], None]:
    if deadline is None:
        return lambda: None

    def check() -> None:
        if time.monotonic() > deadline:
            from .errors import QueryTimeout

            raise QueryTimeout("the time limit ran out while the answer was being written")

    return check


def _batches(rows: list[Any], check: Callable[[], None]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), CHUNK_ROWS):
        check()
        yield rows[start:start + CHUNK_ROWS]


def _python(v: Node | None) -> Any:
    if isinstance(v, Literal):
        return v.toPython()
    return None if v is None else str(v)


def _plain(v: Node | None) -> str:
    return "" if v is None else str(v)


def _nt(v: Node | None) -> str:
    return "" if v is None else v.n3()


def _json_term(v: Node) -> dict[str, str]:
    if isinstance(v, URIRef):
        return {"type": "uri", "value": str(v)}
    if isinstance(v, BNode):
        return {"type": "bnode", "value": str(v)}
    out = {"type": "literal", "value": str(v)}
    if v.language:
        out["xml:lang"] = v.language
    elif v.datatype:
        out["datatype"] = str(v.datatype)
    return out


def _table(res: QueryResult, labeller: Labeller | None, check: Callable[[], None]) -> Iterator[str]:
    from rich.console import Console
    from rich.table import Table

    show = labeller or (lambda v: str(v))
    table = Table(show_lines=False, header_style="bold")
    for name in res.vars:
        table.add_column(name, overflow="fold")
    for row in res.rows[:TABLE_MAX_ROWS]:
        table.add_row(*["" if v is None else for_terminal(show(v) if isinstance(v, URIRef) else str(v))
                        for v in row])
    check()
    buf = io.StringIO()
    Console(file=buf, width=160, color_system=None, markup=False, emoji=False).print(table)
    count = f"{len(res.rows)} row" + ("" if len(res.rows) == 1 else "s")
    if len(res.rows) > TABLE_MAX_ROWS:  # a terminal table is for reading; files take every row
        count += f" (the first {TABLE_MAX_ROWS} shown; -f csv, tsv or json writes them all)"
    yield buf.getvalue() + count + "\n"


#: rows a table shows (drawing 100k rows as a table took over a minute and helps nobody)
TABLE_MAX_ROWS = 1000


def _csv(res: QueryResult, _labeller: Labeller | None, check: Callable[[], None]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(res.vars)
    for batch in _batches(res.rows, check):
        w.writerows([[_plain(v) for v in row] for row in batch])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def _tsv(res: QueryResult, _labeller: Labeller | None, check: Callable[[], None]) -> Iterator[str]:
    yield "\t".join("?" + v for v in res.vars) + "\n"  # SPARQL 1.1 TSV: variables with '?', terms as N-Triples
    for batch in _batches(res.rows, check):
        yield "".join("\t".join(_nt(v) for v in row) + "\n" for row in batch)


def _json(res: QueryResult, _labeller: Labeller | None, check: Callable[[], None]) -> Iterator[str]:
    yield "["
    sep = "\n  "
    for batch in _batches(res.rows, check):
        parts = []
        for row in batch:
            obj = {k: _plain(v) for k, v in zip(res.vars, row, strict=True) if v is not None}
            parts.append(sep + _indented(obj))
            sep = ",\n  "
        yield "".join(parts)
    yield "\n]\n" if res.rows else "]\n"


def _indented(obj: dict[str, str]) -> str:
    """One row object as ``json.dumps(rows, indent=2)`` writes it inside the list."""
    if not obj:
        return "{}"
    return json.dumps(obj, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def _sparql_json(res: QueryResult, _labeller: Labeller | None, check: Callable[[], None]) -> Iterator[str]:
    yield json.dumps({"head": {"vars": res.vars}}, ensure_ascii=False)[:-1] + ', "results": {"bindings": ['
    sep = ""
    for batch in _batches(res.rows, check):
        parts = []
        for row in batch:
            parts.append(sep + json.dumps({k: _json_term(v) for k, v in zip(res.vars, row, strict=True)
                                           if v is not None}, ensure_ascii=False))
            sep = ", "
        yield "".join(parts)
    yield "]}}\n"


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n  '


def _sparql_xml(res: QueryResult, _labeller: Labeller | None, check: Callable[[], None]) -> Iterator[str]:
    dropped = 0

    def xml_text(value: object) -> str:  # characters XML 1.0 does not allow are dropped, with a warning
        nonlocal dropped
        text, changed = for_xml(value)
        dropped += changed
        return xml_escape(text)

    head = [_XML_HEAD + "<head>"]
    head += [f"<variable name={quoteattr(v)}/>" for v in res.vars]
    head.append("</head>\n  <results>")
    yield "".join(head)
    for batch in _batches(res.rows, check):
        out = []
        for row in batch:
            out.append("\n    <result>")
            for name, v in zip(res.vars, row, strict=True):
                if v is None:
                    continue
                if isinstance(v, URIRef):
                    inner = f"<uri>{xml_text(v)}</uri>"
                elif isinstance(v, BNode):
                    inner = f"<bnode>{xml_text(v)}</bnode>"
                else:
                    attr = (f" xml:lang={quoteattr(v.language)}" if v.language
                            else f" datatype={quoteattr(str(v.datatype))}" if v.datatype else "")
                    inner = f"<literal{attr}>{xml_text(v)}</literal>"
                out.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
            out.append("</result>")
        yield "".join(out)
    yield "\n  </results>\n</sparql>\n"
    if dropped:
        res.notes.append(f"warning: {dropped} value(s) held characters XML 1.0 does not allow (such as U+0001); "
                         "they were dropped from the SPARQL-XML output")


def _ntriples(res: QueryResult, _labeller: Labeller | None, check: Callable[[], None]) -> Iterator[str]:
    from rdflib.plugins.serializers.nt import _nt_row

    seen: set[tuple[Node | None, ...]] = set()  # a graph is a set: a triple is written once
    for batch in _batches(res.rows, check):
        out = []
        for t in batch:
            if t not in seen:
                seen.add(t)
                out.append(_nt_row(t))
        yield "".join(out)


def _rdf(fmt: str) -> Callable[[QueryResult, Labeller | None, Callable[[], None]], Iterator[str]]:
    """Turtle, JSON-LD and RDF/XML group a graph by subject: written whole (the deadline is checked
    before and after)."""

    def write(res: QueryResult, _labeller: Labeller | None, check: Callable[[], None]) -> Iterator[str]:
        from .namespaces import PREFIXES

        g = res.graph()
        for p, ns in PREFIXES.items():
            g.bind(p, ns, override=True)
        check()
        yield g.serialize(format=fmt)

    return write


_WRITERS: dict[str, Callable[[QueryResult, Labeller | None, Callable[[], None]], Iterator[str]]] = {
    "table": _table,
    "csv": _csv,
    "tsv": _tsv,
    "json": _json,
    "sparql-json": _sparql_json,
    "sparql-xml": _sparql_xml,
    "turtle": _rdf("turtle"),
    "ntriples": _ntriples,
    "jsonld": _rdf("json-ld"),
    "rdfxml": _rdf("xml"),
}
