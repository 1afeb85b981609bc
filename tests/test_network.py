"""Network views, analytics, export and the HTML writer (no browser: see tests/browser/)."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kemitraan_graph import KnowledgeGraph, LanguageError, ViewError
from kemitraan_graph.atomic import write_text
from kemitraan_graph.namespaces import PARTNERSHIP_TYPES
from kemitraan_graph.network import Filters, analytics, build_view
from kemitraan_graph.network.analytics import (
    analyze,
    betweenness_centrality,
    communities,
    components,
    degree_centrality,
    eigenvector_centrality,
    with_analytics,
)
from kemitraan_graph.network.export import export_text
from kemitraan_graph.render import layout as render_layout
from kemitraan_graph.render import notebook
from kemitraan_graph.render import page as render_page
from kemitraan_graph.render.layout import layout
from kemitraan_graph.render.template import json_for_script, script_hash

FIX = Path(__file__).resolve().parent / "fixtures" / "network"
SMALL = FIX / "small.ttl"
XSS = FIX / "xss.ttl"
CASE = "https://w3id.org/kemitraan/id/case/"
ORG = "https://w3id.org/kemitraan/id/org/"
COUNTRY = "https://w3id.org/kemitraan/id/country/"
KMT = "https://w3id.org/kemitraan/ontology#"


@pytest.fixture(scope="module")
def kg():
    graph = KnowledgeGraph.load([SMALL], bundled=False)
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def xss_kg():
    graph = KnowledgeGraph.load([XSS], bundled=False)
    yield graph
    graph.close()


def cases_of(g: nx.Graph) -> set[str]:
    return {n.removeprefix(CASE) for n, d in g.nodes(data=True) if d["kind"] == "case"}


# --- analytics on hand-made graphs with known answers -----------------------------------


def test_star_centralities():
    g = nx.star_graph(4)  # centre 0, leaves 1..4
    deg = degree_centrality(g)
    btw = betweenness_centrality(g)
    eig = eigenvector_centrality(g)
    assert deg[0] == pytest.approx(1.0) and deg[1] == pytest.approx(0.25)
    assert btw[0] == pytest.approx(1.0) and btw[3] == pytest.approx(0.0)
    assert eig[0] == pytest.approx(1 / math.sqrt(2), abs=1e-4)
    assert eig[2] == pytest.approx(1 / math.sqrt(8), abs=1e-4)


def test_path_centralities():
    g = nx.path_graph(3)
    assert degree_centrality(g) == pytest.approx({0: 0.5, 1: 1.0, 2: 0.5})
    assert betweenness_centrality(g) == pytest.approx({0: 0.0, 1: 1.0, 2: 0.0})
    eig = eigenvector_centrality(g)
    assert [eig[i] for i in range(3)] == pytest.approx([0.5, 1 / math.sqrt(2), 0.5], abs=1e-4)


def test_eigenvector_matches_networkx_on_a_connected_graph():
    g = nx.karate_club_graph()
    ours = eigenvector_centrality(g, weight=None)
    theirs = nx.eigenvector_centrality(g, max_iter=1000)
    assert ours == pytest.approx(theirs, abs=1e-4)


def test_eigenvector_of_a_disconnected_graph_is_per_component():
    g = nx.disjoint_union(nx.star_graph(4), nx.path_graph(3))  # 5 + 3 nodes
    eig = eigenvector_centrality(g)
    assert eig[0] == pytest.approx(1 / math.sqrt(2) * math.sqrt(5 / 8), abs=1e-4)
    assert eig[6] == pytest.approx(1 / math.sqrt(2) * math.sqrt(3 / 8), abs=1e-4)  # middle of the path
    assert sum(v * v for v in eig.values()) == pytest.approx(1.0, abs=1e-6)
    assert all(v > 0 for v in eig.values())  # a single power iteration would zero the path


def test_eigenvector_of_a_connected_graph_equals_networkx():
    g = nx.les_miserables_graph()
    ours = eigenvector_centrality(g, weight="weight", max_iter=1000, tol=1e-9)
    theirs = nx.eigenvector_centrality(g, weight="weight", max_iter=1000, tol=1e-9)
    assert ours == pytest.approx(theirs, abs=1e-4)


def test_eigenvector_falls_back_to_degree_when_it_does_not_converge():
    g = nx.star_graph(4)
    eig = eigenvector_centrality(g, max_iter=1)
    norm = math.sqrt(16 + 4)
    assert eig[0] == pytest.approx(4 / norm) and eig[1] == pytest.approx(1 / norm)


def test_eigenvector_of_bipartite_cycle_converges():
    eig = eigenvector_centrality(nx.cycle_graph(6))
    assert list(eig.values()) == pytest.approx([1 / math.sqrt(6)] * 6, abs=1e-4)


def test_betweenness_is_sampled_above_the_budget():
    g = nx.path_graph(50)
    assert analytics.betweenness_sampled(g, budget=100) == 16
    assert analytics.betweenness_sampled(g) is None
    exact = betweenness_centrality(g)
    sampled = betweenness_centrality(g, budget=100)
    assert sampled != exact and sampled == betweenness_centrality(g, budget=100)  # seeded


def test_communities_of_two_cliques_are_fixed():
    g = nx.barbell_graph(5, 0)  # two K5 joined by one edge
    first = communities(g)
    assert [sorted(c) for c in first] == [sorted(c) for c in communities(g)]
    assert sorted(map(sorted, first)) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_components_largest_first():
    g = nx.disjoint_union(nx.path_graph(2), nx.star_graph(3))
    assert [len(c) for c in components(g)] == [4, 2]


def test_analyze_rows_and_summary():
    g = nx.disjoint_union(nx.star_graph(3), nx.path_graph(2))
    for n in g:
        g.nodes[n]["label"] = f"n{n}"
    a = analyze(g)
    assert a.summary["nodes"] == 6 and a.summary["edges"] == 4 and a.summary["components"] == 2
    assert (
        a.rows[0]["node"] == "0"
        and a.rows[0]["degree"] == 3
        and a.rows[0]["betweenness"] == pytest.approx(0.3)
    )  # 3 of 10 pairs
    assert len(analyze(g, top=2).rows) == 2
    data = json.loads(a.to_json())
    assert data["nodes"][0]["label"] == "n0"
    csv_lines = a.to_csv().splitlines()
    assert csv_lines[0].startswith("node,label,kind") and len(csv_lines) == 7
    assert "n0" in a.to_table()
    with pytest.raises(ViewError):
        a.serialize("xml")


# --- views from the fixture graph --------------------------------------------------------


def test_stakeholders_view(kg):
    g = build_view(kg.reader, "stakeholders")
    assert (g.number_of_nodes(), g.number_of_edges()) == (13, 13)
    assert nx.is_bipartite(g)
    case = g.nodes[CASE + "kgt-toll-road"]
    assert case["kind"] == "case" and case["iri"] == CASE + "kgt-toll-road"
    assert case["label_en"] == "Example toll road PPP" and case["label_id"] == "KPBU Jalan Tol Contoh"
    assert case["label"] == case["label_en"]
    assert case["type"] == KMT + "GovernmentPrivateCommunityPartnership"
    assert case["sectors"] == [KMT + "sector-toll-road"] and case["countries"] == [COUNTRY + "id"]
    assert (case["start"], case["end"]) == ("2015-03-01", "2040")
    assert case["sources"] == ["https://example.org/toll-road"]
    assert {"actor": ORG + "kgt-soe", "role": KMT + "role-lender"} in case["parties"]
    actor = g.nodes[ORG + "kgt-soe"]
    assert actor["kind"] == "actor" and actor["actor_kind"] == KMT + "StateOwnedEnterprise"
    assert actor["country"] == COUNTRY + "id"
    assert g.nodes[COUNTRY + "jp"]["country"] == COUNTRY + "jp"  # a country is its own country
    edge = g.edges[CASE + "kgt-toll-road", ORG + "kgt-soe"]
    assert edge["role"] == KMT + "role-lender" and edge["label"] == edge["label_en"] != ""
    assert g.graph["terms"][KMT + "role-lender"]["en"] == edge["label_en"]


def test_labels_follow_the_language(kg):
    g = build_view(kg.reader, "stakeholders", lang="id")
    assert g.nodes[CASE + "kgt-research"]["label"] == "Riset Baterai Contoh"
    assert g.nodes[COUNTRY + "jp"]["label"] == "Jepang"


def test_actors_view(kg):
    g = build_view(kg.reader, "actors")
    assert (g.number_of_nodes(), g.number_of_edges()) == (8, 10)
    e = g.edges[ORG + "kgt-ministry", ORG + "kgt-company"]
    assert e["weight"] == 2 and e["cases"] == [CASE + "kgt-research", CASE + "kgt-toll-road"]
    assert g.edges[COUNTRY + "id", COUNTRY + "jp"]["weight"] == 1
    assert nx.is_connected(g)
    company = g.nodes[ORG + "kgt-company"]
    assert set(company["partnerships"]) == {
        CASE + "kgt-toll-road",
        CASE + "kgt-research",
        CASE + "kgt-old-power",
    }
    assert KMT + "TripleHelixPartnership" in company["case_types"]


def test_concepts_view(kg):
    g = build_view(kg.reader, "concepts")
    assert len(cases_of(g)) == 5
    case_edges = [(a, b) for a, b in g.edges if g.nodes[a]["kind"] == "case" or g.nodes[b]["kind"] == "case"]
    assert len(case_edges) == 13  # 5 types + 5 sectors + 2 benefits + 1 characteristic
    assert g.edges[CASE + "kgt-research", KMT + "TripleHelixPartnership"]["relation"] == "type"
    assert g.nodes[KMT + "sector-infrastructure"]["kind"] == "sector"
    assert g.edges[KMT + "sector-toll-road", KMT + "sector-infrastructure"]["relation"] == "broader"
    assert g.nodes[KMT + "benefit-reach-impact"]["kind"] == "benefit"
    assert g.nodes[KMT + "char-trust"]["kind"] == "characteristic"


def test_ontology_view(kg):
    g = build_view(kg.reader, "ontology")
    assert g.is_directed()
    assert g.nodes[KMT + "Company"]["kind"] == "class"
    assert g.edges[KMT + "StateOwnedEnterprise", KMT + "Company"]["relation"] == "subClassOf"
    assert g.nodes[KMT + "hasParticipation"]["kind"] == "property"
    assert "domain" in g.edges[KMT + "hasParticipation", KMT + "Partnership"]["relation"]
    assert all(not n.startswith(CASE) for n in g)  # no data in the ontology view


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param(Filters(types=("triple-helix",)), {"kgt-research"}, id="type"),
        pytest.param(Filters(types=("kmt:InternationalPartnership",)), {"kgt-treaty"}, id="type-curie"),
        pytest.param(
            Filters(sectors=("infrastructure",)),
            {"kgt-toll-road", "kgt-village-water", "kgt-old-power"},
            id="sector-narrower",
        ),
        pytest.param(Filters(sectors=("water",)), {"kgt-village-water"}, id="sector-leaf"),
        pytest.param(Filters(countries=("jp",)), {"kgt-treaty", "kgt-old-power"}, id="country"),
        pytest.param(Filters(countries=("Jepang",)), {"kgt-treaty", "kgt-old-power"}, id="country-label"),
        pytest.param(Filters(from_year=2010, to_year=2016), {"kgt-toll-road", "kgt-treaty"}, id="years"),
        pytest.param(
            Filters(from_year=2019),
            {"kgt-toll-road", "kgt-research", "kgt-village-water", "kgt-treaty"},
            id="from-year",
        ),
        pytest.param(Filters(to_year=2000), {"kgt-old-power"}, id="to-year"),
        pytest.param(
            Filters(sectors=("infrastructure",), countries=("id",)),
            {"kgt-toll-road", "kgt-village-water"},
            id="combined",
        ),
    ],
)
def test_filters(kg, filters, expected):
    g = build_view(kg.reader, "stakeholders", filters)
    assert cases_of(g) == expected
    parties = {b for a in g for b in g[a]} - {CASE + c for c in expected}
    assert set(g) == {CASE + c for c in expected} | parties  # only the kept cases' parties
    assert g.graph["filters"] == filters.describe()


def test_actor_kind_filter_takes_subclasses(kg):
    g = build_view(kg.reader, "stakeholders", Filters(actor_kinds=("Company",)))
    assert cases_of(g) == {"kgt-toll-road", "kgt-research", "kgt-old-power"}
    assert {n for n, d in g.nodes(data=True) if d["kind"] == "actor"} == {
        ORG + "kgt-company",
        ORG + "kgt-soe",
    }
    assert g.number_of_edges() == 4
    a = build_view(kg.reader, "actors", Filters(actor_kinds=("Company",)))
    assert set(a) == {ORG + "kgt-company", ORG + "kgt-soe"} and a.number_of_edges() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"filters": Filters(sectors=("nope",))}, "unknown sector 'nope'", id="unknown-sector"),
        pytest.param(
            {"filters": Filters(types=("Partnership-of-nothing",))}, "unknown partnership type", id="type"
        ),
        pytest.param(
            {"view": "ontology", "filters": Filters(countries=("id",))}, "do not apply", id="ontology"
        ),
        pytest.param({"view": "nope"}, "unknown view", id="view"),
        pytest.param({"view": "query"}, "needs a query", id="query-missing"),
        pytest.param({"query": "SELECT * WHERE {}"}, "query view", id="query-elsewhere"),
    ],
)
def test_bad_view_arguments(kg, kwargs, message):
    args = {"view": "stakeholders", **kwargs}
    view = args.pop("view")
    with pytest.raises(ViewError, match=message):
        build_view(kg.reader, view, **args)


def test_unknown_language_is_one_error_everywhere(kg):
    with pytest.raises(LanguageError, match="unknown language 'fr'; choose one of id, en"):
        build_view(kg.reader, "stakeholders", lang="fr")
    with pytest.raises(LanguageError, match="unknown language 'fr'"):
        render_page.render_html(build_view(kg.reader, "stakeholders"), lang="fr")


def test_from_year_after_to_year():
    with pytest.raises(ViewError, match="after"):
        Filters(from_year=2020, to_year=2010)


def test_query_view_select(kg):
    text = """SELECT ?source ?target ?edgeLabel ?group ?weight WHERE {
      ?source kmt:hasParticipation ?p ; a ?group . ?p org:member ?target ; org:role ?role .
      ?group rdfs:subClassOf kmt:Partnership .
      BIND(STR(?role) AS ?edgeLabel) BIND(2 AS ?weight) }"""
    g = build_view(kg.reader, "query", query=text)
    assert g.number_of_nodes() == 13 and g.number_of_edges() == 13
    assert g.nodes[CASE + "kgt-treaty"]["kind"] == "case"
    assert g.nodes[CASE + "kgt-treaty"]["group"] == KMT + "InternationalPartnership"
    assert g.nodes[ORG + "kgt-ngo"]["kind"] == "actor"
    assert g.nodes[ORG + "kgt-ngo"]["label_en"] == "Example Foundation"
    e = g.edges[CASE + "kgt-treaty", COUNTRY + "jp"]
    assert e["weight"] == 2 and e["label"] == KMT + "role-member"


def test_query_view_labels_from_the_query(kg):
    text = """SELECT ?source ?target ?sourceLabel ?targetLabel WHERE {
      VALUES (?source ?target ?sourceLabel ?targetLabel) {
        (<urn:a> <urn:b> "A"@en "B"@en) (<urn:b> <urn:c> "Bee"@id "C") } }"""
    g = build_view(kg.reader, "query", query=text)
    assert g.nodes["urn:a"]["label"] == "A" and g.nodes["urn:b"]["label_id"] == "Bee"
    assert g.nodes["urn:c"]["label"] == "C"


def test_query_view_construct(kg):
    text = """CONSTRUCT { ?case kmt:sector ?s . ?case a ?t . ?case rdfs:label ?l } WHERE {
      ?case kmt:sector ?s ; a ?t ; rdfs:label ?l . ?t rdfs:subClassOf kmt:Partnership }"""
    g = build_view(kg.reader, "query", query=text)
    assert g.number_of_edges() == 5  # case -> sector; types and labels are attributes
    assert g.nodes[CASE + "kgt-treaty"]["group"] == KMT + "InternationalPartnership"
    assert g.nodes[CASE + "kgt-treaty"]["label_id"] == "Perjanjian Dagang Contoh"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("SELECT ?a ?b WHERE { ?a ?p ?b } LIMIT 1", id="no-source"),
        pytest.param("ASK { ?a ?p ?b }", id="ask"),
    ],
)
def test_query_view_refuses_what_it_cannot_draw(kg, text):
    with pytest.raises(ViewError):
        build_view(kg.reader, "query", query=text)


def test_library_query_with_params(kg):
    g = build_view(kg.reader, "query", query="co-partners", params={"actor": "org_:kgt-ministry"})
    assert set(g[ORG + "kgt-ministry"]) >= {ORG + "kgt-company", ORG + "kgt-soe", ORG + "kgt-ngo"}
    assert g.edges[ORG + "kgt-ministry", ORG + "kgt-company"]["weight"] == 2


# --- export ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_round_trip(kg, tmp_path, fmt):
    g = build_view(kg.reader, "stakeholders")
    path = tmp_path / f"net.{fmt}"
    write_text(path, export_text(g, fmt))
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left
    if fmt == "graphml":
        back = nx.read_graphml(path)
        assert back.nodes[CASE + "kgt-toll-road"]["label_en"] == "Example toll road PPP"
        assert json.loads(back.nodes[CASE + "kgt-toll-road"]["sectors"]) == [KMT + "sector-toll-road"]
    elif fmt == "gexf":
        back = nx.read_gexf(path)
        assert back.nodes[CASE + "kgt-toll-road"]["start_date"] == "2015-03-01"
        assert 'mode="static"' in path.read_text(encoding="utf-8")
    else:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert set(data) >= {"nodes", "links"} and len(data["links"]) == 13
        back = nx.node_link_graph(data, edges="links")
    assert (back.number_of_nodes(), back.number_of_edges()) == (13, 13)


def test_export_with_analytics(kg):
    g = with_analytics(build_view(kg.reader, "actors"))
    back = nx.parse_graphml(export_text(g, "graphml"))
    ministry = back.nodes[ORG + "kgt-ministry"]
    assert ministry["betweenness"] > 0 and ministry["component"] == 0
    with pytest.raises(ViewError):
        export_text(g, "dot")


# --- HTML --------------------------------------------------------------------------------


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_json_for_script_escapes_and_round_trips(text):
    out = json_for_script({"t": text, "l": [text]})
    assert not re.search("[<>&\u2028\u2029]", out)
    assert json.loads(out) == {"t": text, "l": [text]}


def test_page_is_self_contained(kg):
    page = render_page.render_html(build_view(kg.reader, "stakeholders"))
    assert page.count("<script") == 3  # the data block, vis-network, the page script
    # nothing that could load from a host: no src/href attributes, no url() but data:, no @import
    assert not re.search(r"""\s(src|href)\s*=""", page.split('id="graph-data"')[0])
    assert not re.search(r"""url\((?!\s*["']?data:)""", page)
    assert "@import" not in page
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert (
        "default-src 'none'" in csp
        and "connect-src 'none'" in csp
        and "unsafe-inline" not in csp.split("style-src")[0]
    )
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for text in scripts:
        assert script_hash(text) in csp
    assert "sourceMappingURL" not in page


def test_page_data(kg):
    g = build_view(kg.reader, "stakeholders")
    data = page_data(render_page.render_html(g, lang="id", size_by="eigenvector"))
    assert data["lang"] == "id" and data["sizeBy"] == "eigenvector"
    assert len(data["nodes"]) == 13 and len(data["edges"]) == 2 * 13
    assert data["measures"] == ["degree", "betweenness", "eigenvector"]
    keys = data["keys"]
    label = {k: data["terms"][i] for i, k in enumerate(keys)}
    node = next(n for n in data["nodes"] if n["iri"] == CASE + "kgt-toll-road")
    assert node["l"] == ["KPBU Jalan Tol Contoh", "Example toll road PPP"]
    assert [keys[i] for i in node["f"]["sector"]] == [KMT + "sector-toll-road", KMT + "sector-infrastructure"]
    assert node["d"]["sources"] == ["https://example.org/toll-road"]
    assert keys[node["d"]["type"]] == KMT + "GovernmentPrivateCommunityPartnership"
    parties = {(keys[a], keys[r]) for a, r in node["d"]["parties"]}
    assert (ORG + "kgt-soe", KMT + "role-lender") in parties
    soe = next(n for n in data["nodes"] if n["iri"] == ORG + "kgt-soe")
    assert [keys[i] for i in soe["f"]["kind"]] == [KMT + "StateOwnedEnterprise", KMT + "Company"]
    assert label[KMT + "sector-infrastructure"][1] == "Infrastructure"
    assert label["kind:case"] == ["Kemitraan", "Partnership"]
    ends = data["edges"]
    ids = {n["iri"]: n["id"] for n in data["nodes"]}
    pairs = {(ends[i], ends[i + 1]) for i in range(0, len(ends), 2)}
    assert (ids[CASE + "kgt-toll-road"], ids[ORG + "kgt-soe"]) in pairs
    assert len(data["edgeLabel"]) == 13 and "edgeWeight" not in data  # every weight is 1
    # shapes are a second channel beside colour: cases are diamonds, party kinds have their own shapes
    assert {g["shape"] for g in data["groups"] if g["kind"] == "case"} == {"diamond"}
    assert {g["key"]: g["shape"] for g in data["groups"] if g["kind"] == "actor"} == {
        g["key"]: render_page.GROUP_SHAPES[g["key"]] for g in data["groups"] if g["kind"] == "actor"
    }
    assert len({g["color"] for g in data["groups"]}) == len(data["groups"])
    assert {data["groups"][n["g"]]["key"] for n in data["nodes"] if n["k"] == "case"} <= set(PARTNERSHIP_TYPES)


def test_page_data_weights(kg):
    data = page_data(render_page.render_html(build_view(kg.reader, "actors")))
    assert sorted(data["edgeWeight"]) == [1] * 9 + [2]


def test_hostile_labels_stay_inside_json(xss_kg):
    page = render_page.render_html(build_view(xss_kg.reader, "stakeholders"))
    assert "<script>window.__x=1" not in page
    assert "<img src=x" not in page and "<!-- <script>" not in page
    assert "\u2028" not in page and "\u2029" not in page
    data = page_data(page)
    labels = {n["l"][1] for n in data["nodes"]}
    assert "</script><script>window.__x=1</script>" in labels
    assert '<img src=x onerror="window.__x=1">' in labels


def test_layout_is_deterministic_and_covers_every_node():
    g = nx.disjoint_union_all(
        [nx.barabasi_albert_graph(400, 2, seed=1), nx.path_graph(5), nx.star_graph(6), nx.empty_graph(3)]
    )
    a = layout(g, seed=3)
    assert set(a) == set(g) and a == layout(g, seed=3)
    assert len(set(a.values())) == len(g)  # no two nodes on the same spot
    xs = [p[0] for p in a.values()]
    assert max(xs) - min(xs) > 1000  # spread out in canvas pixels


def test_layout_keeps_edges_short_in_a_path():
    g = nx.path_graph(40)
    pos = layout(g)
    lengths = sorted(math.dist(pos[i], pos[i + 1]) for i in range(39))
    assert lengths[len(lengths) // 2] == pytest.approx(render_layout.EDGE_PX, rel=0.05)


def test_measures_for_big_graphs_skip_exact_betweenness():
    g = nx.barabasi_albert_graph(1500, 3, seed=1)
    assert list(render_page.measures_for(g, "degree")) == ["degree", "eigenvector"]
    with pytest.raises(ViewError):
        render_page.measures_for(g, "pagerank")


def test_write_view(kg, tmp_path):
    out = render_page.write_view(kg.reader, "actors", tmp_path / "sub" / "actors.html", lang="id")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["actors.html"]
    assert page_data(out.read_text(encoding="utf-8"))["lang"] == "id"
    with pytest.raises(ViewError):
        render_page.write_view(kg.reader, "actors", tmp_path / "x.html", size_by="pagerank")
    assert not (tmp_path / "x.html").exists()


def test_to_pyvis(kg):
    g = build_view(kg.reader, "stakeholders")
    net = notebook.to_pyvis(g)
    assert len(net.nodes) == 13 and len(net.edges) == 13 and net.num_nodes() == 13
    assert all("title" not in n for n in net.nodes)
    assert net.num_edges() == 13


def test_view_widget(kg):
    w = notebook.view_widget(kg.reader, "concepts", height=500)
    html_text = w._repr_html_()
    assert html_text.startswith("<iframe") and 'sandbox="allow-scripts"' in html_text
    assert "srcdoc=" in html_text and "&lt;!DOCTYPE html&gt;" in html_text
    assert w.html.startswith("<!DOCTYPE html>")


def test_render_plain_graphs():
    """Any networkx graph draws: int ids, no attributes, directed, multi, self-loops, empty."""
    for g in (
        nx.path_graph(4),
        nx.DiGraph([(1, 2), (2, 1), (2, 2)]),
        nx.MultiGraph([(1, 2), (1, 2)]),
        nx.Graph(),
    ):
        data = page_data(render_page.render_html(g))
        assert len(data["nodes"]) == g.number_of_nodes() and len(data["edges"]) == 2 * g.number_of_edges()
        assert data["directed"] == g.is_directed()
