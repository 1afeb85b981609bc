"""Bounds checked before a parser sees a file (kemitraan_graph.limits), and the tests/hostile corpus."""

from __future__ import annotations

import re
import resource
import time
from pathlib import Path

import pytest

from kemitraan_graph import limits
from kemitraan_graph.errors import KemitraanError, LoadError, QueryError
from kemitraan_graph.guard import check_query

HOSTILE = Path(__file__).resolve().parent / "hostile"
ROOT = HOSTILE.parents[1]


def corpus() -> list[tuple[str, str, str | None]]:
    """(file, used as, expected error after ``FILE:``) from the table in tests/hostile/README.md."""
    rows = []
    for line in (HOSTILE / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|\s*(data|query)\s*\|\s*(.*?)\s*\|\s*$", line)
        if m:
            expected = re.match(r"`(.*)`$", m.group(3))
            rows.append((m.group(1), m.group(2), expected.group(1) if expected else None))
    return rows


def test_the_table_names_every_file_of_the_corpus():
    named = {row[0] for row in corpus()}
    present = {p.name for p in HOSTILE.iterdir() if p.name not in ("README.md", ".gitattributes")}
    assert named == present
    assert len(named) >= 15


@pytest.mark.parametrize("name, used_as, expected", corpus())
def test_hostile_file_gives_its_error_quickly(name, used_as, expected):
    path = HOSTILE / name
    start = time.perf_counter()
    if expected is None:
        limits.check_file(path)
        return
    with pytest.raises(KemitraanError) as info:
        if used_as == "data":
            limits.check_file(path)
        else:
            check_query(path.read_text(encoding="utf-8"), source=str(path))
    assert time.perf_counter() - start < 2
    assert str(info.value).startswith(f"{path}:{expected}"), str(info.value)
    assert info.value.exit_code == 2
    assert isinstance(info.value, LoadError if used_as == "data" else QueryError)


def test_bundled_data_and_fixtures_pass(tmp_path):
    files = [p for p in (ROOT / "data").rglob("*") if p.suffix in (".ttl", ".jsonld", ".rdf", ".trig")]
    files += [p for p in (ROOT / "ontology").rglob("*.ttl")]
    files += [p for p in (ROOT / "tests" / "fixtures").rglob("*")
              if p.suffix in (".ttl", ".jsonld", ".rdf", ".trig") and p.name != "malformed.ttl"]
    assert len(files) > 20
    for p in files:
        limits.check_file(p)


def test_nesting_just_inside_the_limits_passes(tmp_path):
    n = limits.MAX_JSON_DEPTH - 1
    ok = tmp_path / "ok.jsonld"
    ok.write_text('{"http://e/p": ' * n + '"v"' + "}" * n, encoding="utf-8")
    limits.check_file(ok)
    n = limits.MAX_TURTLE_NESTING
    ttl = tmp_path / "ok.ttl"
    ttl.write_text("<http://e/s> <http://e/p> " + "[ <http://e/p> " * n + '"v"' + " ]" * n + " .\n", encoding="utf-8")
    limits.check_file(ttl)
    xml = tmp_path / "ok.rdf"
    n = (limits.MAX_XML_DEPTH - 2) // 2
    xml.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
                   '<rdf:Description rdf:about="http://e/s">' + "<e:p><rdf:Description>" * n
                   + "</rdf:Description></e:p>" * n + "</rdf:Description></rdf:RDF>", encoding="utf-8")
    limits.check_file(xml)


def test_brackets_in_strings_iris_and_comments_do_not_count(tmp_path):
    many = "[" * 5000
    ttl = tmp_path / "strings.ttl"
    ttl.write_text(
        "@prefix ex: <http://e/> .\n"
        f'ex:a ex:p "{many}" , \'{many}\' , """{many}\n""" , \'\'\'{many}\'\'\' .\n'
        f"# {many}\n"
        f"ex:a ex:p <http://e/{'(' * 5000}> .\n"
        f'ex:a ex:p "esc \\" {many}" .\n'
        "ex:a\\#b ex:p ex:c .\n", encoding="utf-8")
    limits.check_file(ttl)
    js = tmp_path / "strings.jsonld"
    js.write_text('{"@id": "http://e/a", "http://e/p": "' + "{[" * 5000 + '\\" ]"}', encoding="utf-8")
    limits.check_file(js)


def test_chunk_boundaries_do_not_change_the_answer(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "CHUNK_BYTES", 7)
    ttl = tmp_path / "small-chunks.ttl"
    ttl.write_text('<http://e/s> <http://e/p> "a [[[[ string" ; <http://e/q> [ <http://e/r> ( 1 2 ) ] .\n'
                   '# a comment with ((((\n<http://e/s> <http://e/p> """long\n[[[[ string""" .\n', encoding="utf-8")
    limits.check_file(ttl)
    deep = tmp_path / "deep.ttl"
    deep.write_text("<http://e/s> <http://e/p> " + "[ <http://e/p> " * 300 + '"v"' + " ]" * 300 + " .\n",
                    encoding="utf-8")
    with pytest.raises(LoadError, match=r"deep.ttl:1:\d+: Turtle nests"):
        limits.check_file(deep)


def test_unbalanced_closing_bracket_is_refused(tmp_path):
    bad = tmp_path / "bad.jsonld"
    bad.write_text('{"a": 1}]]]]' + "[" * 300, encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad.jsonld:1:9: JSON-LD closes a bracket that was never opened"):
        limits.check_file(bad)


def test_malformed_xml_names_the_position(tmp_path):
    bad = tmp_path / "bad.rdf"
    bad.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                   "  <rdf:Description></rdf:RDF>\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad.rdf:3:\d+: not well-formed XML: mismatched tag"):
        limits.check_file(bad)


def test_large_flat_file_is_scanned_in_little_memory(tmp_path):
    big = tmp_path / "big.ttl"
    line = '<http://e/s> <http://e/p> "a literal with [brackets] and a # hash" ; <http://e/q> [ <http://e/r> 1 ] .\n'
    with big.open("w", encoding="utf-8") as f:
        for _ in range(60_000):
            f.write(line)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    limits.check_file(big)
    assert time.perf_counter() - start < 5
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 64 * 1024, "the scan reads in chunks"
