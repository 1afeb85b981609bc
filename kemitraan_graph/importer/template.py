"""The spreadsheet template: the columns with their help, the vocabularies as drop-down lists."""

from __future__ import annotations

import io
from pathlib import Path

from ..atomic import write_bytes
from .columns import COLUMNS
from .lookup import Vocabularies
from .readers import CASES_SHEET

LISTS_SHEET = "lists"
README_SHEET = "readme"


def template_bytes(vocabs: Vocabularies) -> bytes:
    """An XLSX workbook: sheet ``cases`` (one row a case, drop-downs), ``lists`` and ``readme``."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = CASES_SHEET
    lists = wb.create_sheet(LISTS_SHEET)
    readme = wb.create_sheet(README_SHEET)
    ranges = {}
    for j, (name, values) in enumerate(vocabs.lists().items(), start=1):
        letter = get_column_letter(j)
        lists.cell(row=1, column=j, value=name).font = Font(bold=True)
        for i, v in enumerate(values, start=2):
            cell = lists.cell(row=i, column=j, value=v)
            cell.data_type = "s"  # a label such as "=x" stays text, never a formula
        lists.column_dimensions[letter].width = 40
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    for j, col in enumerate(COLUMNS, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=col.name)
        cell.font = Font(bold=True)
        cell.comment = Comment(f"{col.help_en}\n\n{col.help_id}" + ("\n\n(required / wajib)" if col.required else ""),
                               "kemitraan")
        ws.column_dimensions[letter].width = col.width
        if col.vocabulary:
            dv = DataValidation(type="list", formula1=f"={ranges[col.vocabulary]}", allow_blank=not col.required)
            if col.multi:  # several values separated by ';' must stay possible
                dv.errorStyle = "warning"
            dv.error = f"Choose from the list '{col.vocabulary}' (sheet {LISTS_SHEET})."
            dv.errorTitle = col.name
            dv.prompt = col.help_en
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}1000")
        if col.multi or col.width >= 36:
            for r in range(2, 101):
                ws.cell(row=r, column=j).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    readme.column_dimensions["A"].width = 22
    readme.column_dimensions["B"].width = 90
    readme.column_dimensions["C"].width = 90
    readme.append(["column", "en", "id"])
    for col in COLUMNS:
        readme.append([col.name + (" *" if col.required else ""), col.help_en, col.help_id])
    readme.append([])
    readme.append(["", "* required. Party kinds and roles: see the sheet 'lists'. "
                   "Import with: kemitraan import FILE.xlsx -o data/NAME.ttl",
                   "* wajib. Jenis pihak dan peran: lihat lembar 'lists'."])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(path: str | Path, vocabs: Vocabularies) -> Path:
    write_bytes(path, template_bytes(vocabs))
    return Path(path)


__all__ = ["LISTS_SHEET", "README_SHEET", "template_bytes", "write_template"]
