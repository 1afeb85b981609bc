"""``kemitraan demo``: the main job on the bundled data, as one library call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .api import KnowledgeGraph

DEMO_QUERIES = ("cases-by-type", "cases-by-sector", "top-actors")
DEMO_VIEWS = ("stakeholders", "actors", "concepts")
#: pages beside the network views: the profile (``render.write_profile``), timeline and map (``render.write_chart``)
DEMO_CHARTS = ("profile", "timeline", "map")
#: what the overview page (index.html) says of each page: title and one line, id/en
DEMO_LINKS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "stakeholders": ({"id": "Jaringan pemangku kepentingan", "en": "Stakeholder network"},
                     {"id": "Kemitraan dan pihak-pihaknya.", "en": "Partnerships and their parties."}),
    "actors": ({"id": "Jaringan aktor", "en": "Actor network"},
               {"id": "Aktor yang bermitra dalam kemitraan yang sama.",
                "en": "Actors that partner in the same partnerships."}),
    "concepts": ({"id": "Jaringan konsep", "en": "Concept network"},
                 {"id": "Jenis, sektor, manfaat dan karakteristik.",
                  "en": "Kinds, sectors, benefits and characteristics."}),
    "profile": ({"id": "Profil kemitraan", "en": "Partnership profile"},
                {"id": "Jenis kemitraan terhadap manfaat dan karakteristik teks sumber.",
                 "en": "Partnership kinds against the source text's benefits and characteristics."}),
    "timeline": ({"id": "Lini masa", "en": "Timeline"},
                 {"id": "Kemitraan menurut tahun mulai dan berakhir, per jenis.",
                  "en": "Partnerships by start and end year, per kind."}),
    "map": ({"id": "Peta", "en": "Map"},
            {"id": "Negara menurut jumlah kemitraan; tempat sebagai titik.",
             "en": "Countries by number of partnerships; places as points."}),
}
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
    views.append(write_index(kg, out_dir, views, lang))
    parts.append("\nHTML views (index.html links them all):")
    parts += [f"  {p}" for p in views]
    return DemoReport(report.conforms, "\n".join(parts), views)


def write_views(kg: KnowledgeGraph, out_dir: Path, lang: str) -> list[Path]:
    out = []
    for view in DEMO_VIEWS:
        path = out_dir / f"{view}.html"
        kg.write_view(view, path, lang=lang)
        out.append(path)
    from .render import write_chart, write_profile

    for view in DEMO_CHARTS:
        path = out_dir / f"{view}.html"
        if view == "profile":
            write_profile(kg.reader, path, lang=lang)
        else:
            write_chart(kg.reader, view, path, lang=lang)
        out.append(path)
    return out


def write_index(kg: KnowledgeGraph, out_dir: Path, pages: list[Path], lang: str) -> Path:
    """``out_dir/index.html``: the introduction, the counts (cases, actors, per kind) and a link to each page."""
    from .render.overview import ViewLink, write_overview
    from .terms import both_labels

    data = kg.stats(lang=lang)
    kinds = data.get("partnership_types", [])
    texts = kg.reader.label_texts([k["iri"] for k in kinds])
    counts = {
        "cases": data["cases"],
        "actors": data["actors"],
        "triples": data["triples"],
        "kinds": [{"label": both_labels(texts.get(k["iri"]), k["iri"]), "count": k["count"]} for k in kinds],
    }
    links = []
    for page in pages:
        title, about = DEMO_LINKS.get(page.stem, ({"id": page.stem, "en": page.stem}, {}))
        links.append(ViewLink(page.name, title, about))
    return write_overview(out_dir / "index.html", links, counts, lang)
