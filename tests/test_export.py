"""Export: round trip to an isomorphic graph, atomic writes, inferred closure."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kemitraan_graph import KnowledgeGraph

from .helpers import SMALL


@pytest.mark.parametrize("fmt, ext, parse_as", [
    ("turtle", "ttl", "turtle"), ("ntriples", "nt", "nt"), ("jsonld", "jsonld", "json-ld"), ("trig", "trig", "trig"),
])
def test_export_round_trip_is_isomorphic(small_kg, tmp_path, fmt, ext, parse_as):
    out = tmp_path / f"export.{ext}"
    small_kg.export(fmt, out)
    source = small_kg.merged()
    with KnowledgeGraph.load([out], bundled=False) as again:
        # the re-loaded graph holds the ontology twice over (bundled + export); compare the export's graph
        back = Graph()
        if fmt == "trig":
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(out, format="trig")
            for g in ds.graphs():
                for t in g:
                    back.add(t)
        else:
            back.parse(out, format=parse_as)
        assert len(back) == len(source) and isomorphic(back, source)
        if fmt != "trig":  # loading the export gives the same data graph
            assert isomorphic(again.merged(ontology=False), source)


def test_export_write_is_atomic(small_kg, tmp_path, monkeypatch):
    out = tmp_path / "keep.ttl"
    out.write_text("previous content\n")
    import pyoxigraph

    def boom(*a, **k):
        raise OSError("disk on fire")

    monkeypatch.setattr(pyoxigraph, "serialize", boom)
    with pytest.raises(OSError):
        small_kg.export("turtle", out)
    assert out.read_text() == "previous content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.ttl"]  # no temp file left behind


def test_export_inferred_adds_closure(tmp_path):
    with KnowledgeGraph.load([SMALL], bundled=False) as kg:
        plain = Graph().parse(data=kg.export("ntriples").decode(), format="nt")
        inferred = Graph().parse(data=kg.export("ntriples", inferred=True, reasoner="rdfs").decode(), format="nt")
        assert len(inferred) > len(plain)
        from rdflib import RDF, URIRef

        case = URIRef("https://w3id.org/kemitraan/id/case/test-lab")
        assert (case, RDF.type, URIRef("https://w3id.org/kemitraan/ontology#Partnership")) in inferred
        assert (case, RDF.type, URIRef("https://w3id.org/kemitraan/ontology#Partnership")) not in plain


def test_written_files_get_normal_permissions(small_kg, tmp_path):
    import os
    import stat

    out = tmp_path / "perm.ttl"
    old = os.umask(0o022)
    try:
        small_kg.export("turtle", out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
