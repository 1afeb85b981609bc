"""Resolvable IRIs: ``/id/...`` and ``/ontology`` as a linked-data front end (Pubby, LodView, Trifid).

The server stands for the public prefix ``https://w3id.org/kemitraan/``: the path ``/id/case/x``
is the resource ``https://w3id.org/kemitraan/id/case/x``, and a page links the project's IRIs to
``{base}id/case/x``, where ``base`` is the server's own public URL (``/`` unless told, e.g.
``https://example.org/kemitraan/`` behind a proxy; the w3id redirects in ``w3id/`` point there).
A resource is answered as an HTML page (labels and definitions in the chosen language, its
statements with linked objects, incoming links, the cases it takes part in, its sources) or as
Turtle, N-Triples or JSON-LD, by the ``Accept`` header (or ``?format=``). An IRI the graph says nothing about is a 404.

The page is a shell with the data as escaped JSON, drawn as text by ``static/resource.js``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..errors import LanguageError
from ..namespaces import ONTOLOGY_IRI, PREFIXES
from ..reader import GraphReader
from ..results import QueryResult
from ..terms import DEFAULT_LANG, LANGS, check_lang, curie, is_safe_iri, other_lang, pick_label
from .negotiation import FORMAT_MEDIA, GRAPH_MEDIA, choose_media

#: the public prefix the project's IRIs are minted under
PUBLIC_BASE = "https://w3id.org/kemitraan/"
#: statements shown (and sent) per resource at most
MAX_STATEMENTS = 5000
#: incoming links and cases listed at most
MAX_INCOMING = 1000
HTML = "text/html"
#: what a resource is offered as, preferred first (HTML for browsers and for */*)
RESOURCE_MEDIA = ((HTML, "html"),) + GRAPH_MEDIA
_FORMAT_PARAM = {"html": "html", "ttl": "turtle", "turtle": "turtle", "nt": "ntriples", "ntriples": "ntriples",
                 "jsonld": "jsonld", "json-ld": "jsonld"}
_DEFINITIONS = ("http://www.w3.org/2004/02/skos/core#definition", "http://www.w3.org/2000/01/rdf-schema#comment",
                "http://purl.org/dc/terms/description")
_SOURCES = ("http://purl.org/dc/terms/source", "http://www.w3.org/ns/prov#wasDerivedFrom")
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")

_SHELL = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kemitraan Graph</title>
<link rel="stylesheet" href="/static/resource.css">
<script src="/static/resource.js" defer></script>
</head>
<body>
<main id="resource"></main>
<script type="application/json" id="resource-data">{data}</script>
</body>
</html>
"""


class ResourcePages:
    """The ``/id/...`` and ``/ontology`` handlers over one ``GraphReader``."""

    def __init__(self, reader: GraphReader, base: str = "/"):
        if not base.endswith("/"):
            base += "/"
        self.reader, self.base = reader, base

    # --- IRIs <-> paths --------------------------------------------------------------------
    def iri_of(self, path: str) -> str:
        return PUBLIC_BASE + path.lstrip("/")

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` goes: this server for the project's IRIs, else the IRI itself."""
        if iri.startswith(PUBLIC_BASE):
            return self.base + iri[len(PUBLIC_BASE):]
        return iri if iri.startswith(("http://", "https://")) else ""

    # --- HTTP ------------------------------------------------------------------------------
    async def resource(self, request: Request) -> Response:
        return await self._answer(request, self.iri_of("id/" + request.path_params["path"]))

    async def ontology(self, request: Request) -> Response:
        return await self._answer(request, self.iri_of("ontology"))

    async def _answer(self, request: Request, iri: str) -> Response:
        wanted = request.query_params.get("format")
        if wanted is not None:
            fmt = _FORMAT_PARAM.get(wanted.lower())
            if fmt is None:
                return _text(400, f"unknown format {wanted!r}; choose one of html, ttl, nt, jsonld")
        else:
            fmt = choose_media(request.headers.get("accept"), RESOURCE_MEDIA)
            if fmt is None:
                return _text(406, "not acceptable: a resource is offered as " + ", ".join(m for m, _ in RESOURCE_MEDIA))
        try:
            lang = check_lang(request.query_params.get("lang") or _accept_language(request))
        except LanguageError as exc:
            return _text(400, str(exc))
        if not is_safe_iri(iri):
            return _text(404, "no such resource")
        ontology = iri == ONTOLOGY_IRI
        headers = {"Vary": "Accept, Accept-Language", "Cache-Control": "no-store"}
        try:
            if fmt == "html":
                data = await run_in_threadpool(self.ontology_data if ontology else self.resource_data, iri, lang)
                if data is None:
                    return _text(404, f"nothing is known about <{iri}>")
                return Response(page(data), media_type="text/html; charset=utf-8", headers=headers)
            result = await run_in_threadpool(self.ontology_rdf if ontology else self.resource_rdf, iri)
        except Exception as exc:  # a failing store: one line, never a traceback
            return _text(500, f"the graph could not be read: {exc}")
        if not result.rows:
            return _text(404, f"nothing is known about <{iri}>")
        body = result.serialize(fmt)
        return Response(body.encode("utf-8"), media_type=FORMAT_MEDIA[fmt], headers=headers)

    # --- RDF -------------------------------------------------------------------------------
    def resource_rdf(self, iri: str) -> QueryResult:
        """The resource's statements, and those of the blank nodes it points to (one level)."""
        return _graph(self.reader.rows(
            f"CONSTRUCT {{ <{iri}> ?p ?o . ?o ?q ?v }} WHERE {{ <{iri}> ?p ?o "
            f"OPTIONAL {{ ?o ?q ?v FILTER(isBlank(?o)) }} }} LIMIT {MAX_STATEMENTS}"))

    def ontology_rdf(self, iri: str) -> QueryResult:
        """The ontology header and every term defined by it."""
        return _graph(self.reader.rows(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ ?s rdfs:isDefinedBy <{iri}> }} UNION {{ BIND(<{iri}> AS ?s) }} "
            f"?s ?p ?o }}"))

    # --- page data -------------------------------------------------------------------------
    def resource_data(self, iri: str, lang: str) -> dict[str, Any] | None:
        rows = self.reader.rows(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT {MAX_STATEMENTS}")
        if not rows:
            return None
        blank = self.reader.rows(
            f"SELECT ?b ?p ?o WHERE {{ <{iri}> ?q ?b FILTER(isBlank(?b)) ?b ?p ?o }} LIMIT {MAX_STATEMENTS}")
        incoming = self.reader.rows(
            f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} ORDER BY ?p ?s LIMIT {MAX_INCOMING}")
        cases = self.reader.rows(
            f"SELECT DISTINCT ?case ?role WHERE {{ "
            f"{{ ?case kmt:hasParticipation ?x . ?x org:member <{iri}> OPTIONAL {{ ?x org:role ?role }} }} "
            f"UNION {{ ?case kmt:hasPartner <{iri}> "
            f"FILTER NOT EXISTS {{ ?case kmt:hasParticipation/org:member <{iri}> }} }} "
            f"}} ORDER BY ?case ?role LIMIT {MAX_INCOMING}")
        nodes = [n for r in (*rows, *blank, *incoming, *cases) for n in r] + [URIRef(iri)]
        labels = self._labels(nodes)
        parts: dict[str, list[dict[str, Any]]] = {}
        for b, p, o in blank:
            parts.setdefault(str(b), []).append({"p": self._term(p, labels, lang), "o": self._term(o, labels, lang)})
        data = self._head(iri, rows, labels, lang)
        data["statements"] = [
            {"p": self._term(p, labels, lang), "o": self._term(o, labels, lang), "parts": parts.get(str(o), [])}
            for p, o in sorted(rows, key=lambda r: (str(r[0]), str(r[1])))
            if str(p) not in _LABELS and str(p) not in _DEFINITIONS]
        data["incoming"] = [{"s": self._term(s, labels, lang), "p": self._term(p, labels, lang)} for s, p in incoming]
        data["cases"] = [{"case": self._term(c, labels, lang), "role": self._term(r, labels, lang) if r else None}
                         for c, r in cases]
        data["sources"] = [self._term(o, labels, lang) for p, o in rows if str(p) in _SOURCES]
        return data

    def ontology_data(self, iri: str, lang: str) -> dict[str, Any] | None:
        head = self.reader.rows(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
        if not head:
            return None
        rows = self.reader.rows(f"SELECT ?t ?p ?o WHERE {{ ?t rdfs:isDefinedBy <{iri}> ; ?p ?o FILTER(isIRI(?t)) }}")
        labels = self._labels([n for r in (*head, *rows) for n in r] + [URIRef(iri)])
        data = self._head(iri, head, labels, lang)
        data["statements"] = [{"p": self._term(p, labels, lang), "o": self._term(o, labels, lang), "parts": []}
                              for p, o in sorted(head, key=lambda r: (str(r[0]), str(r[1])))
                              if str(p) not in _LABELS and str(p) not in _DEFINITIONS]
        by_term: dict[str, list[tuple[Node, Node]]] = {}
        for t, p, o in rows:
            by_term.setdefault(str(t), []).append((p, o))
        terms = []
        for t in sorted(by_term, key=lambda t: pick_label(labels.get(t), lang, t).lower()):
            stated = by_term[t]
            term = self._head(t, stated, labels, lang)
            term["anchor"] = t.rsplit("#", 1)[-1] if "#" in t else t.rsplit("/", 1)[-1]
            term["statements"] = [{"p": self._term(p, labels, lang), "o": self._term(o, labels, lang), "parts": []}
                                  for p, o in sorted(stated, key=lambda r: (str(r[0]), str(r[1])))
                                  if str(p) not in _LABELS and str(p) not in _DEFINITIONS
                                  and not isinstance(o, BNode)]
            terms.append(term)
        data["terms"] = terms
        return data

    def _head(self, iri: str, rows: Iterable[tuple[Node, Node]], labels: dict[str, dict[str, str]],
              lang: str) -> dict[str, Any]:
        rows = list(rows)
        definitions: dict[str, list[str]] = {}
        for p, o in rows:
            if str(p) in _DEFINITIONS and isinstance(o, Literal):
                definitions.setdefault(o.language or "", []).append(str(o))
        chosen = definitions.get(lang) or definitions.get(other_lang(lang)) or definitions.get("") or []
        return {
            "iri": iri, "lang": lang, "curie": curie(iri, PREFIXES),
            "label": pick_label(labels.get(iri), lang, iri),
            "labels": {code: labels.get(iri, {}).get(code, "") for code in LANGS},
            "definitions": sorted(chosen),
            "types": [self._term(o, labels, lang) for p, o in rows if str(p) == PREFIXES["rdf"] + "type"],
            "langs": [{"code": code, "href": f"?lang={code}", "current": code == lang} for code in LANGS],
            "formats": [{"name": n, "href": f"?format={f}"} for n, f in
                        (("Turtle", "ttl"), ("N-Triples", "nt"), ("JSON-LD", "jsonld"))],
        }

    def _labels(self, nodes: Iterable[Node | None]) -> dict[str, dict[str, str]]:
        return self.reader.label_texts(n for n in nodes if isinstance(n, URIRef))

    def _term(self, node: Node | None, labels: dict[str, dict[str, str]], lang: str) -> dict[str, Any] | None:
        if node is None:
            return None
        if isinstance(node, URIRef):
            iri = str(node)
            known = labels.get(iri) or iri.startswith(tuple(PREFIXES.values()))
            # an unlabelled IRI from elsewhere (a source's web page) is shown whole
            return {"kind": "iri", "iri": iri, "label": pick_label(labels.get(iri), lang, iri) if known else iri,
                    "href": self.href(iri) if is_safe_iri(iri) else ""}
        if isinstance(node, BNode):
            return {"kind": "blank", "label": "_:" + str(node)[:12]}
        assert isinstance(node, Literal)
        out: dict[str, Any] = {"kind": "literal", "label": str(node)}
        if node.language:
            out["lang"] = node.language
        elif node.datatype:
            out["datatype"] = curie(str(node.datatype), PREFIXES)
        return out


def page(data: dict[str, Any]) -> str:
    """The HTML shell with the page data as escaped JSON (drawn as text by resource.js)."""
    from ..render.template import json_for_script

    return _SHELL.format(lang=data.get("lang", DEFAULT_LANG), data=json_for_script(data))


def _graph(rows: list[Any]) -> QueryResult:
    return QueryResult("graph", ["subject", "predicate", "object"], rows)


def _accept_language(request: Request) -> str:
    """``id`` when the browser prefers Indonesian over English, else the default."""
    for part in (request.headers.get("accept-language") or "").split(","):
        code = part.split(";", 1)[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return DEFAULT_LANG


def _text(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


__all__ = ["PUBLIC_BASE", "RESOURCE_MEDIA", "ResourcePages", "page"]
