"""Correct answers by default: the loaded data is a set, and class/property reasoning is on."""

from __future__ import annotations

import pytest

from kemitraan_graph import KnowledgeGraph

from .expected.regenerate import answer_lines

TWICE = "@prefix ex: <http://e/> .\nex:a ex:v 10 .\n"
COUNT_SUM = "SELECT (COUNT(*) AS ?n) (SUM(?v) AS ?s) WHERE { ?x <http://e/v> ?v }"
PARTNERSHIPS = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kmt:Partnership }"
CASES = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c kmt:hasParticipation ?p }"


def scalar(kg: KnowledgeGraph, text: str) -> int:
    return int(kg.query(text).rows[0][0])


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_a_triple_in_two_files_counts_once(tmp_path, backend):
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text(TWICE, encoding="utf-8")
    with KnowledgeGraph.load([tmp_path / "a.ttl", tmp_path / "b.ttl"], bundled=False, backend=backend) as kg:
        n, s = kg.query(COUNT_SUM).rows[0]
        assert (int(n), int(s)) == (1, 10)
        # provenance is kept: GRAPH ?g names both files
        graphs = {str(g) for (g,) in kg.query("SELECT ?g WHERE { GRAPH ?g { ?x <http://e/v> ?v } }").rows}
        assert graphs == {(tmp_path / "a.ttl").as_uri(), (tmp_path / "b.ttl").as_uri()}


def test_a_persistent_store_keeps_set_semantics_after_a_reload(tmp_path):
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text(TWICE, encoding="utf-8")
    store = tmp_path / "store"
    files = [tmp_path / "a.ttl", tmp_path / "b.ttl"]
    with KnowledgeGraph.load(files, bundled=False, store=store) as kg:
        assert [int(x) for x in kg.query(COUNT_SUM).rows[0]] == [1, 10]
    (tmp_path / "b.ttl").write_text("@prefix ex: <http://e/> .\nex:b ex:v 5 .\n", encoding="utf-8")
    with KnowledgeGraph.load(files, bundled=False, store=store) as kg:  # b changed: a's triple must stay
        assert [int(x) for x in kg.query(COUNT_SUM).rows[0]] == [2, 15]
    with KnowledgeGraph.load([tmp_path / "b.ttl"], bundled=False, store=store) as kg:  # a dropped
        assert [int(x) for x in kg.query(COUNT_SUM).rows[0]] == [1, 5]


def test_the_library_answers_the_same_with_the_export_loaded_again(kg, tmp_path):
    """Ground triples stated twice count once (blank nodes are distinct per file, as RDF says)."""
    out = tmp_path / "all.nt"
    kg.export("ntriples", out)
    ground = tmp_path / "ground.nt"
    ground.write_text("".join(line + "\n" for line in out.read_text(encoding="utf-8").splitlines()
                              if "_:" not in line), encoding="utf-8")
    with KnowledgeGraph.load([ground]) as twice:
        assert len(twice) == len(kg)
        for name in sorted(kg.library):
            assert answer_lines(twice.query(name)) == answer_lines(kg.query(name)), name


def test_class_reasoning_is_on(kg):
    cases = scalar(kg, CASES)
    assert cases >= 60 and scalar(kg, PARTNERSHIPS) == cases
    agents = scalar(kg, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?c kmt:hasPartner ?a . ?a a foaf:Agent }")
    assert agents == scalar(kg, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?c kmt:hasPartner ?a }")
    # inverse and sub-properties: every party is org:memberOf its case
    assert scalar(kg, "ASK { ?c kmt:hasPartner ?a FILTER NOT EXISTS { ?a org:memberOf ?c } }".replace(
        "ASK", "SELECT (COUNT(*) AS ?n) WHERE")) == 0


def test_asserted_turns_reasoning_off():
    with KnowledgeGraph.load(asserted=True) as kg:
        assert scalar(kg, PARTNERSHIPS) == 0 and scalar(kg, CASES) >= 60


def test_reasoning_on_the_rdflib_backend_too(small_kg):
    with KnowledgeGraph.load(small_kg.data_files, bundled=False, backend="rdflib") as kg:
        assert scalar(kg, PARTNERSHIPS) == scalar(kg, CASES) == 2


def test_a_changed_file_updates_the_derived_triples(tmp_path):
    from .helpers import SMALL

    data = tmp_path / "cases.ttl"
    data.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    store = tmp_path / "store"
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:
        assert scalar(kg, PARTNERSHIPS) == 2
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("kmt:TripleHelixPartnership", "kmt:NotAType"), encoding="utf-8")
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:
        assert scalar(kg, PARTNERSHIPS) == 1


def test_an_unchanged_store_reopens_without_writing(tmp_path):
    from .helpers import SMALL

    store = tmp_path / "store"
    with KnowledgeGraph.load([SMALL], bundled=False, store=store):
        pass
    stamp = {p: p.stat().st_mtime_ns for p in store.iterdir() if p.name == "kemitraan-files.json"}
    assert stamp
    with KnowledgeGraph.load([SMALL], bundled=False, store=store) as kg:
        assert kg.load_report.loaded == [] and scalar(kg, PARTNERSHIPS) == 2
    assert {p: p.stat().st_mtime_ns for p in stamp} == stamp


def test_derived_triples_are_stored_once_and_still_listed_as_the_derived_graph(tmp_path):
    """Memory: an entailment is one quad (the union's), not two; the Python side still sees the
    derived graph (export --inferred and validation read it), and GRAPH ?g names only files."""
    import pyoxigraph as ox

    from kemitraan_graph.namespaces import DERIVED_GRAPH, KMT, RDF

    from .helpers import SMALL

    with KnowledgeGraph.load([SMALL], bundled=False) as kg:
        case = kg.query("SELECT ?c WHERE { ?c a kmt:TripleHelixPartnership }").rows[0][0]
        quads = list(kg.backend.ox.quads_for_pattern(ox.NamedNode(str(case)), ox.NamedNode(str(RDF.type)),
                                                     ox.NamedNode(str(KMT.Partnership)), None))
        assert [q.graph_name for q in quads] == [ox.DefaultGraph()]
        assert str(DERIVED_GRAPH) in kg.backend.graph_names()
        derived = {(q.subject.value, q.predicate.value, q.object.value) for q in kg.backend.quads(str(DERIVED_GRAPH))}
        assert (str(case), str(RDF.type), str(KMT.Partnership)) in derived
        assert not any(p == str(RDF.type) and o == str(KMT.TripleHelixPartnership) for _s, p, o in derived)
        graphs = {str(g) for (g,) in kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows}
        assert graphs == {str(g) for g in kg.file_graphs()}
        assert f"<{case}> <{RDF.type}> <{KMT.Partnership}>" in kg.export("ntriples", inferred=True).decode()
        assert f"<{case}> <{RDF.type}> <{KMT.Partnership}>" not in kg.export("ntriples").decode()
        # deriving again, or dropping the entailments, leaves the union the set of the files' graphs (+ them)
        from kemitraan_graph.inference import derive, drop_derived

        size, stated = len(kg), len(kg.query("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))
        derive(kg.backend)
        assert len(kg) == size and scalar(kg, PARTNERSHIPS) == 2
        drop_derived(kg.backend)
        assert len(kg) == stated < size and scalar(kg, PARTNERSHIPS) == 0
        assert str(DERIVED_GRAPH) not in kg.backend.graph_names()


def test_a_persistent_store_remembers_whether_it_holds_the_entailments(tmp_path):
    from .helpers import SMALL

    store = tmp_path / "store"
    with KnowledgeGraph.load([SMALL], bundled=False, store=store) as kg:
        assert scalar(kg, PARTNERSHIPS) == 2
    with KnowledgeGraph.load([SMALL], bundled=False, store=store, asserted=True) as kg:
        assert scalar(kg, PARTNERSHIPS) == 0 and scalar(kg, CASES) == 2
    with KnowledgeGraph.load([SMALL], bundled=False, store=store, read_only=True) as kg:
        assert scalar(kg, PARTNERSHIPS) == 0  # read-only: used as it was left
    with KnowledgeGraph.load([SMALL], bundled=False, store=store) as kg:  # unchanged files, but no entailments
        assert kg.load_report.loaded == [] and scalar(kg, PARTNERSHIPS) == 2
    with KnowledgeGraph.load([SMALL], bundled=False, store=store, read_only=True) as kg:
        assert scalar(kg, PARTNERSHIPS) == 2
        assert scalar(kg, "SELECT (COUNT(*) AS ?n) WHERE { ?c kmt:hasPartner ?a }") > 2  # the chain


def test_a_store_built_with_a_derived_named_graph_is_migrated_when_it_derives_again(tmp_path):
    """Stores built before the entailments moved into the union only kept them in a named graph too:
    such a store answers as it is while its files are unchanged, and loses that graph (the union
    rebuilt from the files) the next time it derives."""
    import pyoxigraph as ox

    from kemitraan_graph.namespaces import DERIVED_GRAPH
    from kemitraan_graph.store.oxigraph import DERIVED_MARKER

    from .helpers import SMALL

    data = tmp_path / "cases.ttl"
    data.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    store = tmp_path / "store"
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:
        be = kg.backend
        be._writable()
        old = ox.NamedNode(str(DERIVED_GRAPH))
        be.ox.extend([ox.Quad(q.subject, q.predicate, q.object, old) for q in be.quads(str(DERIVED_GRAPH))]
                     + [ox.Quad(ox.NamedNode("http://e/stale"), ox.NamedNode("http://e/p"), ox.Literal("x"), old),
                        ox.Quad(ox.NamedNode("http://e/stale"), ox.NamedNode("http://e/p"), ox.Literal("x"))])
        size = len(kg)
    (store / DERIVED_MARKER).unlink()
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:  # unchanged: used as it is
        assert kg.load_report.loaded == [] and scalar(kg, PARTNERSHIPS) == 2 and len(kg) == size
    data.write_text(data.read_text(encoding="utf-8") + "\n<http://e/new> <http://e/p> 1 .\n", encoding="utf-8")
    with KnowledgeGraph.load([data], bundled=False, store=store) as kg:  # changed: derived again
        assert scalar(kg, PARTNERSHIPS) == 2 and len(kg) == size  # the stale triple went, the new one came
        assert not kg.backend.ox.contains_named_graph(ox.NamedNode(str(DERIVED_GRAPH)))
        assert not kg.query("ASK { <http://e/stale> ?p ?o }").boolean
    assert (store / DERIVED_MARKER).is_file()


def test_export_inferred_changes_no_later_answer(tmp_path):
    from .helpers import SMALL

    store = tmp_path / "store"
    with KnowledgeGraph.load([SMALL], bundled=False, store=store) as kg:
        before = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        data = kg.export("turtle", inferred=True)
        assert b"owl" in data or len(data) > 0
        assert kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == before
    with KnowledgeGraph.load([SMALL], bundled=False, store=store) as kg:
        assert kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == before


def test_asserted_cli_flag(run_cli):
    res = run_cli("--asserted", "query", "-f", "csv", "--text", PARTNERSHIPS)
    assert res.returncode == 0 and res.stdout.splitlines()[1] == "0"
    res = run_cli("query", "-f", "csv", "--text", PARTNERSHIPS)
    assert res.returncode == 0 and int(res.stdout.splitlines()[1]) >= 60


def test_derived_supertypes_do_not_double_rows(kg):
    """With reasoning on, an actor is also every superclass of its kind; per-kind rows use the most
    specific kind, so no actor is listed twice (a state-owned enterprise is not also a company row)."""
    actors = [row[0] for row in kg.query("top-actors").rows]
    assert actors and len(actors) == len(set(actors))
    kinds = {str(row[0]) for row in kg.query("actors-by-kind").rows}
    total = sum(int(row[1]) for row in kg.query("actors-by-kind").rows)
    assert "https://w3id.org/kemitraan/ontology#StateOwnedEnterprise" in kinds
    assert total == scalar(kg, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?c kmt:hasPartner ?a . ?a a ?k "
                               "FILTER(STRSTARTS(STR(?k), STR(kmt:))) }")
