"""Tables -> RDF files: ``kemitraan import FILE.csv|xlsx|ods|yaml -o data/NAME.ttl``.

One row (entry) per case. The columns (a CSV header, the header row of the sheet ``cases`` of a
workbook -- else its first sheet --, or the keys of each YAML entry; names are case-insensitive):

=====================  ========  ===========================================================
column                 required  value
=====================  ========  ===========================================================
id                               slug of the case IRI (``case:<id>``); default: from label_en
label_id, label_en     yes       the case's name in Indonesian and English
description_id/_en     yes       what the partnership is, in both languages
kind                   yes       partnership kind: Indonesian or English label, short name, CURIE or IRI
sector                 yes       sector(s) from ``kmt:SectorScheme``
country                yes       country name, ISO code (``id``) or IRI
place                            existing place by name, else a new ``place:<slug>``
start_date             yes       ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or a date cell
end_date                         same form
value, currency                  a number without separators and an ISO 4217 code, both or neither
agreement_kind         yes       a kind of ``kmt:Agreement`` (e.g. "Concession agreement")
agreement_label_id/_en           the agreement's names (default: from the case)
agreement_signed                 date
agreement_id                     slug of ``agr:<id>`` (default: ``<case id>-agreement``)
sources                yes       http(s) addresses of the pages read
parties                yes       one party a line: ``name | kind | role`` (roles separated by ``,``)
=====================  ========  ===========================================================

Multi-valued cells separate values with ``;`` or a new line (in YAML, a list is fine too).
A party's ``name`` is matched against the actors of the loaded graph by normalised label
(case, accents, punctuation and spacing ignored), alternative label, short name, CURIE/IRI, or a
Wikidata id (``Q123``, ``wd:Q123``) linked with owl:sameAs/skos:exactMatch/schema:sameAs. A name
that matches none needs a kind and becomes a new actor ``org_:<slug>`` (lowercase ASCII, never
the raw text; ``-2``, ``-3`` on a clash); the report lists what matched and what is new, and
flags a new name close to an existing one. Vocabulary values are looked up the same way, and a
near miss gets "did you mean". Problems name sheet, row (YAML: the entry's line) and column;
if there is any, nothing is written. The new file is validated with SHACL (ontology + the file +
the types and labels of what it points at) before it is written atomically.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CellProblem, TableError
from .build import ImportReport, PartyMatch, build_graph
from .columns import COLUMNS, REQUIRED, Column
from .lookup import Rows, Vocabularies, Vocabulary, load_vocabularies, normalise, slugify
from .pipeline import Validator, import_table
from .readers import SUFFIXES, Table, read_table
from .records import ActorRecord, AgreementRecord, CaseRecord, actor_triples, case_triples, parse_date
from .template import template_bytes, write_template


def write_template_for(reader: Rows, path: str | Path) -> Path:
    """The template with the drop-down lists of the graph ``reader`` reads."""
    if Path(path).suffix.lower() != ".xlsx":
        raise TableError(str(path), [CellProblem("the template is an .xlsx workbook")])
    return write_template(path, load_vocabularies(reader))


__all__ = ["COLUMNS", "REQUIRED", "SUFFIXES", "ActorRecord", "AgreementRecord", "CaseRecord", "Column",
           "ImportReport", "PartyMatch", "Rows", "Table", "Validator", "Vocabularies", "Vocabulary", "actor_triples",
           "build_graph", "case_triples", "import_table", "load_vocabularies", "normalise", "parse_date",
           "read_table", "slugify", "template_bytes", "write_template", "write_template_for"]
