"""The columns of an import table (CSV header, spreadsheet header row, YAML keys).

Multi-valued cells separate their values with ``;`` or a new line (YAML: a list).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help_en: str
    help_id: str
    vocabulary: str | None = None  # name of the drop-down list in the template
    multi: bool = False
    width: int = 24


COLUMNS: tuple[Column, ...] = (
    Column("id", False, "Short name of the case in the IRI (lowercase a-z, 0-9, -); made from label_en when empty.",
           "Nama pendek kasus dalam IRI (huruf kecil a-z, 0-9, -); dibuat dari label_en bila kosong.", width=28),
    Column("label_id", True, "Name of the case in Indonesian.", "Nama kasus dalam bahasa Indonesia.", width=36),
    Column("label_en", True, "Name of the case in English.", "Nama kasus dalam bahasa Inggris.", width=36),
    Column("description_id", True, "What the partnership is, in Indonesian (from the sources).",
           "Uraian kemitraan dalam bahasa Indonesia (dari sumber).", width=48),
    Column("description_en", True, "What the partnership is, in English (from the sources).",
           "Uraian kemitraan dalam bahasa Inggris (dari sumber).", width=48),
    Column("kind", True, "Kind of partnership (label in id or en, short name or IRI).",
           "Jenis kemitraan (label id atau en, nama pendek atau IRI).", "kind", width=36),
    Column("sector", True, "Sector(s); several separated by ';'.", "Sektor; beberapa dipisah ';'.", "sector",
           multi=True),
    Column("country", True, "Country or countries (name, ISO code such as 'id', or IRI); ';' between several.",
           "Negara (nama, kode ISO seperti 'id', atau IRI); ';' di antara beberapa.", "country", multi=True),
    Column("place", False, "Place(s) inside the country: an existing place's name, or a new one.",
           "Tempat di dalam negara: nama tempat yang ada, atau yang baru.", multi=True),
    Column("start_date", True, "Start: YYYY-MM-DD, YYYY-MM or YYYY (or a date cell).",
           "Mulai: YYYY-MM-DD, YYYY-MM atau YYYY (atau sel tanggal).", width=14),
    Column("end_date", False, "End, in the same form (empty when ongoing or unknown).",
           "Selesai, dalam bentuk yang sama (kosong bila berlangsung atau tidak diketahui).", width=14),
    Column("value", False, "Financial value, a number without separators.", "Nilai keuangan, angka tanpa pemisah.",
           width=18),
    Column("currency", False, "ISO 4217 code of the value, e.g. IDR, USD, EUR.", "Kode ISO 4217 nilai, mis. IDR, USD.",
           width=10),
    Column("agreement_kind", True, "Kind of the agreement the partnership rests on.",
           "Jenis kesepakatan yang mendasari kemitraan.", "agreement kind", width=28),
    Column("agreement_label_id", False, "Name of the agreement in Indonesian (default: from the case).",
           "Nama kesepakatan dalam bahasa Indonesia (bawaan: dari kasus).", width=36),
    Column("agreement_label_en", False, "Name of the agreement in English (default: from the case).",
           "Nama kesepakatan dalam bahasa Inggris (bawaan: dari kasus).", width=36),
    Column("agreement_signed", False, "Date the agreement was signed (YYYY-MM-DD, YYYY-MM or YYYY).",
           "Tanggal kesepakatan ditandatangani.", width=14),
    Column("agreement_id", False, "Short name of the agreement in its IRI (default: the case id + '-agreement').",
           "Nama pendek kesepakatan dalam IRI (bawaan: id kasus + '-agreement').", width=28),
    Column("sources", True, "http(s) addresses of the pages read; ';' or new line between several.",
           "Alamat http(s) halaman yang dibaca; ';' atau baris baru di antara beberapa.", multi=True, width=48),
    Column("parties", True, "One party a line (or ';'): 'name | kind | role'. The kind may be empty for a "
           "known actor; several roles separated by ','.",
           "Satu pihak per baris (atau ';'): 'nama | jenis | peran'. Jenis boleh kosong untuk pihak yang sudah ada; "
           "beberapa peran dipisah ','.", multi=True, width=60),
)
BY_NAME = {c.name: c for c in COLUMNS}
REQUIRED = tuple(c.name for c in COLUMNS if c.required)

__all__ = ["BY_NAME", "COLUMNS", "Column", "REQUIRED"]
