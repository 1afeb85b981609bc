"""The timeline: partnerships by the year they started and the year they ended, per kind.

``timeline(reader, filters)`` reads the cases' kinds and their dates with a query each
(``charts.cases``), keeps what the network views' ``Filters`` keep and counts, for every kind of
partnership, the cases that start in each year and the cases that end in each year. A case counts
once per event (its earliest start, its latest end) under its first kind (the source text's four
first); cases without a date are counted apart. Each bar keeps its cases, whose labels and sources
the page lists when the bar is clicked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..network.filters import Filters
from ..network.model import year_of
from ..terms import both_labels, check_lang
from .cases import CaseInfo, case_dates, case_infos, case_kinds, kept_cases, partnership_types, paused_gc

if TYPE_CHECKING:  # pragma: no cover
    from ..reader import GraphReader

#: the two events a bar counts, with their bilingual names
EVENTS: dict[str, dict[str, str]] = {
    "start": {"id": "Mulai", "en": "Started"},
    "end": {"id": "Berakhir", "en": "Ended"},
}
TITLE = {"id": "Lini masa kemitraan", "en": "Partnership timeline"}
OTHER_KIND = {"id": "Jenis lain", "en": "Other kind"}


@dataclass(frozen=True)
class Kind:
    iri: str
    label: dict[str, str]
    cases: int


@dataclass(frozen=True)
class Bar:
    """The cases of one kind that start (or end) in one year."""

    event: str
    year: int
    kind: str
    cases: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.cases)


@dataclass
class Timeline:
    lang: str
    kinds: list[Kind]
    bars: list[Bar]
    total: int = 0
    undated: int = 0
    open_ended: int = 0
    filters: str = ""
    title: dict[str, str] = field(default_factory=lambda: dict(TITLE))
    #: every case in a bar: its labels and sources (what a click on a bar lists)
    cases: dict[str, CaseInfo] = field(default_factory=dict)

    def counts(self, event: str | None = None) -> dict[tuple[str, int, str], int]:
        """``(event, year, kind IRI) -> number of cases`` (only the non-empty bars)."""
        return {(b.event, b.year, b.kind): b.count for b in self.bars if event in (None, b.event)}

    def by_year(self, event: str) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for b in self.bars:
            if b.event == event:
                out[b.year] += b.count
        return dict(out)

    def years(self) -> list[int]:
        return sorted({b.year for b in self.bars})

    def cases_of(self, event: str, year: int) -> list[str]:
        """The cases that start (or end) in ``year``, every kind, by kind then IRI."""
        return [c for b in self.bars if b.event == event and b.year == year for c in b.cases]


@paused_gc()
def timeline(reader: GraphReader, filters: Filters | None = None, lang: str = "en") -> Timeline:
    """Cases by start and end year and kind, for the cases ``filters`` keeps.

    Reads the cases' kinds and their dates with a query each (``charts.cases``), the
    filters' cases with one query a filter, and the labels and sources of the cases drawn (for the
    list a click on a bar shows) with one query each."""
    check_lang(lang)
    order = partnership_types(reader)
    kinds_of = case_kinds(reader, order)
    dates = case_dates(reader, kinds_of)
    kept = kept_cases(reader, filters, order, kinds_of, dates)
    rank = {k: i for i, k in enumerate(order)}
    groups: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    per_kind: dict[str, int] = defaultdict(int)
    undated = open_ended = total = 0
    for iri, types in kinds_of.items():
        if kept is not None and iri not in kept:
            continue
        start_text, end_text = dates[iri]
        kind = min(types, key=rank.__getitem__)
        total += 1
        per_kind[kind] += 1
        start = year_of(start_text) if start_text else None
        end = year_of(end_text) if end_text else None
        if start is None:
            undated += 1
        else:
            groups[("start", start, kind)].append(iri)
        if end is None:
            open_ended += 1
        else:
            groups[("end", end, kind)].append(iri)
    labels = reader.label_texts([k for k in order if per_kind.get(k)])
    kinds = [Kind(k, both_labels(labels.get(k), k), per_kind[k]) for k in order if per_kind.get(k)]
    bars = [
        Bar(event, year, kind, tuple(sorted(cases)))
        for (event, year, kind), cases in sorted(
            groups.items(), key=lambda kv: (list(EVENTS).index(kv[0][0]), kv[0][1], rank[kv[0][2]])
        )
    ]
    drawn = {c for b in bars for c in b.cases}
    infos = case_infos(reader, order, drawn) if drawn else {}
    return Timeline(lang, kinds, bars, total, undated, open_ended, (filters or Filters()).describe(),
                    cases=infos)


def timeline_rows(t: Timeline) -> list[dict[str, Any]]:
    """The plain table a chart draws: ``{event, year, kind, n}`` per bar."""
    return [{"event": b.event, "year": b.year, "kind": b.kind, "n": b.count} for b in t.bars]


__all__ = ["EVENTS", "Bar", "CaseInfo", "Kind", "Timeline", "timeline", "timeline_rows"]
