"""Query library: headers, parameters bound as values, the read-only/network guard, errors."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kemitraan_graph import ParameterError, QueryError, QueryRefused, QueryTimeout
from kemitraan_graph.querylib import Param, coerce, discover, guard, parse_query_text, tokens
from kemitraan_graph.runner import run_query

KMT = "https://w3id.org/kemitraan/ontology#"


def test_header_is_parsed():
    q = parse_query_text(
        "# title: T en\n# title@id: T id\n# description: D\n# param: sector iri kmt:sector-port\n"
        "# param: n integer\n# view: graph\n# a free comment\nSELECT * WHERE { ?s ?p ?o }", "x")
    assert q.get_title("en") == "T en" and q.get_title("id") == "T id"
    assert q.get_description("id") == "D"  # falls back to the other language
    assert q.params == [Param("sector", "iri", "kmt:sector-port"), Param("n", "integer", None)]
    assert q.view == "graph"


def test_bad_param_header_names_line():
    with pytest.raises(QueryError) as info:
        parse_query_text("# title: x\n# param: sector colour\nSELECT * {}", "bad", None)
    assert info.value.line == 2 and "TYPE" in str(info.value)


def test_every_library_query_has_bilingual_title_and_description():
    lib = discover()
    assert len(lib) >= 20
    for q in lib.values():
        assert {"en", "id"} <= set(q.title), q.name
        assert {"en", "id"} <= set(q.description), q.name


@pytest.mark.parametrize("ptype, raw, expected", [
    ("iri", "kmt:sector-port", URIRef(KMT + "sector-port")),
    ("iri", "<https://example.org/x>", URIRef("https://example.org/x")),
    ("iri", "https://example.org/y", URIRef("https://example.org/y")),
    ("string", "a \"quoted\" } value", Literal('a "quoted" } value')),
    ("integer", "42", Literal(42, datatype=XSD.integer)),
    ("date", "2016-07-21", Literal("2016-07-21", datatype=XSD.date)),
    ("year", "2016", Literal(2016, datatype=XSD.integer)),
])
def test_coerce(ptype, raw, expected):
    assert coerce(Param("p", ptype), raw) == expected


@pytest.mark.parametrize("ptype, raw", [
    ("iri", "not an iri"), ("iri", "nope:x"), ("integer", "4.2"), ("date", "2016-13-01"), ("year", "16"),
])
def test_coerce_rejects(ptype, raw):
    with pytest.raises(ParameterError) as info:
        coerce(Param("p", ptype), raw)
    assert info.value.name == "p"


def test_unknown_and_missing_parameters(small_kg):
    with pytest.raises(ParameterError, match="unknown parameter"):
        small_kg.query("cases-in-sector", colour="red")
    q = parse_query_text("# title: t\n# param: who iri\nSELECT * WHERE { ?who ?p ?o }", "needs")
    with pytest.raises(ParameterError, match="missing"):
        run_query(small_kg.backend, q, {})


def test_parameters_are_values_not_text(small_kg):
    # a string that would break out of the query if it were pasted in
    q = parse_query_text('# title: t\n# param: name string\nSELECT ?s WHERE { ?s rdfs:label ?name }', "inj")
    evil = '"@en } ?s ?p ?o . { ?s ?p "'
    assert len(run_query(small_kg.backend, q, {"name": evil})) == 0
    assert len(run_query(small_kg.backend, q, {"name": Literal("Test road", lang="en")})) == 1


def test_iri_parameter_binds(small_kg):
    res = small_kg.query("cases-in-sector", sector="kmt:sector-infrastructure")
    assert {str(r[0]) for r in res} == {"https://w3id.org/kemitraan/id/case/test-road"}


@pytest.mark.parametrize("text, word", [
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT"),
    ("PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("DROP ALL", "DROP"),
    ("CLEAR DEFAULT", "CLEAR"),
])
def test_updates_are_refused(small_kg, text, word):
    before = len(small_kg)
    with pytest.raises(QueryRefused, match=word):
        small_kg.query(text)
    assert len(small_kg) == before


def test_service_refused_with_position(small_kg):
    text = "SELECT * WHERE {\n  SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o }\n}"
    with pytest.raises(QueryRefused) as info:
        small_kg.query(text)
    assert (info.value.line, info.value.column) == (2, 3)
    assert info.value.needs == "network" and "--" not in str(info.value)  # the CLI names its own flag


def test_from_remote_refused_but_local_graph_allowed(small_kg):
    with pytest.raises(QueryRefused, match="FROM"):
        small_kg.query("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }")
    local = small_kg.file_graphs()[-1]
    res = small_kg.query(f"SELECT (COUNT(*) AS ?n) FROM <{local}> WHERE {{ ?s ?p ?o }}")
    assert int(res.rows[0][0]) > 0


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s rdfs:label 'SERVICE <http://x/> { }' }",  # in a string
    "SELECT * WHERE { ?s ?p ?o } # SERVICE in a comment, DELETE too",
    "SELECT ?insert ?service WHERE { ?insert kmt:delete ?service }",  # variables and local names
])
def test_guard_ignores_keywords_in_strings_comments_names(text):
    guard(text)


def test_syntax_error_has_line_and_column(small_kg):
    with pytest.raises(QueryError) as info:
        small_kg.query("SELECT ?s WHERE {\n  ?s ?p \n}")
    # one position, the engine's own: the '}' where the object of the triple should be
    assert (info.value.line, info.value.column) == (3, 1 + 1)
    assert str(info.value).startswith("query:3:2: syntax error") and "(at char" not in str(info.value)
    assert "error at" not in str(info.value)  # the position is said once


def test_timeout_stops_a_runaway_query(small_kg):
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    with pytest.raises(QueryTimeout, match="stopped after 0.5 s"):
        small_kg.query(runaway, timeout=0.5)


def test_unknown_library_name(small_kg):
    with pytest.raises(QueryError, match="no library query named 'nope'"):
        small_kg.query("nope")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_tokeniser_and_guard_never_crash(text):
    toks = tokens(text)
    # tokens are in order, do not overlap, and what lies between them is only space or comments
    end = 0
    for _kind, tok, off in toks:
        assert off >= end and tok
        gap = text[end:off]
        assert not gap.strip() or all(not part.strip() or part.lstrip().startswith("#")  # SPARQL's line ends
                                      for part in re.split(r"[\n\r]", gap)), (gap, tok)
        end = off + len(tok)
    try:
        guard(text)
    except QueryError as exc:  # refused, or not a query at all (the guard parses it)
        assert exc.line is None or exc.line >= 1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["SERVICE", "service", "SeRvIcE"]), st.text(alphabet=" \n\t", min_size=1, max_size=3),
       st.sampled_from(["<http://e/s>", "?endpoint", "SILENT <http://e/s>"]))
def test_guard_always_catches_service(kw, ws, target):
    with pytest.raises(QueryRefused):
        guard(f"SELECT * WHERE {{{ws}{kw}{ws}{target} {{ ?s ?p ?o }} }}")


def test_unknown_prefix_is_named_with_the_known_ones(small_kg):
    with pytest.raises(QueryError) as info:
        small_kg.query("SELECT ?s WHERE { ?s foo:p ?o }")
    message = str(info.value)
    assert message.startswith("query:1:") and "unknown prefix 'foo:'" in message
    assert "kmt:" in message and "org_:" in message  # the prefixes known without a declaration
    assert "\\u{" not in message and "expected one of" not in message  # no token dump
