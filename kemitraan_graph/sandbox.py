"""Queries evaluated in a forked worker process, so that a runaway one is really stopped.

Oxigraph cannot be interrupted from inside the process: a query runs in Rust until it ends, and a
thread left behind keeps its CPU, its memory and its hold on a persistent store. So a person's
query runs in a *worker*: a fork of this process made after the store is loaded. It shares the
store's memory copy-on-write (nothing is loaded twice), evaluates queries sent over a pipe and
sends their results back. When a query outlives its time limit the worker is killed (the work
stops, its memory is freed) and the next query forks a fresh one. A memory cap (``RLIMIT_AS``)
makes a query that would eat the machine fail on its own; a crash of the engine (a stack
overflow on a deeply nested query) kills the worker, not the caller.

A worker sees the store as it was when it was forked; every write to the store bumps
``backend.generation`` and the next query forks again. A persistent store is reopened read-only
in the worker instead of sharing the parent's handle. Where ``os.fork`` does not exist the query
runs in a thread with a time limit only.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from .errors import QueryCrashed, QueryError, QueryRefused, QueryTimeout
from .guard import no_network
from .results import QueryResult
from .store import Backend, decode_result

#: memory a query may use on top of what the process holds already (MiB)
DEFAULT_MAX_MEMORY_MB = 4096
_HEADER = struct.Struct("!Q")
CAN_FORK = hasattr(os, "fork")


def _write_msg(fd: int, payload: bytes) -> None:
    data = _HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # pragma: no cover - not Linux
        return 0


def _error_payload(exc: BaseException) -> tuple:
    if isinstance(exc, QueryError):
        return ("error", type(exc).__name__, exc.message, exc.line, exc.column, exc.source)
    if isinstance(exc, MemoryError):
        return ("error", "QueryCrashed", "the query needed more memory than allowed", None, None, None)
    return ("error", "QueryError", f"{type(exc).__name__}: {exc}", None, None, None)


def _serve(backend: Backend, requests: int, replies: int, max_memory: int | None) -> None:
    """The worker's loop (in the child process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C there kills us
    devnull = os.open(os.devnull, os.O_WRONLY)  # the engine's own panic text is not for the terminal
    os.dup2(devnull, 2)
    import faulthandler

    faulthandler.disable()  # a crash here is reported by the parent, in one line
    if max_memory:
        import resource

        limit = _vm_size() + max_memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        engine: Backend | None = backend.for_worker()
        failure: tuple | None = None
    except BaseException as exc:  # answered to every request, so the parent can say what happened
        engine, failure = None, _error_payload(exc)
    while True:
        head = _read_exact(requests, _HEADER.size, None)
        if head is None:
            return
        text, limit, allow_network = pickle.loads(_read_exact(requests, _HEADER.unpack(head)[0], None) or b"")
        try:
            if failure:
                reply: tuple = failure
            elif allow_network:
                reply = ("ok", engine.execute_encoded(text, limit=limit))
            else:
                with no_network():  # a last line of defence for engines that evaluate in Python
                    reply = ("ok", engine.execute_encoded(text, limit=limit))
        except BaseException as exc:  # sent back, raised in the parent
            reply = _error_payload(exc)
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(_error_payload(MemoryError()))
        _write_msg(replies, data)


class Worker:
    """One forked worker process; runs one query at a time."""

    def __init__(self, backend: Backend, max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB):
        self.backend = backend
        self.max_memory = max_memory_mb * 1024 * 1024 if max_memory_mb else None
        self.pid: int | None = None
        self.generation = -1
        self._requests = self._replies = -1

    def _start(self) -> None:
        self.backend.freeze()
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child (its coverage is not collected)
            code = 0
            try:
                os.close(req_w)
                os.close(rep_r)
                _serve(self.backend, req_r, rep_w, self.max_memory)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(req_r)
        os.close(rep_w)
        self.pid, self._requests, self._replies = pid, req_w, rep_r
        self.generation = self.backend.generation

    def stop(self) -> int | None:
        """Kill the worker (if any); returns its wait status."""
        if self.pid is None:
            return None
        pid, self.pid = self.pid, None
        for fd in (self._requests, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return os.waitpid(pid, 0)[1]

    def run(self, text: str, *, timeout: float | None, limit: int | None, source: str,
            allow_network: bool = False) -> QueryResult:
        if self.pid is None or self.generation != self.backend.generation:
            self.stop()
            self._start()
        deadline = time.monotonic() + timeout if timeout else None
        try:
            _write_msg(self._requests, pickle.dumps((text, limit, allow_network)))
            head = _read_exact(self._replies, _HEADER.size, deadline)
            body = _read_exact(self._replies, _HEADER.unpack(head)[0], deadline) if head else None
        except TimeoutError:
            self.stop()
            raise QueryTimeout(f"stopped after {timeout:g} s", source=source) from None
        except BrokenPipeError:
            body = None
        if body is None:  # the worker died
            status = self.stop()
            raise QueryCrashed(_death(status, self.max_memory), source=source) from None
        reply = pickle.loads(body)
        if reply[0] == "ok":
            return reply[1] if isinstance(reply[1], QueryResult) else decode_result(reply[1])
        _kind, cls_name, message, line, column, src = reply
        cls = _ERRORS.get(cls_name, QueryError)
        raise cls(message, line, column, src or source)


_ERRORS = {cls.__name__: cls for cls in (QueryError, QueryRefused, QueryTimeout, QueryCrashed)}


def _death(status: int | None, max_memory: int | None) -> str:
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGABRT, signal.SIGKILL) and max_memory:
            return (f"the query engine stopped (signal {signal.Signals(sig).name}): the query probably needed "
                    f"more than {max_memory // (1024 * 1024)} MB of memory")
        return f"the query engine crashed (signal {signal.Signals(sig).name}); the query was not answered"
    return "the query engine stopped unexpectedly; the query was not answered"


class WorkerPool:
    """Up to ``size`` workers, so that a slow query never blocks a quick one (the server uses 2+)."""

    def __init__(self, backend: Backend, size: int = 1, max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB):
        self.backend, self.size, self.max_memory_mb = backend, max(1, size), max_memory_mb
        self._idle: list[Worker] = []
        self._count = 0
        self._cond = threading.Condition()

    def run(self, text: str, *, timeout: float | None, limit: int | None = None, source: str = "query",
            max_memory_mb: int | None = None, allow_network: bool = False) -> QueryResult:
        with self._cond:
            while not self._idle and self._count >= self.size:
                self._cond.wait()
            if self._idle:
                worker = self._idle.pop()
            else:
                worker = Worker(self.backend, self.max_memory_mb)
                self._count += 1
        if max_memory_mb is not None and max_memory_mb * 1024 * 1024 != worker.max_memory:
            worker.stop()
            worker.max_memory = max_memory_mb * 1024 * 1024 if max_memory_mb else None
        try:
            return worker.run(text, timeout=timeout, limit=limit, source=source, allow_network=allow_network)
        finally:
            with self._cond:
                self._idle.append(worker)
                self._cond.notify()

    def close(self) -> None:
        with self._cond:
            for w in self._idle:
                w.stop()
            self._idle.clear()
            self._count = 0


def run_in_thread(fn: Callable[[], Any], timeout: float | None, source: str) -> Any:
    """Fallback where there is no fork: a time limit only (the evaluation is left running)."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc
        done.set()

    threading.Thread(target=target, name="kemitraan-query", daemon=True).start()
    if not done.wait(timeout):
        raise QueryTimeout(f"stopped after {timeout:g} s", source=source)
    if "error" in box:
        raise box["error"]
    return box["value"]


__all__ = ["CAN_FORK", "DEFAULT_MAX_MEMORY_MB", "Worker", "WorkerPool", "run_in_thread"]
