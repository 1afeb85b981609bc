"""The query library: discover ``.rq`` files, read their headers, bind parameters, guard queries.

A library query opens with ``#`` header lines::

    # title: Partnerships in a sector, with their parties
    # title@id: Kemitraan dalam suatu sektor, beserta para pihaknya
    # description: Every case tagged with the sector or a narrower one.
    # param: sector iri kmt:sector-infrastructure
    # view: table

Parameters are bound as values: a ``VALUES`` block of N-Triples-serialised terms at the top of the
WHERE group (``inject_values``), never pasted into the query text as strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import ParameterError, QueryError
from .resources import query_dirs
from .sparql_text import tokens
from .terms import SAFE_IRI, expand_curie, pick_label

PARAM_TYPES = ("iri", "string", "integer", "date", "year")
VIEWS = ("table", "graph")
HEADER_KEYS = ("title", "description", "param", "view")
_HEADER_LINE = re.compile(r"#\s*([A-Za-z]+)(?:@([a-z]{2,3}))?\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None


@dataclass
class LibraryQuery:
    name: str
    text: str
    path: Path | None = None
    title: dict[str, str] = field(default_factory=dict)  # lang -> text ("en" for untagged)
    description: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)
    view: str = "table"

    def get_title(self, lang: str = "en") -> str:
        return pick_label(self.title, lang) or self.name

    def get_description(self, lang: str = "en") -> str:
        return pick_label(self.description, lang)

    def bind(self, given: dict[str, object]) -> dict[str, Node]:
        """Check and convert parameter values; defaults fill the ones not given."""
        declared = {p.name: p for p in self.params}
        for name in given:
            if name not in declared:
                names = ", ".join(declared) or "none"
                raise ParameterError(name, f"unknown parameter of query {self.name!r} (it takes: {names})")
        out: dict[str, Node] = {}
        for p in self.params:
            raw = given.get(p.name, p.default)
            if raw is None:
                raise ParameterError(p.name, f"missing: query {self.name!r} needs --param {p.name}=<{p.type}>")
            out[p.name] = coerce(p, raw)
        return out


def coerce(param: Param, raw: object) -> Node:
    if isinstance(raw, (URIRef, Literal)):
        return raw
    text = str(raw)
    kind = param.type
    if kind == "iri":
        iri = expand_curie(text)
        if iri is None or not SAFE_IRI.fullmatch(iri):
            raise ParameterError(param.name, f"expected an IRI (<...>, http(s)://... or prefix:name), got {text!r}")
        return URIRef(iri)
    if kind == "string":
        return Literal(text)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text.strip()):
            raise ParameterError(param.name, f"expected an integer, got {text!r}")
        return Literal(int(text), datatype=XSD.integer)
    if kind == "date":
        try:
            return Literal(date.fromisoformat(text.strip()).isoformat(), datatype=XSD.date)
        except ValueError:
            raise ParameterError(param.name, f"expected a date YYYY-MM-DD, got {text!r}") from None
    if kind == "year":
        if not re.fullmatch(r"\d{4}", text.strip()):
            raise ParameterError(param.name, f"expected a four-digit year, got {text!r}")
        return Literal(int(text), datatype=XSD.integer)
    raise ParameterError(param.name, f"unknown parameter type {kind!r}")


# --- headers and discovery ---------------------------------------------------------------

def parse_query_text(text: str, name: str, path: Path | None = None) -> LibraryQuery:
    """Read the ``#`` header of a query; errors name the file and line."""
    q = LibraryQuery(name=name, text=text, path=path)
    where = str(path) if path else name
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER_LINE.fullmatch(stripped)
        if not m:
            continue  # a free comment
        key, lang, value = m.group(1).lower(), m.group(2) or "en", m.group(3)
        if key not in HEADER_KEYS:
            continue  # other comments that look like "word: text" are free text too
        if key in ("title", "description"):
            getattr(q, key)[lang] = value
        elif key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES or not re.fullmatch(r"[A-Za-z_]\w*", parts[0]):
                raise QueryError(
                    f"bad param header {value!r}: expected 'NAME TYPE [default]' with TYPE one of "
                    f"{', '.join(PARAM_TYPES)}", lineno, 1, where)
            q.params.append(Param(parts[0], parts[1], parts[2] if len(parts) > 2 else None))
        elif key == "view":
            if value not in VIEWS:
                raise QueryError(f"bad view {value!r}: expected one of {', '.join(VIEWS)}", lineno, 1, where)
            q.view = value
    return q


def discover(dirs: list[Path] | None = None) -> dict[str, LibraryQuery]:
    """Every ``.rq`` file in the library folders, by name (file stem)."""
    out: dict[str, LibraryQuery] = {}
    for d in dirs or query_dirs():
        for path in sorted(Path(d).glob("*.rq")):
            out[path.stem] = parse_query_text(path.read_text(encoding="utf-8"), path.stem, path)
    return out


def resolve(name_or_text: str, library: dict[str, LibraryQuery] | None = None) -> LibraryQuery:
    """A library name, a path to an ``.rq`` file, or query text itself."""
    library = discover() if library is None else library
    if name_or_text in library:
        return library[name_or_text]
    looks_like_path = "\n" not in name_or_text and name_or_text.strip().endswith((".rq", ".sparql"))
    if looks_like_path:
        path = Path(name_or_text)
        if not path.is_file():
            raise QueryError("no such query file", source=name_or_text)
        return parse_query_text(path.read_text(encoding="utf-8"), path.stem, path)
    if re.fullmatch(r"[\w\-]+", name_or_text.strip()):
        names = ", ".join(sorted(library))
        raise QueryError(f"no library query named {name_or_text!r} (known: {names})", source="query")
    return parse_query_text(name_or_text, "query")


def inject_values(text: str, bindings: dict[str, Node]) -> str:
    """Bind parameters with a VALUES block at the start of the WHERE group.

    The values are serialised as RDF terms (N-Triples escaping), so no parameter can change the
    query's structure; a VALUES block at the top of the group is exactly SEP-0007 substitution.
    """
    if not bindings:
        return text
    return _inject(text, tuple((name, value.n3()) for name, value in bindings.items()),
                   tuple(bindings.values()))


@lru_cache(maxsize=1024)
def _inject(text: str, items: tuple[tuple[str, str], ...], values: tuple[Node, ...]) -> str:
    bindings = dict(zip((name for name, _ in items), values, strict=True))
    toks = tokens(text)
    brace = None
    for i, (kind, tok, _off) in enumerate(toks):
        if kind == "word" and tok.upper() == "WHERE":
            brace = next((t for t in toks[i + 1:] if t[1] == "{"), None)
            break
    if brace is None:  # SELECT ... { } / ASK { } without the optional WHERE keyword
        brace = next((t for t in toks if t[1] == "{"), None)
    if brace is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise ParameterError(name, "not a valid SPARQL variable name")
    for value in bindings.values():
        if isinstance(value, URIRef) and str(value) and not SAFE_IRI.fullmatch(str(value)):
            raise ParameterError(str(value), "not a valid IRI")
    block = ("VALUES (" + " ".join("?" + n for n in names) + ") { ("
             + " ".join(bindings[n].n3() for n in names) + ") } ")
    at = brace[2] + 1
    return text[:at] + " " + block + text[at:]


# --- the guard ---------------------------------------------------------------------------

def guard(text: str, *, allow_network: bool = False,
          local_graphs: Callable[[], set[str]] | set[str] | frozenset[str] = frozenset(),
          source: str = "query") -> None:
    """Refuse updates always, and network access (SERVICE, FROM a non-local graph) by default.

    The decision is :func:`kemitraan_graph.guard.check_query`'s, on the parsed query; this name is
    kept for callers of the library.
    """
    from .guard import check_query

    check_query(text, allow_network=allow_network, local_graphs=local_graphs, source=source)

