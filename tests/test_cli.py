"""Every command through CliRunner, and once as a real subprocess of the installed ``kemitraan``."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest

from kemitraan_graph.cli import cli

from .helpers import FIXTURES, ROOT, SMALL

SMALL_ARGS = ["--no-bundled", "--data", str(SMALL)]
MALFORMED = FIXTURES / "formats" / "malformed.ttl"


def invoke(runner, *args):
    return runner.invoke(cli, [*args], catch_exceptions=False)


def test_every_command_has_help(runner):
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"
        res = invoke(runner, name, "--help")
        assert res.exit_code == 0 and "Usage:" in res.stdout, name


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"kemitraan {name}" in readme, f"README does not show `kemitraan {name}`"


def test_console_scripts_point_at_real_functions():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    import importlib

    for _name, target in scripts.items():
        module, _, attr = target.partition(":")
        assert callable(getattr(importlib.import_module(module), attr))


def test_python_dash_m(tmp_path):
    res = subprocess.run([sys.executable, "-m", "kemitraan_graph", "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and "kemitraan" in res.stdout


def test_queries_lists_library(runner):
    res = invoke(runner, "queries", "--lang", "id")
    assert res.exit_code == 0
    assert "cases-by-type" in res.stdout and "Berapa banyak kemitraan" in res.stdout
    data = json.loads(invoke(runner, "queries", "--format", "json").stdout)
    assert {q["name"] for q in data} >= {"cases-by-type", "cases-in-sector"}


def test_query_formats(runner):
    res = invoke(runner, *SMALL_ARGS, "query", "cases-by-type", "-f", "csv")
    assert res.exit_code == 0
    lines = res.stdout.strip().splitlines()
    assert lines[0] == "type,cases" and len(lines) == 3
    res = invoke(runner, *SMALL_ARGS, "query", "cases-by-type", "--lang", "id")
    assert "Kemitraan" in res.stdout  # labels in Indonesian in the table
    res = invoke(runner, *SMALL_ARGS, "query", "--text", "SELECT ?s WHERE { ?s a kmt:Company }", "-f", "json")
    assert json.loads(res.stdout) == [{"s": "https://w3id.org/kemitraan/id/org/test-company"}]
    res = invoke(runner, *SMALL_ARGS, "query", "roles-used", "--limit", "1", "-f", "sparql-json")
    assert len(json.loads(res.stdout)["results"]["bindings"]) == 1


def test_query_param_and_output_file(runner, tmp_path):
    out = tmp_path / "r.tsv"
    res = invoke(runner, *SMALL_ARGS, "query", "cases-in-sector", "-p", "sector=kmt:sector-sti", "-f", "tsv",
                 "-o", str(out))
    assert res.exit_code == 0 and res.stdout == ""
    assert "test-lab" in out.read_text() and "test-road" not in out.read_text()


@pytest.mark.parametrize("args, exit_code, message", [
    pytest.param(["query", "cases-in-sector", "-p", "colour=red"], 2, "parameter 'colour': unknown",
                 id="unknown-param"),
    pytest.param(["query", "cases-started-between", "-p", "from=soon"], 2,
                 "parameter 'from': expected a four-digit year", id="mistyped-param"),
    pytest.param(["query", "cases-in-sector", "-p", "novalue"], 2, "expected NAME=VALUE", id="bad-param-syntax"),
    pytest.param(["query", "--text", "DELETE WHERE { ?s ?p ?o }"], 2, "read-only", id="update"),
    pytest.param(["query", "--text", "SELECT * { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }"], 2,
                 "--allow-network", id="service"),
    pytest.param(["query", "--text", "SELECT * WHERE {\n ?s ?p }"], 2, "query:2:", id="syntax"),
    pytest.param(["query", "--text", "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                  "--timeout", "0.3"], 2, "stopped after 0.3 s", id="timeout"),
    pytest.param(["query", "no-such-query"], 2, "no library query named", id="unknown-query"),
    pytest.param(["query"], 2, "give a query NAME", id="no-query"),
])
def test_query_errors(runner, args, exit_code, message):
    res = runner.invoke(cli, [*SMALL_ARGS, *args])
    assert res.exit_code == exit_code, res.output
    assert message in res.stderr
    assert "Traceback" not in res.output


def test_malformed_data_exits_2_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "x.ttl"
    res = runner.invoke(cli, ["--no-bundled", "--data", str(MALFORMED), "export", "-o", str(out)])
    assert res.exit_code == 2
    assert f"{MALFORMED}:3:" in res.stderr
    assert not out.exists()


def test_export_and_validate(runner, tmp_path):
    out = tmp_path / "all.nt"
    res = invoke(runner, *SMALL_ARGS, "export", "-f", "ntriples", "-o", str(out))
    assert res.exit_code == 0 and out.stat().st_size > 1000
    res = invoke(runner, *SMALL_ARGS, "validate")
    assert res.exit_code == 0, res.stdout
    assert "conforms" in res.stdout


def test_validate_fails_with_exit_1_naming_file(runner):
    bad = FIXTURES / "small" / "invalid-case.ttl"
    res = runner.invoke(cli, ["--no-bundled", "--data", str(bad), "validate"])
    assert res.exit_code == 1
    assert "invalid-case.ttl" in res.stdout
    assert "case:test-bad" in res.stdout


def test_stats(runner):
    res = invoke(runner, *SMALL_ARGS, "stats", "--format", "json")
    data = json.loads(res.stdout)
    assert data["cases"] == 2 and data["actors"] == 3
    assert {r["label"]: r["count"] for r in data["top_actors"]}["Ministry of Tests"] == 2
    res = invoke(runner, *SMALL_ARGS, "stats", "--lang", "id")
    assert "Kementerian Uji" in res.stdout


# --- real subprocesses of the installed console script -----------------------------------

def test_subprocess_queries_and_query(run_cli):
    res = run_cli("queries")
    assert res.returncode == 0 and "cases-by-type" in res.stdout
    res = run_cli(*SMALL_ARGS, "query", "cases-by-type", "-f", "csv")
    assert res.returncode == 0 and res.stdout.startswith("type,cases")


def test_subprocess_errors_have_no_traceback(run_cli):
    res = run_cli("--no-bundled", "--data", str(MALFORMED), "stats")
    assert res.returncode == 2
    assert res.stderr.startswith("Error: ") and "Traceback" not in res.stderr
    res = run_cli(*SMALL_ARGS, "query", "--text", "INSERT DATA { <a:a> <a:b> <a:c> }")
    assert res.returncode == 2 and "read-only" in res.stderr


def test_subprocess_export_validate_stats(run_cli, tmp_path):
    out = tmp_path / "g.jsonld"
    assert run_cli(*SMALL_ARGS, "export", "-f", "jsonld", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text())
    res = run_cli(*SMALL_ARGS, "validate", "--format", "json")
    assert res.returncode == 0 and json.loads(res.stdout)["conforms"] is True
    res = run_cli(*SMALL_ARGS, "stats", "--format", "json")
    assert json.loads(res.stdout)["cases"] == 2


def test_subprocess_quiet_piped_output_has_no_progress(run_cli):
    res = run_cli("-q", *SMALL_ARGS, "export", "-f", "ntriples")
    assert res.returncode == 0 and res.stderr == ""


def test_progress_bar_on_a_terminal_only(tmp_path):
    """Under a pseudo-terminal a long load draws a rich progress bar on stderr; piped, nothing."""
    import os
    import pty

    from .helpers import kemitraan_exe, synthetic_cases

    big = synthetic_cases(12000, tmp_path / "big.nt")  # loads for well over the 1 s delay

    pid, fd = pty.fork()
    if pid == 0:  # child: stdout and stderr are the terminal
        os.environ["COLUMNS"] = "120"
        os.execv(kemitraan_exe(), [kemitraan_exe(), "--no-bundled", "--data", str(big), "stats", "--format", "json"])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    _pid, status = os.waitpid(pid, 0)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0
    assert "loading" in out and "files" in out  # the bar was drawn


def test_validate_names_sequence_paths_readably(runner):
    bad = FIXTURES / "shapes" / "bad-triple-helix-no-company.ttl"
    res = runner.invoke(cli, ["--data", str(bad), "validate", "--lang", "id"])
    assert res.exit_code == 1
    assert "[kmt:hasParticipation/org:member]" in res.stdout
    assert "memerlukan setidaknya satu pihak kmt:Company" in res.stdout  # the Indonesian message
