"""The Starlette app: the SPARQL 1.1 Protocol at ``/sparql``, the library at ``/queries``, a page at ``/``.

Every query a client sends goes through ``runner.run_query`` (the guard, parameter binding and the
time limit), evaluated in a worker thread so that one slow query does not hold up the others.
Errors map to status codes: malformed 400 (with the position), refused 403, timed out 503.

With ``allow_update``, SPARQL Update (POST ``application/sparql-update`` or form ``update=``) goes
through ``runner.run_update``, one at a time, behind a Bearer token when one is set; while an update
is applied no query forks a worker from a half-written store (a read/write lock around both).
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import KemitraanError, ParameterError, QueryError, QueryRefused, QueryTimeout
from ..guard import with_dataset
from ..querylib import LibraryQuery, parse_query_text
from ..reader import GraphReader
from ..resources import asset
from ..results import QueryResult
from ..runner import run_update
from .negotiation import FORMAT_MEDIA, choose_format, offered
from .resource import ResourcePages
from .ui import UiRoutes

#: seconds a query may run unless the server is told otherwise
DEFAULT_TIMEOUT = 10.0
#: rows (or triples) a response carries at most unless the server is told otherwise
DEFAULT_MAX_ROWS = 100_000
#: bytes of a request body read at most (a query, or a form holding one)
MAX_BODY = 1_000_000
#: the policy of every response: this origin's own script and style, nothing from anywhere else
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
MAX_ROWS_HEADER = "X-Kemitraan-Max-Rows"
TRUNCATED_HEADER = "X-Kemitraan-Truncated"

_STATIC = {  # path -> (file under kemitraan_graph/serve/static, media type)
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/app.css": ("app.css", "text/css; charset=utf-8"),
    "/static/resource.js": ("resource.js", "text/javascript; charset=utf-8"),
    "/static/resource.css": ("resource.css", "text/css; charset=utf-8"),
    # the editor: CodeMirror 5, vendored unchanged (static/vendor/README.md)
    "/static/vendor/codemirror.js": ("vendor/codemirror.js", "text/javascript; charset=utf-8"),
    "/static/vendor/codemirror.css": ("vendor/codemirror.css", "text/css; charset=utf-8"),
    "/static/vendor/sparql.js": ("vendor/sparql.js", "text/javascript; charset=utf-8"),
    "/static/vendor/show-hint.js": ("vendor/show-hint.js", "text/javascript; charset=utf-8"),
    "/static/vendor/show-hint.css": ("vendor/show-hint.css", "text/css; charset=utf-8"),
}


class SecurityHeaders:
    """ASGI middleware: a Content-Security-Policy (and a few companions) on every response."""

    def __init__(self, app: ASGIApp, csp: str = CSP) -> None:
        self.app, self.csp = app, csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:  # a page with its own (serve/ui.py /view)
                    headers["Content-Security-Policy"] = self.csp
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip("\n") + "\n", status_code=status)


def error_response(exc: BaseException) -> PlainTextResponse:
    """The status code and one-line message of a library error."""
    if isinstance(exc, QueryTimeout):
        return _error(503, f"{exc} (the server's time limit)")
    if isinstance(exc, QueryRefused):
        return _error(403, str(exc))
    if isinstance(exc, (QueryError, ParameterError)):
        return _error(400, str(exc))
    if isinstance(exc, KemitraanError):
        return _error(500, str(exc))
    return _error(500, "internal error")


def library_listing(library: Mapping[str, LibraryQuery]) -> list[dict[str, Any]]:
    """The library as plain data: name, titles and descriptions in id and en, parameters, view."""
    return [{
        "name": q.name,
        "title": {lang: q.get_title(lang) for lang in ("id", "en")},
        "description": {lang: q.get_description(lang) for lang in ("id", "en")},
        "params": [{"name": p.name, "type": p.type, "default": p.default} for p in q.params],
        "view": q.view,
        "text": q.text,
    } for q in library.values()]


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class _ReadLockedPool:
    """A ``WorkerPool`` whose queries hold the read side of the lock (no fork while an update writes)."""

    def __init__(self, pool: Any, lock: ReadWriteLock) -> None:
        self._pool, self._lock = pool, lock

    def run(self, *args: Any, **kwargs: Any) -> QueryResult:
        with self._lock.reading():
            return self._pool.run(*args, **kwargs)

    def close(self) -> None:
        self._pool.close()


UPDATE_DISABLED = "SPARQL Update is not allowed on this server"
_GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")
_USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")


class Endpoint:
    """The request handlers over one ``GraphReader`` and the server's limits."""

    def __init__(self, reader: GraphReader, *, allow_network: bool, timeout: float | None, max_rows: int,
                 allow_update: bool = False, update_token: str | None = None, lock: ReadWriteLock | None = None):
        self.reader = reader
        self.allow_network = allow_network
        self.timeout = timeout or None
        self.max_rows = max_rows
        self.allow_update = allow_update
        self.update_token = update_token or None
        self.lock = lock or ReadWriteLock()
        self._static: dict[str, bytes] = {}

    # --- responses -----------------------------------------------------------------------
    def respond(self, result: QueryResult, accept: str | None) -> Response:
        fmt = choose_format(accept, result.kind)
        if fmt is None:
            return _error(406, "not acceptable: this result is offered as " + ", ".join(offered(result.kind)))
        truncated = result.kind != "ask" and len(result.rows) > self.max_rows
        body = result.limited(self.max_rows).serialize(fmt)
        headers = {MAX_ROWS_HEADER: str(self.max_rows), "Vary": "Accept", "Cache-Control": "no-store"}
        if truncated:
            headers[TRUNCATED_HEADER] = "true"
        return Response(body.encode("utf-8"), media_type=FORMAT_MEDIA[fmt], headers=headers)

    async def run(self, fn: Any, accept: str | None) -> Response:
        """Run a blocking query function in a worker thread; library errors become status codes."""
        try:
            result = await run_in_threadpool(fn)
            return await run_in_threadpool(self.respond, result, accept)
        except Exception as exc:  # every error becomes a response (with the security headers)
            return error_response(exc)

    # --- /sparql ---------------------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        params: list[tuple[str, str]] = list(request.query_params.multi_items())
        text: str | None = None
        if request.method == "POST":
            media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            body = await _read_body(request)
            if body is None:
                return _error(413, f"request body over {MAX_BODY} bytes")
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError:
                return _error(400, "request body is not UTF-8")
            if media == "application/x-www-form-urlencoded":
                params += parse_qsl(decoded, keep_blank_values=True)
            elif media == "application/sparql-query":
                text = decoded
            elif media == "application/sparql-update":
                return await self.update(request, decoded, params)
            else:
                return _error(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
        names = [k for k, _ in params]
        if "update" in names:
            if not self.allow_update:
                return _error(403, UPDATE_DISABLED)
            if request.method != "POST":
                return _error(405, "send an update with POST")
            updates = [v for k, v in params if k == "update"]
            if len(updates) != 1 or "query" in names or text is not None:
                return _error(400, "give exactly one 'update' parameter, and no query")
            return await self.update(request, updates[0], [(k, v) for k, v in params if k != "update"])
        if text is None:
            queries = [v for k, v in params if k == "query"]
            if len(queries) != 1:
                return _error(400, "give exactly one 'query' parameter")
            text = queries[0]
        if not text.strip():
            return _error(400, "the query is empty")
        defaults = [v for k, v in params if k == "default-graph-uri"]
        named = [v for k, v in params if k == "named-graph-uri"]

        def evaluate() -> QueryResult:
            # the protocol's dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol 2.1.4)
            query = parse_query_text(with_dataset(text, defaults, named) if defaults or named else text, "query")
            return self.reader.query(query, allow_network=self.allow_network, timeout=self.timeout,
                                     limit=self.max_rows + 1 if self.max_rows else None)

        return await self.run(evaluate, request.headers.get("accept"))

    # --- updates ---------------------------------------------------------------------------
    def _authorize(self, request: Request) -> Response | None:
        """None when the request may update; else the 401 / 403 to send."""
        if self.update_token is None:
            return None
        scheme, _, credentials = request.headers.get("authorization", "").strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            return PlainTextResponse("an update needs 'Authorization: Bearer <token>'\n", status_code=401,
                                     headers={"WWW-Authenticate": 'Bearer realm="kemitraan"'})
        if not hmac.compare_digest(credentials.encode("utf-8"), self.update_token.encode("utf-8")):
            return PlainTextResponse("wrong update token\n", status_code=403,
                                     headers={"WWW-Authenticate": 'Bearer realm="kemitraan", error="invalid_token"'})
        return None

    async def update(self, request: Request, text: str, params: list[tuple[str, str]]) -> Response:
        """One SPARQL Update request (already read): refused, unauthorised, or applied."""
        if not self.allow_update:
            return _error(403, UPDATE_DISABLED)
        denied = self._authorize(request)
        if denied is not None:
            return denied
        names = {k for k, _ in params}
        if names & set(_GRAPH_PARAMS):
            return _error(400, "default-graph-uri / named-graph-uri are for queries; an update takes "
                               "using-graph-uri / using-named-graph-uri")
        if not text.strip():
            return _error(400, "the update is empty")
        using = [v for k, v in params if k == "using-graph-uri"]
        using_named = [v for k, v in params if k == "using-named-graph-uri"]

        def apply() -> str:
            with self.lock.writing():
                report = run_update(self.reader.backend, text, allow_network=self.allow_network,
                                    timeout=self.timeout, using=using, using_named=using_named)
            return report.summary()

        try:
            summary = await run_in_threadpool(apply)
        except Exception as exc:  # every error becomes a response (with the security headers)
            return error_response(exc)
        return PlainTextResponse(summary + "\n", headers={"Cache-Control": "no-store"})

    # --- /queries ---------------------------------------------------------------------------
    async def queries(self, request: Request) -> Response:
        library = await run_in_threadpool(lambda: self.reader.library)
        return JSONResponse(library_listing(library), headers={"Cache-Control": "no-store"})

    async def library_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        library = await run_in_threadpool(lambda: self.reader.library)
        if name not in library:
            return _error(404, f"no library query named {name!r}")
        params = dict(request.query_params)

        def evaluate() -> QueryResult:
            return self.reader.query(name, params, allow_network=self.allow_network, timeout=self.timeout,
                                     limit=self.max_rows + 1 if self.max_rows else None)

        return await self.run(evaluate, request.headers.get("accept"))

    # --- the page ---------------------------------------------------------------------------
    async def static(self, request: Request) -> Response:
        name, media = _STATIC[request.url.path]
        if name not in self._static:
            self._static[name] = asset("serve", "static", *name.split("/")).read_bytes()
        return Response(self._static[name], media_type=media)


async def _read_body(request: Request) -> bytes | None:
    """The body, or None when it is over ``MAX_BODY`` bytes (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(kg_or_reader: Any, *, allow_update: bool = False, update_token: str | None = None,
               allow_network: bool = False, timeout: float | None = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
               cors: str | list[str] | None = None, workers: int = 2, base: str = "/") -> Starlette:
    """A Starlette app serving one graph (a ``KnowledgeGraph`` or a ``GraphReader``).

    ``timeout`` (seconds, 0/None: none) and ``max_rows`` bound each query; ``allow_network`` lets
    SERVICE and FROM of graphs not in the store through; ``cors`` names the origin(s) allowed to
    read answers from a browser (none by default). ``allow_update`` serves SPARQL Update
    (``runner.run_update``); with ``update_token`` an update needs ``Authorization: Bearer`` it.
    Whether the host needs a token is the caller's decision (``kemitraan serve`` requires one off
    loopback).
    """
    if max_rows < 0:
        raise ValueError("max_rows must be 0 or more")
    reader = getattr(kg_or_reader, "reader", kg_or_reader)
    if not isinstance(reader, GraphReader):
        raise TypeError(f"expected a KnowledgeGraph or a GraphReader, got {type(kg_or_reader).__name__}")
    # its own worker processes: a slow query never blocks a quick one, and a timed-out one is stopped
    reader = GraphReader(reader.backend, reader.library, workers=workers)
    lock = ReadWriteLock()
    if allow_update:
        backend = reader.backend
        if not backend.accepts_updates:
            raise ValueError(f"the {backend.name} backend does not take updates")
        if getattr(backend, "never_write", False):
            raise ValueError("the store was opened read-only: it cannot take updates")
        reader.pool = _ReadLockedPool(reader.pool, lock)  # type: ignore[assignment]
    ep = Endpoint(reader, allow_network=allow_network, timeout=timeout, max_rows=max_rows,
                  allow_update=allow_update, update_token=update_token, lock=lock)
    pages = ResourcePages(reader, base)
    ui = UiRoutes(reader, pages.href, allow_network=allow_network, error_response=error_response)
    routes = [
        Route("/sparql", ep.sparql, methods=["GET", "POST"]),
        Route("/queries", ep.queries, methods=["GET"]),
        Route("/queries/{name}", ep.library_query, methods=["GET"]),
        # what the page at / asks for (serve/ui.py)
        Route("/prefixes", ui.prefixes, methods=["GET"]),
        Route("/labels", ui.labels, methods=["GET", "POST"]),
        Route("/view", ui.view, methods=["GET"]),
        *[Route(path, ep.static, methods=["GET"]) for path in _STATIC],
        # resolvable IRIs (serve/resource.py); ``base``: this server's public URL, for the pages' links
        Route("/id/{path:path}", pages.resource, methods=["GET"]),
        Route("/ontology", pages.ontology, methods=["GET"]),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if cors:
        origins = [cors] if isinstance(cors, str) else list(cors)
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type", *(["Authorization"] if allow_update else [])],
            expose_headers=[MAX_ROWS_HEADER, TRUNCATED_HEADER]))
    return Starlette(routes=routes, middleware=middleware)


__all__ = ["CSP", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "MAX_ROWS_HEADER", "TRUNCATED_HEADER", "ReadWriteLock",
           "create_app", "error_response", "library_listing"]
