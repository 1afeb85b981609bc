"""The partnership profile: the source text's own analysis as a table.

Rows are the four kinds of partnership (``namespaces.PARTNERSHIP_TYPES``), or the top-level sectors,
or the countries (``by``); columns are the five benefits (``kmt:claimsBenefit``) and the four
characteristics (``kmt:evidencesCharacteristic`` on the case or on one of its ``kmt:agreement``s),
a narrower concept counting for its top concept. Each cell holds the cases of the row that claim or
evidence the column's concept, their number and their share of the row's cases.

Only cases typed with one of the four kinds count (the same population as the library queries).
``queries/partnership-profile.rq`` is the same count by kind as a library query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ViewError
from ..namespaces import KMT, PARTNERSHIP_TYPES
from ..terms import both_labels, check_lang
from . import PROFILE_BY
from .cases import case_infos, paused_gc

if TYPE_CHECKING:  # pragma: no cover
    from ..reader import GraphReader

BENEFIT_SCHEME = str(KMT) + "BenefitScheme"
CHARACTERISTIC_SCHEME = str(KMT) + "CharacteristicScheme"
#: column group of each scheme, in the order the page shows them
COLUMN_GROUPS = {BENEFIT_SCHEME: "benefit", CHARACTERISTIC_SCHEME: "characteristic"}
#: the source text's order of its benefits and characteristics (others follow, by label)
SOURCE_ORDER: tuple[str, ...] = tuple(
    str(KMT) + name
    for name in (
        "benefit-capacity-resources",
        "benefit-efficiency-effectiveness",
        "benefit-innovation-creativity",
        "benefit-reach-impact",
        "benefit-reputation-image",
        "char-shared-agreement",
        "char-commitment-trust",
        "char-communication-coordination",
        "char-evaluation-resolution",
    )
)
#: bilingual names of the row dimensions
BY_LABELS: dict[str, dict[str, str]] = {
    "kind": {"id": "Jenis kemitraan", "en": "Partnership kind"},
    "sector": {"id": "Sektor", "en": "Sector"},
    "country": {"id": "Negara", "en": "Country"},
}
TITLES: dict[str, dict[str, str]] = {
    "kind": {"id": "Profil kemitraan menurut jenis", "en": "Partnership profile by kind"},
    "sector": {"id": "Profil kemitraan menurut sektor", "en": "Partnership profile by sector"},
    "country": {"id": "Profil kemitraan menurut negara", "en": "Partnership profile by country"},
}


@dataclass(frozen=True)
class ProfileCase:
    iri: str
    label: dict[str, str]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProfileAxis:
    """A row (kind, sector, country) or a column (benefit, characteristic) and its number of cases."""

    iri: str
    label: dict[str, str]
    group: str
    cases: int


@dataclass(frozen=True)
class ProfileCell:
    count: int
    share: float
    cases: tuple[ProfileCase, ...]


@dataclass
class Profile:
    by: str
    lang: str
    rows: list[ProfileAxis]
    columns: list[ProfileAxis]
    cells: dict[tuple[str, str], ProfileCell] = field(default_factory=dict)
    title: dict[str, str] = field(default_factory=dict)
    total: int = 0

    def cell(self, row: str, column: str) -> ProfileCell:
        return self.cells.get((row, column)) or ProfileCell(0, 0.0, ())

    def counts(self) -> dict[tuple[str, str], int]:
        """``(row IRI, column IRI) -> number of cases`` for every cell (zeros included)."""
        return {(r.iri, c.iri): self.cell(r.iri, c.iri).count for r in self.rows for c in self.columns}

    def table(self) -> list[dict[str, Any]]:
        """One dict per cell: row, column, cases, share (a plain table, e.g. for pandas)."""
        return [
            {"row": r.iri, "column": c.iri, "cases": self.cell(r.iri, c.iri).count,
             "share": self.cell(r.iri, c.iri).share}
            for r in self.rows for c in self.columns
        ]


def _values(iris: Any) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _row_query(by: str, kinds: str) -> str:
    if by == "kind":
        return f"SELECT DISTINCT ?row ?case WHERE {{ VALUES ?row {{ {kinds} }} ?case a ?row . }}"
    if by == "sector":
        return (
            f"SELECT DISTINCT ?row ?case WHERE {{ VALUES ?kind {{ {kinds} }} ?case a ?kind ; kmt:sector ?s . "
            "?s skos:broader* ?row . ?row skos:topConceptOf kmt:SectorScheme . }"
        )
    return (
        f"SELECT DISTINCT ?row ?case WHERE {{ VALUES ?kind {{ {kinds} }} ?case a ?kind ; kmt:country ?row . "
        "FILTER(isIRI(?row)) }"
    )


#: (node, concept, scheme) for every benefit claimed and characteristic evidenced (on the node or
#: one of its agreements), whatever the node: the counts keep the rows' cases only, so no join with
#: the kinds is needed (a join over every case costs more than reading the few extra nodes)
_Q_CONCEPTS_USED = (
    f"SELECT ?case ?c ?scheme WHERE {{ {{ ?case kmt:claimsBenefit ?c BIND(<{BENEFIT_SCHEME}> AS ?scheme) }} "
    f"UNION {{ ?case kmt:evidencesCharacteristic ?c BIND(<{CHARACTERISTIC_SCHEME}> AS ?scheme) }} "
    f"UNION {{ ?case kmt:agreement ?a . ?a kmt:evidencesCharacteristic ?c "
    f"BIND(<{CHARACTERISTIC_SCHEME}> AS ?scheme) }} }}"
)
#: concept -> the top concepts it is (or is narrower than), with their scheme
_Q_TOPS = "SELECT DISTINCT ?c ?col ?scheme WHERE { ?col skos:topConceptOf ?scheme . ?c skos:broader* ?col }"


def _column_cases(reader: GraphReader) -> dict[str, set[str]]:
    """Top concept -> the nodes that claim or evidence it or a narrower concept of the same scheme."""
    tops: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c, col, scheme in reader.texts(_Q_TOPS):
        tops[(c, scheme)].append(col)
    out: dict[str, set[str]] = defaultdict(set)
    for case, c, scheme in reader.texts(_Q_CONCEPTS_USED):
        for col in tops.get((c, scheme), ()):
            out[col].add(case)
    return out


@paused_gc()
def profile(reader: GraphReader, by: str = "kind", lang: str = "en") -> Profile:
    """The partnership profile of the graph behind ``reader`` (rows by ``kind``, ``sector`` or ``country``)."""
    check_lang(lang)
    if by not in PROFILE_BY:
        raise ViewError(f"unknown profile rows {by!r}; choose one of {', '.join(PROFILE_BY)}")
    kinds = _values(PARTNERSHIP_TYPES)

    row_cases: dict[str, set[str]] = defaultdict(set)
    for row, case in reader.texts(_row_query(by, kinds)):
        row_cases[str(row)].add(str(case))
    col_cases = _column_cases(reader)
    columns_found = reader.texts(
        f"SELECT DISTINCT ?col ?scheme WHERE {{ VALUES ?scheme {{ {_values(COLUMN_GROUPS)} }} "
        "?col skos:topConceptOf ?scheme . }"
    )
    column_group = {str(c): COLUMN_GROUPS[str(s)] for c, s in columns_found}
    for col in col_cases:  # a concept used by the data but missing from its scheme's top concepts
        column_group.setdefault(col, "benefit")

    row_iris = list(PARTNERSHIP_TYPES) if by == "kind" else list(row_cases)
    all_cases = set().union(*row_cases.values()) if row_cases else set()
    # the rows' and columns' labels by IRI; the cases' labels and sources in one query
    texts = reader.label_texts([*row_iris, *column_group])

    def label(iri: str) -> dict[str, str]:
        return both_labels(texts.get(iri), iri)

    infos = case_infos(reader, PARTNERSHIP_TYPES, all_cases)
    cases = {c: ProfileCase(c, i.label, i.sources) for c, i in infos.items()}

    rows = [ProfileAxis(r, label(r), by, len(row_cases.get(r, ()))) for r in row_iris]
    if by != "kind":
        rows.sort(key=lambda a: (-a.cases, a.label[lang].casefold(), a.iri))
    order = {iri: i for i, iri in enumerate(SOURCE_ORDER)}
    groups = list(COLUMN_GROUPS.values())
    columns = sorted(
        (ProfileAxis(c, label(c), g, len(col_cases.get(c, set()) & all_cases)) for c, g in column_group.items()),
        key=lambda a: (groups.index(a.group), order.get(a.iri, len(order)), a.label[lang].casefold(), a.iri),
    )

    cells: dict[tuple[str, str], ProfileCell] = {}
    for r in rows:
        members = row_cases.get(r.iri, set())
        for c in columns:
            hit = members & col_cases.get(c.iri, set())
            listed = sorted((cases[i] for i in hit), key=lambda x: (x.label[lang].casefold(), x.iri))
            cells[(r.iri, c.iri)] = ProfileCell(len(hit), len(hit) / r.cases if r.cases else 0.0, tuple(listed))
    return Profile(by, lang, rows, columns, cells, dict(TITLES[by]), len(all_cases))


def profile_payload(p: Profile, lang: str | None = None) -> dict[str, Any]:
    """The JSON a profile page reads: rows/columns ``{iri, l: [id, en], g, n}``, ``cases``
    ``{iri, l, s: sources}``, ``cells[row][column] = [case indices]`` (count = length)."""
    lang = check_lang(lang or p.lang)
    index: dict[str, int] = {}
    cases: list[dict[str, Any]] = []
    for cell in p.cells.values():
        for c in cell.cases:
            if c.iri not in index:
                index[c.iri] = len(cases)
                cases.append({"iri": c.iri, "l": _pair(c.label), "s": list(c.sources)})

    def axis(a: ProfileAxis) -> dict[str, Any]:
        return {"iri": a.iri, "l": _pair(a.label), "g": a.group, "n": a.cases}

    return {
        "v": 1,
        "view": "profile",
        "by": p.by,
        "lang": lang,
        "title": _pair(p.title),
        "byLabel": _pair(BY_LABELS[p.by]),
        "total": p.total,
        "rows": [axis(r) for r in p.rows],
        "columns": [axis(c) for c in p.columns],
        "cases": cases,
        "cells": [[[index[c.iri] for c in p.cell(r.iri, col.iri).cases] for col in p.columns] for r in p.rows],
    }


def _pair(label: Mapping[str, str]) -> list[str]:
    return [str(label.get("id", "")), str(label.get("en", ""))]


__all__ = ["BY_LABELS", "Profile", "ProfileAxis", "ProfileCase", "ProfileCell", "profile", "profile_payload"]
