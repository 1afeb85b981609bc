"""SHACL (pySHACL) and closed-vocabulary checks -> one report object."""

from __future__ import annotations

import difflib
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from .namespaces import KMT, ORG
from .sourcemap import SourceMap
from .sparql_text import tokens
from .terms import local_name, pick_label

CLOSED_VOCABULARY = "closed-vocabulary"


#: every word of the report in both languages
WORDS: dict[str, dict[str, str]] = {
    "Violation": {"en": "Violation", "id": "Pelanggaran"},
    "Warning": {"en": "Warning", "id": "Peringatan"},
    "Info": {"en": "Info", "id": "Info"},
    "value": {"en": "value", "id": "nilai"},
    "shape": {"en": "shape", "id": "bentuk"},
    "did you mean": {"en": "did you mean", "id": "maksud Anda"},
    "conforms": {"en": "conforms: no violations", "id": "sesuai: tidak ada pelanggaran"},
    "summary": {"en": "{n} problem(s) on {f} focus node(s)", "id": "{n} masalah pada {f} simpul fokus"},
    "participation": {"en": "participation of {party}", "id": "keikutsertaan {party}"},
}


@contextmanager
def quiet_literals() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal (``"2019-13-45"^^xsd:date``) it meets;
    the shapes report those as violations, so the log is held back while a check runs."""
    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def word(key: str, lang: str) -> str:
    return pick_label(WORDS[key], lang)


@dataclass
class Violation:
    focus: str
    message: dict[str, str]  # lang -> text
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    severity: str = "Violation"
    source: str | None = None  # file the focus node comes from
    line: int | None = None  # line of the focus node's first statement in ``source``
    focus_label: dict[str, str] | None = None  # lang -> readable name of a blank node
    suggestions: list[str] = field(default_factory=list)  # "did you mean" values (CURIEs)
    focus_node: Node | None = field(default=None, repr=False, compare=False)
    value_node: Node | None = field(default=None, repr=False, compare=False)

    def text(self, lang: str = "en") -> str:
        return pick_label(self.message, lang)

    def where(self) -> str:
        if not self.source:
            return ""
        return f"{self.source}:{self.line}" if self.line else self.source

    def focus_text(self, lang: str = "en") -> str:
        return pick_label(self.focus_label, lang) if self.focus_label else self.focus

    def to_line(self, lang: str = "en") -> str:
        where = self.where()
        path = f" [{self.path}]" if self.path else ""
        val = f" {word('value', lang)}={self.value}" if self.value else ""
        hint = f" — {word('did you mean', lang)} {', '.join(self.suggestions)}?" if self.suggestions else ""
        shape = f" ({word('shape', lang)} {self.shape})" if self.shape else ""
        sev = word(self.severity, lang) if self.severity in WORDS else self.severity
        head = f"{where}: " if where else ""
        return head + f"{self.focus_text(lang)}: {sev}{path}: {self.text(lang)}{val}{hint}{shape}"

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("focus_node", "value_node")}


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    focus_nodes_checked: int = 0

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def by_focus(self) -> dict[str, list[Violation]]:
        groups: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[v.focus].append(v)
        return dict(groups)

    def to_text(self, lang: str = "en") -> str:
        """One line a problem, ``file:line: focus: Violation [path]: message value=… — did you mean …?``."""
        if not self.violations:
            return word("conforms", lang) + "\n"
        lines = list(dict.fromkeys(v.to_line(lang) for v in self.violations))  # no line twice
        lines.append(word("summary", lang).format(n=len(lines), f=len(self.by_focus())))
        return "\n".join(lines) + "\n"

    def to_json(self) -> list[dict]:
        return [v.to_dict() for v in self.violations]


def _short(node: Node | None, graph: Graph) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # pragma: no cover - rdflib quirks on odd IRIs
            return str(node)
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return str(node)


def _path_text(path: Node | None, graphs: tuple[Graph, ...], names: Graph) -> str | None:
    """A SHACL property path as SPARQL-like text: ``kmt:hasParticipation/org:member``, ``^p``..."""
    if not isinstance(path, BNode):
        return _short(path, names)
    from rdflib.collection import Collection

    for g in graphs:
        if g.value(path, RDF.first) is not None:
            return "/".join(_path_text(p, graphs, names) or "?" for p in Collection(g, path))
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + (_path_text(inverse, graphs, names) or "?")
        for prop, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = g.value(path, prop)
            if inner is not None:
                return "(" + (_path_text(inner, graphs, names) or "?") + ")" + mark
    return "(path)"


def shacl_violations(data: Graph, shapes: Graph) -> list[Violation]:
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True,
        advanced=True, meta_shacl=False,
    )
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        messages: dict[str, str] = {}
        for m in report.objects(result, SH.resultMessage):
            messages.setdefault(getattr(m, "language", None) or "en", str(m))
        severity = report.value(result, SH.resultSeverity)
        shape = report.value(result, SH.sourceShape)
        focus, value = report.value(result, SH.focusNode), report.value(result, SH.value)
        out.append(Violation(
            focus=_short(focus, data) or "?",
            message=messages,
            path=_path_text(report.value(result, SH.resultPath), (report, shapes), data),
            value=_short(value, data),
            shape=_short(shape, data) if isinstance(shape, URIRef) else None,
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus_node=focus, value_node=value,
        ))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.text()))


@dataclass
class SparqlCheck:
    """A SHACL-SPARQL constraint, run natively on the store in one query (pySHACL would parse
    the query again for every focus node: measured 12 s of 13 on the bundled data)."""

    shape: URIRef
    select: str
    messages: dict[str, str]
    target_classes: list[URIRef]
    target_subjects_of: list[URIRef] = field(default_factory=list)


def split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[SparqlCheck]]:
    """The shapes without their sh:sparql constraints on class-targeted node shapes, and those checks."""
    rest = Graph()
    for t in shapes:
        rest.add(t)
    for prefix, ns in shapes.namespaces():
        rest.bind(prefix, ns, override=True)
    checks = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        targets = list(shapes.objects(shape, SH.targetClass))
        subjects_of = list(shapes.objects(shape, SH.targetSubjectsOf))
        other_targets = any(shapes.value(shape, p) is not None for p in (SH.targetNode, SH.targetObjectsOf))
        select = shapes.value(constraint, SH.select)
        deactivated = shapes.value(constraint, SH.deactivated)
        if not targets or other_targets or select is None or isinstance(shape, BNode) or (
                deactivated is not None and deactivated.toPython() is True):
            continue
        prologue = ""
        for decl_holder in shapes.objects(constraint, SH.prefixes):
            for decl in shapes.objects(decl_holder, SH.declare):
                prologue += f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>\n"
        messages = {getattr(m, "language", None) or "en": str(m) for m in shapes.objects(constraint, SH.message)}
        checks.append(SparqlCheck(shape, prologue + _this_to_var(str(select)), messages, targets, subjects_of))
        rest.remove((shape, SH.sparql, constraint))
    return rest, checks


def _this_to_var(select: str) -> str:
    out, last = [], 0
    for kind, tok, off in tokens(select):
        if kind == "var" and tok == "$this":
            out.append(select[last:off] + "?this")
            last = off + len(tok)
    return "".join(out) + select[last:]


def run_sparql_checks(checks: list[SparqlCheck], select, names: Graph) -> list[Violation]:
    """``select(text) -> QueryResult`` over ontology + data; violations of every check."""
    out = []
    for check in checks:
        targets = set()
        for cls in check.target_classes:
            res = select(f"SELECT DISTINCT ?x WHERE {{ ?x a/rdfs:subClassOf* <{cls}> }}")
            targets |= {row[0] for row in res.rows}
        for prop in check.target_subjects_of:
            res = select(f"SELECT DISTINCT ?x WHERE {{ ?x <{prop}> ?any }}")
            targets |= {row[0] for row in res.rows}
        res = select(check.select)
        value_col = res.vars.index("value") if "value" in res.vars else None
        for row in res.to_dicts():
            focus = row.get("this")
            if focus is None or focus not in targets:
                continue
            value = row.get("value") if value_col is not None else None
            out.append(Violation(focus=_short(focus, names) or str(focus), message=dict(check.messages),
                                 value=_short(value, names), shape=_short(check.shape, names),
                                 focus_node=focus, value_node=value))
    return out


def undefined_terms(data: Iterable, ontology: Graph, namespaces: Iterable[str] = (),
                    names: Graph | None = None) -> list[Violation]:
    """Terms of kmt: (and of ``namespaces``, a project's own) used in the data that neither the
    ontology nor a project module defines (closed vocabulary); each with the closest defined terms.
    ``data`` is a graph or any iterable of triples (then ``names`` gives the prefixes)."""
    names = names if names is not None else data  # type: ignore[assignment]
    spaces = tuple(dict.fromkeys([str(KMT), *map(str, namespaces)]))
    defined = {s for s in ontology.subjects() if isinstance(s, URIRef)}
    seen: dict[URIRef, tuple[Node, bool]] = {}
    for s, p, o in data:
        for term in (s, p, o):
            if isinstance(term, URIRef) and str(term).startswith(spaces) and term not in defined:
                as_type = p == RDF.type and term == o
                old = seen.get(term)
                if old is None or (as_type and not old[1]):
                    seen[term] = (s, as_type)
    out = []
    for term, (user, as_type) in sorted(seen.items()):
        ns = next(sp for sp in spaces if str(term).startswith(sp))
        pool = [d for d in defined if str(d).startswith(ns)]
        if as_type:
            pool = [d for d in pool if (d, RDF.type, OWL.Class) in ontology or (d, RDF.type, RDFS.Class) in ontology]
        near = closest(term, {d: _labels_of(d, ontology) for d in pool})
        t = _short(term, names)
        out.append(Violation(
            focus=_short(user, names) or str(user), path="rdf:type" if as_type else None, value=t,
            message={"en": f"term {t} is not defined in the ontology or the project's modules",
                     "id": f"istilah {t} tidak didefinisikan dalam ontologi atau modul proyek"},
            shape=CLOSED_VOCABULARY, suggestions=[_short(n, ontology) or str(n) for n in near],
            focus_node=user, value_node=term))
    return out


def _labels_of(node: Node, graph: Graph) -> list[str]:
    return [str(label) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for label in graph.objects(node, p)]


def closest(value: Node, candidates: dict[Node, list[str]], n: int = 3, cutoff: float = 0.6) -> list[Node]:
    """The candidates whose local name or a label is nearest ``value``'s local name (or text)."""
    key = local_name(str(value)) if isinstance(value, URIRef) else str(value)
    key = key.lower().replace("_", "-")
    scored = []
    for cand, labels in candidates.items():
        names = [local_name(str(cand))] + labels
        best = max(difflib.SequenceMatcher(None, key, name.lower()).ratio() for name in names)
        if best >= cutoff and cand != value:
            scored.append((-best, str(cand), cand))
    return [c for _s, _k, c in sorted(scored)[:n]]


def _value_candidates(shape: Node | None, shapes: Graph, data: Graph) -> dict[Node, list[str]]:
    """What a value of ``shape`` may be: the members of its sh:class, or its sh:in list."""
    if shape is None:
        return {}
    from rdflib.collection import Collection

    out: dict[Node, list[str]] = {}
    for cls in shapes.objects(shape, SH["class"]):
        for member in data.subjects(RDF.type, cls):
            if isinstance(member, URIRef):
                out[member] = _labels_of(member, data)
    for lst in shapes.objects(shape, SH["in"]):
        for member in Collection(shapes, lst):
            out[member] = _labels_of(member, data)
    return out


def annotate(violations: list[Violation], union: Graph, shapes: Graph, sources: SourceMap) -> list[Violation]:
    """Make a report readable: ``file:line`` of every focus node's first statement, blank nodes named
    by what holds them (a participation by its case and party), "did you mean" for a value outside
    its class or list; duplicates dropped; sorted by file and line."""
    ns = union.namespace_manager
    for v in violations:
        node = v.focus_node
        if isinstance(node, BNode):
            _name_blank_node(v, node, union, sources)
        elif isinstance(node, URIRef):
            found = sources.locate(str(node)) or sources.mentioned(str(node))
            # the line of the offending value or property inside that statement, when it names one
            for mark in (v.value_node, _simple_path(v.path, ns)):
                if found and isinstance(mark, URIRef):
                    inside = sources.within(str(node), str(mark), strict=True)
                    if inside:
                        found = inside
                        break
            if found:
                v.source, v.line = _display(found[0]), found[1]
        if isinstance(v.value_node, BNode):
            named = Violation(focus=v.value or "", message={})
            _name_blank_node(named, v.value_node, union, sources)
            v.value = (named.focus_label or {}).get("", v.value)
        if (not v.suggestions and isinstance(v.value_node, URIRef) and v.shape
                and v.shape != CLOSED_VOCABULARY):
            shape_node = URIRef(ns.expand_curie(v.shape)) if ":" in v.shape and "//" not in v.shape else None
            pool = _value_candidates(shape_node, shapes, union)
            if pool and v.value_node not in pool:
                v.suggestions = [_short(c, union) or str(c) for c in closest(v.value_node, pool)]
    unique: dict[tuple, Violation] = {}
    for v in violations:
        unique.setdefault((v.focus, v.path, v.text("en"), v.value, v.severity, v.shape), v)
    return sorted(unique.values(), key=lambda v: (v.source or "~", v.line or 0, v.focus, v.path or "", v.text()))


def _simple_path(path: str | None, ns) -> URIRef | None:
    if not path or any(c in path for c in "/^()*+?|"):
        return None
    try:
        return URIRef(ns.expand_curie(path))
    except (ValueError, TypeError):
        return None


def _name_blank_node(v: Violation, node: BNode, union: Graph, sources: SourceMap) -> None:
    for holder, prop in union.subject_predicates(node):
        if not isinstance(holder, URIRef):
            continue
        holder_text = _short(holder, union) or str(holder)
        party = union.value(node, ORG.member) if prop == KMT.hasParticipation else None
        # ``focus`` stays the blank node's id (callers filter on it); ``focus_label`` is what is printed
        if party is not None:
            party_text = _short(party, union) or str(party)
            v.focus_label = {lang: f"{holder_text} / " + WORDS["participation"][lang].format(party=party_text)
                             for lang in ("en", "id")}
            v.focus_label[""] = f"{holder_text} / {party_text}"
            found = sources.within(str(holder), str(party))
        else:
            prop_text = _short(prop, union) or str(prop)
            v.focus_label = {lang: f"{holder_text} / {prop_text}" for lang in ("en", "id", "")}
            found = sources.within(str(holder), str(prop))
        if found:
            v.source, v.line = _display(found[0]), found[1]
        return


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_shapes(path: Path | Iterable[Path]) -> Graph:
    """One shapes graph of a file (or several: the bundled shapes plus a project's)."""
    g = Graph()
    for p in ([path] if isinstance(path, (str, Path)) else path):
        g.parse(p, format="turtle")
    return g


def spaces_of(namespaces: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([str(KMT), *map(str, namespaces)]))


def native_shapes(shapes: Graph):
    """The shapes compiled for ``shacl_native``, or None when one of them needs pySHACL."""
    from .shacl_native import compile_shapes

    compiled, left = compile_shapes(shapes)
    return None if left else compiled


def native_violations(compiled, quads_of, graphs: list[str], shapes: Graph, names: Graph,
                      progress=None) -> list[Violation]:
    """SHACL Core on the union of ``graphs`` read from the store (``quads_of(graph)``), natively."""
    from .shacl_native import Index, paths_predicates, run, to_rdflib

    forwards, backwards = paths_predicates(compiled)
    index = Index(quads_of, graphs, forwards, backwards,
                  progress=(lambda n, d, t: progress("index", d, t)) if progress else None)
    results = run(compiled, index, progress=(lambda n, d, t: progress("shapes", d, t)) if progress else None)
    del index
    out = []
    for r in results:
        focus, value = to_rdflib(r.focus), to_rdflib(r.value)
        shape = r.shape.node
        out.append(Violation(
            focus=_short(focus, names) or "?", message=dict(r.shape.message),
            path=_path_text(r.shape.path_node, (shapes,), names) if r.shape.path_node is not None else None,
            value=_short(value, names), shape=_short(shape, names) if isinstance(shape, URIRef) else None,
            severity=r.shape.severity, focus_node=focus, value_node=value))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.text()))


def scan_data(quads_of, graphs: list[str], spaces: tuple[str, ...], defined: set[str]) -> tuple[int, list]:
    """(distinct subjects of the data graphs, for each term of ``spaces`` not in ``defined``: the
    first triple using it and the first typing something with it), in the store's terms' order."""
    import pyoxigraph as ox

    from .store import from_ox

    subjects: set = set()
    undefined: dict = {}  # IRI -> is it a term of ``spaces`` that is not defined (literals are never kept)
    first: dict = {}  # (term, as_type) -> triple
    rdf_type = ox.NamedNode(str(RDF.type))
    iri = ox.NamedNode
    for name in graphs:
        for q in quads_of(name):
            subjects.add(q.subject)
            for t in (q.subject, q.predicate, q.object):
                if type(t) is not iri:
                    continue
                bad = undefined.get(t)
                if bad is None:
                    bad = undefined[t] = t.value.startswith(spaces) and t.value not in defined
                if bad:
                    first.setdefault((t, False), q)
                    if q.predicate == rdf_type and t == q.object:
                        first.setdefault((t, True), q)
    hits = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in dict.fromkeys(first.values())]
    return len(subjects), hits


def context_graph(quads_of, graphs: list[str], violations: list[Violation], shapes: Graph, names: Graph) -> Graph:
    """The few triples ``annotate`` reads: who holds each blank node of the report, its org:member,
    the members of the classes the shapes name (and their labels)."""
    from .store import from_ox, to_ox

    g = Graph()
    for prefix, ns in names.namespaces():
        g.bind(prefix, ns, override=True)
    if not violations:
        return g
    blanks = {to_ox(n) for v in violations for n in (v.focus_node, v.value_node) if isinstance(n, BNode)}
    classes = {to_ox(c) for c in shapes.objects(None, SH["class"]) if isinstance(c, URIRef)}
    rdf_type, label_preds = to_ox(RDF.type), {to_ox(p) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)}
    members: set = set()
    labels = []
    for name in graphs:
        for q in quads_of(name):
            if q.object in blanks or q.subject in blanks or (q.predicate == rdf_type and q.object in classes):
                g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
                if q.predicate == rdf_type:
                    members.add(q.subject)
            elif q.predicate in label_preds:
                labels.append(q)
    for q in labels:
        if q.subject in members:
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g
