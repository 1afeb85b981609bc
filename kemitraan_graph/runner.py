"""Running a person's query: guard it, bind its parameters, evaluate it within time and memory limits.

``run_query(backend, query, params)`` is the one entry point for queries that come from a person
(library names, ``.rq`` files, ``--text``, the query view, the API, the endpoint); the engine's own
queries go straight to ``backend.execute``. With a time or memory limit the query runs in a worker
process (``sandbox``), where it can really be stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import QueryError
from .guard import check_query, no_network
from .querylib import LibraryQuery, inject_values
from .results import QueryResult
from .sandbox import CAN_FORK, DEFAULT_MAX_MEMORY_MB, WorkerPool, run_in_thread
from .store import Backend

#: seconds a query may run unless the caller says otherwise
DEFAULT_TIMEOUT = 30.0


def run_query(backend: Backend, query: LibraryQuery, params: Mapping[str, Any] | None = None, *,
              allow_network: bool = False, timeout: float | None = DEFAULT_TIMEOUT, limit: int | None = None,
              max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB, pool: WorkerPool | None = None) -> QueryResult:
    """Guard ``query`` (read-only; no network unless allowed), bind ``params``, run it.

    ``limit`` stops the evaluation after that many rows. With ``timeout`` or ``max_memory_mb`` and a
    ``pool`` of workers, the query runs in a worker process that is killed when it runs over.
    """
    bindings = query.bind(dict(params or {}))
    source = str(query.path) if query.path else query.name
    check_query(query.text, allow_network=allow_network, local_graphs=backend.graph_names, source=source)
    text = inject_values(query.text, bindings)
    if text != query.text:  # what runs is what was checked (the bound values are inert terms)
        check_query(text, allow_network=allow_network, local_graphs=backend.graph_names, source=source)

    def execute() -> QueryResult:
        if allow_network or not backend.evaluates_here:  # a remote server makes its own requests
            return backend.execute(text, limit=limit)
        with no_network(source):  # a third line for engines that evaluate in Python (rdflib)
            return backend.execute(text, limit=limit)

    try:
        if pool is not None and CAN_FORK and backend.evaluates_here and (timeout or max_memory_mb):
            return pool.run(text, timeout=timeout or None, limit=limit, source=source, max_memory_mb=max_memory_mb,
                            allow_network=allow_network)
        if timeout:
            return run_in_thread(execute, timeout, source)
        return execute()
    except QueryError as exc:
        if exc.source is None:
            exc.source = source
        raise


__all__ = ["DEFAULT_MAX_MEMORY_MB", "DEFAULT_TIMEOUT", "run_query"]
