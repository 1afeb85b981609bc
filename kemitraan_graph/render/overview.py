"""The overview page (``index.html``): a bilingual introduction to the source text's concept of
partnership, the graph's counts and a link to every view written beside it.

Same rules as every page: the data (counts, labels, links) enters only as escaped JSON
(``page.json_for_script``), the page script builds the DOM with ``textContent``, links are relative
file names only, and the Content-Security-Policy (``page.CSP``) allows the one inline script by hash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ViewError
from ..terms import check_lang
from .template import fill_page, page_assets

TITLE = {"id": "Graf pengetahuan kemitraan", "en": "Partnership knowledge graph"}
#: a short paraphrase of the source text (konsep kemitraan): definition, characteristics, benefits, kinds
INTRO: dict[str, list[str]] = {
    "id": [
        "Kemitraan adalah kerja sama yang saling menguntungkan antara dua pihak atau lebih — individu, "
        "organisasi, atau negara — untuk mencapai tujuan bersama.",
        "Teks sumber mencirikannya dengan empat hal: kesepakatan bersama tentang tujuan, peran, tanggung "
        "jawab, dan pembagian hasil; komitmen dan saling percaya; komunikasi dan koordinasi yang efektif dan "
        "terbuka; serta cara yang adil untuk mengevaluasi dan menyelesaikan masalah.",
        "Manfaat yang disebutkannya ada lima: kapasitas dan sumber daya yang lebih besar, efisiensi dan "
        "efektivitas, inovasi dan kreativitas, jangkauan dan dampak yang lebih luas, serta reputasi yang lebih "
        "baik. Contohnya terbagi dalam empat jenis: pemerintah–swasta–masyarakat (misalnya infrastruktur), "
        "perguruan tinggi–industri–pemerintah (ilmu pengetahuan dan inovasi), LSM–pemerintah–masyarakat "
        "(kemiskinan, lingkungan, hak asasi), dan kemitraan antarnegara (perdagangan, keamanan, kesehatan).",
    ],
    "en": [
        "A partnership is mutually beneficial cooperation between two or more parties — individuals, "
        "organisations or countries — towards a shared goal.",
        "The source text marks it by four characteristics: a shared agreement on goals, roles, "
        "responsibilities and how results are shared; commitment and mutual trust; effective, open "
        "communication and coordination; and fair ways to evaluate and resolve problems.",
        "It names five benefits: more capacity and resources, efficiency and effectiveness, innovation and "
        "creativity, wider reach and impact, and a better reputation. Its examples fall into four kinds: "
        "government–private–community (e.g. infrastructure), university–industry–government (science and "
        "innovation), NGO–government–community (poverty, environment, human rights) and partnerships "
        "between countries (trade, security, health).",
    ],
}


@dataclass
class ViewLink:
    """A page written beside the index: its file name, title and one line about it (id/en)."""

    file: str
    title: dict[str, str]
    about: dict[str, str] = field(default_factory=dict)


def _pair(d: Mapping[str, str]) -> list[str]:
    return [str(d.get("id") or d.get("en") or ""), str(d.get("en") or d.get("id") or "")]


def render_overview(links: Sequence[ViewLink], counts: Mapping[str, Any], lang: str = "en") -> str:
    """The overview page. ``counts``: ``cases``, ``actors``, ``triples`` (numbers) and ``kinds``:
    ``[{label: {id, en}, count}]``."""
    check_lang(lang)
    for link in links:
        if "/" in link.file or "\\" in link.file or link.file.startswith(".") or ":" in link.file:
            raise ViewError(f"an overview links files beside it only, not {link.file!r}")
    payload = {
        "v": 1,
        "view": "overview",
        "lang": lang,
        "title": _pair(TITLE),
        "intro": [INTRO["id"], INTRO["en"]],
        "counts": {k: int(counts.get(k, 0)) for k in ("cases", "actors", "triples")},
        "kinds": [{"l": _pair(k["label"]), "n": int(k["count"])} for k in counts.get("kinds", [])],
        "links": [{"file": x.file, "t": _pair(x.title), "a": _pair(x.about)} for x in links],
    }
    return fill_page(page_assets("overview", (("script", "overview.js"),)), lang=lang, title=TITLE[lang],
                     payload=payload)


def write_overview(path: str | Path, links: Sequence[ViewLink], counts: Mapping[str, Any], lang: str = "en") -> Path:
    from ..atomic import write_text

    write_text(path, render_overview(links, counts, lang))
    return Path(path)


__all__ = ["INTRO", "ViewLink", "render_overview", "write_overview"]
