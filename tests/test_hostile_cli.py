"""The tests/hostile corpus through the ``kemitraan`` command: one-line errors, exit 2, quickly;
terminals that stay clean; exports that parse; outputs that respect their target."""

from __future__ import annotations

import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.cli import cli
from kemitraan_graph.network.export import export_text

from .helpers import kemitraan_exe
from .test_guard import _CountingServer, _port
from .test_limits import HOSTILE, corpus

# any control character (C0 but \t \n, DEL, C1)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_TTL = HOSTILE / "control-characters.ttl"
LABELS = "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), STR(org_:hostile))) } ORDER BY ?l"


@pytest.fixture(scope="module")
def listener():
    import threading

    server = _CountingServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("name, used_as, expected", [row for row in corpus() if row[2]])
def test_hostile_file_through_the_cli(runner, name, used_as, expected):
    path = HOSTILE / name
    args = ["--no-bundled", "--data", str(path), "stats"] if used_as == "data" else [
        "--no-bundled", "query", str(path)]
    start = time.perf_counter()
    result = runner.invoke(cli, args)
    assert time.perf_counter() - start < 30
    assert result.exit_code == 2, result.output
    assert _error_line(result).startswith(f"Error: {path}:{expected}")
    assert "Traceback" not in result.output


def test_one_hostile_file_in_a_real_process():
    path = HOSTILE / "laughs-10.rdf"
    start = time.perf_counter()
    proc = subprocess.run([kemitraan_exe(), "--no-bundled", "--data", str(path), "stats"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert time.perf_counter() - start < 60
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"Error: {path}:3:1: RDF/XML declares the entity 'lol'")
    assert proc.stderr.count("\n") == 1 and proc.stdout == ""


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ BIND(1 AS ?z).SERVICE <{ep}/a> {{?x ?y ?w}} }}",
    "SELECT * WHERE {{ BIND(<http://x/\\u0041#> AS ?z) SERVICE <{ep}/b> {{?x ?y ?w}} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{ep}/c> {{?x ?y ?w}} }}",
    "SELECT * \\u0046ROM <{ep}/d> WHERE {{ ?s ?p ?o }}",
    "SELECT * WHERE {{ ?s ?p ?o # comment\r SERVICE <{ep}/e> {{ ?a ?b ?c }}\n}}",
])
@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_walk_arounds_through_query_text(runner, listener, template, backend):
    text = template.format(ep=f"http://127.0.0.1:{_port(listener)}")
    before = listener.connections
    result = runner.invoke(cli, ["--no-bundled", "--backend", backend, "query", "--text", text])
    assert result.exit_code == 2, result.output
    assert re.match(r"Error: query:1:\d+: ", _error_line(result))
    assert listener.connections == before


def test_a_fifo_is_not_a_regular_file(runner, tmp_path):
    fifo = tmp_path / "data.ttl"
    os.mkfifo(fifo)
    result = runner.invoke(cli, ["--no-bundled", "--data", str(fifo), "stats"])
    assert result.exit_code == 2
    assert _error_line(result) == f"Error: {fifo}: is a FIFO (named pipe), not a regular file or a folder"


# --- a clean terminal ------------------------------------------------------------------------

def test_query_table_and_stats_show_no_control_character(runner):
    result = runner.invoke(cli, ["--no-bundled", "--data", str(CONTROL_TTL), "query", "--text", LABELS])
    assert result.exit_code == 0, result.output
    assert "Clipboard]52;c;ZWNobyBvd25lZA== NGO" in result.stdout
    assert "[bold red]markup[/bold red]" in result.stdout  # markup shown as written
    assert not CONTROL.search(result.stdout)
    result = runner.invoke(cli, ["--no-bundled", "--data", str(CONTROL_TTL), "stats"])
    assert result.exit_code == 0, result.output
    assert not CONTROL.search(result.stdout)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "sparql-json"])
def test_data_formats_are_cleaned_on_a_terminal_only(runner, monkeypatch, fmt):
    args = ["--no-bundled", "--data", str(CONTROL_TTL), "query", "-f", fmt, "--text", LABELS]
    piped = runner.invoke(cli, args)
    assert piped.exit_code == 0
    if fmt in ("csv", "tsv"):
        assert "\x1b]52;c;" in piped.stdout  # to a file or a pipe, the data as it is
    monkeypatch.setattr("kemitraan_graph.cli.common.stdout_is_terminal", lambda: True)
    shown = runner.invoke(cli, args)
    assert shown.exit_code == 0
    assert not CONTROL.search(shown.stdout.replace("\r\n", "\n"))


def test_stats_json_on_a_terminal(runner, monkeypatch):
    monkeypatch.setattr("kemitraan_graph.cli.common.stdout_is_terminal", lambda: True)
    result = runner.invoke(cli, ["--no-bundled", "--data", str(CONTROL_TTL), "stats", "--format", "json"])
    assert result.exit_code == 0
    assert not CONTROL.search(result.stdout)


# --- exports that parse ----------------------------------------------------------------------

def test_sparql_xml_parses_and_warns(runner):
    result = runner.invoke(cli, ["--no-bundled", "--data", str(CONTROL_TTL), "query", "-f", "sparql-xml",
                                 "--text", LABELS])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout)
    literals = [e.text for e in root.iter("{http://www.w3.org/2005/sparql-results#}literal")]
    assert any(t and t.startswith("Clear") for t in literals)
    assert "warning: " in result.stderr and "XML 1.0 does not allow" in result.stderr


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_parse_and_warn(fmt):
    g = nx.Graph()
    g.add_node("https://e/a", label="bad\x01label \x1b[2J", kind="org")
    g.add_node("https://e/b", label="fine", kind="org")
    g.add_edge("https://e/a", "https://e/b", role="partner\x02")
    warnings: list[str] = []
    text = export_text(g, fmt, warnings)
    ET.fromstring(text.encode("utf-8"))
    assert len(warnings) == 1 and "2 value(s)" in warnings[0] and fmt.upper() in warnings[0]
    clean: list[str] = []
    export_text(nx.path_graph(3), fmt, clean)
    assert clean == []


# --- outputs that respect the target; imports that are loaded -------------------------------

def test_output_onto_a_device_a_link_and_stdout(runner, tmp_path):
    args = ["--no-bundled", "--data", str(CONTROL_TTL), "query", "-f", "csv", "--text", LABELS]
    result = runner.invoke(cli, [*args, "-o", "/dev/null"])
    assert result.exit_code == 2
    assert _error_line(result).startswith("Error: /dev/null: is a character device, not a regular file")
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert runner.invoke(cli, [*args, "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("s,l")
    assert (real.stat().st_mode & 0o777) == 0o600
    to_stdout = runner.invoke(cli, [*args, "-o", "-"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout.startswith("s,l")
    assert not Path("-").exists()


def test_import_with_dot_segments_is_loaded_without_warning(tmp_path):
    sub = tmp_path / "x"
    sub.mkdir()
    (sub / "b.ttl").write_text("<https://e/b> a <https://e/Thing> .\n", encoding="utf-8")
    a = tmp_path / "a.ttl"
    a.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                 f"<https://e/a> a owl:Ontology ; owl:imports <{sub.as_uri()}/./b.ttl> , "
                 f"<{tmp_path.as_uri()}/x/../x/b.ttl> .\n", encoding="utf-8")
    with KnowledgeGraph.load([a], bundled=False) as kg:
        assert kg.load_report.warnings == []
        assert (sub / "b.ttl").resolve().as_uri() in kg.backend.graph_names()
