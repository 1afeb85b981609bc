"""Named graphs of a store -> Turtle, N-Triples, TriG or JSON-LD (one triple once, except in TriG)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .errors import KemitraanError
from .namespaces import INFERRED_GRAPH, PREFIXES
from .store import Backend, to_ox

#: export format name -> Oxigraph serialiser
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class ExportError(KemitraanError, ValueError):
    """An export was asked for in a format we do not write."""


def serialize(backend: Backend, graphs: Sequence[str], fmt: str = "turtle", *,
              inferred: Graph | None = None) -> bytes:
    """The triples of ``graphs`` (and ``inferred``, a closure kept out of the store) in ``fmt``.

    Every format but TriG holds each triple once; TriG keeps each in its named graph, the
    closure in ``INFERRED_GRAPH``.
    """
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    present = backend.graph_names()
    quads: list[Any] = [q for name in graphs if name in present for q in backend.quads(name)]
    if inferred is not None:
        quads += _as_quads(inferred, str(INFERRED_GRAPH))
    ox_fmt = RDF_FORMATS[fmt]
    if ox_fmt is ox.RdfFormat.TRIG:
        items: list[Any] = quads
    else:
        items = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    if ox_fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return ox.serialize(items, format=ox_fmt, prefixes=PREFIXES)
    return ox.serialize(items, format=ox_fmt)


def _as_quads(graph: Iterable[Any], name: str) -> list[Any]:
    g = ox.NamedNode(name)
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in graph]


__all__ = ["RDF_FORMATS", "ExportError", "serialize"]
