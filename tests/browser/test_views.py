"""The HTML views in real Chromium: counts, search, filters, details, language, hostile data."""

from __future__ import annotations

from pathlib import Path

import pytest

from kemitraan_graph import KnowledgeGraph
from kemitraan_graph.network import Filters, build_view
from kemitraan_graph.render import render_html

pytestmark = pytest.mark.browser

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "network"
CASE = "https://w3id.org/kemitraan/id/case/"
ORG = "https://w3id.org/kemitraan/id/org/"
KMT = "https://w3id.org/kemitraan/ontology#"
QUERY = (
    "SELECT ?source ?target ?edgeLabel WHERE { ?source kmt:hasParticipation ?p . ?p org:member ?target ; "
    "org:role ?edgeLabel }"
)
VIEWS = ["stakeholders", "actors", "concepts", "ontology", "query"]
SCRIPT_LABEL = "</script><script>window.__x=1</script>"
IMG_LABEL = '<img src=x onerror="window.__x=1">'


@pytest.fixture(scope="session")
def kg():
    graph = KnowledgeGraph.load([FIX / "small.ttl", FIX / "xss.ttl"], bundled=False)
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def views(kg, tmp_path_factory):
    """view -> (page path, networkx graph), written once per session."""
    out = tmp_path_factory.mktemp("views")
    made = {}
    for view in VIEWS:
        g = build_view(kg.reader, view, query=QUERY if view == "query" else None)
        path = out / f"{view}.html"
        path.write_text(render_html(g), encoding="utf-8")
        made[view] = (path, g)
    return made


def node_id(page, iri: str) -> int:
    return page.evaluate(
        """(iri) => JSON.parse(document.getElementById('graph-data').textContent)
        .nodes.find(n => n.iri === iri).id""",
        iri,
    )


def counts(page) -> dict:
    return page.evaluate("""() => { const v = window.kemitraanView;
        return {nodes: v.nodes.length, edges: v.edges.length, visibleNodes: v.visibleNodes.length,
                visibleEdges: v.visibleEdges.length, drawnNodes: v.network.body.nodeIndices.length,
                drawnEdges: v.network.body.edgeIndices.length}; }""")


def click_node(page, nid: int) -> None:
    point = page.evaluate(
        """(id) => { const net = window.kemitraanView.network;
        net.focus(id, {scale: 2.5, animation: false});
        const d = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('network').getBoundingClientRect();
        return {x: r.left + d.x, y: r.top + d.y}; }""",
        nid,
    )
    page.mouse.click(point["x"], point["y"])


def search(page, text: str) -> None:
    page.fill("#search", text)
    page.wait_for_function("(q) => window.kemitraanView.state().query === q", arg=text)


@pytest.mark.parametrize("view", VIEWS)
def test_drawn_counts_match_networkx(open_page, views, view):
    path, g = views[view]
    w = open_page(path)
    c = counts(w.page)
    n, e = g.number_of_nodes(), g.number_of_edges()
    assert n > 0 and e > 0
    assert c == {
        "nodes": n,
        "edges": e,
        "visibleNodes": n,
        "visibleEdges": e,
        "drawnNodes": n,
        "drawnEdges": e,
    }
    assert w.page.evaluate("() => window.__x") is None
    w.check()


def test_search_narrows_to_matches_and_neighbours(open_page, views):
    path, g = views["stakeholders"]
    w = open_page(path)
    search(w.page, "battery")
    target = CASE + "kgt-research"
    expected = 1 + len(list(g.neighbors(target)))
    assert counts(w.page)["visibleNodes"] == expected == 4
    assert "1 match" in w.page.text_content("#status")
    search(w.page, "KemenUji")  # the short name of the ministry
    assert counts(w.page)["visibleNodes"] == 1 + len(list(g.neighbors(ORG + "kgt-ministry")))
    search(w.page, "")
    assert counts(w.page)["visibleNodes"] == g.number_of_nodes()
    w.check()


def test_filters_match_the_library(open_page, kg, views):
    path, g = views["stakeholders"]
    w = open_page(path)
    page = w.page
    for facet, value, filters in [
        ("type", KMT + "TripleHelixPartnership", Filters(types=("triple-helix",))),
        ("sector", KMT + "sector-infrastructure", Filters(sectors=("infrastructure",))),
        ("kind", KMT + "Company", Filters(actor_kinds=("Company",))),
    ]:
        page.click(f"#filter-{facet} summary")
        box = page.locator(f'#filter-{facet} input[value="{value}"]')
        box.check()
        expected = build_view(kg.reader, "stakeholders", filters)
        c = counts(page)
        assert (c["visibleNodes"], c["visibleEdges"]) == (
            expected.number_of_nodes(),
            expected.number_of_edges(),
        )
        assert c["visibleNodes"] < g.number_of_nodes()
        box.uncheck()
        assert counts(page)["visibleNodes"] == g.number_of_nodes()
    w.check()


def test_click_shows_details(open_page, views):
    path, _g = views["stakeholders"]
    w = open_page(path)
    page = w.page
    click_node(page, node_id(page, CASE + "kgt-toll-road"))
    assert page.text_content("#details h2") == "Example toll road PPP"
    details = page.text_content("#details")
    for text in (
        "Partnership type",
        "Government–private–community partnership",
        "Example Works Ltd",
        "2015-03-01 – 2040",
        "Toll road description.",
        "Example State Enterprise",
    ):
        assert text in details
    link = page.locator('#details a[href="https://example.org/toll-road"]')
    assert link.count() == 1 and link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"
    page.click("#details button.link >> text=Example Works Ltd")  # a party: its own details
    assert page.text_content("#details h2") == "Example Works Ltd"
    w.check()


def test_language_toggle(open_page, views):
    path, _g = views["stakeholders"]
    w = open_page(path)
    page = w.page
    nid = node_id(page, CASE + "kgt-research")
    click_node(page, nid)
    assert page.text_content("#details h2") == "Example battery research"
    page.click("#lang-id")
    assert page.evaluate("(id) => window.kemitraanView.nodes.get(id).label", nid) == "Riset Baterai Contoh"
    assert page.text_content("#details h2") == "Riset Baterai Contoh"
    assert page.get_attribute("html", "lang") == "id"
    assert "dari" in page.text_content("#status") and page.get_attribute("#lang-id", "aria-pressed") == "true"
    assert "Jenis kemitraan" in page.text_content("#filters")
    page.click("#lang-en")
    assert (
        page.evaluate("(id) => window.kemitraanView.nodes.get(id).label", nid) == "Example battery research"
    )
    w.check()


def test_size_by_changes_node_sizes(open_page, views):
    path, _g = views["actors"]
    w = open_page(path)
    page = w.page
    before = page.evaluate("() => window.kemitraanView.nodes.get().map(n => n.size)")
    page.select_option("#size-by", "betweenness")
    after = page.evaluate("() => window.kemitraanView.nodes.get().map(n => n.size)")
    assert before != after and page.evaluate("() => window.kemitraanView.state().sizeBy") == "betweenness"
    w.check()


def test_hostile_labels_and_sources_stay_inert(open_page, views):
    path, _g = views["stakeholders"]
    w = open_page(path)
    page = w.page
    assert page.evaluate("() => window.__x") is None
    click_node(page, node_id(page, CASE + "kgt-xss-script"))
    assert page.text_content("#details h2") == SCRIPT_LABEL
    assert "<!-- <script>window.__x=1</script> -->" in page.text_content("#details")
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.locator('a[href^="data:" i]').count() == 0
    links = page.locator("#details ul.sources a")
    assert links.count() == 1 and links.get_attribute("href") == "https://example.org/safe?a=1&b=2"
    assert "javascript:window.__x=1" in page.text_content("#details")  # shown, as text only
    click_node(page, node_id(page, ORG + "kgt-xss-img"))
    assert page.text_content("#details h2") == IMG_LABEL
    assert page.locator("img").count() == 0 and page.locator("b").count() == 0
    search(page, "<img src")
    assert counts(page)["visibleNodes"] == 2  # the actor and its partnership
    search(page, "")
    page.click("#lang-id")
    click_node(page, node_id(page, ORG + "kgt-xss-gov"))
    assert page.text_content("#details h2") == 'Pemisah\u2029paragraf & <svg onload="window.__x=1">'
    assert page.locator("#details svg").count() == 0
    assert page.evaluate("() => window.__x") is None
    w.check()


def test_the_watch_counts_requests_to_other_hosts(open_page, tmp_path):
    """The guard itself can fail: a page without our CSP that loads an image from a host."""
    page_file = tmp_path / "leaky.html"
    page_file.write_text(
        '<!DOCTYPE html><img src="https://example.org/x.png">'
        "<script>window.kemitraanView = {ready: Promise.resolve(1)}</script>",
        encoding="utf-8",
    )
    w = open_page(page_file)
    w.page.wait_for_load_state("load")
    assert w.blocked == ["https://example.org/x.png"]
    w.blocked.clear()
    w.errors.clear()  # the aborted image logs an error too


def test_csp_refuses_network_access_from_the_page(open_page, views):
    path, _g = views["actors"]
    w = open_page(path)
    result = w.page.evaluate("""() => fetch('https://example.org/').then(() => 'fetched', () => 'refused')""")
    assert result == "refused" and w.blocked == []  # stopped by connect-src 'none' before any request
    assert any("Content Security Policy" in e for e in w.errors)
    w.errors.clear()
    injected = w.page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__x = 1'; document.body.appendChild(s); return window.__x === undefined; }""")
    assert injected  # an inline script without our hash does not run
    w.errors.clear()


def test_big_graph_draws_its_own_edges(open_page, tmp_path):
    import networkx as nx

    g = nx.barabasi_albert_graph(2500, 3, seed=7)
    for n in g:
        g.nodes[n].update(kind="actor", label=f"Actor {n}", label_id=f"Aktor {n}", iri=f"urn:x:{n}")
    path = tmp_path / "big.html"
    path.write_text(render_html(g), encoding="utf-8")
    w = open_page(path)
    page = w.page
    s = page.evaluate("() => window.kemitraanView.state()")
    assert s["ownEdges"] is True
    assert (s["visibleNodes"], s["drawnNodes"]) == (2500, 2500)
    assert (s["visibleEdges"], s["drawnEdges"]) == (g.number_of_edges(), g.number_of_edges())
    search(page, "Aktor 17")  # Actor 17, 170..179, 1700..1799 and their neighbours
    page.wait_for_timeout(100)
    s = page.evaluate("() => window.kemitraanView.state()")
    assert 111 <= s["visibleNodes"] < 2500 and s["drawnEdges"] == s["visibleEdges"] < g.number_of_edges()
    w.check()


def test_empty_view_opens_cleanly(open_page, kg, tmp_path):
    g = build_view(kg.reader, "stakeholders", Filters(countries=("jp",), types=("triple-helix",)))
    assert g.number_of_nodes() == 0
    path = tmp_path / "empty.html"
    path.write_text(render_html(g), encoding="utf-8")
    w = open_page(path)
    assert counts(w.page)["nodes"] == 0
    assert w.page.text_content("#status").startswith("0 of 0 nodes")
    w.check()
