"""Queries run in worker processes: a runaway one is really stopped, memory is capped, crashes stay there."""

from __future__ import annotations

import os
import threading
import time

import pytest
from rdflib import Literal, URIRef

from kemitraan_graph import KnowledgeGraph, QueryError, QueryTimeout
from kemitraan_graph.errors import QueryCrashed
from kemitraan_graph.reader import GraphReader

from .helpers import SMALL

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?o . ?b ?q ?o2 . ?c ?r ?o3 . ?d ?t ?o4 }"
SORTED_CARTESIAN = "SELECT ?a ?b ?c WHERE { ?a ?p ?o . ?b ?q ?o2 . ?c ?r ?o3 } ORDER BY ?a ?b ?c ?o ?o2 ?o3"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def worker_pids(reader: GraphReader) -> list[int]:
    return [w.pid for w in reader.pool._idle if w.pid is not None]


def test_a_query_past_its_timeout_is_really_stopped(small_kg):
    reader = GraphReader(small_kg.backend)
    try:
        reader.query("ASK { ?s ?p ?o }")
        (pid,) = worker_pids(reader)
        t0 = time.monotonic()
        with pytest.raises(QueryTimeout, match="stopped after 1 s"):
            reader.query(CARTESIAN, timeout=1)
        assert time.monotonic() - t0 < 3
        assert not alive(pid)  # the worker that ran it is gone: its CPU and memory are free
        assert bool(reader.query("ASK { ?s ?p ?o }"))  # and the next query gets a fresh one
    finally:
        reader.close()


def test_a_query_over_its_memory_cap_fails_and_the_caller_lives(small_kg):
    reader = GraphReader(small_kg.backend)
    try:
        t0 = time.monotonic()
        with pytest.raises(QueryCrashed, match="more than 200 MB"):
            reader.query(SORTED_CARTESIAN, timeout=60, max_memory_mb=200)
        assert time.monotonic() - t0 < 30
        assert len(reader.query("SELECT ?s WHERE { ?s a kmt:Partnership }")) == 2
    finally:
        reader.close()


def test_an_engine_crash_on_a_deep_query_is_an_error_not_a_dead_process(small_kg):
    deep = "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000
    with pytest.raises(QueryError):
        small_kg.query(deep)
    assert bool(small_kg.query("ASK { ?s ?p ?o }"))


def test_limit_stops_the_evaluation_early(small_kg):
    t0 = time.monotonic()
    res = small_kg.query("SELECT * WHERE { ?a ?p ?o . ?b ?q ?o2 . ?c ?r ?o3 . ?d ?t ?o4 }", limit=5, timeout=20)
    assert len(res) == 5 and time.monotonic() - t0 < 10


def test_a_worker_sees_writes_made_after_it_was_forked(tmp_path):
    with KnowledgeGraph.load([SMALL], bundled=False) as kg:
        assert len(kg.query("SELECT ?x WHERE { ?x <http://e/p> ?y }")) == 0  # forks a worker
        kg.backend.add_triples([(URIRef("http://e/x"), URIRef("http://e/p"), Literal(1))], "http://e/g")
        assert len(kg.query("SELECT ?x WHERE { ?x <http://e/p> ?y }")) == 1


def test_a_timed_out_query_does_not_hold_a_persistent_store(tmp_path):
    store = tmp_path / "store"
    kg = KnowledgeGraph.load([SMALL], bundled=False, store=store)
    with pytest.raises(QueryTimeout):
        kg.query(CARTESIAN, timeout=1)
    kg.close()
    with KnowledgeGraph.load([SMALL], bundled=False, store=store) as again:  # no lock error
        assert len(again.query("SELECT ?s WHERE { ?s a kmt:Partnership }")) == 2


def test_a_slow_query_does_not_block_a_quick_one(small_kg):
    reader = GraphReader(small_kg.backend, workers=2)
    try:
        reader.query("ASK { ?s ?p ?o }")
        slow = threading.Thread(target=lambda: pytest.raises(QueryTimeout, reader.query, CARTESIAN, timeout=3))
        slow.start()
        time.sleep(0.3)
        t0 = time.monotonic()
        assert bool(reader.query("ASK { ?s ?p ?o }", timeout=10))
        assert time.monotonic() - t0 < 1.5
        slow.join()
    finally:
        reader.close()


def test_cli_timeout_and_memory_messages(run_cli):
    from .helpers import SMALL as small

    res = run_cli("--no-bundled", "--data", str(small), "query", "--timeout", "1", "--text", CARTESIAN)
    assert res.returncode == 2 and "stopped after 1 s (use --timeout to allow longer)" in res.stderr
    assert "Traceback" not in res.stderr
    res = run_cli("--no-bundled", "--data", str(small), "query", "--max-memory", "200", "--timeout", "60",
                  "--text", SORTED_CARTESIAN)
    assert res.returncode == 2 and "more than 200 MB" in res.stderr
    assert "memory allocation" not in res.stderr and "Traceback" not in res.stderr
