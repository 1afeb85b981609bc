"""The partnership profile (``charts.profile``, ``render.profile``, ``kemitraan viz profile``).

The cells are checked against a count made with plain rdflib from the data and scheme files (no
SPARQL), so a wrong query cannot hide behind the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from kemitraan_graph.charts import CHART_VIEWS, PROFILE_BY
from kemitraan_graph.charts.profile import profile, profile_payload
from kemitraan_graph.cli import cli
from kemitraan_graph.errors import LanguageError, ViewError
from kemitraan_graph.namespaces import KMT, PARTNERSHIP_TYPES
from kemitraan_graph.render import render_profile, write_profile

from .helpers import ROOT
from .test_data import DATA, KINDS

FIX = Path(__file__).resolve().parent / "fixtures"
SCHEMES = ROOT / "ontology" / "schemes"
BENEFITS, CHARACTERISTICS, SECTORS = KMT.BenefitScheme, KMT.CharacteristicScheme, KMT.SectorScheme


@pytest.fixture(scope="module")
def files_graph() -> Graph:
    g = Graph()
    for f in [*DATA.rglob("*.ttl"), *SCHEMES.glob("*.ttl")]:
        g.parse(f)
    return g


def tops(g: Graph, concept, scheme) -> set:
    """The top concepts of ``scheme`` that ``concept`` is, or is narrower than (skos:broader walk)."""
    seen, todo, out = set(), [concept], set()
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        if (c, SKOS.topConceptOf, scheme) in g:
            out.add(c)
        todo.extend(g.objects(c, SKOS.broader))
    return out


def count_from_files(g: Graph, by: str) -> tuple[dict, dict, dict]:
    """(row -> cases, column -> cases, case -> sources) straight from the triples."""
    cases = {c for k in KINDS.values() for c in g.subjects(RDF.type, k)}
    rows: dict = defaultdict(set)
    cols: dict = defaultdict(set)
    for case in cases:
        if by == "kind":
            keys = set(g.objects(case, RDF.type)) & set(KINDS.values())
        elif by == "sector":
            keys = {t for s in g.objects(case, KMT.sector) for t in tops(g, s, SECTORS)}
        else:
            keys = set(g.objects(case, KMT.country))
        for k in keys:
            rows[k].add(case)
        for b in g.objects(case, KMT.claimsBenefit):
            for t in tops(g, b, BENEFITS):
                cols[t].add(case)
        holders = [case, *g.objects(case, KMT.agreement)]
        for h in holders:
            for ch in g.objects(h, KMT.evidencesCharacteristic):
                for t in tops(g, ch, CHARACTERISTICS):
                    cols[t].add(case)
    sources = {c: {str(s) for s in g.objects(c, DCTERMS.source)} for c in cases}
    return rows, cols, sources


@pytest.fixture(scope="module")
def profiles(kg):
    return {by: profile(kg.reader, by=by) for by in PROFILE_BY}


@pytest.mark.parametrize("by", PROFILE_BY)
def test_cells_equal_an_independent_count_from_the_files(files_graph, profiles, by):
    p = profiles[by]
    rows, cols, sources = count_from_files(files_graph, by)
    all_columns = {c for s in (BENEFITS, CHARACTERISTICS) for c in files_graph.subjects(SKOS.topConceptOf, s)}
    assert {URIRef(c.iri) for c in p.columns} == all_columns
    assert len(all_columns) == 9  # five benefits, four characteristics
    expected_rows = set(KINDS.values()) if by == "kind" else set(rows)
    assert {URIRef(r.iri) for r in p.rows} == expected_rows
    assert p.total == len(set().union(*rows.values()))
    nonzero = 0
    for r in p.rows:
        members = rows.get(URIRef(r.iri), set())
        assert r.cases == len(members), r.iri
        for c in p.columns:
            hit = members & cols.get(URIRef(c.iri), set())
            cell = p.cell(r.iri, c.iri)
            assert cell.count == len(hit), (r.iri, c.iri)
            assert {URIRef(k.iri) for k in cell.cases} == hit
            assert cell.share == pytest.approx(len(hit) / len(members) if members else 0.0)
            for k in cell.cases:
                assert set(k.sources) == sources[URIRef(k.iri)]
                assert k.label["id"] and k.label["en"]
            nonzero += bool(hit)
    assert nonzero >= 20


def test_rows_and_columns_in_order_with_both_labels(profiles):
    p = profiles["kind"]
    assert [r.iri for r in p.rows] == list(PARTNERSHIP_TYPES)
    assert [c.group for c in p.columns] == ["benefit"] * 5 + ["characteristic"] * 4
    assert p.columns[0].iri == str(KMT["benefit-capacity-resources"])
    assert p.columns[5].iri == str(KMT["char-shared-agreement"])
    for axis in [*p.rows, *p.columns]:
        assert axis.label["id"] and axis.label["en"] and axis.label["id"] != axis.label["en"]
    by_country = profiles["country"]
    assert [r.cases for r in by_country.rows] == sorted((r.cases for r in by_country.rows), reverse=True)
    assert by_country.rows[0].iri == "https://w3id.org/kemitraan/id/country/id"


def test_library_query_gives_the_same_counts(kg, profiles):
    got = {(str(k), str(c)): int(n) for k, c, n in kg.query("partnership-profile").rows}
    want = {key: n for key, n in profiles["kind"].counts().items() if n}
    assert got == want


def test_unknown_rows_or_language_are_errors(kg):
    with pytest.raises(ViewError, match="kind, sector, country"):
        profile(kg.reader, by="actor")
    with pytest.raises(LanguageError):
        profile(kg.reader, lang="fr")


def page_data(text: str) -> dict:
    m = re.search(r'<script type="application/json" id="profile-data">(.*?)</script>', text, re.S)
    assert m
    return json.loads(m.group(1))


def test_page_is_self_contained_with_a_hashed_script(profiles):
    p = profiles["kind"]
    text = render_profile(p, "id")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="id">' in text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S)
    assert len(scripts) == 2
    assert scripts[0][0] == ' type="application/json" id="profile-data"' and scripts[1][0] == ""
    digest = base64.b64encode(hashlib.sha256(scripts[1][1].encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    assert f"script-src 'sha256-{digest}';" in csp and "default-src 'none'" in csp and "connect-src 'none'" in csp
    # nothing is fetched: no src/href attribute, no @import or url() in the style
    assert not re.search(r"\s(src|href)=", text) and "@import" not in text and "url(" not in text
    data = page_data(text)
    assert data == json.loads(json.dumps(profile_payload(p, "id")))
    assert data["title"] == ["Profil kemitraan menurut jenis", "Partnership profile by kind"]
    assert [len(line) for line in data["cells"]] == [9] * 4
    for r, row in enumerate(p.rows):
        for c, col in enumerate(p.columns):
            listed = [data["cases"][i]["iri"] for i in data["cells"][r][c]]
            assert listed == [k.iri for k in p.cell(row.iri, col.iri).cases]


def test_hostile_labels_are_escaped_in_the_page(tmp_path):
    from kemitraan_graph import KnowledgeGraph

    with KnowledgeGraph.load([FIX / "network" / "small.ttl", FIX / "network" / "xss.ttl",
                              FIX / "profile" / "xss.ttl"], bundled=False) as kg:
        p = write_profile(kg.reader, tmp_path / "p.html", by="country")
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "window.__x" in text  # the hostile text is in the data ...
    for bad in ("<script>window", "<img", "<svg", "</script><script>"):
        assert bad not in text  # ... but never as markup
    data = page_data(text)
    labels = {r["iri"]: r["l"] for r in data["rows"]}
    assert labels["https://w3id.org/kemitraan/id/country/kgt-xss"] == [
        "</script><script>window.__x=1</script>", '<img src=x onerror="window.__x=1">']
    assert any(c.count for c in p.cells.values())


def test_write_profile_is_atomic_and_replaces(kg, tmp_path):
    out = tmp_path / "sub" / "profile.html"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    write_profile(kg.reader, out, by="sector", lang="en")
    assert page_data(out.read_text(encoding="utf-8"))["by"] == "sector"
    assert [f.name for f in out.parent.iterdir()] == ["profile.html"]


# --- the command ---------------------------------------------------------------------------


def test_viz_offers_the_chart_views():
    view = next(p for p in cli.commands["viz"].params if p.name == "view")
    by = next(p for p in cli.commands["viz"].params if p.name == "by")
    assert set(CHART_VIEWS) <= set(view.type.choices) and tuple(by.type.choices) == PROFILE_BY


@pytest.mark.parametrize("by", [None, "sector", "country"])
def test_viz_profile_with_clirunner(runner, tmp_path, profiles, by):
    out = tmp_path / "profile.html"
    res = runner.invoke(cli, ["viz", "profile", "-o", str(out), *(["--by", by] if by else []), "--lang", "id"])
    assert res.exit_code == 0, res.output
    assert "wrote" in res.stderr and res.stdout == ""
    data = page_data(out.read_text(encoding="utf-8"))
    p = profiles[by or "kind"]
    assert data["by"] == (by or "kind") and data["lang"] == "id"
    assert [c["iri"] for c in data["columns"]] == [c.iri for c in p.columns]
    # rows with equal counts are ordered by their label in the page's language (here: id)
    got = {r["iri"]: [len(x) for x in line] for r, line in zip(data["rows"], data["cells"], strict=True)}
    assert got == {r.iri: [p.cell(r.iri, c.iri).count for c in p.columns] for r in p.rows}


@pytest.mark.parametrize(
    "args, message",
    [
        (["viz", "actors", "-o", "x.html", "--by", "sector"], "--by belongs to the profile"),
        (["viz", "profile", "-o", "x.html", "--country", "id"], "--country belong to the network views"),
        (["viz", "profile", "-o", "x.html", "--size-by", "degree"], "--size-by belong"),
        (["viz", "profile", "-o", "x.html", "--by", "actor"], "Invalid value"),
    ],
)
def test_viz_profile_usage_errors(runner, tmp_path, args, message):
    out = tmp_path / "x.html"
    res = runner.invoke(cli, [str(out) if a == "x.html" else a for a in args])
    assert res.exit_code == 2 and message in res.output
    assert not out.exists()


def test_viz_profile_as_a_subprocess(run_cli, tmp_path):
    out = tmp_path / "p.html"
    res = run_cli("viz", "profile", "-o", str(out), "--by", "country", "--lang", "en")
    assert res.returncode == 0, res.stderr
    assert re.search(r"wrote .*p\.html \(\d+ rows, 9 columns, \d+ cases\)", res.stderr)
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["by"] == "country" and data["rows"][0]["l"][1] == "Indonesia"
