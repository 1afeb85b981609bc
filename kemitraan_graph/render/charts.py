"""Timeline, map and query charts (``charts.timeline``, ``charts.geo``, ``charts.table``) -> Vega-Lite
specs -> ONE self-contained HTML page, or a static figure (SVG, PNG, PDF).

The specs are Vega-Lite, compiled to Vega in Python by ``vl-convert`` (which also draws the static
figures, offline: no base URL is allowed, so nothing is fetched). A page inlines Vega
(``vendor/vega.min.js``) and its CSP-safe expression interpreter (``vendor/vega-interpreter.js``):
Vega parses the spec with ``ast: true`` and evaluates expressions with the interpreter, so the
Content-Security-Policy (``page.CSP``) needs no ``unsafe-eval`` and allows exactly the three inline
scripts by their sha256. The data (labels included) enters only as escaped JSON
(``page.json_for_script``) and is drawn by Vega's SVG renderer as text nodes; no label ever becomes
part of an expression. One spec per language; the ID/EN toggle redraws with the other.
The basemap is world-atlas 2.0.2 ``countries-110m.json`` (Natural Earth, public domain; ISC).
A click on a timeline's bar, or on a map's country or place, lists its cases with their sources in
a side panel, built with ``textContent`` from the same JSON (``timeline_panel``, ``map_panel``).
The page shows the chart's title once, in its header; a static figure keeps it in the chart.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..charts import FIGURE_FORMATS
from ..charts.cases import CaseInfo, paused_gc
from ..charts.geo import CaseMap, case_map
from ..charts.table import ChartTable, query_table
from ..charts.timeline import EVENTS, OTHER_KIND, Timeline, timeline
from ..errors import ViewError
from ..terms import check_lang
from .page import FIXED_COLOURS, PALETTE
from .template import HERE, fill_page, page_assets

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping

    from ..network.filters import Filters
    from ..reader import GraphReader

LANGS = ("id", "en")
#: words the specs draw (axis and legend titles, tooltips), per language
WORDS: dict[str, dict[str, str]] = {
    "cases": {"id": "Kasus", "en": "Cases"},
    "year": {"id": "Tahun", "en": "Year"},
    "kind": {"id": "Jenis kemitraan", "en": "Partnership kind"},
    "event": {"id": "Peristiwa", "en": "Event"},
    "country": {"id": "Negara", "en": "Country"},
    "place": {"id": "Tempat", "en": "Place"},
    "value": {"id": "Nilai", "en": "Value"},
}
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


def _w(key: str, lang: str) -> str:
    return WORDS[key][lang]


def _pick(pair: Any, lang: str) -> str:
    if isinstance(pair, dict):
        return str(pair.get(lang) or pair.get("en") or pair.get("id") or "")
    return str(pair[0 if lang == "id" else 1] or pair[1 - (0 if lang == "id" else 1)])


def _base(title: str, width: int, height: int) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": {"text": title, "anchor": "start", "fontSize": 16},
        "width": width,
        "height": height,
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 13},
            "legend": {"labelFontSize": 12, "titleFontSize": 13, "labelLimit": 320},
            "view": {"stroke": None},
        },
    }


# --- the specs ----------------------------------------------------------------------------


def timeline_spec(t: Timeline, lang: str = "en", width: int = 1000, height: int = 220) -> dict[str, Any]:
    """Two stacked bar charts (started, ended) of cases per year, coloured by kind."""
    check_lang(lang)
    kind_label = {k.iri: _pick(k.label, lang) for k in t.kinds}
    domain = [kind_label[k.iri] for k in t.kinds]
    colours = [FIXED_COLOURS.get(k.iri) or PALETTE[(i + 4) % len(PALETTE)] for i, k in enumerate(t.kinds)]
    events = [EVENTS[e][lang] for e in EVENTS]
    years = t.years()
    rows = [
        {"e": EVENTS[b.event][lang], "year": b.year, "k": kind_label.get(b.kind, OTHER_KIND[lang]), "n": b.count}
        for b in t.bars
    ]
    spec = _base(_pick(t.title, lang), width, height)
    spec.update({
        "data": {"values": rows},
        "facet": {"row": {"field": "e", "type": "nominal", "sort": events, "title": None,
                          "header": {"labelFontSize": 14, "labelAngle": 0, "labelAlign": "left",
                                     "labelAnchor": "start", "labelOrient": "top"}}},
        "spec": {
            "width": width, "height": height,
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": {"field": "year", "type": "ordinal", "title": _w("year", lang),
                      "scale": {"domain": list(range(years[0], years[-1] + 1)) if years else []},
                      "axis": {"labelAngle": -90, "labelOverlap": "greedy"}},
                "y": {"aggregate": "sum", "field": "n", "type": "quantitative", "title": _w("cases", lang),
                      "axis": {"tickMinStep": 1, "format": "d"}},
                "color": {"field": "k", "type": "nominal", "title": _w("kind", lang),
                          "scale": {"domain": domain, "range": colours}, "sort": domain,
                          "legend": {"orient": "top", "direction": "horizontal", "columns": 2}},
                "order": {"field": "k", "sort": "ascending"},
                "tooltip": [
                    {"field": "e", "type": "nominal", "title": _w("event", lang)},
                    {"field": "year", "type": "ordinal", "title": _w("year", lang)},
                    {"field": "k", "type": "nominal", "title": _w("kind", lang)},
                    {"field": "n", "type": "quantitative", "title": _w("cases", lang)},
                ],
            },
        },
        "resolve": {"scale": {"x": "shared", "y": "shared"}},
    })
    spec.pop("width")
    spec.pop("height")
    return spec


def _spread(places: list[dict[str, Any]], limit: int, apart: float = 6.0) -> list[dict[str, Any]]:
    """The first ``limit`` places (most cases first) at least ``apart`` degrees from each other,
    so that their labels do not overlap at world scale."""
    kept: list[dict[str, Any]] = []
    for p in places:
        if len(kept) >= limit:
            break
        if all(abs(p["lat"] - k["lat"]) >= apart or abs(p["lon"] - k["lon"]) >= apart * 3 for k in kept):
            kept.append(p)
    return kept


@lru_cache(maxsize=1)
def world_atlas() -> dict[str, Any]:
    """The vendored world-atlas ``countries-110m.json`` TopoJSON (Natural Earth)."""
    return json.loads((HERE / "vendor" / "countries-110m.json").read_text(encoding="utf-8"))


def map_spec(m: CaseMap, lang: str = "en", width: int = 1000, height: int = 520,
             place_labels: int = 8) -> dict[str, Any]:
    """Countries shaded by their number of cases, places as points sized by theirs."""
    check_lang(lang)
    countries = [{"id": c.iso_numeric, "name": _pick(c.label, lang), "n": c.cases}
                 for c in m.countries if c.iso_numeric]
    places = [{"name": _pick(p.label, lang), "lat": p.lat, "lon": p.lon, "n": p.cases, "i": i}
              for i, p in enumerate(m.places)]
    top = max((c["n"] for c in countries), default=1)
    projection = {"type": "equalEarth"}
    spec = _base(_pick(m.title, lang), width, height)
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": world_atlas(), "format": {"type": "topojson", "feature": "countries"}},
            "mark": {"type": "geoshape", "fill": "#e6e6e6", "stroke": "#ffffff", "strokeWidth": 0.5},
        },
        {
            "data": {"values": world_atlas(), "format": {"type": "topojson", "feature": "countries"}},
            "transform": [
                {"lookup": "id", "from": {"data": {"values": countries}, "key": "id", "fields": ["name", "n"]}},
                {"filter": "isValid(datum.n)"},
            ],
            "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5, "tooltip": True},
            "encoding": {
                "color": {"field": "n", "type": "quantitative", "title": _w("cases", lang),
                          "scale": {"scheme": "blues", "domain": [0, top], "type": "sqrt"},
                          "legend": {"orient": "bottom-left", "format": "d", "tickMinStep": 1}},
                "tooltip": [
                    {"field": "name", "type": "nominal", "title": _w("country", lang)},
                    {"field": "n", "type": "quantitative", "title": _w("cases", lang)},
                ],
            },
        },
    ]
    if places:
        layers.append({
            "data": {"values": places},
            "mark": {"type": "circle", "color": "#d95f02", "opacity": 0.85, "stroke": "#ffffff",
                     "strokeWidth": 0.8, "tooltip": True},
            "encoding": {
                "longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"},
                "size": {"field": "n", "type": "quantitative",
                         "title": _w("place", lang) + " (" + _w("cases", lang).lower() + ")",
                         "scale": {"range": [30, 300], "zero": False},
                         "legend": {"orient": "bottom-right", "format": "d", "tickMinStep": 1}},
                "tooltip": [
                    {"field": "name", "type": "nominal", "title": _w("place", lang)},
                    {"field": "n", "type": "quantitative", "title": _w("cases", lang)},
                ],
            },
        })
        if place_labels:
            layers.append({
                "data": {"values": _spread(places, place_labels)},
                "mark": {"type": "text", "align": "left", "dx": 7, "dy": -5, "fontSize": 11, "color": "#333",
                         "limit": 160},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "text": {"field": "name", "type": "nominal"},
                },
            })
    spec.update({"projection": projection, "layer": layers})
    return spec


def query_spec(t: ChartTable, lang: str = "en", width: int = 900, height: int = 420,
               max_series: int = 12) -> dict[str, Any]:
    """A bar, line or heatmap chart of a query's picked columns."""
    check_lang(lang)
    rows = []
    for r in t.rows:
        row = {"c": _pick(r["c"], lang), "v": r["v"]}
        if "s" in r:
            row["s"] = _pick(r["s"], lang)
        rows.append(row)
    value_title = t.value or {"id": "jumlah baris", "en": "number of rows"}[lang]
    series = {x["s"] for x in rows if "s" in x}
    use_series = bool(t.series) and (t.chart == "heatmap" or len(series) <= max_series)
    spec = _base(_pick(t.title, lang), width, height)
    tooltip = [{"field": "c", "type": "nominal", "title": t.category}]
    if use_series:
        tooltip.append({"field": "s", "type": "nominal", "title": t.series})
    tooltip.append({"field": "v", "type": "quantitative", "aggregate": "sum", "title": value_title})
    colour = {"field": "s", "type": "nominal", "title": t.series, "scale": {"range": PALETTE},
              "legend": {"orient": "bottom", "columns": 2}}
    if t.chart == "bar":
        enc: dict[str, Any] = {
            "y": {"field": "c", "type": "nominal", "title": t.category, "sort": "-x",
                  "axis": {"labelLimit": 360}},
            "x": {"field": "v", "type": "quantitative", "aggregate": "sum", "title": value_title},
            "tooltip": tooltip,
        }
        if use_series:
            enc["color"] = colour
        layer: dict[str, Any] = {"mark": {"type": "bar", "tooltip": True, "color": PALETTE[0]}, "encoding": enc}
        spec["height"] = {"step": 22} if len({r["c"] for r in rows}) * 22 > height else height
    elif t.chart == "line":
        xtype = "ordinal"
        enc = {
            "x": {"field": "c", "type": xtype, "title": t.category, "sort": "ascending",
                  "axis": {"labelAngle": -45, "labelOverlap": "greedy", "labelLimit": 200}},
            "y": {"field": "v", "type": "quantitative", "aggregate": "sum", "title": value_title},
            "tooltip": tooltip,
        }
        if use_series:
            enc["color"] = colour
        layer = {"mark": {"type": "line", "point": True, "tooltip": True}, "encoding": enc}
    else:
        enc = {
            "x": {"field": "s", "type": "nominal", "title": t.series, "axis": {"labelAngle": -40, "labelLimit": 240}},
            "y": {"field": "c", "type": "nominal", "title": t.category, "axis": {"labelLimit": 320}},
            "color": {"field": "v", "type": "quantitative", "aggregate": "sum", "title": value_title,
                      "scale": {"scheme": "blues"}},
            "tooltip": tooltip,
        }
        layer = {
            "layer": [
                {"mark": {"type": "rect", "tooltip": True}, "encoding": enc},
                {"mark": {"type": "text", "fontSize": 11},
                 "encoding": {"x": enc["x"], "y": enc["y"],
                              "text": {"field": "v", "type": "quantitative", "aggregate": "sum", "format": ",.4~g"}}},
            ]
        }
        spec["height"] = {"step": 28}
        spec["width"] = {"step": 64}
    spec.update({"data": {"values": rows}, **layer})
    return spec


# --- compile, figures, page ---------------------------------------------------------------


def to_vega(vl_spec: dict[str, Any]) -> dict[str, Any]:
    """Vega-Lite -> Vega (vl-convert, offline)."""
    import vl_convert

    try:
        return vl_convert.vegalite_to_vega(vl_spec)
    except ValueError as err:  # pragma: no cover - our specs compile
        raise ViewError(f"the chart could not be compiled: {err}") from None


def figure_bytes(vl_spec: dict[str, Any], fmt: str, dpi: float = 150) -> bytes:
    """A static figure of ``vl_spec``: ``svg`` (text), ``png`` (at ``dpi``) or ``pdf`` (fonts embedded)."""
    import vl_convert

    if fmt not in FIGURE_FORMATS:
        raise ViewError(f"unknown figure format {fmt!r}; choose one of {', '.join(FIGURE_FORMATS)}")
    if dpi <= 0:
        raise ViewError(f"dpi must be positive, not {dpi}")
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(vl_spec, allowed_base_urls=[]).encode("utf-8")
    if fmt == "png":
        return vl_convert.vegalite_to_png(vl_spec, scale=dpi / 72, ppi=dpi, allowed_base_urls=[])
    return vl_convert.vegalite_to_pdf(vl_spec, allowed_base_urls=[])


def _untitled(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` without its title: the page shows the title once, in its header (a figure keeps it)."""
    return {k: v for k, v in spec.items() if k != "title"}


def _pair(label: Mapping[str, str]) -> list[str]:
    return [str(label.get("id", "")), str(label.get("en", ""))]


def _case_list(infos: Mapping[str, CaseInfo], groups: list[tuple[str, ...]],
               kind_of: Mapping[str, int] | None = None) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The cases of ``groups`` once each (``{iri, l: [id, en], s: sources}``, plus ``k`` the kind's
    index), in the order first met, and each case's index."""
    index: dict[str, int] = {}
    cases: list[dict[str, Any]] = []
    for members in groups:
        for iri in members:
            if iri not in index:
                info = infos.get(iri) or CaseInfo(iri, {"id": iri, "en": iri})
                index[iri] = len(cases)
                entry: dict[str, Any] = {"iri": iri, "l": _pair(info.label), "s": list(info.sources)}
                if kind_of is not None:
                    entry["k"] = kind_of.get(iri, -1)
                cases.append(entry)
    return cases, index


def timeline_panel(t: Timeline) -> dict[str, Any]:
    """What a click on a bar lists: ``groups[event][year]`` = indices into ``cases`` (every kind,
    by kind then IRI), each case with its labels, sources and kind (``kinds``)."""
    kind_index = {k.iri: i for i, k in enumerate(t.kinds)}
    kind_of = {c: kind_index.get(b.kind, -1) for b in t.bars for c in b.cases}
    cases, index = _case_list(t.cases, [b.cases for b in t.bars], kind_of)
    groups: dict[str, dict[str, list[int]]] = {e: {} for e in EVENTS}
    for b in t.bars:
        groups[b.event].setdefault(str(b.year), []).extend(index[c] for c in b.cases)
    return {
        "kind": "timeline",
        "events": {e: [names["id"], names["en"]] for e, names in EVENTS.items()},
        "kinds": [_pair(k.label) for k in t.kinds],
        "cases": cases,
        "groups": groups,
    }


def map_panel(m: CaseMap) -> dict[str, Any]:
    """What a click on a country (by its ISO numeric code, as the basemap keys it) or on a place
    (by its index in ``m.places``) lists: indices into ``cases``."""
    cases, index = _case_list(m.cases, [x.case_iris for x in (*m.countries, *m.places)])
    return {
        "kind": "map",
        "cases": cases,
        "countries": {c.iso_numeric: {"l": _pair(c.label), "c": [index[i] for i in c.case_iris]}
                      for c in m.countries if c.iso_numeric},
        "places": [{"l": _pair(p.label), "c": [index[i] for i in p.case_iris]} for p in m.places],
    }


def render_chart_page(view: str, specs: Mapping[str, dict[str, Any]], title: Mapping[str, str],
                      notes: Mapping[str, list[str]], lang: str = "en", panel: Mapping[str, Any] | None = None) -> str:
    """One self-contained page drawing a Vega-Lite spec per language (compiled to Vega here), its
    title once (in the page's header, not in the chart), and, with ``panel`` (``timeline_panel``,
    ``map_panel``), the list of cases a click on a bar, country or place shows."""
    check_lang(lang)
    payload = {
        "v": 1,
        "view": view,
        "lang": lang,
        "title": [title.get("id", ""), title.get("en", "")],
        "notes": {lg: list(notes.get(lg, [])) for lg in LANGS},
        "specs": {lg: to_vega(_untitled(specs[lg])) for lg in LANGS},
        "panel": dict(panel) if panel else None,
    }
    scripts = (("vega", "vendor/vega.min.js"), ("interpreter", "vendor/vega-interpreter.js"), ("script", "chart.js"))
    return fill_page(page_assets("chart", scripts), lang=lang, title=_pick(payload["title"], lang), payload=payload)


# --- the three views: data -> page or figure ------------------------------------------------


def _timeline_notes(t: Timeline) -> dict[str, list[str]]:
    f = [f"filter: {t.filters}"] if t.filters else []
    return {
        "id": [f"{t.total} kemitraan; {t.total - t.undated} dengan tahun mulai, {t.total - t.open_ended} dengan "
               f"tahun berakhir; {t.undated} tanpa tanggal mulai.", *f],
        "en": [f"{t.total} partnerships; {t.total - t.undated} with a start year, {t.total - t.open_ended} with "
               f"an end year; {t.undated} without a start date.", *f],
    }


def _map_notes(m: CaseMap) -> dict[str, list[str]]:
    f = [f"filter: {m.filters}"] if m.filters else []
    return {
        "id": [f"{m.total} kemitraan di {len(m.countries)} negara; {len(m.places)} tempat di peta, "
               f"{len(m.unplaced)} tempat tanpa koordinat.",
               "Peta dasar: Natural Earth (world-atlas); koordinat: data sendiri atau GeoNames (CC BY 4.0).", *f],
        "en": [f"{m.total} partnerships in {len(m.countries)} countries; {len(m.places)} places on the map, "
               f"{len(m.unplaced)} places without coordinates.",
               "Basemap: Natural Earth (world-atlas); coordinates: the data's own or GeoNames (CC BY 4.0).", *f],
    }


def _query_notes(t: ChartTable) -> dict[str, list[str]]:
    v = t.value or "—"
    s = t.series or "—"
    return {
        "id": [f"Kueri {t.query}: {len(t.rows)} baris; kategori ?{t.category}, nilai ?{v}, seri ?{s}."],
        "en": [f"Query {t.query}: {len(t.rows)} rows; category ?{t.category}, value ?{v}, series ?{s}."],
    }


def chart_view(reader: GraphReader, view: str, *, lang: str = "en", filters: Filters | None = None,
               query: str | None = None, params: Mapping[str, Any] | None = None, chart: str = "bar",
               ) -> tuple[Any, dict[str, dict[str, Any]], dict[str, str], dict[str, list[str]]]:
    """(data, {lang: Vega-Lite spec}, title, notes) of ``view`` (timeline, map or query)."""
    if view == "timeline":
        t = timeline(reader, filters, lang)
        return t, {lg: timeline_spec(t, lg) for lg in LANGS}, t.title, _timeline_notes(t)
    if view == "map":
        m = case_map(reader, filters, lang)
        return m, {lg: map_spec(m, lg) for lg in LANGS}, m.title, _map_notes(m)
    if view == "query":
        q = query_table(reader, query or "", params, chart, lang)
        return q, {lg: query_spec(q, lg) for lg in LANGS}, q.title, _query_notes(q)
    raise ViewError(f"unknown chart view {view!r}; choose timeline, map or query")


def sized(spec: dict[str, Any], width: int | None, height: int | None) -> dict[str, Any]:
    """``spec`` with its plot (or each facet's plot) ``width``/``height`` set, when given."""
    out = json.loads(json.dumps(spec))
    target = out.get("spec", out)
    if width:
        target["width"] = width
    if height:
        target["height"] = height
    return out


@paused_gc()
def write_chart(reader: GraphReader, view: str, path: str | Path, *, lang: str = "en", filters: Filters | None = None,
                query: str | None = None, params: Mapping[str, Any] | None = None, chart: str = "bar",
                width: int | None = None, height: int | None = None, dpi: float = 150) -> Any:
    """Write ``view`` to ``path`` (atomically): an HTML page, or a figure for ``.svg``/``.png``/``.pdf``.
    Returns the view's data (``Timeline``, ``CaseMap`` or ``ChartTable``)."""
    from ..atomic import write_bytes, write_text

    check_lang(lang)
    data, specs, title, notes = chart_view(reader, view, lang=lang, filters=filters, query=query,
                                           params=params, chart=chart)
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FIGURE_FORMATS:
        write_bytes(path, figure_bytes(sized(specs[lang], width, height), suffix, dpi))
    else:
        panel = (timeline_panel(data) if view == "timeline" else map_panel(data) if view == "map" else None)
        write_text(path, render_chart_page(view, specs, title, notes, lang, panel))
    return data


__all__ = ["FIGURE_FORMATS", "chart_view", "figure_bytes", "map_panel", "map_spec", "query_spec",
           "render_chart_page", "timeline_panel", "timeline_spec", "to_vega", "world_atlas", "write_chart"]
