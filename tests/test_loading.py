"""Files -> named graphs: formats, errors with path:line, nothing loaded on error, no fetching."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from kemitraan_graph import KnowledgeGraph, LoadError
from kemitraan_graph.loading import graph_iri, load_files, rdf_files
from kemitraan_graph.store import open_backend

from .helpers import FIXTURES, SMALL

FORMATS = FIXTURES / "formats"
MALFORMED = FORMATS / "malformed.ttl"


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("name, label", [
    pytest.param("one.nt", "from N-Triples", id="ntriples"),
    pytest.param("one.trig", "from TriG named graph", id="trig"),
    pytest.param("one.jsonld", "from JSON-LD", id="jsonld"),
    pytest.param("one.rdf", "from RDF/XML", id="rdfxml"),
])
def test_each_format_loads_by_extension(backend, name, label):
    with KnowledgeGraph.load([FORMATS / name], bundled=False, backend=backend) as kg:
        res = kg.query("SELECT ?l WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(STR(?l), 'from')) }")
        assert label in {str(v) for (v,) in res}


def test_each_file_gets_its_own_named_graph(small_kg):
    names = small_kg.backend.graph_names()
    assert graph_iri(SMALL) in names
    assert all(graph_iri(p) in names for p in small_kg.ontology_files)
    # the file's triples are in its graph and nowhere else among the file graphs
    g = small_kg.dataset.graph(URIRef(graph_iri(SMALL)))
    assert (URIRef("https://w3id.org/kemitraan/id/case/test-road"), None, None) in g


def test_malformed_turtle_names_file_and_line():
    with pytest.raises(LoadError) as info:
        KnowledgeGraph.load([SMALL, MALFORMED], bundled=False)
    err = info.value
    assert err.path.endswith("malformed.ttl")
    assert err.line == 3
    assert str(err).startswith(f"{err.path}:3:")


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_error_leaves_store_as_it_was(backend):
    be = open_backend(backend)
    load_files(be, [SMALL])
    before = len(be)
    with pytest.raises(LoadError):
        load_files(be, [SMALL, FORMATS / "one.nt", MALFORMED])
    assert len(be) == before
    assert graph_iri(FORMATS / "one.nt") not in be.graph_names()


@pytest.mark.parametrize("suffix, text", [
    (".trig", "<https://w3id.org/kemitraan/graph/derived> { <http://e/a> <http://e/b> <http://e/c> . }\n"),
    (".nq", "<http://e/a> <http://e/b> <http://e/c> <https://w3id.org/kemitraan/graph/union> .\n"),
    (".jsonld", '{"@id": "https://w3id.org/kemitraan/graph/inferred", '
                '"@graph": [{"@id": "http://e/a", "http://e/b": {"@id": "http://e/c"}}]}'),
])
def test_a_dataset_file_may_not_name_a_graph_of_the_engine(tmp_path, suffix, text):
    """The engine's graphs (derived, inferred, a push's union) are computed or dropped by it: a file
    that names one is refused, naming the file and the graph, and the store is left as it was
    (before, its triples vanished without a word when the entailments were derived)."""
    bad = tmp_path / f"graphs{suffix}"
    bad.write_text(text, encoding="utf-8")
    be = open_backend("oxigraph")
    load_files(be, [SMALL])
    before = len(be), be.graph_names()
    with pytest.raises(LoadError, match=r"names the graph <https://w3id.org/kemitraan/graph/") as info:
        load_files(be, [SMALL, bad])
    assert info.value.path == str(bad) and str(info.value).startswith(str(bad))
    assert (len(be), be.graph_names()) == before
    (tmp_path / f"fine{suffix}").write_text(text.replace("kemitraan/graph/", "example/graph/"), encoding="utf-8")
    with KnowledgeGraph.load([tmp_path / f"fine{suffix}"], bundled=False) as kg:
        assert kg.query("ASK { <http://e/a> <http://e/b> <http://e/c> }").boolean


def test_missing_path_and_unknown_extension(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        rdf_files([tmp_path / "nope.ttl"])
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    with pytest.raises(LoadError, match="unknown RDF file extension"):
        rdf_files([odd])


def test_folders_skip_underscore_and_hidden(tmp_path):
    (tmp_path / "_draft").mkdir()
    (tmp_path / "_draft" / "x.ttl").write_text("")
    (tmp_path / ".hidden.ttl").write_text("")
    (tmp_path / "keep.ttl").write_text("")
    assert [p.name for p in rdf_files([tmp_path])] == ["keep.ttl"]


def test_jsonld_remote_context_is_not_fetched():
    with pytest.raises(LoadError, match="not fetched"):
        KnowledgeGraph.load([FORMATS / "remote-context.jsonld"], bundled=False)


def test_owl_imports_are_not_fetched_but_reported():
    with KnowledgeGraph.load([FORMATS / "imports-remote.ttl"], bundled=False) as kg:
        assert any("https://example.org/not-here" in w and "not fetched" in w for w in kg.load_report.warnings)


# --- property tests: whatever the bytes, a LoadError with a position or a clean load ------------

VALID = SMALL.read_text(encoding="utf-8")


def _load_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.ttl"
    path.write_bytes(data)
    be = open_backend("oxigraph")
    try:
        load_files(be, [path])
    except LoadError as err:
        assert err.path == str(path)
        assert str(err).startswith(str(path))
        assert err.message
        return


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_random_bytes_never_traceback(tmp_path, data):
    _load_bytes(tmp_path, data)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pos=st.integers(min_value=0, max_value=len(VALID) - 1),
       junk=st.sampled_from(['"', "<", ">", ";", ".", "@", "{", "\\", "^^", " ]", "[ ", "\x00", "é", "#"]),
       cut=st.booleans())
def test_mutated_turtle_gets_path_line_error(tmp_path, pos, junk, cut):
    text = VALID[:pos] + junk + (VALID[pos + 1:] if cut else VALID[pos:])
    path = tmp_path / "mutated.ttl"
    path.write_text(text, encoding="utf-8")
    be = open_backend("oxigraph")
    try:
        load_files(be, [path])
    except LoadError as err:
        assert err.line is not None, str(err)
        assert str(err).startswith(f"{path}:{err.line}")


def test_local_owl_imports_are_loaded_remote_ones_reported():
    main = FIXTURES / "imports" / "main.ttl"
    with KnowledgeGraph.load([main], bundled=False) as kg:
        labels = {str(r[0]) for r in kg.query("SELECT ?l WHERE { <https://example.org/term> rdfs:label ?l }")}
        assert labels == {"imported from a local file"}
        assert graph_iri(FIXTURES / "imports" / "extra-terms.ttl") in kg.backend.graph_names()
        warnings = kg.load_report.warnings
        assert len(warnings) == 1 and "https://example.org/remote-ontology" in warnings[0]


def test_imported_file_is_part_of_export():
    main = FIXTURES / "imports" / "main.ttl"
    with KnowledgeGraph.load([main], bundled=False) as kg:
        assert b"imported from a local file" in kg.export("ntriples")
