"""What the timeline and the map share: the cases a chart counts, the filters, and the cases'
labels and sources for the list a click shows.

Each is one SPARQL query through the ``GraphReader`` (plain strings, ``reader.texts``, no rdflib terms),
so a page reads only what it draws: no case model (``network.model.load_model`` reads every
case's parties, actors and the labels of everything they mention). The population is that of the
network views and the library queries: the nodes with a ``kmt:hasParticipation`` typed with a
partnership kind (``kmt:PartnershipTypeScheme``, a subclass of ``kmt:Partnership``, or one of the
four kinds). ``Filters`` keep what ``network.filters.select`` keeps: kinds, sectors (or a narrower
one), countries and years are read with a query each; a filter on the parties' kinds reads the
case model, as the network views do.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..namespaces import PARTNERSHIP_TYPES
from ..network.filters import Filters, resolve_values
from ..network.model import year_of
from ..terms import both_labels, is_safe_iri, lang_key

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Collection, Iterable

    from ..reader import GraphReader

_Q_PTYPES = f"""
SELECT DISTINCT ?t WHERE {{
  {{ ?t skos:inScheme kmt:PartnershipTypeScheme }} UNION {{ ?t rdfs:subClassOf kmt:Partnership }}
  UNION {{ VALUES ?t {{ {" ".join(f"<{t}>" for t in PARTNERSHIP_TYPES)} }} }}
  FILTER(isIRI(?t) && ?t != kmt:Partnership)
}}"""


@dataclass(frozen=True)
class CaseInfo:
    """What a chart's case list shows: the case's labels (``{"id", "en"}``) and its sources."""

    iri: str
    label: dict[str, str]
    sources: tuple[str, ...] = ()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a chart builds its tables: it makes hundreds of
    thousands of tuples, dicts and strings (no cycles), and each collection would walk every
    object of the process, the loaded store's included (about a quarter of the time at 30,000
    cases). Nested uses are fine; the collector runs again afterwards as before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def partnership_types(reader: GraphReader) -> list[str]:
    """The partnership kinds, the source text's four first, then the others by IRI."""
    found = {t for (t,) in reader.texts(_Q_PTYPES) if t is not None}
    return [*PARTNERSHIP_TYPES, *sorted(found - set(PARTNERSHIP_TYPES))]


def values(iris: Iterable[str]) -> str:
    """A VALUES block's body (IRIs that could break out of ``<...>`` are left out)."""
    return " ".join(f"<{i}>" for i in iris if is_safe_iri(i))


def population(ptypes: Collection[str]) -> str:
    """The graph pattern binding ``?case`` to every counted case and ``?t`` to its kinds."""
    return f"VALUES ?t {{ {values(ptypes)} }} ?case a ?t . FILTER EXISTS {{ ?case kmt:hasParticipation ?part }}"


def case_kinds(reader: GraphReader, ptypes: Collection[str]) -> dict[str, list[str]]:
    """``case -> its kinds`` for every counted case, in one query."""
    kinds: dict[str, list[str]] = defaultdict(list)
    for case, t in reader.texts(f"SELECT ?case ?t WHERE {{ {population(ptypes)} }}"):
        if case is not None and t is not None:
            kinds[case].append(t)
    return dict(kinds)


def case_dates(reader: GraphReader, cases: Collection[str]) -> dict[str, tuple[str, str]]:
    """``case -> (earliest start, latest end)`` ("" when it has none) for each of ``cases``, from
    one query for the dates of every node that has one (cheaper than joining them to the cases;
    what is not in ``cases`` is dropped here). The dates compare as text, as the case model's
    ``Case.start``/``Case.end`` do."""
    starts: dict[str, str] = {}
    ends: dict[str, str] = {}
    for node, start, end in reader.texts(
        "SELECT ?case ?s ?e WHERE { { ?case schema:startDate ?s } UNION { ?case schema:endDate ?e } }"
    ):
        if node not in cases:
            continue
        if start is not None and (node not in starts or start < starts[node]):
            starts[node] = start
        if end is not None and (node not in ends or end > ends[node]):
            ends[node] = end
    return {c: (starts.get(c, ""), ends.get(c, "")) for c in cases}


def kept_cases(reader: GraphReader, filters: Filters | None, ptypes: Collection[str],
               kinds: dict[str, list[str]], dates: dict[str, tuple[str, str]] | None = None) -> set[str] | None:
    """The cases ``filters`` keep (None: no filter, keep all), as ``network.filters.select`` would.

    ``kinds`` is ``case_kinds``, ``dates`` ``case_dates`` (read here when a year filter needs them
    and not given); unknown filter values raise ``ViewError`` like the network views."""
    f = filters or Filters()
    if f.is_empty():
        return None
    if f.actor_kinds:  # the parties' most specific kinds: the case model's rule
        from ..network.filters import select
        from ..network.model import load_model

        return set(select(load_model(reader), f).cases)
    kept = set(kinds)
    if f.types:
        labels = reader.label_texts(ptypes)
        types = resolve_values(f.types, ptypes, "partnership type", labels, strip=("partnership",))
        kept &= {c for c, ts in kinds.items() if set(ts) & types}
    if f.sectors:
        candidates = {s for (s,) in reader.texts(
            "SELECT DISTINCT ?s WHERE { { ?s a kmt:Sector FILTER(isIRI(?s)) } UNION { ?c kmt:hasParticipation ?p ; "
            "kmt:sector ?x . ?x skos:broader* ?s } }") if s is not None}
        sectors = resolve_values(f.sectors, candidates, "sector", reader.label_texts(candidates),
                                 strip=("sector-",))
        kept &= {c for (c,) in reader.texts(
            f"SELECT DISTINCT ?case WHERE {{ VALUES ?f {{ {values(sectors)} }} ?case kmt:sector ?s . "
            "?s skos:broader* ?f }")}
    if f.countries:
        candidates = {s for (s,) in reader.texts(
            "SELECT DISTINCT ?s WHERE { { ?s a kmt:Country FILTER(isIRI(?s)) } UNION "
            "{ ?c kmt:hasParticipation ?p ; kmt:country ?s } }")
            if s is not None}
        countries = resolve_values(f.countries, candidates, "country", reader.label_texts(candidates))
        kept &= {c for (c,) in reader.texts(
            f"SELECT DISTINCT ?case WHERE {{ VALUES ?x {{ {values(countries)} }} ?case kmt:country ?x }}")}
    if f.from_year is not None or f.to_year is not None:
        if dates is None:
            dates = case_dates(reader, kinds)

        def overlaps(case: str) -> bool:
            start_text, end_text = dates[case]
            start = year_of(start_text) if start_text else None
            end = year_of(end_text) if end_text else None
            if start is None:
                return False
            if f.to_year is not None and start > f.to_year:
                return False
            return not (f.from_year is not None and (end if end is not None else math.inf) < f.from_year)

        kept = {c for c in kept if overlaps(c)}
    return kept


def case_infos(reader: GraphReader, ptypes: Collection[str], wanted: Collection[str]) -> dict[str, CaseInfo]:
    """Labels (rdfs:label before skos:prefLabel, as ``GraphReader.label_texts``) and sources of the
    ``wanted`` cases, in ONE query over the cases of the kinds ``ptypes`` (no VALUES list of
    thousands of IRIs)."""
    found: dict[str, dict[str, tuple[str, str]]] = {}  # case -> lang -> (rank "0"/"1", text)
    sources: dict[str, set[str]] = defaultdict(set)
    langs: dict[str | None, str] = {}
    for case, k, value, tag in reader.texts(
        f"SELECT ?case ?k ?o (LANG(?o) AS ?lang) WHERE {{ VALUES ?t {{ {values(ptypes)} }} ?case a ?t . "
        "{ ?case rdfs:label ?o BIND(0 AS ?k) } UNION { ?case skos:prefLabel ?o BIND(1 AS ?k) } "
        "UNION { ?case dcterms:source ?o BIND(2 AS ?k) } }"
    ):
        if value is None or case not in wanted:
            continue
        if k == "2":
            sources[case].add(value)
            continue
        try:
            lang = langs[tag]
        except KeyError:
            lang = langs[tag] = lang_key(tag)
        rank = (k or "0", value)
        slot = found.get(case)
        if slot is None:
            found[case] = {lang: rank}
        elif lang not in slot or rank < slot[lang]:
            slot[lang] = rank
    out: dict[str, CaseInfo] = {}
    for c in wanted:
        texts = {lg: text for lg, (_k, text) in found[c].items()} if c in found else None
        out[c] = CaseInfo(c, both_labels(texts, c), tuple(sorted(sources[c])) if c in sources else ())
    return out


__all__ = ["CaseInfo", "case_dates", "case_infos", "case_kinds", "kept_cases", "partnership_types", "paused_gc",
           "population", "values"]
