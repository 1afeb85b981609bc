"""Running a person's query: guard it, bind its parameters, evaluate it within time and memory limits.

``run_query(backend, query, params)`` is the one entry point for queries that come from a person
(library names, ``.rq`` files, ``--text``, the query view, the API, the endpoint); the engine's own
queries go straight to ``backend.execute``. With a time or memory limit the query runs in a worker
process (``sandbox``), where it can really be stopped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from .errors import QueryError, QueryRefused, QueryTimeout
from .guard import check_query, check_update, no_network
from .namespaces import DERIVED_GRAPH, GRAPH, INFERRED_GRAPH
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


# --- updates (the server's --allow-update) ---------------------------------------------------

#: where triples an update writes to the default graph are kept (a named graph like a file's)
UPDATES_GRAPH = str(GRAPH["updates"])
#: graphs the engine computes: an update cannot write to them
COMPUTED_GRAPHS = frozenset({str(DERIVED_GRAPH), str(INFERRED_GRAPH)})
#: one update at a time (per process): each one sees the previous one's result, entailments included
_UPDATE_LOCK = threading.Lock()


@dataclass
class UpdateReport:
    """What an update changed in the union (before the entailments were derived again)."""

    added: int = 0
    removed: int = 0
    operations: int = 0
    rederived: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"{self.operations} operation(s): {self.added} triple(s) added, {self.removed} removed"
                + (", entailments derived again" if self.rederived else "") + f" in {self.seconds:.2f} s")


def run_update(backend: Backend, text: str, *, allow_network: bool = False, timeout: float | None = DEFAULT_TIMEOUT,
               using: Iterable[str] = (), using_named: Iterable[str] = (), reason: bool | None = None,
               source: str = "update") -> UpdateReport:
    """A person's SPARQL Update, guarded, evaluated, applied so that queries stay right.

    The model: the default graph is the set union of the named graphs (one per file, plus the
    derived entailments). An operation's WHERE is evaluated on that union (rdflib's engine over the
    store); then its quads are applied with ``backend.apply_changes``: a triple inserted into the
    default graph goes to ``UPDATES_GRAPH``, one deleted from it leaves every named graph; writing to
    a computed graph (derived, inferred) is refused. After the update the entailments are derived
    again (``inference.derive``, when the store has them), so reasoning stays on. Operations run in
    order, each seeing the previous ones; updates run one at a time. ``using`` / ``using_named``: the
    protocol's ``using-graph-uri`` / ``using-named-graph-uri``. ``timeout`` is checked while the
    WHERE's solutions are read, before anything is written.
    """
    if not backend.accepts_updates:
        raise QueryRefused(f"the {backend.name} backend does not take updates", source=source)
    using, using_named = list(using), list(using_named)
    if using_named or len(using) > 1:
        raise QueryError("only one using-graph-uri and no using-named-graph-uri are supported", source=source)
    started = time.monotonic()
    deadline = started + timeout if timeout else None
    report = UpdateReport()
    with _UPDATE_LOCK:
        ops = check_update(text, allow_network=allow_network, local_graphs=backend.graph_names,
                           prefixes=backend.prefixes, source=source)
        for g in using:
            if not allow_network and g not in backend.graph_names():
                raise QueryRefused(f"using-graph-uri <{g}> is not a graph in the store", source=source,
                                   needs="network")
        if reason is None:
            reason = str(DERIVED_GRAPH) in backend.graph_names()
        for op in ops:
            with nullcontext() if allow_network else no_network(source):
                delete, insert = _changes(backend, op, using, deadline, source)
            for _s, _p, _o, g in [*delete, *insert]:
                if g in COMPUTED_GRAPHS:
                    raise QueryRefused(f"<{g}> is computed by the engine: an update cannot write to it",
                                       source=source)
            added, removed = backend.apply_changes(delete, insert, default_graph=UPDATES_GRAPH)
            if op.name == "Drop" and type(op.graphiri).__name__ == "URIRef":  # not DEFAULT / NAMED / ALL
                backend.drop_graph(str(op.graphiri))  # empty now: the name goes too
            report.added += added
            report.removed += removed
            report.operations += 1
        if reason and (report.added or report.removed):
            from .inference import derive

            derive(backend)
            report.rederived = True
        backend.generation += 1  # a worker forked while this ran is stale
    report.seconds = time.monotonic() - started
    return report


def _changes(backend: Backend, op: Any, using: list[str], deadline: float | None,
             source: str) -> tuple[list[Any], list[Any]]:
    """(quads to delete, quads to insert) of one operation; ``None`` as graph: the default graph."""
    from rdflib import BNode, Literal, URIRef, Variable
    from rdflib.plugins.sparql import algebra
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.sparql import QueryContext

    name = op.name

    def get(key: str) -> Any:
        return op[key] if key in op else None

    def data(template: Any) -> list[Any]:
        """The quads of INSERT DATA / DELETE DATA (blank nodes made fresh for this operation)."""
        fresh: dict[BNode, BNode] = {}
        out = []
        for g, triples in [(None, template.triples or []), *(template.quads or {}).items()]:
            for t in triples:
                if name == "DeleteData" and any(isinstance(x, BNode) for x in t):
                    raise QueryError("DELETE DATA cannot name blank nodes", source=source)
                s, p, o = (fresh.setdefault(x, BNode()) if isinstance(x, BNode) else x for x in t)
                out.append((s, p, o, str(g) if g is not None else None))
        return out

    if name == "InsertData":
        return [], data(op)
    if name == "DeleteData":
        return data(op), []
    if name == "Create":
        return [], []
    if name in ("Clear", "Drop") and isinstance(get("graphiri"), URIRef):
        from .store import from_ox

        g = str(op.graphiri)
        if g in COMPUTED_GRAPHS:
            raise QueryRefused(f"<{g}> is computed by the engine: an update cannot write to it", source=source)
        return [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), g) for q in backend.quads(g)], []
    if name not in ("Modify", "DeleteWhere"):
        what = {"Load": "LOAD", "Clear": "CLEAR DEFAULT / NAMED / ALL", "Drop": "DROP DEFAULT / NAMED / ALL",
                "Add": "ADD", "Move": "MOVE", "Copy": "COPY"}.get(name, name)
        raise QueryError(f"{what} is not supported by this server (supported: INSERT DATA, DELETE DATA, "
                         "DELETE/INSERT ... WHERE, DELETE WHERE, CLEAR/DROP GRAPH, CREATE)", source=source)

    dataset = backend.dataset  # fetched anew: an earlier operation may have reopened the store
    ctx = QueryContext(dataset, initBindings={})
    ctx.prologue = op.prologue
    with_graph = get("withClause")
    clauses = get("using") or []
    if clauses and using:
        raise QueryError("using-graph-uri cannot be combined with USING or WITH in the update", source=source)
    if with_graph is not None and using:
        raise QueryError("using-graph-uri cannot be combined with USING or WITH in the update", source=source)
    if any("named" in c for c in clauses) or len(clauses) > 1:
        raise QueryError("USING NAMED and more than one USING are not supported by this server", source=source)
    where_graph = (clauses[0].default if clauses else using[0] if using else with_graph)
    ctx = ctx.pushGraph(dataset.get_context(URIRef(str(where_graph))) if where_graph is not None
                        else dataset.default_context)
    if name == "DeleteWhere":
        deleting, inserting = op, None
        where = algebra.BGP(op.triples or [])
        for g, triples in (op.quads or {}).items():
            where = algebra.Join(where, algebra.Graph(g, algebra.BGP(triples)))
    else:
        deleting, inserting, where = get("delete"), get("insert"), op.where
    target = str(with_graph) if with_graph is not None else None

    def fill(template: Any, solution: Any, fresh: dict) -> Iterator[Any]:
        for g, triples in [(None, template.triples or []), *(template.quads or {}).items()]:
            if g is None:
                graph = target
            else:
                graph = solution.get(g) if isinstance(g, Variable) else g
                if not isinstance(graph, URIRef):
                    continue
                graph = str(graph)
            for t in triples:
                s, p, o = (fresh.setdefault(x, BNode()) if isinstance(x, BNode)
                           else solution.get(x) if isinstance(x, Variable) else x for x in t)
                if s is None or p is None or o is None or isinstance(s, Literal) or not isinstance(p, URIRef):
                    continue  # unbound or not a triple: left out, as the standard says
                yield (s, p, o, graph)

    delete: list[Any] = []
    insert: list[Any] = []
    for i, solution in enumerate(evalPart(ctx, where)):
        if deadline is not None and i % 64 == 0 and time.monotonic() > deadline:
            raise QueryTimeout("stopped while reading the update's WHERE, before anything was written",
                               source=source)
        if deleting is not None:
            delete.extend(fill(deleting, solution, {}))
        if inserting is not None:
            insert.extend(fill(inserting, solution, {}))
    return delete, insert


__all__ = ["COMPUTED_GRAPHS", "DEFAULT_MAX_MEMORY_MB", "DEFAULT_TIMEOUT", "UPDATES_GRAPH", "UpdateReport",
           "run_query", "run_update"]
