"""The wheel ships the ontology, data, queries and vendored JS, and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from .helpers import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True)
    (path,) = out.glob("kemitraan_graph-*.whl")
    return path


def test_wheel_contains_bundled_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kemitraan_graph/bundled/ontology/kemitraan.ttl", "kemitraan_graph/bundled/ontology/shapes.ttl",
                   "kemitraan_graph/bundled/queries/cases-by-type.rq",
                   "kemitraan_graph/bundled/data/actors/countries.ttl",
                   "kemitraan_graph/render/vendor/vis-network.min.js",
                   "kemitraan_graph/render/vendor/LICENSE-APACHE-2.0"):
        assert needed in names, needed
    assert not any("/_incoming/" in n or n.endswith(".pyc") for n in names)


def test_installed_wheel_works_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import kemitraan_graph, json; from kemitraan_graph.cli import cli; "
            "print(kemitraan_graph.__file__); cli(['stats', '--format', 'json'])")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert res.returncode == 0, res.stderr
    first, rest = res.stdout.split("\n", 1)
    assert first.startswith(str(target))
    import json

    assert json.loads(rest)["cases"] >= 60
