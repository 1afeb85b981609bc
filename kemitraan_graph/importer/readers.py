"""Tables -> rows: CSV (``csv``), XLSX/ODS (python-calamine), YAML (PyYAML). No hand-made parsing.

Every row comes with where it was found (sheet, row number as the person sees it) so that a
problem can name its sheet, row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CellProblem, TableError

#: the sheet read from a workbook when it exists (else the first sheet)
CASES_SHEET = "cases"
SPREADSHEETS = (".xlsx", ".xlsm", ".ods")
SUFFIXES = (".csv", *SPREADSHEETS, ".yaml", ".yml")


@dataclass
class Row:
    """One entry (case) of a table: cells by lower-case column name, and where it came from."""

    cells: dict[str, Any]
    row: int
    sheet: str | None = None
    columns: list[str] = field(default_factory=list)  # the header, as written


@dataclass
class Table:
    path: str
    sheet: str | None
    columns: list[str]
    rows: list[Row]


def _norm_header(name: Any) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def read_table(path: str | Path) -> Table:
    """The rows of a CSV, XLSX, ODS or YAML file; TableError when it cannot be read."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise TableError(str(p), [CellProblem(f"unknown table format {suffix!r} (known: {', '.join(SUFFIXES)})")])
    if not p.is_file():
        raise TableError(str(p), [CellProblem("no such file")])
    if suffix == ".csv":
        return _read_csv(p)
    if suffix in SPREADSHEETS:
        return _read_workbook(p)
    return _read_yaml(p)


def _from_grid(path: Path, sheet: str | None, grid: list[list[Any]], first_line: int = 1) -> Table:
    header_at = next((i for i, r in enumerate(grid) if any(_present(c) for c in r)), None)
    if header_at is None:
        raise TableError(str(path), [CellProblem("the table is empty (no header row)", sheet)])
    header = [_norm_header(c) for c in grid[header_at]]
    rows = []
    for i, raw in enumerate(grid[header_at + 1:], start=header_at + 1 + first_line):
        if not any(_present(c) for c in raw):
            continue
        cells = {name: raw[j] if j < len(raw) else None for j, name in enumerate(header) if name}
        extra = [c for c in raw[len(header):] if _present(c)]
        if extra:
            raise TableError(str(path), [CellProblem(f"{len(extra)} cell(s) beyond the last named column",
                                                     sheet, i)])
        rows.append(Row(cells, i, sheet, header))
    return Table(str(path), sheet, header, rows)


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _read_csv(path: Path) -> Table:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            grid = [list(r) for r in csv.reader(f)]
    except UnicodeDecodeError as exc:
        raise TableError(str(path), [CellProblem(f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except csv.Error as exc:
        raise TableError(str(path), [CellProblem(f"malformed CSV: {exc}")]) from None
    return _from_grid(path, None, grid)


def _read_workbook(path: Path) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = wb.sheet_names
        sheet = next((n for n in names if n.strip().lower() == CASES_SHEET), names[0] if names else None)
        if sheet is None:
            raise TableError(str(path), [CellProblem("the workbook has no sheet")])
        grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except TableError:
        raise
    except Exception as exc:  # calamine raises its own types for a broken file
        raise TableError(str(path), [CellProblem(f"cannot read the workbook: {exc}")]) from None
    return _from_grid(path, sheet, [[_cell(c) for c in r] for r in grid])


def _cell(value: Any) -> Any:
    """Spreadsheet cells: empty strings as None, whole floats as int, datetimes at midnight as dates."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _read_yaml(path: Path) -> Table:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        raise TableError(str(path), [CellProblem(f"not UTF-8 text ({exc.reason})")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise TableError(str(path), [CellProblem(
            f"malformed YAML: {getattr(exc, 'problem', None) or exc}", None,
            mark.line + 1 if mark else None)]) from None
    entries, items = data, node.value if node is not None else []
    if isinstance(data, dict) and "cases" in data:
        entries = data["cases"]
        items = next((v.value for k, v in node.value if k.value == "cases"), [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise TableError(str(path), [CellProblem("expected a list of cases (mappings), or a mapping with `cases:`")])
    rows, columns = [], []
    for entry, item in zip(entries, items, strict=True):
        cells = {_norm_header(k): v for k, v in entry.items()}
        columns += [c for c in cells if c not in columns]
        rows.append(Row(cells, item.start_mark.line + 1, None, list(cells)))
    return Table(str(path), None, columns, rows)


__all__ = ["CASES_SHEET", "SPREADSHEETS", "SUFFIXES", "Row", "Table", "read_table"]
