"""Every output format of a result parses back to the same answers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from kemitraan_graph.results import QueryResult

ROWS = [
    (URIRef("https://example.org/a"), Literal("Jalan tol", lang="id"), Literal(3, datatype=XSD.integer)),
    (URIRef("https://example.org/b"), Literal('tricky "quote" <b> & ,comma'), None),
    (BNode("n1"), Literal("multi\nline"), Literal("2016-07-21", datatype=XSD.date)),
]
RES = QueryResult("select", ["x", "label", "n"], ROWS)


@pytest.mark.parametrize("fmt, rdflib_fmt", [("sparql-json", "json"), ("sparql-xml", "xml")])
def test_w3c_result_formats_round_trip(fmt, rdflib_fmt):
    parsed = Result.parse(io.StringIO(RES.serialize(fmt)), format=rdflib_fmt)
    got = [tuple(row.get(v) if hasattr(row, "get") else row[i] for i, v in enumerate(parsed.vars)) for row in parsed]
    assert [str(v) for v in parsed.vars] == RES.vars
    assert {tuple(None if v is None or isinstance(v, BNode) else v for v in r) for r in got} == {
        tuple(None if v is None or isinstance(v, BNode) else v for v in r) for r in ROWS}


def test_csv_and_tsv():
    rows = list(csv.reader(io.StringIO(RES.serialize("csv"))))
    assert rows[0] == ["x", "label", "n"]
    assert rows[2][1] == 'tricky "quote" <b> & ,comma' and rows[2][2] == ""
    tsv = RES.serialize("tsv").splitlines()
    assert tsv[0] == "?x\t?label\t?n"
    assert tsv[1].split("\t")[1] == '"Jalan tol"@id'


def test_json_and_table():
    data = json.loads(RES.serialize("json"))
    assert data[0] == {"x": "https://example.org/a", "label": "Jalan tol", "n": "3"}
    table = RES.serialize("table", labeller=lambda iri: "LABEL-" + iri[-1])
    assert "LABEL-a" in table and "3 rows" in table


def test_ask_and_graph_results():
    ask = QueryResult("ask", boolean=True)
    assert json.loads(ask.serialize("sparql-json"))["boolean"] is True
    assert ask.serialize("table").strip() == "true"
    g = QueryResult("graph", ["subject", "predicate", "object"],
                    [(URIRef("https://e/s"), URIRef("https://e/p"), Literal("o"))])
    assert "<https://e/s> <https://e/p> \"o\" ." in g.serialize("ntriples")
    with pytest.raises(ValueError, match="does not fit"):
        g.serialize("sparql-xml")


def test_dataframe():
    df = RES.to_dataframe()
    assert list(df.columns) == ["x", "label", "n"]
    assert df.iloc[0]["n"] == 3


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_any_literal_text_survives_sparql_json_and_xml(texts):
    res = QueryResult("select", ["v"], [(Literal(t),) for t in texts])
    back = json.loads(res.serialize("sparql-json"))["results"]["bindings"]
    assert [b["v"]["value"] for b in back] == texts
    clean = [t for t in texts if all(c in "\t\n\r" or ord(c) >= 0x20 for c in t)
             and not any(0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF) for c in t)]
    if clean == texts:  # XML 1.0 cannot carry control characters at all
        import xml.etree.ElementTree as ET

        root = ET.fromstring(res.serialize("sparql-xml"))
        ns = "{http://www.w3.org/2005/sparql-results#}"
        got = [(lit.text or "") for lit in root.iter(ns + "literal")]
        assert [g.replace("\r\n", "\n").replace("\r", "\n") for g in got] == [
            t.replace("\r\n", "\n").replace("\r", "\n") for t in texts]


# --- written in pieces, within the time limit -------------------------------------------------

_term = st.one_of(
    st.none(),
    st.builds(lambda s: URIRef("https://example.org/" + s), st.text("abcxyz0123-_", min_size=1, max_size=8)),
    st.builds(Literal, st.text(max_size=12)),
    st.builds(lambda s: Literal(s, lang="id"), st.text(max_size=8)),
    st.builds(lambda n: Literal(n, datatype=XSD.integer), st.integers(-10**6, 10**6)),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_term, _term), max_size=12), st.integers(1, 4))
def test_pieces_join_to_the_whole_answer_in_every_format(rows, chunk_rows):
    """Written a few rows at a time, every format is the same text as written whole (read back)."""
    import kemitraan_graph.results as results

    res = QueryResult("select", ["a", "b"], rows)
    old = results.CHUNK_ROWS
    results.CHUNK_ROWS = chunk_rows
    try:
        pieces = {fmt: list(res.chunks(fmt)) for fmt in ("csv", "tsv", "json", "sparql-json", "sparql-xml")}
    finally:
        results.CHUNK_ROWS = old
    whole = {fmt: "".join(p) for fmt, p in pieces.items()}
    if len(rows) > chunk_rows:
        assert len(pieces["csv"]) > 2  # really written in pieces
    plain = [{k: str(v) for k, v in zip(res.vars, row, strict=True) if v is not None} for row in rows]
    assert json.loads(whole["json"]) == plain
    assert whole["json"] == json.dumps(plain, ensure_ascii=False, indent=2) + "\n"
    bindings = json.loads(whole["sparql-json"])["results"]["bindings"]
    assert [{k: b["value"] for k, b in row.items()} for row in bindings] == plain
    assert list(csv.reader(io.StringIO(whole["csv"], newline="")))[1:] == [
        ["" if v is None else str(v) for v in row] for row in rows]
    assert len(whole["tsv"].split("\n")) == len(rows) + 2 or any(
        isinstance(v, Literal) and "\n" in str(v) for row in rows for v in row)


def test_a_graph_answer_in_ntriples_is_a_set_written_in_pieces():
    from rdflib import Graph

    a, p = URIRef("https://example.org/a"), URIRef("https://example.org/p")
    rows = [(a, p, Literal(i)) for i in range(5000)] * 2  # every triple twice
    res = QueryResult("graph", ["subject", "predicate", "object"], rows)
    pieces = list(res.chunks("ntriples"))
    assert len(pieces) > 2
    text = "".join(pieces)
    assert len(text.splitlines()) == 5000
    assert len(Graph().parse(data=text, format="nt")) == 5000


def test_past_the_deadline_writing_stops_with_a_timeout():
    import time

    from kemitraan_graph.errors import QueryTimeout

    res = QueryResult("select", ["v"], [(Literal(i),) for i in range(10)])
    with pytest.raises(QueryTimeout, match="while the answer was being written"):
        res.serialize("csv", deadline=time.monotonic() - 1)
    assert res.serialize("csv", deadline=time.monotonic() + 60).count("\n") == 11


def test_the_cli_time_limit_covers_writing_and_leaves_the_file_alone(runner, tmp_path, monkeypatch):
    """The query answers in time, but writing the answer runs past --timeout: exit 2, the old file kept."""
    import kemitraan_graph.results as results
    from kemitraan_graph.cli import cli

    target = tmp_path / "out.csv"
    target.write_text("old answer\n")
    real = results.time.monotonic
    monkeypatch.setattr(results, "CHUNK_ROWS", 5)

    class Clock:  # each time the writer looks at the clock, a minute has passed
        calls = 0

        @staticmethod
        def monotonic() -> float:
            Clock.calls += 1
            return real() + 60 * Clock.calls

    monkeypatch.setattr(results, "time", Clock)
    out = runner.invoke(cli, ["query", "cases-in-sector", "-f", "csv", "-o", str(target), "--timeout", "30"])
    assert out.exit_code == 2, out.output
    assert "time limit ran out while the answer was being written" in out.output
    assert target.read_text() == "old answer\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temp file left


_LEXICAL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_OX_TERMS = st.one_of(
    st.builds(lambda s: ("iri", f"https://e.org/{s}"), st.text("abcxyz0-9_", max_size=8)),
    st.builds(lambda v, lang: ("lang", v, lang), _LEXICAL, st.sampled_from(["en", "id", "en-gb"])),
    st.builds(lambda v, dt: ("typed", v, dt), _LEXICAL,
              st.sampled_from([str(XSD.string), str(XSD.integer), str(XSD.date), str(XSD.decimal), "https://e.org/dt"])),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_OX_TERMS, st.booleans()), min_size=0, max_size=12))
def test_a_result_sent_by_a_worker_equals_the_one_made_here(values):
    """``encode_result``/``decode_result`` (what a worker process sends) give the same rows, term for
    term and type for type, as converting in place; unbound values stay None."""
    import pyoxigraph as ox

    from kemitraan_graph.store.base import decode_result, encode_result, from_ox

    def term(spec):
        if spec[0] == "iri":
            return ox.NamedNode(spec[1])
        if spec[0] == "lang":
            return ox.Literal(spec[1], language=spec[2])
        return ox.Literal(spec[1], datatype=ox.NamedNode(spec[2]))

    store = ox.Store()
    for i, (spec, bound) in enumerate(values):
        s = ox.NamedNode(f"https://e.org/s{i}")
        store.add(ox.Quad(s, ox.NamedNode("https://e.org/row"), ox.Literal(str(i))))
        if bound:
            store.add(ox.Quad(s, ox.NamedNode("https://e.org/v"), term(spec)))
    text = "SELECT ?s ?v WHERE { ?s <https://e.org/row> ?i OPTIONAL { ?s <https://e.org/v> ?v } } ORDER BY ?i"
    here = QueryResult.from_oxigraph(store.query(text), from_ox)
    sent = decode_result(encode_result(store.query(text)))
    assert sent.vars == here.vars == ["s", "v"] and sent.rows == here.rows
    assert [tuple(type(x) for x in r) for r in sent.rows] == [tuple(type(x) for x in r) for r in here.rows]
    assert [r[1].datatype if isinstance(r[1], Literal) else None for r in sent.rows] == [
        r[1].datatype if isinstance(r[1], Literal) else None for r in here.rows]
    assert sum(r[1] is None for r in sent.rows) == sum(not bound for _spec, bound in values)
    ask = "ASK { ?s <https://e.org/v> ?v }"
    assert decode_result(encode_result(store.query(ask))).boolean is any(b for _s, b in values)
