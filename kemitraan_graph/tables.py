"""Tables a researcher opens in R, Stata or a spreadsheet.

``with_labels(result, reader, lang)``: a query result with a ``NAME_label`` column right after every
IRI column (the label in ``lang``, with the fallback of ``terms.display_label``).

``cases_table(reader, lang)``: one row per case (labels in both languages, kind, sectors,
countries, start, end, number of parties, party labels, sources), written as csv, tsv, json or xlsx.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rdflib import Literal, URIRef

from .reader import GraphReader
from .results import QueryResult
from .terms import display_label, pick_label

#: formats ``CaseTable.serialize`` writes
CASE_FORMATS = ("csv", "tsv", "json", "xlsx")
#: the columns of the cases table, in order
CASE_COLUMNS = ("case", "label_id", "label_en", "kind", "sectors", "countries", "start", "end", "parties",
                "party_labels", "sources")
#: how several values share one cell in csv, tsv and xlsx (json keeps lists)
JOIN = "; "
LABEL_SUFFIX = "_label"


# --- labelled query results ------------------------------------------------------------------

def with_labels(result: QueryResult, reader: GraphReader, lang: str = "en") -> QueryResult:
    """``result`` with a ``NAME_label`` column after each column holding an IRI (SELECT only)."""
    if result.kind != "select":
        return result
    iri_cols = [i for i, _ in enumerate(result.vars) if any(isinstance(r[i], URIRef) for r in result.rows)]
    if not iri_cols:
        return result
    texts = reader.label_texts({r[i] for r in result.rows for i in iri_cols if isinstance(r[i], URIRef)})
    shown: dict[str, Literal] = {}

    def label(v: Any) -> Literal | None:
        if not isinstance(v, URIRef):
            return None
        key = str(v)
        if key not in shown:
            shown[key] = Literal(display_label(texts.get(key), lang, key))
        return shown[key]

    names: list[str] = []
    for i, name in enumerate(result.vars):
        names.append(name)
        if i in iri_cols:
            names.append(_free(name + LABEL_SUFFIX, result.vars))
    rows = []
    for row in result.rows:
        out: list[Any] = []
        for i, v in enumerate(row):
            out.append(v)
            if i in iri_cols:
                out.append(label(v))
        rows.append(tuple(out))
    return QueryResult("select", names, rows, notes=list(result.notes))


def _free(name: str, taken: list[str]) -> str:
    while name in taken:
        name += "_"
    return name


def labelled_columns(result: QueryResult) -> set[str]:
    """IRI columns that already have their ``NAME_label`` column next to them."""
    v = result.vars
    return {name for i, name in enumerate(v[:-1]) if v[i + 1].startswith(name + LABEL_SUFFIX)}


# --- the cases table ---------------------------------------------------------------------------

@dataclass
class CaseTable:
    """Rows of plain values: str, int, list[str] (several values) or None."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def flat_rows(self) -> list[list[Any]]:
        """Rows with lists joined by ``JOIN`` (one value per cell)."""
        return [[JOIN.join(v) if isinstance(v, list) else v for v in row] for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame, one row per case (several values joined by ``"; "``)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install 'kemitraan-graph[pandas]'") from exc
        return pd.DataFrame(self.flat_rows(), columns=self.columns)

    def serialize(self, fmt: str) -> str | bytes:
        """Text (csv, tsv, json) or bytes (xlsx) of the table."""
        if fmt == "json":
            return json.dumps(self.to_dicts(), ensure_ascii=False, indent=2) + "\n"
        if fmt in ("csv", "tsv"):
            buf = io.StringIO()
            if fmt == "csv":
                w = csv.writer(buf, lineterminator="\r\n")
                w.writerow(self.columns)
                w.writerows(["" if v is None else v for v in row] for row in self.flat_rows())
            else:  # plain TSV: one line per row, no quoting (tabs and line breaks in cells become spaces)
                buf.write("\t".join(self.columns) + "\n")
                for row in self.flat_rows():
                    buf.write("\t".join(re.sub(r"[\t\r\n]+", " ", "" if v is None else str(v)) for v in row) + "\n")
            return buf.getvalue()
        if fmt == "xlsx":
            return self._xlsx()
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(CASE_FORMATS)}")

    def _xlsx(self) -> bytes:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "cases"
        ws.append(self.columns)
        for row in self.flat_rows():
            ws.append([_cell(v) for v in row])
        for col, name in enumerate(self.columns, 1):
            if name in ("start", "end"):
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    if isinstance(cell.value, date):
                        cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def _cell(v: Any) -> Any:
    """A full date becomes a spreadsheet date; years and months stay text (as in the data)."""
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return date.fromisoformat(v)
        except ValueError:
            return v
    return v


def cases_table(reader: GraphReader, lang: str = "en") -> CaseTable:
    """One row per case, ordered by its English label; kind/sector/country/party labels in ``lang``."""
    from .network.model import load_model

    model = load_model(reader)
    labels = model.labels
    extra = {a for c in model.cases.values() for a in c.parties if a not in labels}
    if extra:
        labels = {**labels, **reader.label_texts(extra)}

    def name(iri: str) -> str:
        return pick_label(labels.get(iri), lang, iri)

    def names(iris: set[str]) -> list[str]:
        return sorted({name(i) for i in iris}, key=str.casefold)

    rows = []
    for iri, c in model.cases.items():
        if not c.types:  # only partnerships (not every subject with a participation)
            continue
        texts = labels.get(iri)
        rows.append([
            iri, pick_label(texts, "id", iri), pick_label(texts, "en", iri),
            JOIN.join(names(c.types)), names(c.sectors), names(c.countries),
            c.start or None, c.end or None, len(c.parties), names(set(c.parties)), sorted(c.sources),
        ])
    rows.sort(key=lambda r: (r[2].casefold(), r[0]))
    return CaseTable(list(CASE_COLUMNS), rows)


__all__ = ["CASE_COLUMNS", "CASE_FORMATS", "CaseTable", "cases_table", "labelled_columns", "with_labels"]
