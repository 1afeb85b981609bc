"""``kemitraan docs``: the ontology and vocabularies as ONE self-contained offline HTML page.

Every class, property and concept with its labels and definitions (Indonesian or English, switched
on the page, never mixed), hierarchy, domain and range, the shapes that target or constrain it,
how many cases use it and links to example cases; the competency questions with their queries.
Each term has a stable anchor: the IRI's local name for ``kmt:`` terms (so that
``https://w3id.org/kemitraan/ontology#Partnership`` can resolve to ``index.html#Partnership``),
``prefix-localname`` for others. Same page rules as the views (``page``): data only as escaped
JSON, the DOM built with ``textContent``, a strict CSP allowing the one inline script by its hash.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from ..namespaces import KMT, PREFIXES
from ..terms import both_labels, check_lang, local_name
from ..terms import curie as _curie
from .template import fill_page, page_assets

if TYPE_CHECKING:  # pragma: no cover
    from ..reader import GraphReader

WORDS = {
    "classes": ["Kelas", "Classes"], "properties": ["Properti", "Properties"],
    "concepts": ["Konsep", "Concepts"], "schemes": ["Skema konsep", "Concept schemes"],
    "questions": ["Pertanyaan kompetensi", "Competency questions"],
    "definition": ["Definisi", "Definition"], "otherLabel": ["Label lain", "Other label"],
    "parents": ["Induk", "Parents"], "children": ["Turunan", "Children"], "domain": ["Domain", "Domain"],
    "range": ["Jangkauan", "Range"], "scheme": ["Skema", "Scheme"], "shapes": ["Bentuk SHACL", "SHACL shapes"],
    "uses": ["Dipakai oleh kasus", "Cases using it"], "examples": ["Contoh kasus", "Example cases"],
}
_SECTIONS = (
    ("classes", "VALUES ?t { owl:Class rdfs:Class }"),
    ("properties", "VALUES ?t { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }"),
    ("schemes", "VALUES ?t { skos:ConceptScheme }"),
    ("concepts", "VALUES ?t { skos:Concept }"),
)


def anchor(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """The stable anchor of a term on the page: ``Partnership`` for kmt:, ``vil-Thing`` for others."""
    if iri.startswith(str(KMT)):
        return iri[len(str(KMT)):]
    c = _curie(iri, prefixes)
    return re.sub(r"[^A-Za-z0-9_.-]", "-", c) if c != iri else re.sub(r"[^A-Za-z0-9_.-]", "-", iri)


def _pair(texts: dict[str, str]) -> list[str]:
    return [texts.get("id", ""), texts.get("en", "")]


def docs_payload(reader: GraphReader, shapes: list[Path], lang: str = "en", title: str | None = None,
                 prefixes: dict[str, str] | None = None) -> dict:
    names = {**PREFIXES, **(prefixes or {})}

    def curie(iri: str) -> str:
        return _curie(iri, names)

    def anchor(iri: str) -> str:
        return term_anchor(iri, names)

    spaces = {str(KMT), *(prefixes or {}).values()}
    sections = []
    index: dict[str, dict] = {}
    for key, values in _SECTIONS:
        rows = reader.rows(f"SELECT DISTINCT ?s WHERE {{ {values} ?s a ?t . FILTER(isIRI(?s)) }}")
        terms = sorted({str(r[0]) for r in rows if r[0] is not None} - set(index))
        # the core's and a project's own terms: kmt:, or defined by / in a scheme of a loaded module
        described = {str(r[0]) for r in reader.rows(
            "SELECT DISTINCT ?s WHERE { ?s rdfs:isDefinedBy|skos:inScheme ?d . FILTER(isIRI(?s)) }")}
        own = [t for t in terms if t.startswith(tuple(spaces)) or t in described]
        sections.append({"key": key, "terms": own})
        for t in own:
            index[t] = {"iri": t, "curie": curie(t), "anchor": anchor(t)}
    iris = list(index)
    labels = reader.label_texts(iris)
    values = " ".join(f"<{i}>" for i in iris)

    def pairs(query: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        if iris:
            text = f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?s {{ {values} }} {query} FILTER(isIRI(?o)) }}"
            for s, o in reader.rows(text):
                if str(o) not in out[str(s)]:
                    out[str(s)].append(str(o))
        return out

    parents = pairs("{ ?s rdfs:subClassOf ?o } UNION { ?s rdfs:subPropertyOf ?o } UNION { ?s skos:broader ?o }")
    children: dict[str, list[str]] = defaultdict(list)
    for child, ups in parents.items():
        for up in ups:
            children[up].append(child)
    domain, rng = pairs("?s rdfs:domain ?o"), pairs("?s rdfs:range ?o")
    scheme = pairs("?s skos:inScheme ?o")
    definitions: dict[str, dict[str, str]] = defaultdict(dict)
    if iris:
        for s, d in reader.rows(f"SELECT ?s ?d WHERE {{ VALUES ?s {{ {values} }} ?s skos:definition ?d }}"):
            definitions[str(s)][getattr(d, "language", None) or "en"] = str(d)
    # uses: cases that have the term as a type, a property or a value; up to five examples
    uses: dict[str, set[str]] = defaultdict(set)
    for case, term in reader.rows(
            "SELECT DISTINCT ?c ?t WHERE { ?c a kmt:Partnership . { ?c a ?t } UNION { ?c ?t ?x } UNION { ?c ?p ?t } }"):
        if str(term) in index:
            uses[str(term)].add(str(case))
    case_labels = reader.label_texts({c for cs in uses.values() for c in cs})
    examples: dict[str, dict] = {}
    shape_map = _shapes_by_term(shapes, names)
    for t, entry in index.items():
        texts = both_labels(labels.get(t), local_name(t))
        entry.update({
            "label": _pair(texts), "definition": _pair(definitions.get(t, {})),
            "parents": parents.get(t, []), "children": sorted(children.get(t, [])),
            "domain": domain.get(t, []), "range": rng.get(t, []), "scheme": scheme.get(t, []),
            "shapes": sorted(shape_map.get(t, [])), "uses": len(uses.get(t, ())),
            "examples": sorted(uses.get(t, ()))[:5],
        })
        for c in entry["examples"]:
            examples[c] = {"iri": c, "curie": curie(c), "anchor": anchor(c),
                           "label": _pair(both_labels(case_labels.get(c), local_name(c)))}

    library = reader.library
    queries = [{"name": q.name, "title": _pair(q.title), "description": _pair(q.description), "text": q.text}
               for q in library.values()]
    # example cases and terms of reused vocabularies are not on the page: link them by their IRI
    for c, e in examples.items():
        index.setdefault(c, {**e, "external": True})
    for entry in list(index.values()):
        for key in ("parents", "children", "domain", "range", "scheme"):
            for other in entry.get(key, []):
                if other not in index:
                    index[other] = {"iri": other, "curie": curie(other), "anchor": anchor(other),
                                    "label": [curie(other), curie(other)], "external": True}
    return {
        "lang": lang, "title": ["Dokumentasi ontologi " + (title or "kemitraan-graph"),
                                (title or "kemitraan-graph") + " ontology documentation"],
        "words": WORDS, "sections": sections, "index": index, "queries": queries, "examples": sorted(examples),
    }


def _shapes_by_term(paths: list[Path], names: dict[str, str]) -> dict[str, set[str]]:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    out: dict[str, set[str]] = defaultdict(set)
    for pred in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH["class"], SH.hasValue):
        for shape, term in g.subject_objects(pred):
            if isinstance(term, URIRef) and isinstance(shape, URIRef):
                out[str(term)].add(_curie(str(shape), names))
            elif isinstance(term, URIRef):  # an anonymous property shape: name its node shape
                for owner in g.subjects(SH.property, shape):
                    if isinstance(owner, URIRef):
                        out[str(term)].add(_curie(str(owner), names))
    return out


def render_docs(payload: dict) -> str:
    lang = payload["lang"]
    return fill_page(page_assets("docs", (("script", "docs.js"),)), lang=lang,
                     title=payload["title"][0 if lang == "id" else 1], payload=payload)


def write_docs(reader: GraphReader, out_dir: str | Path, *, shapes: list[Path], lang: str = "en",
               title: str | None = None, prefixes: dict[str, str] | None = None) -> list[Path]:
    """Write ``out_dir/index.html`` (atomically); returns the files written."""
    from ..atomic import write_text

    check_lang(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    write_text(page, render_docs(docs_payload(reader, shapes, lang, title, prefixes)))
    return [page]


term_anchor = anchor

__all__ = ["anchor", "term_anchor", "docs_payload", "render_docs", "write_docs"]
