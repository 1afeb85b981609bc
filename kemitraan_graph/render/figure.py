"""Static figures for papers: the network views and the partnership profile as SVG, PNG or PDF.

Drawn with matplotlib (object API, Agg canvas: no display, no global state), from the same data as
the pages: the network's positions, colours, shapes and bilingual labels come from
``page.graph_payload`` (so a figure looks like its page), the profile's cells from
``charts.profile``. Labels are placed as on the page, most important first (anchors of a designed
layout, then the size-by measure), each where its box touches no other label and stays inside the
figure. Text stays text: SVG keeps ``<text>`` elements (``svg.fonttype: none``), PDF embeds its
TrueType fonts (``pdf.fonttype: 42``); characters the font lacks become ``?`` and control or
separator characters a space, so no label can break the file or the drawing.

Sizes are in pixels of 1/72 inch (as the Vega figures of ``render.charts``): ``width=720`` is ten
inches; ``dpi`` sets the resolution of a PNG.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..charts import FIGURE_FORMATS
from ..errors import ViewError
from ..terms import check_lang
from .page import graph_payload

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..charts.profile import Profile

#: default size in pixels of 1/72 inch, and resolution of a PNG
NETWORK_SIZE, PROFILE_SIZE, DEFAULT_DPI = (720, 560), (720, 380), 150
#: page shape -> matplotlib marker
MARKERS = {
    "dot": "o",
    "diamond": "D",
    "star": "*",
    "triangle": "^",
    "triangleDown": "v",
    "square": "s",
    "hexagon": "h",
}
FONT = "DejaVu Sans"
RC = {
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "svg.hashsalt": "kemitraan",
    "axes.unicode_minus": False,
}
#: words of the profile figure
PROFILE_WORDS = {
    "benefit": ("Manfaat", "Benefits"),
    "characteristic": ("Karakteristik", "Characteristics"),
    "share": ("Bagian kasus baris", "Share of the row's cases"),
    "cases": ("kasus", "cases"),
}
WRAP = 24
CUT = 40


@dataclass
class FigureInfo:
    """What a written figure holds: its format, size (pixels of 1/72 inch) and the texts drawn."""

    path: Path
    format: str
    width: int
    height: int
    labels: list[str] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    title: str = ""


def figure_format(path: str | Path) -> str:
    """The figure format named by ``path``'s suffix (``svg``, ``png`` or ``pdf``)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FIGURE_FORMATS:
        raise ViewError(f"a figure is written as {', '.join('.' + f for f in FIGURE_FORMATS)}, not {str(path)!r}")
    return suffix


# --- text ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _charmap() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=True)
    return frozenset(FT2Font(path).get_charmap())


def clean_text(text: Any) -> str:
    """``text`` the font can draw: control/format/separator characters -> space, missing glyphs -> ?."""
    chars = _charmap()
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            out.append(" ")
        elif ch == " " or ord(ch) in chars:
            out.append(ch)
        else:
            out.append("?")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces and after dashes (as the page)."""
    parts = re.findall(r"[^\s\u2013\u2014-]+[\u2013\u2014-]?|[\u2013\u2014-]", text)
    lines: list[str] = []
    line = ""
    for p in parts:
        joiner = "" if not line or line.endswith(("\u2013", "\u2014", "-")) else " "
        if line and len(line) + len(joiner) + len(p) > width:
            lines.append(line)
            line, joiner = "", ""
        line += joiner + p
    if line:
        lines.append(line)
    return lines or [text]


def _pick(pair: Sequence[str], lang: str) -> str:
    i = 0 if lang == "id" else 1
    return str(pair[i] or pair[1 - i] or "")


# --- network ---------------------------------------------------------------------------------


def _darker(hex_colour: str) -> str:
    v = int(hex_colour.lstrip("#"), 16)
    r, g, b = ((v >> 16) & 255) * 0.7, ((v >> 8) & 255) * 0.7, (v & 255) * 0.7
    return f"#{int(r):02x}{int(g):02x}{int(b):02x}"


def _boxes_overlap(a: Sequence[float], b: Sequence[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def network_figure(
    graph: nx.Graph,
    *,
    lang: str = "en",
    size_by: str = "degree",
    width: int | None = None,
    height: int | None = None,
    max_labels: int = 400,
) -> tuple[Any, FigureInfo]:
    """A matplotlib ``Figure`` of a network view, and what it holds (``FigureInfo``, path unset)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    check_lang(lang)
    width, height = width or NETWORK_SIZE[0], height or NETWORK_SIZE[1]
    data = graph_payload(graph, lang=lang, size_by=size_by)
    nodes, groups = data["nodes"], data["groups"]
    k = data["measures"].index(size_by) if size_by in data["measures"] else 0
    pinned = bool(data.get("pinned"))

    def ranges(anchor: bool | None) -> tuple[float, float]:
        vals = [n["m"][k] for n in nodes if anchor is None or bool(n.get("a")) == anchor]
        return (min(vals), max(vals)) if vals else (0.0, 0.0)

    spans = {True: ranges(True), False: ranges(False)} if pinned else {True: ranges(None), False: ranges(None)}

    def radius(n: Mapping[str, Any]) -> float:  # in points
        lo, hi = spans[bool(n.get("a"))]
        share = math.sqrt((n["m"][k] - lo) / (hi - lo)) if hi > lo else 0.4
        if pinned:
            return 3.5 + 3.5 * share if n.get("a") else 2.0 + 3.0 * share
        return 1.6 + 6.0 * share

    info = FigureInfo(Path(), "", width, height, title=clean_text(_pick(data["title"], lang)))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width / 72, height / 72), dpi=72)
        FigureCanvasAgg(fig)
        fig.suptitle(info.title, fontsize=11, x=0.01, ha="left", y=0.985, parse_math=False)
        ax = fig.add_axes((0.01, 0.01, 0.74, 0.90))
        ax.set_axis_off()
        if nodes:
            xs = [n["x"] for n in nodes]
            ys = [n["y"] for n in nodes]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            padx, pady = max(20.0, (x1 - x0) * 0.04), max(20.0, (y1 - y0) * 0.04)
            if pinned:  # room for the side labels of the anchors
                padx = max(padx, (x1 - x0) * 0.32)
            # equal scales on both axes: widen the range that is short for the axes' shape
            box_w, box_h = 0.74 * width, 0.90 * height
            dx, dy = x1 - x0 + 2 * padx, y1 - y0 + 2 * pady
            if dx / box_w > dy / box_h:
                pady += (dx * box_h / box_w - dy) / 2
            else:
                padx += (dy * box_w / box_h - dx) / 2
            ax.set_xlim(x0 - padx, x1 + padx)
            ax.set_ylim(y1 + pady, y0 - pady)  # canvas y grows downward
        ends = data["edges"]
        if ends:
            segs = [((nodes[ends[i]]["x"], nodes[ends[i]]["y"]), (nodes[ends[i + 1]]["x"], nodes[ends[i + 1]]["y"]))
                    for i in range(0, len(ends), 2)]
            ax.add_collection(LineCollection(segs, colors="#c4c4c4", linewidths=0.4, zorder=1))
        for gi, g in enumerate(groups):
            members = [n for n in nodes if n["g"] == gi]
            if not members:
                continue
            ax.scatter(
                [n["x"] for n in members],
                [n["y"] for n in members],
                s=[(2 * radius(n)) ** 2 for n in members],
                marker=MARKERS.get(g["shape"], "o"),
                c=g["color"],
                edgecolors=_darker(g["color"]),
                linewidths=0.4,
                zorder=2,
            )
        handles = [
            Line2D([], [], linestyle="", marker=MARKERS.get(g["shape"], "o"), markersize=6,
                   markerfacecolor=g["color"], markeredgecolor=_darker(g["color"]), markeredgewidth=0.5)
            for g in groups
        ]
        info.legend = [clean_text(f"{_pick(g['label'], lang)} ({g['n']})") for g in groups]
        if handles:
            leg = ax.legend(handles, ["\n".join(wrap(t, 30)) for t in info.legend], loc="upper left",
                            bbox_to_anchor=(1.01, 1.0), fontsize=7,
                            frameon=False, handletextpad=0.3, borderaxespad=0.0)
            for t in leg.get_texts():
                t.set_parse_math(False)
        info.labels = _place_labels(fig, ax, nodes, k, radius, lang, max_labels)
    return fig, info


def _place_labels(fig: Any, ax: Any, nodes: list[dict[str, Any]], k: int, radius: Any, lang: str,
                  max_labels: int) -> list[str]:
    """Labels, most important first, each where it touches no placed label and stays in the axes.

    Boxes are measured with the renderer's text metrics (in points: the figure is laid out at 72
    dpi) and only the labels that fit become ``Text`` artists."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    limit = (frame.x0 + 1, frame.y0 + 1, frame.x1 - 1, frame.y1 - 1)
    to_screen = ax.transData.transform
    order = sorted(range(len(nodes)), key=lambda i: (not nodes[i].get("a"), -nodes[i]["m"][k], i))
    placed: list[tuple[float, float, float, float]] = []
    drawn: list[str] = []
    props = {True: FontProperties(family=FONT, size=7.5), False: FontProperties(family=FONT, size=6.5)}
    line_h = {a: renderer.get_text_width_height_descent("Ag", props[a], ismath=False)[1] * 1.25 for a in props}
    discs: list[tuple[int, tuple[float, float, float, float]]] = []
    if any(n.get("a") for n in nodes):  # a designed layout keeps its nodes readable (as the page)
        for j, n in enumerate(nodes):
            cx, cy = to_screen((n["x"], n["y"]))
            rr = radius(n)
            discs.append((j, (cx - rr, cy - rr, cx + rr, cy + rr)))
    tried = 0
    for i in order:
        if len(drawn) >= max_labels or tried > 6 * max_labels:
            break
        n = nodes[i]
        text = clean_text(_pick(n["l"], lang))
        if not text:
            continue
        tried += 1
        anchor = bool(n.get("a"))
        lines = wrap(text) if anchor else [text if len(text) <= CUT else text[: CUT - 1] + "\u2026"]
        w = max(renderer.get_text_width_height_descent(t, props[anchor], ismath=False)[0] for t in lines)
        h = line_h[anchor] * len(lines)
        sx, sy = to_screen((n["x"], n["y"]))
        r = radius(n) + 1.5
        spots = {  # lower-left corner of the box (screen y grows upward), ha, va
            "b": (sx - w / 2, sy - r - h, "center", "top"),
            "t": (sx - w / 2, sy + r, "center", "bottom"),
            "r": (sx + r, sy - h / 2, "left", "center"),
            "l": (sx - r - w, sy - h / 2, "right", "center"),
        }
        side = n.get("a")
        tries = ([side] if side != "t" else ["t", "b"]) if side else ["b", "t", "r", "l"]
        for where in tries:
            x0, y0, ha, va = spots[where]
            box = (x0, y0, x0 + w, y0 + h)
            if not (box[0] >= limit[0] and box[1] >= limit[1] and box[2] <= limit[2] and box[3] <= limit[3]):
                continue
            if any(_boxes_overlap(box, o) for o in placed):
                continue
            if not side and any(j != i and _boxes_overlap(box, d) for j, d in discs):
                continue
            off = {"b": (0, -r), "t": (0, r), "r": (r, 0), "l": (-r, 0)}[where]
            t = ax.annotate("\n".join(lines), (n["x"], n["y"]), xytext=off, textcoords="offset points", ha=ha,
                            va=va, fontproperties=props[anchor], color="#111111" if anchor else "#333333",
                            linespacing=1.05, annotation_clip=False, zorder=3)
            t.set_parse_math(False)
            placed.append((box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1))
            drawn.append(" ".join(lines))
            break
    return drawn


# --- profile ---------------------------------------------------------------------------------


def profile_figure(p: Profile, *, lang: str = "en", width: int | None = None,
                   height: int | None = None) -> tuple[Any, FigureInfo]:
    """The partnership profile as a heatmap: rows x benefits and characteristics, cell = share of
    the row's cases (shade) with the count written in it."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    check_lang(lang)
    li = 0 if lang == "id" else 1
    width = width or PROFILE_SIZE[0]
    height = height or max(PROFILE_SIZE[1], 150 + 24 * len(p.rows))
    rows, cols = p.rows, p.columns
    title = clean_text(p.title.get(lang) or p.title.get("en") or "")
    info = FigureInfo(Path(), "", width, height, title=title)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width / 72, height / 72), dpi=72)
        FigureCanvasAgg(fig)
        fig.suptitle(title, fontsize=11, x=0.01, ha="left", y=0.985, parse_math=False)
        ax = fig.add_axes((0.30, 0.08, 0.56, 0.60))
        shares = [[p.cell(r.iri, c.iri).share for c in cols] for r in rows] or [[0.0]]
        img = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
        row_labels = [clean_text(f"{r.label.get(lang) or r.label.get('en', '')} ({r.cases})") for r in rows]
        col_labels = ["\n".join(wrap(clean_text(c.label.get(lang) or c.label.get("en", "")), 26)) for c in cols]
        ax.set_yticks(range(len(rows)), row_labels, fontsize=7.5)
        ax.set_xticks(range(len(cols)), col_labels, fontsize=6.5, rotation=35, ha="left", rotation_mode="anchor")
        ax.xaxis.tick_top()
        for t in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
            t.set_parse_math(False)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for i, r in enumerate(rows):
            for j, c in enumerate(cols):
                cell = p.cell(r.iri, c.iri)
                ax.text(j, i, f"{cell.count}\n{cell.share:.0%}" if r.cases else "0", ha="center", va="center",
                        fontsize=6.5, color="white" if cell.share > 0.55 else "#222222", parse_math=False)
        # the two column groups: a rule between them and their names above
        groups = [c.group for c in cols]
        for j in range(1, len(cols)):
            if groups[j] != groups[j - 1]:
                ax.axvline(j - 0.5, color="white", linewidth=3)
        headers = []
        for group in dict.fromkeys(groups):
            idx = [j for j, g in enumerate(groups) if g == group]
            name = PROFILE_WORDS.get(group, (group, group))[li]
            headers.append(name)
            ax.annotate(name, ((min(idx) + max(idx)) / 2, 0), xycoords=("data", "axes fraction"),
                        xytext=(0, -4), textcoords="offset points", ha="center", va="top", fontsize=8,
                        fontweight="bold", annotation_clip=False).set_parse_math(False)
        bar = fig.colorbar(img, ax=ax, fraction=0.04, pad=0.02)
        bar.ax.tick_params(labelsize=6.5)
        bar.set_label(PROFILE_WORDS["share"][li], fontsize=7)
        bar.ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        info.labels = row_labels + [" ".join(c.split("\n")) for c in col_labels]
        info.legend = headers
    return fig, info


# --- writing ---------------------------------------------------------------------------------


def save_figure(fig: Any, info: FigureInfo, path: str | Path, dpi: float = DEFAULT_DPI) -> FigureInfo:
    """Write ``fig`` to ``path`` in the format its suffix names (atomically); returns ``info``."""
    import matplotlib

    from ..atomic import write_bytes

    fmt = figure_format(path)
    if not dpi or dpi <= 0:
        raise ViewError(f"dpi must be positive, not {dpi}")
    meta: dict[str, Any] = {"Title": info.title}
    if fmt == "svg":
        meta["Date"] = None
    elif fmt == "pdf":
        meta.update({"CreationDate": None, "ModDate": None})
    meta["Creator"] = "kemitraan-graph"
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format=fmt, dpi=dpi if fmt == "png" else 72, metadata=meta)
    write_bytes(path, buf.getvalue())
    info.path, info.format = Path(path), fmt
    return info


def write_network_figure(
    graph: nx.Graph,
    path: str | Path,
    *,
    lang: str = "en",
    size_by: str = "degree",
    width: int | None = None,
    height: int | None = None,
    dpi: float = DEFAULT_DPI,
) -> FigureInfo:
    """A network view (a graph from ``network.build_view``) as a static figure at ``path``."""
    figure_format(path)
    fig, info = network_figure(graph, lang=lang, size_by=size_by, width=width, height=height)
    return save_figure(fig, info, path, dpi)


def write_profile_figure(
    reader: Any,
    path: str | Path,
    *,
    by: str = "kind",
    lang: str = "en",
    width: int | None = None,
    height: int | None = None,
    dpi: float = DEFAULT_DPI,
) -> FigureInfo:
    """The partnership profile of the graph behind ``reader`` as a heatmap figure at ``path``."""
    from ..charts.profile import profile

    figure_format(path)
    fig, info = profile_figure(profile(reader, by=by, lang=lang), lang=lang, width=width, height=height)
    return save_figure(fig, info, path, dpi)


__all__ = [
    "FIGURE_FORMATS",
    "FigureInfo",
    "clean_text",
    "figure_format",
    "network_figure",
    "profile_figure",
    "save_figure",
    "wrap",
    "write_network_figure",
    "write_profile_figure",
]
