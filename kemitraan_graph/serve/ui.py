"""What the query page at ``/`` asks the server besides ``/sparql`` and ``/queries``.

``/prefixes``  the known prefixes as JSON (the editor completes them)
``/labels``    IRIs -> ``{"label": ..., "href": ...}`` as JSON: the label in the chosen language (only
               where the graph has one) and where a link goes (``/id/...`` on this server for the
               project's IRIs, else the IRI itself when it is http(s), else nothing)
``/view``      a query drawn as a network by the project's renderer (``render_html``): ``?query=TEXT``
               or ``?name=LIBRARY&PARAM=...``, with ``&lang=id|en``; the page keeps its own strict
               Content-Security-Policy (script hashes), sent as the response header too
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from ..errors import KemitraanError, ViewError
from ..namespaces import PREFIXES
from ..reader import GraphReader
from ..terms import DEFAULT_LANG, LANGS, is_safe_iri, pick_label

#: IRIs labelled per request at most
MAX_LABELS = 5000
#: bytes of a ``/labels`` POST body read at most
MAX_LABELS_BODY = 2_000_000
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
#: added to a page's own policy when it is sent as a header (not allowed in a <meta> policy)
_HEADER_ONLY = "; frame-ancestors 'none'"


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def page_csp(page: str) -> str | None:
    """The policy a rendered page declares in its ``<meta>`` tag (as a header value)."""
    m = _META_CSP.search(page[:4096])
    return html.unescape(m.group(1)) + _HEADER_ONLY if m else None


async def _read_limited(request: Request) -> bytes | None:
    """The body, or None when it is over ``MAX_LABELS_BODY`` bytes (read no further than that)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_LABELS_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class UiRoutes:
    """``/prefixes``, ``/labels`` and ``/view`` over one ``GraphReader``."""

    def __init__(self, reader: GraphReader, href: Any, *, allow_network: bool = False,
                 error_response: Any = None) -> None:
        self.reader, self.href, self.allow_network = reader, href, allow_network
        self.error_response = error_response

    async def prefixes(self, request: Request) -> Response:
        return JSONResponse(dict(PREFIXES), headers={"Cache-Control": "max-age=300"})

    def label_map(self, iris: list[str], lang: str) -> dict[str, dict[str, str]]:
        """``iri -> {"label"?, "href"?}`` for each safe IRI (at most ``MAX_LABELS``)."""
        wanted = [i for i in dict.fromkeys(iris) if isinstance(i, str) and is_safe_iri(i)][:MAX_LABELS]
        texts = self.reader.label_texts(wanted)
        out: dict[str, dict[str, str]] = {}
        for iri in wanted:
            entry: dict[str, str] = {}
            t = texts.get(iri)
            if t:
                entry["label"] = pick_label(t, lang, iri)
            href = self.href(iri)
            if href.startswith("/") or re.match(r"https?://", href):
                entry["href"] = href
            out[iri] = entry
        return out

    async def labels(self, request: Request) -> Response:
        iris = request.query_params.getlist("iri")
        if request.method == "POST":
            body = await _read_limited(request)
            if body is None:
                return PlainTextResponse("request body too large\n", status_code=413)
            try:
                sent = json.loads(body or b"[]")
            except ValueError:
                return PlainTextResponse("send a JSON list of IRIs\n", status_code=400)
            if not isinstance(sent, list):
                return PlainTextResponse("send a JSON list of IRIs\n", status_code=400)
            iris += [i for i in sent if isinstance(i, str)]
        lang = _lang(request)
        try:
            found = await run_in_threadpool(self.label_map, iris, lang)
        except KemitraanError as exc:
            return self.error_response(exc)
        return JSONResponse(found, headers={"Cache-Control": "no-store"})

    def render_view(self, query: str, params: dict[str, str], lang: str) -> str:
        from ..network import build_view
        from ..render import render_html

        graph = build_view(self.reader, "query", lang=lang, query=query, params=params or None,
                           allow_network=self.allow_network)
        return render_html(graph, lang=lang)

    async def view(self, request: Request) -> Response:
        q = request.query_params
        lang = _lang(request)
        text, name = q.get("query"), q.get("name")
        if bool(text) == bool(name):
            return PlainTextResponse("give either ?query=SPARQL or ?name=LIBRARY_QUERY\n", status_code=400)
        params = {k: v for k, v in q.multi_items() if k not in ("query", "name", "lang") and v != ""}
        if name:
            library = await run_in_threadpool(lambda: self.reader.library)
            if name not in library:
                return PlainTextResponse(f"no library query named {name!r}\n", status_code=404)
        elif params:
            return PlainTextResponse("parameters belong to a library query (?name=...)\n", status_code=400)
        if text and "\n" not in text:
            text += "\n"  # always query text: never read as a file path or a library name
        try:
            page = await run_in_threadpool(self.render_view, name or text or "", params, lang)
        except ViewError as exc:
            return PlainTextResponse(f"{exc}\n", status_code=400)
        except Exception as exc:
            return self.error_response(exc)
        headers = {"Cache-Control": "no-store"}
        csp = page_csp(page)
        if csp:
            headers["Content-Security-Policy"] = csp
        return Response(page, media_type="text/html; charset=utf-8", headers=headers)


__all__ = ["MAX_LABELS", "UiRoutes", "page_csp"]
