"""Persistent store: reopened without re-parsing, same answers; a reload replaces only changed files."""

from __future__ import annotations

import shutil

import pytest

from kemitraan_graph import KnowledgeGraph, LoadError, StoreError

from .helpers import FIXTURES, SMALL


def answers(kg):
    return set(kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", timeout=None).values())


def test_reopen_gives_same_answers_without_parsing(tmp_path):
    store = tmp_path / "store"
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SMALL, data / "cases.ttl")
    with KnowledgeGraph.load([data], bundled=False, store=store) as first:
        before = answers(first)
        assert len(first.load_report.loaded) > 1
    with KnowledgeGraph.load([data], bundled=False, store=store) as again:
        assert again.load_report.loaded == []
        assert len(again.load_report.unchanged) == len(again.load_report.files)
        assert answers(again) == before


def test_reload_replaces_only_changed_file_and_drops_removed(tmp_path):
    store, data = tmp_path / "store", tmp_path / "data"
    data.mkdir()
    shutil.copy(SMALL, data / "cases.ttl")
    extra = data / "extra.ttl"
    extra.write_text('<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "old"@en .\n')
    KnowledgeGraph.load([data], bundled=False, store=store).close()
    extra.write_text('<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "new"@en .\n')
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:
        assert [p.name for p in kg.load_report.loaded] == ["extra.ttl"]
        labels = {str(r[0]) for r in kg.query("SELECT ?l WHERE { <https://example.org/x> rdfs:label ?l }")}
        assert labels == {"new"}
    extra.unlink()
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:
        assert len(kg.load_report.removed) == 1
        assert len(kg.query("SELECT ?l WHERE { <https://example.org/x> rdfs:label ?l }")) == 0


def test_bad_changed_file_keeps_old_version(tmp_path):
    store, data = tmp_path / "store", tmp_path / "data"
    data.mkdir()
    f = data / "cases.ttl"
    shutil.copy(SMALL, f)
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:
        before = answers(kg)
    f.write_text((FIXTURES / "formats" / "malformed.ttl").read_text())
    with pytest.raises(LoadError, match=r"cases.ttl:3"):
        KnowledgeGraph.load([data], bundled=False, store=store)
    shutil.copy(SMALL, f)
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:
        assert kg.load_report.loaded == []  # the store still held the good version, unchanged
        assert answers(kg) == before


def test_rdflib_backend_answers_like_oxigraph(small_kg):
    with KnowledgeGraph.load([SMALL], bundled=False, backend="rdflib") as other:
        for name in ("cases-by-type", "cases-in-sector", "roles-used", "cases-started-between"):
            assert set(other.query(name).values()) == set(small_kg.query(name).values()), name


def test_unknown_backend_and_rdflib_store_refused(tmp_path):
    with pytest.raises(StoreError, match="unknown backend"):
        KnowledgeGraph.load([SMALL], bundled=False, backend="nope")
    with pytest.raises(StoreError, match="in memory only"):
        KnowledgeGraph.load([SMALL], bundled=False, backend="rdflib", store=tmp_path / "s")


def test_rdflib_dataset_view_over_oxigraph(small_kg):
    from rdflib import URIRef

    ds = small_kg.dataset
    case = URIRef("https://w3id.org/kemitraan/id/case/test-road")
    assert ds.value(case, URIRef("https://schema.org/startDate")) is not None
    # the derived shortcut is there for simple queries
    res = small_kg.query("SELECT ?p WHERE { case:test-road kmt:hasPartner ?p }")
    assert len(res) == 2


def test_store_folder_of_other_files_is_refused(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "cases.ttl").write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match="refusing to use .* as a store"):
        KnowledgeGraph.load([SMALL], bundled=False, store=folder)
    assert sorted(p.name for p in folder.iterdir()) == ["cases.ttl"]  # nothing written into it


def test_read_only_store_has_several_readers_and_refuses_changes(tmp_path):
    store = tmp_path / "store"
    data = tmp_path / "cases.ttl"
    data.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    with KnowledgeGraph.load([data], bundled=False, store=store):
        pass
    a = KnowledgeGraph.load([data], bundled=False, store=store, read_only=True)
    b = KnowledgeGraph.load([data], bundled=False, store=store, read_only=True)  # a second reader
    try:
        for kg in (a, b):
            assert len(kg.query("SELECT ?c WHERE { ?c a kmt:Partnership }")) == 2
    finally:
        a.close()
        b.close()
    data.write_text(data.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(StoreError, match="opened read-only but .*cases.ttl changed"):
        KnowledgeGraph.load([data], bundled=False, store=store, read_only=True)


def test_a_store_inside_a_data_folder_is_not_loaded_as_data(tmp_path):
    (tmp_path / "cases.ttl").write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    store = tmp_path / "store"
    with KnowledgeGraph.load([tmp_path], bundled=False, store=store) as kg:
        assert [p.name for p in kg.data_files] == ["cases.ttl"]
    with KnowledgeGraph.load([tmp_path], bundled=False, store=store) as kg:  # the store now exists inside
        assert [p.name for p in kg.data_files] == ["cases.ttl"] and kg.load_report.loaded == []
