"""What a view keeps: ``Filters`` (types, sectors, countries, years, actor kinds) and ``select``."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from ..errors import ViewError
from ..matching import match
from ..terms import curie
from .model import Case, Model, year_of


@dataclass(frozen=True)
class Filters:
    """What to keep. Values are IRIs, CURIEs (``kmt:sector-water``) or local names (``water``).

    ``types``: partnership types; ``sectors``: a sector or any narrower one (skos:broader);
    ``countries``: where a case takes place (kmt:country); ``from_year``/``to_year``: cases
    whose period [start, end] overlaps the range (no end date = still running; no start date =
    left out once a year is given); ``actor_kinds``: parties of these classes or subclasses
    (a case left with no party is dropped).
    """

    types: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    from_year: int | None = None
    to_year: int | None = None
    actor_kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for f in ("types", "sectors", "countries", "actor_kinds"):
            value = getattr(self, f)
            if isinstance(value, str):
                object.__setattr__(self, f, (value,))
            else:
                object.__setattr__(self, f, tuple(value or ()))
        if self.from_year is not None and self.to_year is not None and self.from_year > self.to_year:
            raise ViewError(f"from-year {self.from_year} is after to-year {self.to_year}")

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) not in ((), None) for f in fields(self))

    def describe(self) -> str:
        parts = [
            f"{f.name}={','.join(v) if isinstance(v, tuple) else v}"
            for f in fields(self)
            if (v := getattr(self, f.name)) not in ((), None)
        ]
        return "; ".join(parts)



def resolve_values(
    values: Sequence[str],
    candidates: Iterable[str],
    what: str,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    strip: Sequence[str] = (),
) -> set[str]:
    """Map user values (IRI, CURIE, local name, label) to candidate IRIs; ViewError if unknown."""
    cands = sorted(set(candidates))
    out: set[str] = set()
    for raw in values:
        hits = match(raw, cands, labels, strip)
        if not hits:
            known = ", ".join(curie(c) for c in cands) or "none"
            raise ViewError(f"unknown {what} {raw!r} (known: {known})")
        out |= set(hits)
    return out


@dataclass
class Selection:
    cases: dict[str, Case]
    actors: set[str]


def select(model: Model, filters: Filters) -> Selection:
    """Apply the filters to the model: the cases kept, and the actors kept."""
    types = (
        resolve_values(
            filters.types, model.partnership_types, "partnership type", model.labels, strip=("partnership",)
        )
        if filters.types
        else None
    )
    sectors = (
        resolve_values(filters.sectors, model.sectors, "sector", model.labels, strip=("sector-",))
        if filters.sectors
        else None
    )
    countries = (
        resolve_values(filters.countries, model.countries, "country", model.labels)
        if filters.countries
        else None
    )
    kinds = (
        resolve_values(filters.actor_kinds, model.actor_kinds, "actor kind", model.labels)
        if filters.actor_kinds
        else None
    )

    def actor_ok(a: str) -> bool:
        if kinds is None:
            return True
        kind = model.actors[a].kind if a in model.actors else ""
        return bool(kind) and bool(({kind} | model.superclasses.get(kind, set())) & kinds)

    kept: dict[str, Case] = {}
    for iri, c in model.cases.items():
        if types is not None and not (c.types & types):
            continue
        if sectors is not None and not any(({s} | model.broader.get(s, set())) & sectors for s in c.sectors):
            continue
        if countries is not None and not (c.countries & countries):
            continue
        if filters.from_year is not None or filters.to_year is not None:
            start = year_of(c.start) if c.start else None
            end = year_of(c.end) if c.end else None
            if start is None:
                continue
            if filters.to_year is not None and start > filters.to_year:
                continue
            if filters.from_year is not None and (end if end is not None else math.inf) < filters.from_year:
                continue
        if kinds is not None:
            parties = {a: r for a, r in c.parties.items() if actor_ok(a)}
            if not parties:
                continue
            c = Case(**{**c.__dict__, "parties": parties})
        kept[iri] = c
    actors = {a for c in kept.values() for a in c.parties}
    return Selection(kept, actors)
