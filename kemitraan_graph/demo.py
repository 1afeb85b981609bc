"""``kemitraan demo``: the main job on the bundled data, as one library call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .api import KnowledgeGraph

DEMO_QUERIES = ("cases-by-type", "cases-by-sector", "top-actors")
DEMO_VIEWS = ("stakeholders", "actors", "concepts")
DEMO_ROWS = 10


@dataclass
class DemoReport:
    valid: bool
    text: str
    views: list[Path] = field(default_factory=list)


def run_demo(kg: KnowledgeGraph, out_dir: Path, lang: str = "en") -> DemoReport:
    from .summary import format_stats

    parts: list[str] = []
    report = kg.validate()
    parts.append(format_stats(kg.stats(lang=lang)))
    parts.append("validation: " + report.to_text(lang).strip().splitlines()[-1])
    for name in DEMO_QUERIES:
        if name in kg.library:
            q = kg.library[name]
            parts.append(f"\n== {q.get_title(lang)} ({name})")
            result = kg.query(name)
            parts.append(kg.format(result.limited(DEMO_ROWS), "table", lang).rstrip()
                         + (f"  (first {DEMO_ROWS} of {len(result)}; kemitraan query {name})"
                            if len(result) > DEMO_ROWS else ""))
    views = write_views(kg, out_dir, lang)
    parts.append("\nHTML views:")
    parts += [f"  {p}" for p in views]
    return DemoReport(report.conforms, "\n".join(parts), views)


def write_views(kg: KnowledgeGraph, out_dir: Path, lang: str) -> list[Path]:
    out = []
    for view in DEMO_VIEWS:
        path = out_dir / f"{view}.html"
        kg.write_view(view, path, lang=lang)
        out.append(path)
    return out
