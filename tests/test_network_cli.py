"""``kemitraan viz``, ``analyze`` and ``export-network``: CliRunner cases and real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kemitraan_graph import network
from kemitraan_graph.charts import CHART_VIEWS
from kemitraan_graph.cli import cli

FIX = Path(__file__).resolve().parent / "fixtures" / "network"
SMALL = str(FIX / "small.ttl")
BASE = ["--no-bundled", "--data", SMALL]
ORG = "https://w3id.org/kemitraan/id/org/"
#: runs the CLI as the console script does
ENTRY = "from kemitraan_graph.cli import main; main()"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args], capture_output=True, text=True, env=env, timeout=180
    )


def page_data(path: Path) -> dict:
    m = re.search(r'id="graph-data">(.*?)</script>', path.read_text(encoding="utf-8"), re.S)
    assert m
    return json.loads(m.group(1))


def _choices(command: str, name: str) -> tuple[str, ...]:
    param = next(p for p in cli.commands[command].params if p.name == name)
    return tuple(param.type.choices)


def test_cli_choices_are_the_library_constants():
    from kemitraan_graph.network import analytics

    for command in ("analyze", "export-network"):
        assert _choices(command, "view") == network.VIEWS
    assert _choices("viz", "view") == network.VIEWS + CHART_VIEWS  # the profile is a chart view
    assert _choices("viz", "size_by") == network.MEASURES
    assert _choices("export-network", "fmt") == network.EXPORT_FORMATS
    # the analytics compute exactly the measures the CLI offers
    g = nx.path_graph(4)
    assert set(analytics.analyze(g).rows[0]) >= set(network.MEASURES)


@pytest.mark.parametrize("command", ["viz", "analyze", "export-network"])
def test_commands_have_help(runner, command):
    res = runner.invoke(cli, [command, "--help"])
    assert res.exit_code == 0
    assert cli.commands[command].help and "VIEW" in res.stdout
    for option in ("--type", "--sector", "--country", "--from-year", "--to-year", "--actor-kind", "--query"):
        assert option in res.stdout


def test_viz_writes_a_page(runner, tmp_path):
    out = tmp_path / "s.html"
    res = runner.invoke(
        cli,
        [
            *BASE,
            "viz",
            "stakeholders",
            "-o",
            str(out),
            "--lang",
            "id",
            "--size-by",
            "betweenness",
            "--sector",
            "infrastructure",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "wrote" in res.stderr and res.stdout == ""
    data = page_data(out)
    assert data["lang"] == "id" and data["sizeBy"] == "betweenness"
    assert sum(n["k"] == "case" for n in data["nodes"]) == 3
    assert data["filters"] == "sectors=infrastructure"


def test_viz_query_view(runner, tmp_path):
    out = tmp_path / "q.html"
    text = "SELECT ?source ?target WHERE { ?source kmt:hasParticipation/org:member ?target }"
    res = runner.invoke(cli, [*BASE, "viz", "query", "--query", text, "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = page_data(out)
    assert (len(data["nodes"]), len(data["edges"]) // 2) == (13, 13)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["viz", "query", "-o", "x.html"], 2, "needs --query", id="query-missing"),
        pytest.param(
            ["viz", "actors", "-o", "x.html", "--query", "q"], 2, "belong to the query view", id="query-extra"
        ),
        pytest.param(
            ["viz", "actors", "-o", "x.html", "--sector", "nope"], 2, "unknown sector 'nope'", id="sector"
        ),
        pytest.param(
            ["viz", "actors", "-o", "x.html", "--from-year", "2020", "--to-year", "2000"],
            2,
            "after",
            id="years",
        ),
        pytest.param(["viz", "nope", "-o", "x.html"], 2, "Invalid value", id="view"),
        pytest.param(["viz", "actors"], 2, "Missing option", id="no-output"),
        pytest.param(
            ["viz", "ontology", "-o", "x.html", "--country", "id"], 2, "do not apply", id="ontology-filter"
        ),
        pytest.param(["analyze", "query", "--query", "ASK { ?a ?b ?c }"], 2, "ASK", id="ask"),
        pytest.param(["viz", "query", "-o", "x.html", "--query", "SELECT ?s {"], 2, "query", id="syntax"),
    ],
)
def test_bad_input(runner, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, [*BASE, *args])
    assert res.exit_code == code, res.output
    assert message in res.stderr
    assert "Traceback" not in res.output
    assert not (tmp_path / "x.html").exists()


def test_analyze_formats(runner):
    res = runner.invoke(cli, [*BASE, "analyze", "actors", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["summary"]["nodes"] == 8 and data["summary"]["edges"] == 10
    assert data["summary"]["components"] == 1
    top = data["nodes"][0]
    assert top["node"] == ORG + "kgt-ministry" and top["degree"] == 5
    res = runner.invoke(cli, [*BASE, "analyze", "actors", "-f", "csv", "--top", "3"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 3 and rows[0]["label"] == "Ministry of Testing"
    res = runner.invoke(cli, [*BASE, "analyze", "stakeholders", "--lang", "id", "--all"])
    assert res.exit_code == 0 and "Kementerian Uji Coba" in res.stdout and "nodes: 13" in res.stdout


def test_analyze_with_filters(runner):
    res = runner.invoke(
        cli, [*BASE, "analyze", "stakeholders", "-f", "json", "--country", "jp", "--actor-kind", "Country"]
    )
    data = json.loads(res.stdout)
    assert data["summary"]["nodes"] == 4  # treaty and old-power (in Japan), Indonesia and Japan
    res = runner.invoke(cli, [*BASE, "analyze", "stakeholders", "-f", "json", "--type", "international"])
    assert json.loads(res.stdout)["summary"]["nodes"] == 3


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_network(runner, tmp_path, fmt):
    out = tmp_path / f"a.{fmt}"
    res = runner.invoke(cli, [*BASE, "export-network", "actors", "-f", fmt, "-o", str(out), "--analytics"])
    assert res.exit_code == 0, res.output
    if fmt == "graphml":
        g = nx.read_graphml(out)
    elif fmt == "gexf":
        g = nx.read_gexf(out)
    else:
        g = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="links")
    assert (g.number_of_nodes(), g.number_of_edges()) == (8, 10)
    assert "betweenness" in g.nodes[ORG + "kgt-ministry"]


def test_export_network_to_stdout(runner):
    res = runner.invoke(cli, [*BASE, "export-network", "concepts", "-f", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["graph"]["view"] == "concepts"


# --- one real subprocess per command ---------------------------------------------------


def test_subprocess_viz(tmp_path):
    out = tmp_path / "actors.html"
    res = run(*BASE, "viz", "actors", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert len(page_data(out)["nodes"]) == 8


def test_subprocess_analyze():
    res = run(*BASE, "analyze", "stakeholders", "--top", "2", "-f", "csv")
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.strip().splitlines()) == 3


def test_subprocess_export_network(tmp_path):
    out = tmp_path / "s.graphml"
    res = run(*BASE, "export-network", "stakeholders", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert nx.read_graphml(out).number_of_nodes() == 13


def test_subprocess_error_exit_code():
    res = run(*BASE, "analyze", "stakeholders", "--type", "nothing-like-this")
    assert res.returncode == 2
    assert res.stderr.startswith("Error: unknown partnership type") and res.stdout == ""


def test_the_same_view_is_the_same_file_whatever_the_hash_seed(tmp_path):
    """Reproducible output: a query drawn as a network is byte-identical across processes with
    different string-hash seeds (the layout once read a directed graph's edges in hash order, and a
    node moved by a pixel between runs)."""
    pages = []
    for seed in ("1", "3", "4"):
        out = tmp_path / f"sn-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        proc = subprocess.run([sys.executable, "-c", ENTRY, "viz", "query", "--query", "stakeholder-network",
                               "-o", str(out)], capture_output=True, text=True, env=env, timeout=180)
        assert proc.returncode == 0, proc.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1] == pages[2]
    assert len(page_data(tmp_path / "sn-1.html")["nodes"]) > 100
