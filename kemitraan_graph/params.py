"""Parameters of a library query as a person gives them, checked against the graph.

``prepare(source, query, given, lang)`` runs before the query is bound (``LibraryQuery.bind``):

- an ``iri`` parameter takes the short names of the views' filters (``sector=port``,
  ``country=id``, ``case=umbulan``): the candidates are the default's scheme (``skos:inScheme``)
  or the instances of the default's classes, matched with ``matching.match``;
- an IRI that is nowhere in the graph is kept (the rows are as found) with a warning that names
  the nearest labels;
- a parameter left out is reported with the default it used;
- a query that declares a ``lang`` parameter gets the caller's language unless it was given.

Messages come back as strings beginning ``warning:`` or ``note:``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from rdflib import URIRef
from rdflib.term import Node

from .errors import ParameterError
from .matching import describe, match, nearest, starting_with
from .querylib import LibraryQuery
from .terms import check_lang, curie, expand_curie, is_safe_iri

#: the parameter a query declares to receive the caller's language (``--lang``)
LANG_PARAM = "lang"
#: classes too general to say what kind of thing a default is
_GENERAL = ("http://www.w3.org/2002/07/owl#Thing", "http://www.w3.org/2000/01/rdf-schema#Resource",
            "http://www.w3.org/2002/07/owl#NamedIndividual", "http://www.w3.org/2004/02/skos/core#Concept")


class Source(Protocol):  # what GraphReader offers; typed here to keep the import one way
    def rows(self, text: str) -> list[tuple[Node | None, ...]]: ...

    def label_texts(self, iris: Iterable[Node | str]) -> dict[str, dict[str, str]]: ...


def _in_graph(source: Source, iri: str) -> bool:
    return bool(source.rows(
        f"SELECT ?x WHERE {{ {{ <{iri}> ?p ?x }} UNION {{ ?x ?p <{iri}> }} UNION {{ ?x <{iri}> ?o }} }} LIMIT 1"))


def candidates(source: Source, default: str | None) -> list[str]:
    """What a parameter may name: the default's scheme, else instances of its classes, else anything labelled."""
    if default and is_safe_iri(default):
        general = " ".join(f"<{c}>" for c in _GENERAL)
        rows = source.rows(f"""
            SELECT DISTINCT ?x WHERE {{
              {{ <{default}> skos:inScheme ?s . ?x skos:inScheme ?s }}
              UNION
              {{ <{default}> a ?t . FILTER NOT EXISTS {{ <{default}> skos:inScheme ?any }}
                 FILTER(?t NOT IN ({general.replace(' ', ', ')})) ?x a ?t }}
              FILTER(isIRI(?x))
            }}""")
        if rows:
            return sorted({str(r[0]) for r in rows})
    rows = source.rows("SELECT DISTINCT ?x WHERE { { ?x rdfs:label ?l } UNION { ?x skos:prefLabel ?l } "
                       "FILTER(isIRI(?x)) }")
    return sorted({str(r[0]) for r in rows})


def prepare(source: Source, query: LibraryQuery, given: Mapping[str, Any], lang: str | None = None
            ) -> tuple[dict[str, Any], list[str]]:
    """The parameters to bind (short names resolved to IRIs) and the messages for the person."""
    out = dict(given)
    notes: list[str] = []
    declared = {p.name: p for p in query.params}
    if lang is not None and LANG_PARAM in declared and LANG_PARAM not in out:
        out[LANG_PARAM] = check_lang(lang)
    for p in query.params:
        if p.name not in out:
            if p.default is not None:
                shown = p.default
                if p.type == "iri":
                    iri = expand_curie(p.default)
                    if iri:
                        shown = describe(iri, source.label_texts([iri]), lang or "en")
                notes.append(f"note: parameter {p.name!r} not given: using the default {shown}")
            continue
        raw = out[p.name]
        if p.type != "iri" or isinstance(raw, Node):
            continue
        text = str(raw).strip()
        iri = expand_curie(text)
        default = expand_curie(p.default) if p.default else None
        if iri is not None and is_safe_iri(iri):
            if not _in_graph(source, iri):
                cands = candidates(source, default)
                labels = source.label_texts(cands)
                near = nearest(text, cands, labels, strip=(p.name + "-",))
                shown = ", ".join(describe(c, labels, lang or "en") for c in near) or "none close"
                notes.append(f"warning: parameter {p.name!r}: {curie(iri)} is nowhere in the graph "
                             f"(nearest: {shown})")
            out[p.name] = URIRef(iri)
            continue
        cands = candidates(source, default)
        labels = source.label_texts(cands)
        hits = match(text, cands, labels, strip=(p.name + "-",)) or starting_with(
            text, cands, labels, strip=(p.name + "-",))
        if len(hits) == 1:
            out[p.name] = URIRef(hits[0])
        elif hits:
            names = ", ".join(describe(c, labels, lang or "en") for c in hits[:6]) + (", ..." if len(hits) > 6 else "")
            raise ParameterError(p.name, f"{text!r} names more than one thing: {names}")
        else:
            near = nearest(text, cands, labels, strip=(p.name + "-",))
            hint = f"; nearest: {', '.join(describe(c, labels, lang or 'en') for c in near)}" if near else ""
            raise ParameterError(
                p.name, f"expected an IRI (<...>, http(s)://... or prefix:name) or a short name, got {text!r}{hint}")
    return out, notes


__all__ = ["LANG_PARAM", "candidates", "prepare"]
