"""The native SHACL path (``shacl_native``) gives the same report as pySHACL on a full copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph

from kemitraan_graph.api import KnowledgeGraph
from kemitraan_graph.resources import shapes_path
from kemitraan_graph.shacl_native import compile_shapes
from kemitraan_graph.validation import load_shapes, split_sparql_constraints

from .helpers import FIXTURES

SHAPE_FIXTURES = sorted((FIXTURES / "shapes").glob("*.ttl"))


def _key(report):
    return sorted(repr((str(v.focus_label) if isinstance(v.focus_node, BNode) else v.focus,
         v.path, "_" if isinstance(v.value_node, BNode) else v.value, v.shape, v.severity,
         tuple(sorted(v.message.items())), v.source, v.line, tuple(v.suggestions)))
        for v in report.violations)


@pytest.mark.slow
def test_native_and_pyshacl_agree_on_bundled_data_and_every_shape_fixture():
    with KnowledgeGraph.load(SHAPE_FIXTURES) as kg:
        native = kg.validate()
        reference = kg.validate(native=False)
    assert len(native.violations) > len(SHAPE_FIXTURES) - 2  # every bad fixture fires at least once
    assert _key(native) == _key(reference)
    assert native.to_text() == reference.to_text()
    assert native.focus_nodes_checked == reference.focus_nodes_checked


def test_bundled_shapes_compile_natively():
    compiled, left = compile_shapes(split_sparql_constraints(load_shapes(shapes_path()))[0])
    assert left == []
    assert len(compiled) >= 10


def test_a_shape_with_an_unsupported_feature_is_left_to_pyshacl():
    g = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:message "closed"@en .
        ex:T a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ;
            sh:message "p"@en ] .
    """, format="turtle")
    compiled, left = compile_shapes(g)
    assert [str(n) for n in left] == ["http://example.org/S"]
    assert [str(s.node) for s in compiled] == ["http://example.org/T"]


def test_progress_is_reported():
    seen = []
    with KnowledgeGraph.load([FIXTURES / "small" / "two-cases.ttl"], bundled=False) as kg:
        kg.validate(progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = {s for s, _d, _t in seen}
    assert {"index", "shapes"} <= stages
    assert seen[-1][1] == seen[-1][2]


def test_benchmark_generator_writes_valid_data(tmp_path, run_cli):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from generate import write
    finally:
        sys.path.pop(0)
    data = write(400, tmp_path / "cases.nt")
    proc = run_cli("--no-bundled", "--data", str(data), "validate")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "conforms" in proc.stdout


def test_native_path_reports_a_broken_benchmark_case(tmp_path):
    """The fast path still finds what pySHACL finds when the big data is wrong."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    lines = [line for line in generate(60)
             if not (line.startswith("<https://w3id.org/kemitraan/id/case/syn-7>") and "#type>" in line)]
    lines.append('<https://w3id.org/kemitraan/id/case/syn-9> <https://schema.org/startDate> "soon" .')
    path = tmp_path / "broken.nt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with KnowledgeGraph.load([path], bundled=False) as kg:
        native, reference = kg.validate(), kg.validate(native=False)
    assert _key(native) == _key(reference)
    shapes = {v.shape for v in native.violations}
    assert {"kmt:PartnershipKindShape", "kmt:PartnershipStartDateShape"} <= shapes
