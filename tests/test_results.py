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
