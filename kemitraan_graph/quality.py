"""``kemitraan check``: an ontology quality report in the spirit of ROBOT report.

Findings at three levels (ERROR, WARN, INFO), each with ``file:line``: missing ``@id``/``@en`` labels
or definitions, terms used but defined nowhere, project classes and concepts with no parent in the
core, duplicate labels, deprecated terms in use, unresolved imports, OWL-RL inconsistency (members
of ``owl:Nothing``, disjointness clashes), and the violation queries of ``checks/*.rq`` (each row
returned is a problem). A check query opens with ``# level: ERROR|WARN|INFO`` and ``# title:`` /
``# title@id:`` lines and selects ``?focus`` (and optionally ``?value``).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .errors import QueryError
from .loading import graph_iri
from .namespaces import DERIVED_GRAPH, KMT, PREFIXES
from .resources import bundled_root
from .sourcemap import SourceMap
from .store import Backend, from_ox
from .terms import curie as _curie
from .terms import pick_label
from .validation import quiet_literals, undefined_terms

LEVELS = ("ERROR", "WARN", "INFO")
FORMATS = ("table", "tsv", "json")
_HEADER = re.compile(r"#\s*(level|title|description)(?:@([a-z]{2,3}))?\s*:\s*(.*?)\s*$", re.IGNORECASE)
_TERM_TYPES = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
               RDF.Property, SKOS.Concept, SKOS.ConceptScheme)
_REUSED = tuple(PREFIXES[p] for p in ("org", "foaf", "schema", "skos", "prov", "dcterms", "owl", "rdfs"))


@dataclass
class Finding:
    level: str
    rule: str
    focus: str
    message: dict[str, str]
    file: str | None = None
    line: int | None = None
    value: str | None = None

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file and self.line else (self.file or "")

    def text(self, lang: str = "en") -> str:
        return pick_label(self.message, lang)


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(f.level == level for f in self.findings)

    def fails(self, fail_on: str = "ERROR") -> bool:
        """True when a finding is at ``fail_on`` or worse (``none`` never fails)."""
        if fail_on.upper() not in LEVELS:
            return False
        worst = LEVELS[: LEVELS.index(fail_on.upper()) + 1]
        return any(f.level in worst for f in self.findings)

    def format(self, fmt: str = "table", lang: str = "en") -> str:
        if fmt == "json":
            return json.dumps([asdict(f) for f in self.findings], ensure_ascii=False, indent=2) + "\n"
        rows = [(f.level, f.rule, f.where(), f.focus, f.text(lang) + (f" ({f.value})" if f.value else ""))
                for f in self.findings]
        if fmt == "tsv":
            head = "level\trule\twhere\tfocus\tmessage"
            return "\n".join([head] + ["\t".join(c.replace("\t", " ").replace("\n", " ") for c in r)
                                       for r in rows]) + "\n"
        lines = [f"{lv:<5} {where + ': ' if where else ''}{focus}: {msg} [{rule}]"
                 for lv, rule, where, focus, msg in rows]
        summary = {"en": "{e} error(s), {w} warning(s), {i} note(s)",
                   "id": "{e} galat, {w} peringatan, {i} catatan"}
        lines.append(pick_label(summary, lang).format(e=self.count("ERROR"), w=self.count("WARN"),
                                                       i=self.count("INFO")))
        return "\n".join(lines) + "\n"


def _graph(backend: Backend, names: Sequence[str]) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    present = backend.graph_names()
    for name in names:
        if name in present:
            for q in backend.quads(name):
                g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


def quality_report(backend: Backend, *, core: Sequence[Path], ontology: Sequence[Path], data: Sequence[Path],
                   check_dirs: Sequence[Path] = (), reason: bool = True,
                   prefixes: dict[str, str] | None = None) -> CheckReport:
    """The findings over the loaded files; ``prefixes`` are a project's own (for names and the vocabulary)."""
    with quiet_literals():
        return _report(backend, core, ontology, data, check_dirs, reason, dict(prefixes or {}))


def _report(backend, core, ontology, data, check_dirs, reason, own: dict[str, str]) -> CheckReport:
    namespaces = list(own.values())
    names = {**PREFIXES, **own}

    def curie(iri: str) -> str:
        return _curie(iri, names)

    onto = _graph(backend, [graph_iri(p) for p in ontology])
    core_g = _graph(backend, [graph_iri(p) for p in core])
    data_g = _graph(backend, [graph_iri(p) for p in data])
    union = onto + data_g + _graph(backend, [str(DERIVED_GRAPH)])
    sources = SourceMap(list(ontology) + list(data))
    spaces = tuple(dict.fromkeys([str(KMT), *namespaces]))
    out: list[Finding] = []

    def add(level, rule, node, en, id_, value=None, at=None):
        found = sources.locate(str(node)) if isinstance(node, URIRef) else None
        if found is None and isinstance(node, URIRef):
            found = sources.mentioned(str(node))
        if at is not None and found is not None:
            found = sources.within(str(node), str(at)) or found
        out.append(Finding(level, rule, curie(str(node)) if isinstance(node, URIRef) else str(node),
                           {"en": en, "id": id_}, _display(found[0]) if found else None,
                           found[1] if found else None, value))

    terms = sorted({s for t in _TERM_TYPES for s in onto.subjects(RDF.type, t)
                    if isinstance(s, URIRef) and str(s).startswith(spaces)})
    core_terms = {s for s in core_g.subjects() if isinstance(s, URIRef)}
    for term in terms:
        is_concept = (term, RDF.type, SKOS.Concept) in onto or (term, RDF.type, SKOS.ConceptScheme) in onto
        label_props = (RDFS.label, SKOS.prefLabel)
        labels = {lit.language for p in label_props for lit in onto.objects(term, p) if isinstance(lit, Literal)}
        defs = {lit.language for lit in onto.objects(term, SKOS.definition) if isinstance(lit, Literal)}
        for lang in ("id", "en"):
            if lang not in labels:
                add("ERROR", "missing-label", term, f"no label @{lang} (rdfs:label or skos:prefLabel)",
                    f"tidak ada label @{lang} (rdfs:label atau skos:prefLabel)")
            if lang not in defs and not is_concept:
                add("WARN", "missing-definition", term, f"no skos:definition @{lang}",
                    f"tidak ada skos:definition @{lang}")
            elif lang not in defs and (term, RDF.type, SKOS.Concept) in onto:
                add("INFO", "missing-definition", term, f"concept without skos:definition @{lang}",
                    f"konsep tanpa skos:definition @{lang}")
        if term in core_terms:
            continue
        # a project term: its parents must reach the core (or a reused vocabulary)
        if (term, RDF.type, OWL.Class) in onto or (term, RDF.type, RDFS.Class) in onto:
            ups = set(union.transitive_objects(term, RDFS.subClassOf)) - {term}
            if not any(u in core_terms or str(u).startswith(_REUSED) for u in ups):
                add("WARN", "no-core-parent", term, "class with no parent in the core ontology (rdfs:subClassOf)",
                    "kelas tanpa induk dalam ontologi inti (rdfs:subClassOf)")
        elif (term, RDF.type, SKOS.Concept) in onto:
            ups = set(union.transitive_objects(term, SKOS.broader)) - {term}
            schemes = set(union.objects(term, SKOS.inScheme)) | set(union.objects(term, SKOS.topConceptOf))
            if not any(u in core_terms for u in ups | schemes):
                add("WARN", "no-core-parent", term,
                    "concept in no core scheme and with no broader concept in the core",
                    "konsep tidak dalam skema inti dan tanpa konsep lebih luas dalam inti")

    # duplicate labels among terms of one sort (a class and its like-named property are the convention)
    seen: dict[tuple[str, str, str], list[URIRef]] = defaultdict(list)
    for term in terms:
        sort = next((str(t) for t in _TERM_TYPES if (term, RDF.type, t) in onto), "")
        sort = "class" if sort in (str(OWL.Class), str(RDFS.Class)) else sort
        for p in (RDFS.label, SKOS.prefLabel):
            for lit in set(onto.objects(term, p)):
                if isinstance(lit, Literal):
                    key = (sort, lit.language or "", " ".join(str(lit).lower().split()))
                    if term not in seen[key]:
                        seen[key].append(term)
    for (_sort, lang, text), same in sorted(seen.items()):
        if len(same) > 1:
            others = ", ".join(curie(str(t)) for t in same[1:])
            for term in same[:1]:
                add("WARN", "duplicate-label", term, f'label "{text}"@{lang} also used by {others}',
                    f'label "{text}"@{lang} juga dipakai oleh {others}')

    # terms used but defined nowhere
    for v in undefined_terms(data_g, onto, namespaces):
        hint = f" — did you mean {', '.join(v.suggestions)}?" if v.suggestions else ""
        hint_id = f" — maksud Anda {', '.join(v.suggestions)}?" if v.suggestions else ""
        add("ERROR", "undefined-term", v.focus_node, f"uses {v.value}, defined nowhere{hint}",
            f"memakai {v.value}, tidak didefinisikan di mana pun{hint_id}", v.value, at=v.value_node)

    # deprecated terms in use
    for term in sorted(s for s in onto.subjects(OWL.deprecated, None)
                       if (s, OWL.deprecated, Literal(True)) in onto):
        for s, _p, _o in list(data_g.triples((None, None, term)))[:20] + list(data_g.triples((None, term, None)))[:20]:
            add("WARN", "deprecated-in-use", s, f"uses the deprecated term {curie(str(term))}",
                f"memakai istilah usang {curie(str(term))}", curie(str(term)), at=term)

    # unresolved imports
    res = backend.execute(
        "SELECT DISTINCT ?g ?o ?imp WHERE { GRAPH ?g { ?o owl:imports ?imp } "
        "FILTER NOT EXISTS { { ?imp a owl:Ontology } UNION { ?x owl:versionIRI ?imp } } "
        "FILTER NOT EXISTS { GRAPH ?imp { ?s ?p ?q } } }")
    for _g, o, imp in res.rows:
        add("ERROR", "unresolved-import", o, f"owl:imports <{imp}> resolves to no loaded file (never fetched)",
            f"owl:imports <{imp}> tidak mengarah ke berkas yang dimuat (tidak pernah diunduh)", str(imp), at=imp)

    if reason:
        out += _inconsistencies(union, add)
    for d in [bundled_root() / "checks", *check_dirs]:
        for path in sorted(Path(d).glob("*.rq")):
            _run_check(backend, path, add)
    order = {lv: i for i, lv in enumerate(LEVELS)}
    out.sort(key=lambda f: (order[f.level], f.file or "~", f.line or 0, f.rule, f.focus))
    return CheckReport(out)


def _inconsistencies(union: Graph, add) -> list[Finding]:
    """OWL-RL closure (``inference.closure``): members of owl:Nothing, disjointness clashes."""
    from .inference import closure

    full = union + closure(union, "owlrl")
    for s in sorted(set(full.subjects(RDF.type, OWL.Nothing))):
        if s != OWL.Nothing:
            add("ERROR", "inconsistent", s, "a member of owl:Nothing (OWL-RL)", "anggota owl:Nothing (OWL-RL)")
    pairs = {(a, b) for a, b in full.subject_objects(OWL.disjointWith)}
    from rdflib.collection import Collection

    for node in full.subjects(RDF.type, OWL.AllDisjointClasses):
        for lst in full.objects(node, OWL.members):
            members = list(Collection(full, lst))
            pairs |= {(a, b) for i, a in enumerate(members) for b in members[i + 1:]}
    clashed = set()
    for a, b in sorted(pairs):
        for x in set(full.subjects(RDF.type, a)) & set(full.subjects(RDF.type, b)):
            if (x, a, b) not in clashed and (x, b, a) not in clashed:
                clashed.add((x, a, b))
                add("ERROR", "inconsistent", x,
                    f"typed with the disjoint classes {_curie(str(a))} and {_curie(str(b))} (OWL-RL)",
                    f"bertipe kelas yang saling lepas {_curie(str(a))} dan {_curie(str(b))} (OWL-RL)")
    return []


def _run_check(backend: Backend, path: Path, add) -> None:
    text = path.read_text(encoding="utf-8")
    level, title = "WARN", {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip().startswith("#"):
            break
        m = _HEADER.fullmatch(line.strip())
        if not m:
            continue
        key, lang, value = m.group(1).lower(), m.group(2) or "en", m.group(3)
        if key == "level":
            if value.upper() not in LEVELS:
                raise QueryError(f"level must be one of {', '.join(LEVELS)}", lineno, 1, str(path))
            level = value.upper()
        elif key == "title":
            title[lang] = value
    try:
        res = backend.execute(text)
    except Exception as exc:  # the engine's message, with the file
        raise QueryError(str(exc).splitlines()[0], source=str(path)) from None
    if "focus" not in res.vars:
        raise QueryError("a check query must select ?focus", source=str(path))
    title = title or {"en": path.stem}
    for row in res.to_dicts():
        focus = row.get("focus")
        value = row.get("value")
        add(level, path.stem, focus, pick_label(title, "en"), pick_label(title, "id"),
            _curie(str(value)) if value is not None else None, at=value if isinstance(value, URIRef) else None)


def _display(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


__all__ = ["FORMATS", "LEVELS", "CheckReport", "Finding", "quality_report"]
