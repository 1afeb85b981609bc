"""Rows of a table -> case records and RDF, with parties reconciled against the loaded graph.

Every problem is collected with its sheet, row and column; if there is any, TableError is raised
and nothing is built.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from ..errors import CellProblem, TableError
from ..namespaces import PREFIXES
from ..terms import curie
from .columns import BY_NAME, REQUIRED
from .lookup import Vocabularies, Vocabulary, normalise, slugify, split_values, wikidata_key
from .readers import Row, Table
from .records import (
    AGREEMENT_NS,
    CASE_NS,
    ORG_NS,
    PLACE_NS,
    ActorRecord,
    AgreementRecord,
    CaseRecord,
    actor_triples,
    case_triples,
    check_currency,
    parse_amount,
    parse_date,
    place_triples,
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://[^/\s]+\.[^\s]+$")


@dataclass
class PartyMatch:
    name: str
    iri: str
    how: str  # "label", "wikidata", "new"
    kind: str | None = None
    row: int | None = None
    near: str | None = None  # an existing actor whose name is close to a new one


@dataclass
class ImportReport:
    source: str
    cases: list[str] = field(default_factory=list)
    parties: list[PartyMatch] = field(default_factory=list)
    new_places: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    triples: int = 0
    output: str | None = None

    @property
    def matched(self) -> list[PartyMatch]:
        return [p for p in self.parties if p.how != "new"]

    @property
    def new(self) -> list[PartyMatch]:
        return [p for p in self.parties if p.how == "new"]

    def to_text(self) -> str:
        lines = [f"{len(self.cases)} case(s), {self.triples} triples from {self.source}"
                 + (f" -> {self.output}" if self.output else "")]
        seen: set[tuple[str, str]] = set()
        for title, items in (("matched", self.matched), ("new", self.new)):
            unique = [p for p in items if (p.iri, p.how) not in seen and not seen.add((p.iri, p.how))]
            lines.append(f"{title} parties: {len(unique)}")
            for p in unique:
                note = f" (by {p.how})" if p.how != "new" else f" ({curie(p.kind)})" if p.kind else ""
                near = f"  -- close to existing {p.near!r}: is it the same?" if p.near else ""
                lines.append(f"  {p.name!r} -> {curie(p.iri)}{note}{near}")
        if self.new_places:
            lines.append("new places: " + ", ".join(curie(p) for p in self.new_places))
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "output": self.output, "cases": self.cases, "triples": self.triples,
                "matched": [p.__dict__ for p in self.matched], "new": [p.__dict__ for p in self.new],
                "new_places": self.new_places, "warnings": self.warnings}


class _Builder:
    def __init__(self, table: Table, vocabs: Vocabularies):
        self.table, self.v = table, vocabs
        self.problems: list[CellProblem] = []
        self.report = ImportReport(table.path)
        self.new_actors: dict[str, ActorRecord] = {}  # normalised name -> record
        self.new_places: dict[str, tuple[str, dict[str, str], str | None]] = {}
        self.minted: set[str] = set()
        self.referenced: set[str] = set()  # existing IRIs the new data points at

    def problem(self, row: Row | None, column: str | None, message: str) -> None:
        self.problems.append(CellProblem(message, self.table.sheet, row.row if row else None, column))

    def check_columns(self) -> bool:
        present = set(self.table.columns)
        for name in REQUIRED:
            if name not in present:
                self.problem(None, name, "required column is missing")
        for name in self.table.columns:
            if name and name not in BY_NAME:
                close = difflib.get_close_matches(name, list(BY_NAME), n=1, cutoff=0.7)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problem(None, name, f"unknown column{hint}")
        return not self.problems

    # --- cells -------------------------------------------------------------------------------
    def text(self, row: Row, column: str, required: bool | None = None) -> str | None:
        value = row.cells.get(column)
        text = None if value is None else str(value).strip() or None
        if text is None and (BY_NAME[column].required if required is None else required):
            self.problem(row, column, "empty, but required")
        return text

    def terms(self, row: Row, column: str, vocab: Vocabulary, required: bool | None = None) -> list[str]:
        values = split_values(row.cells.get(column))
        if not values and (BY_NAME[column].required if required is None else required):
            self.problem(row, column, "empty, but required")
        out = []
        for value in values:
            match = vocab.lookup(value)
            if match.iri is None:
                self.problem(row, column, match.problem or f"unknown {vocab.name}")
            else:
                out.append(match.iri)
        return list(dict.fromkeys(out))

    def date(self, row: Row, column: str):
        value = row.cells.get(column)
        if value is None or str(value).strip() == "":
            if BY_NAME[column].required:
                self.problem(row, column, "empty, but required")
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.problem(row, column, str(exc))
            return None

    def mint(self, ns: str, base: str) -> str:
        slug, n = slugify(base), 1
        iri = f"{ns}{slug}"
        while iri in self.v.iris or iri in self.minted:
            n += 1
            iri = f"{ns}{slug}-{n}"
        self.minted.add(iri)
        return iri

    # --- parts of a case ---------------------------------------------------------------------
    def party(self, row: Row, text: str) -> tuple[str, list[str]] | None:
        parts = [p.strip() for p in text.split("|")]
        if len(parts) != 3 or not parts[0]:
            self.problem(row, "parties", f"{text!r}: expected 'name | kind | role' (the kind may be empty)")
            return None
        name, kind_text, role_text = parts
        roles = []
        for r in [r.strip() for r in role_text.split(",") if r.strip()] or [""]:
            if not r:
                self.problem(row, "parties", f"{name!r}: no role given")
                continue
            m = self.v.roles.lookup(r)
            if m.iri is None:
                self.problem(row, "parties", f"{name!r}: {m.problem}")
            else:
                roles.append(m.iri)
        kind = None
        if kind_text:
            m = self.v.actor_kinds.lookup(kind_text)
            if m.iri is None:
                self.problem(row, "parties", f"{name!r}: {m.problem}")
                return None
            kind = m.iri
        iri = self._actor(row, name, kind)
        return (iri, roles) if iri and roles else None

    def _actor(self, row: Row, name: str, kind: str | None) -> str | None:
        wd = wikidata_key(name)
        if wd:
            found = self.v.actors.keys.get(wd, set())
            if len(found) == 1:
                iri = next(iter(found))
                self.referenced.add(iri)
                self.report.parties.append(PartyMatch(name, iri, "wikidata", row=row.row))
                return iri
            self.problem(row, "parties", f"no actor has the Wikidata id {wd.upper()}" if not found else
                         f"Wikidata id {wd.upper()} names several actors: "
                         + ", ".join(curie(i) for i in sorted(found)))
            return None
        key = normalise(name)
        if key in self.new_actors:
            actor = self.new_actors[key]
            self.report.parties.append(PartyMatch(name, actor.iri, "new", actor.kind, row.row))
            return actor.iri
        m = self.v.actors.lookup(name)
        if m.iri is not None:
            self.referenced.add(m.iri)
            self.report.parties.append(PartyMatch(name, m.iri, "label", row=row.row))
            return m.iri
        if m.problem and "ambiguous" in m.problem:
            self.problem(row, "parties", m.problem)
            return None
        if kind is None:
            self.problem(row, "parties", f"{m.problem}: no actor has this name; give its kind "
                                         "('name | kind | role') to add it as a new one")
            return None
        close = difflib.get_close_matches(key, list(self.v.actors.keys), n=1, cutoff=0.85)
        near = self.v.actors.labels[next(iter(self.v.actors.keys[close[0]]))] if close else None
        actor = ActorRecord(self.mint(ORG_NS, name), kind, {"id": name, "en": name})
        self.new_actors[key] = actor
        self.report.parties.append(PartyMatch(name, actor.iri, "new", kind, row.row, near))
        return actor.iri

    def places(self, row: Row, countries: list[str]) -> list[str]:
        out = []
        for name in split_values(row.cells.get("place")):
            m = self.v.places.lookup(name)
            if m.iri is not None:
                self.referenced.add(m.iri)
                out.append(m.iri)
                continue
            if m.problem and "ambiguous" in m.problem:
                self.problem(row, "place", m.problem)
                continue
            key = normalise(name)
            if key not in self.new_places:
                self.new_places[key] = (self.mint(PLACE_NS, name), {"id": name, "en": name},
                                        countries[0] if countries else None)
                self.report.new_places.append(self.new_places[key][0])
            out.append(self.new_places[key][0])
        return out

    def case(self, row: Row, seen_ids: dict[str, int]) -> CaseRecord | None:
        before = len(self.problems)
        labels = {"id": self.text(row, "label_id"), "en": self.text(row, "label_en")}
        descriptions = {"id": self.text(row, "description_id"), "en": self.text(row, "description_en")}
        case_id = self.text(row, "id")
        if case_id is not None and not _SLUG.match(case_id):
            self.problem(row, "id", f"{case_id!r}: write lowercase a-z, 0-9 and single hyphens, "
                                    f"e.g. {slugify(case_id)!r}")
        elif case_id is None and labels["en"]:
            case_id = slugify(labels["en"])
        if case_id and case_id in seen_ids:
            self.problem(row, "id", f"case {case_id!r} is already in row {seen_ids[case_id]} of this table")
        elif case_id:
            seen_ids[case_id] = row.row
        kinds = self.terms(row, "kind", self.v.kinds)
        sectors = self.terms(row, "sector", self.v.sectors)
        countries = self.terms(row, "country", self.v.countries)
        self.referenced.update(countries)
        places = self.places(row, countries)
        start, end = self.date(row, "start_date"), self.date(row, "end_date")
        if start is not None and end is not None and str(end) < str(start)[:len(str(end))]:
            self.problem(row, "end_date", f"ends ({end}) before it starts ({start})")
        value = currency = None
        raw_value, raw_currency = self.text(row, "value"), self.text(row, "currency")
        if (raw_value is None) != (raw_currency is None):
            self.problem(row, "currency" if raw_currency is None else "value",
                         "value and currency go together: give both or neither")
        elif raw_value is not None:
            try:
                value = parse_amount(row.cells.get("value"))
                currency = check_currency(raw_currency)
            except ValueError as exc:
                self.problem(row, "value" if value is None else "currency", str(exc))
        agreement_kinds = self.terms(row, "agreement_kind", self.v.agreement_kinds)
        signed = self.date(row, "agreement_signed")
        agreement_id = self.text(row, "agreement_id")
        if agreement_id is not None and not _SLUG.match(agreement_id):
            self.problem(row, "agreement_id", f"{agreement_id!r}: write lowercase a-z, 0-9 and single hyphens")
        sources = []
        for src in split_values(row.cells.get("sources"), ";\n \t"):
            if _URL.match(src):
                sources.append(src)
            else:
                self.problem(row, "sources", f"{src!r} is not an http(s) address")
        if not split_values(row.cells.get("sources")):
            self.problem(row, "sources", "empty, but required")
        participations = []
        party_cells = split_values(row.cells.get("parties"))
        if not party_cells:
            self.problem(row, "parties", "empty, but required")
        for cell in party_cells:
            got = self.party(row, cell)
            if got:
                participations.append(got)
        members = [m for m, _ in participations]
        if len(members) != len(set(members)):
            twice = sorted({curie(m) for m in members if members.count(m) > 1})
            self.problem(row, "parties", f"the same party is listed twice: {', '.join(twice)} "
                                         "(give it one line with its roles separated by ',')")
        if len(self.problems) > before or not case_id:
            return None
        if len(kinds) != 1:
            self.problem(row, "kind", "give exactly one kind")
            return None
        iri = f"{CASE_NS}{case_id}"
        if iri in self.v.cases:
            self.report.warnings.append(f"row {row.row}: case {curie(iri)} is already in the loaded data "
                                        "(the new file describes it again)")
        agreement = AgreementRecord(
            f"{AGREEMENT_NS}{agreement_id or case_id + '-agreement'}", agreement_kinds[0],
            {"id": self.text(row, "agreement_label_id", False) or f"Kesepakatan {labels['id']}",
             "en": self.text(row, "agreement_label_en", False) or f"Agreement of {labels['en']}"}, signed)
        return CaseRecord(iri, kinds[0], labels, descriptions, sectors, countries, places, start, end,
                          value, currency, agreement, sources, participations)


def build_graph(table: Table, vocabs: Vocabularies) -> tuple[Graph, ImportReport, set[str]]:
    """The RDF of a table's cases (with new actors and places), the report, and the existing IRIs
    it points at. TableError with every problem found when any cell is wrong."""
    b = _Builder(table, vocabs)
    cases: list[CaseRecord] = []
    if b.check_columns():
        if not table.rows:
            b.problem(None, None, "the table has a header but no case")
        seen: dict[str, int] = {}
        for row in table.rows:
            rec = b.case(row, seen)
            if rec is not None:
                cases.append(rec)
    if b.problems:
        raise TableError(table.path, b.problems)
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for rec in cases:
        b.report.cases.append(rec.iri)
        for t in case_triples(rec):
            g.add(t)
    for actor in b.new_actors.values():
        for t in actor_triples(actor):
            g.add(t)
    for iri, labels, country in b.new_places.values():
        for t in place_triples(iri, labels, country):
            g.add(t)
    b.report.triples = len(g)
    return g, b.report, b.referenced


__all__ = ["ImportReport", "PartyMatch", "build_graph"]
