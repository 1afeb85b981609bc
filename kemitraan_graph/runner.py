"""Running a user's query: guard it, bind its parameters, evaluate it within a time limit.

``run_query(backend, query, params)`` is the one entry point for queries that come from a person
(library names, ``.rq`` files, ``--text``, the query view, the API); the engine's own queries go
straight to ``backend.execute``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from .errors import QueryError, QueryTimeout
from .querylib import LibraryQuery, guard, inject_values
from .results import QueryResult
from .store import Backend

#: seconds a query may run unless the caller says otherwise
DEFAULT_TIMEOUT = 30.0


class _Worker:
    """One long-lived daemon thread that runs queries (starting a thread per query cost ~1 ms)."""

    def __init__(self) -> None:
        import queue

        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name="kemitraan-query", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            fn, box, done = self.jobs.get()
            try:
                box["value"] = fn()
            except BaseException as exc:  # re-raised in the caller's thread
                box["error"] = exc
            done.set()


_worker: _Worker | None = None
_worker_lock = threading.Lock()


def run_with_timeout(fn: Callable[[], Any], timeout: float | None, what: str) -> Any:
    """Run ``fn`` in the worker thread; raise QueryTimeout when it outlives ``timeout``.

    Oxigraph releases the GIL while it evaluates, so the caller regains control on time. The
    abandoned evaluation runs on in its daemon thread until it finishes or the process exits; the
    next query gets a fresh worker.
    """
    global _worker
    if not timeout:
        return fn()
    with _worker_lock:
        if _worker is None:
            _worker = _Worker()
        worker = _worker
        box: dict[str, Any] = {}
        done = threading.Event()
        worker.jobs.put((fn, box, done))
        if not done.wait(timeout):
            _worker = None  # busy with the runaway query: leave it behind
            raise QueryTimeout(f"stopped after {timeout:g} s", source=what)
    if "error" in box:
        raise box["error"]
    return box["value"]



def run_query(backend: Backend, query: LibraryQuery, params: Mapping[str, Any] | None = None, *,
              allow_network: bool = False, timeout: float | None = DEFAULT_TIMEOUT) -> QueryResult:
    """Guard ``query`` (read-only; no network unless allowed), bind ``params``, run it."""
    bindings = query.bind(dict(params or {}))
    source = str(query.path) if query.path else query.name
    guard(query.text, allow_network=allow_network, local_graphs=backend.graph_names, source=source)
    text = inject_values(query.text, bindings)
    try:
        return run_with_timeout(lambda: backend.execute(text), timeout, source)
    except QueryError as exc:
        if exc.source is None:
            exc.source = source
        raise


__all__ = ["DEFAULT_TIMEOUT", "run_query", "run_with_timeout"]
