"""Shared fixtures: the bundled graph (loaded once), small fixture graphs, CLI runners."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kemitraan_graph import KnowledgeGraph

from .helpers import SMALL, kemitraan_exe


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    """Ontology + bundled data in the embedded Oxigraph store (read-only use!)."""
    graph = KnowledgeGraph.load()
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def small_kg() -> KnowledgeGraph:
    graph = KnowledgeGraph.load([SMALL], bundled=False)
    yield graph
    graph.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def run_cli():
    """Run the installed ``kemitraan`` console script as a real subprocess."""

    def run(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
        return subprocess.run([kemitraan_exe(), *args], capture_output=True, text=True, cwd=cwd,
                              input=input, env=env, timeout=120)

    return run
