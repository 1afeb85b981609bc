"""SHACL (pySHACL) and closed-vocabulary checks -> one report object."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .namespaces import KMT
from .querylib import pick_lang

CLOSED_VOCABULARY = "closed-vocabulary"


@dataclass
class Violation:
    focus: str
    message: dict[str, str]  # lang -> text
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    severity: str = "Violation"
    source: str | None = None  # file the focus node comes from

    def text(self, lang: str = "en") -> str:
        return pick_lang(self.message, lang) or ""


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
        if self.conforms and not self.violations:
            return "conforms: no violations\n" if lang == "en" else "sesuai: tidak ada pelanggaran\n"
        out = []
        for focus, items in self.by_focus().items():
            src = items[0].source
            out.append(f"{focus}" + (f"  ({src})" if src else ""))
            for v in items:
                where = f" [{v.path}]" if v.path else ""
                val = f" value={v.value}" if v.value else ""
                shape = f" (shape {v.shape})" if v.shape else ""
                out.append(f"  - {v.severity}{where}: {v.text(lang)}{val}{shape}")
        n = len(self.violations)
        out.append(f"{n} problem(s) on {len(self.by_focus())} focus node(s)")
        return "\n".join(out) + "\n"

    def to_json(self) -> list[dict]:
        return [v.__dict__ for v in self.violations]


def _short(node: Node | None, graph: Graph) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # pragma: no cover - rdflib quirks on odd IRIs
            return str(node)
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


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
        out.append(Violation(
            focus=_short(report.value(result, SH.focusNode), data) or "?",
            message=messages,
            path=_short(report.value(result, SH.resultPath), data),
            value=_short(report.value(result, SH.value), data),
            shape=_short(shape, data) if isinstance(shape, URIRef) else None,
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        ))
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.text()))


def undefined_terms(data: Graph, ontology: Graph) -> list[Violation]:
    """kmt: terms used in the data that the ontology does not define (closed vocabulary)."""
    defined = {s for s in ontology.subjects() if isinstance(s, URIRef)}
    seen: dict[URIRef, Node] = {}
    for s, p, o in data:
        for term in (s, p, o):
            if isinstance(term, URIRef) and term.startswith(str(KMT)) and term not in defined:
                seen.setdefault(term, s)
    return [
        Violation(focus=_short(user, data) or str(user), path=None, value=_short(term, data),
                  message={"en": f"term {_short(term, data)} is not defined in the ontology",
                           "id": f"istilah {_short(term, data)} tidak didefinisikan dalam ontologi"},
                  shape=CLOSED_VOCABULARY)
        for term, user in sorted(seen.items())
    ]


def load_shapes(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g
