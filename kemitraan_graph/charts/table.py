"""Charts of any SELECT: the result's columns picked by type, as the Wikidata Query Service does.

``query_table(reader, query, params, chart)`` runs a person's query (``GraphReader.query``: guarded,
bound, timed) and picks its columns: the category is the first column holding IRIs or text
(an IRI is shown by its label; a ``?xLabel`` column beside ``?x`` names it), the value is the first
column whose every bound value is a number (none: each row counts 1), and for a ``heatmap`` the
second category column gives the rows (for ``bar`` and ``line`` it splits the marks into series).
A ``line`` chart prefers a column of years or dates for its x axis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from ..errors import ViewError
from ..terms import both_labels, check_lang, local_name
from . import CHART_KINDS

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping

    from ..reader import GraphReader

COUNT_LABEL = {"id": "jumlah baris", "en": "number of rows"}
_TEMPORAL = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?")


@dataclass
class ChartTable:
    """One row per result row: ``c`` category (label pair), ``s`` second category, ``v`` value."""

    chart: str
    query: str
    title: dict[str, str]
    category: str  # the variable names picked
    value: str  # "" = each row counts 1
    series: str  # "" = none
    rows: list[dict[str, Any]] = field(default_factory=list)
    temporal: bool = False

    def values(self) -> list[tuple[str, str, float]]:
        """``(category IRI or text, series IRI or text, value)`` per row."""
        return [(r["ci"], r.get("si", ""), r["v"]) for r in self.rows]


def _is_number(v: Any) -> bool:
    return isinstance(v, Literal) and isinstance(v.toPython(), (int, float)) and not isinstance(v.toPython(), bool)


def _is_temporal(values: list[Any]) -> bool:
    return bool(values) and all(
        isinstance(v, Literal) and (_TEMPORAL.match(str(v)) is not None) and not str(v).isdigit() or
        (isinstance(v, Literal) and str(v).isdigit() and len(str(v)) == 4)
        for v in values
    )


def query_table(
    reader: GraphReader,
    query: str,
    params: Mapping[str, Any] | None = None,
    chart: str = "bar",
    lang: str = "en",
) -> ChartTable:
    """Run ``query`` (a SELECT) and pick its columns for a ``chart`` (bar, line or heatmap)."""
    check_lang(lang)
    if chart not in CHART_KINDS:
        raise ViewError(f"unknown chart {chart!r}; choose one of {', '.join(CHART_KINDS)}")
    if not query:
        raise ViewError("a chart needs a query: a library name, an .rq file or SPARQL text")
    res = reader.query(query, params)
    if res.kind != "select":
        raise ViewError(f"a chart needs a SELECT query; {query!r} is a {res.kind.upper()} query")
    cols = {name: [row[i] for row in res.rows if row[i] is not None] for i, name in enumerate(res.vars)}
    label_cols = {n for n in res.vars if n.endswith("Label") and n[:-5] in cols}
    numeric = [n for n in res.vars if cols[n] and all(_is_number(v) for v in cols[n])]
    temporal = [n for n in res.vars if _is_temporal(cols[n])]
    categorical = [n for n in res.vars if cols[n] and n not in numeric and n not in label_cols]
    if chart == "line" and temporal:
        category = temporal[0]
    elif categorical:
        category = categorical[0]
    elif len(numeric) > 1:  # e.g. ?year ?cases
        category = numeric[0]
    else:
        raise ViewError(f"no column of {query!r} can be the chart's categories (IRIs, text or years)")
    value = next((n for n in numeric if n != category), "")
    series = next((n for n in categorical if n != category), "")
    if chart == "heatmap" and not series:
        raise ViewError(f"a heatmap needs two category columns; {query!r} has {', '.join(categorical) or 'none'}")

    iris = [v for n in (category, series) if n for v in cols[n] if isinstance(v, URIRef)]
    texts = reader.label_texts(iris)
    idx = {n: i for i, n in enumerate(res.vars)}

    def named(row: tuple, name: str) -> tuple[str, list[str]]:
        v = row[idx[name]]
        if v is None:
            return "", ["", ""]
        if f"{name}Label" in idx and row[idx[f"{name}Label"]] is not None:
            t = str(row[idx[f"{name}Label"]])
            return str(v), [t, t]
        if isinstance(v, URIRef):
            pair = both_labels(texts.get(str(v)), str(v))
            return str(v), [pair.get("id") or local_name(str(v)), pair.get("en") or local_name(str(v))]
        return str(v), [str(v), str(v)]

    rows = []
    for row in res.rows:
        ci, cl = named(row, category)
        if not ci:
            continue
        out: dict[str, Any] = {"ci": ci, "c": cl}
        if series:
            out["si"], out["s"] = named(row, series)
        raw = row[idx[value]] if value else None
        out["v"] = float(raw.toPython()) if value and raw is not None else (0.0 if value else 1.0)
        rows.append(out)
    name = query if "\n" not in query and len(query) < 80 else "query"
    lib = reader.library.get(query)
    title = {"id": lib.get_title("id"), "en": lib.get_title("en")} if lib is not None else {"id": name, "en": name}
    return ChartTable(chart, name, title, category, value, series, rows, category in temporal)


__all__ = ["CHART_KINDS", "ChartTable", "query_table"]
