"""CORDIS Horizon 2020 participations -> one N-Triples file of kemitraan cases (``make cordis``).

    python examples/cordis/build_cordis.py [--source DIR] [-o build/cordis/cordis-h2020.nt] [--limit N]

Each project (``rcn``) becomes a case built with the same records as ``kemitraan import``
(``kemitraan_graph.importer.records``): a triple-helix partnership when its parties include a
university or research body, a company and a public body, else a research-and-innovation
partnership; one participation per row with the role of ``mapping.yaml``; each organisation (PIC)
an actor of the class of its activity type, in the country of its participations. Names come
from the organisations file with their mojibake repaired by ftfy; every repair and every text
still suspicious after it is listed in the report (``*.report.json``), nothing is dropped.
The file is written atomically; the raw files are only read.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import json
import resource
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from kemitraan_graph.atomic import atomic_write
from kemitraan_graph.importer.records import (
    AGREEMENT_NS,
    CASE_NS,
    ORG_NS,
    ActorRecord,
    AgreementRecord,
    CaseRecord,
    actor_triples,
    case_triples,
    parse_amount,
    parse_date,
)
from kemitraan_graph.namespaces import ID, KMT
from kemitraan_graph.terms import expand_curie

HERE = Path(__file__).resolve().parent
MAPPING = HERE / "mapping.yaml"
DEFAULT_SOURCE = HERE.parent.parent.parent / "shared" / "external" / "cordis"
COUNTRY_NS = ID["country/"]
#: characters that in these files only appear in mojibake (UTF-8 read as Mac Roman or Windows-1252)
_MOJIBAKE_MARKS = ("√", "Ã", "Â", "â€", "¬")


@dataclass
class Mapping:
    raw: dict

    @classmethod
    def read(cls, path: Path = MAPPING) -> Mapping:
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def iri(self, curie_text: str) -> str:
        iri = expand_curie(curie_text)
        if iri is None:
            raise ValueError(f"mapping: {curie_text!r} is not a CURIE or IRI")
        return iri

    def kind_of_type(self, code: str) -> str:
        return self.iri(self.raw["actor_kinds"][code])

    def role(self, name: str) -> str:
        return self.iri(self.raw["roles"][name])

    def country(self, code: str) -> str | None:
        code = (code or "").strip()
        if len(code) != 2 or not code.isalpha():
            return None
        return f"{COUNTRY_NS}{self.raw.get('country_codes', {}).get(code.upper(), code.lower())}"

    def case_kind(self, types: Iterable[str]) -> str:
        present = set(types)
        rule = self.raw["triple_helix"]
        if all(present & set(group) for group in rule["needs_one_of_each"]):
            return self.iri(rule["kind"])
        return self.iri(self.raw["default_kind"])


@dataclass
class Report:
    projects: int = 0
    participations: int = 0
    organisations: int = 0
    named: int = 0
    kinds: Counter = field(default_factory=Counter)
    skipped: list[dict] = field(default_factory=list)
    repaired: list[dict] = field(default_factory=list)
    unrepaired: list[dict] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0

    def to_json(self) -> dict:
        return {"projects": self.projects, "participations": self.participations,
                "organisations": self.organisations, "organisations_named": self.named,
                "cases_by_kind": dict(self.kinds), "skipped_rows": self.skipped,
                "mojibake_repaired": len(self.repaired), "mojibake_unrepaired": len(self.unrepaired),
                "repairs": self.repaired, "unrepaired": self.unrepaired, "triples": self.triples,
                "seconds": round(self.seconds, 2), "peak_memory_mb": round(self.peak_mb, 1)}


def repair(text: str, column: str, key: str, report: Report) -> str:
    """ftfy's repair of mojibake; the change, or a text still suspicious after it, is reported."""
    import ftfy
    from ftfy.badness import is_bad

    fixed, how = unicodedata.normalize("NFC", ftfy.fix_encoding(text)), "ftfy"  # encoding only: quotes stay
    if "√" in fixed:  # ftfy declines some short Mac Roman mojibake ("O√ú"); a strict re-decode or nothing
        try:
            fixed, how = unicodedata.normalize("NFC", fixed.encode("mac_roman").decode("utf-8")), "mac_roman"
        except UnicodeError:
            pass
    if fixed != text:
        report.repaired.append({"pic": key, "column": column, "from": text, "to": fixed, "by": how})
    if is_bad(fixed) or any(m in fixed for m in _MOJIBAKE_MARKS):
        report.unrepaired.append({"pic": key, "column": column, "text": fixed})
    return fixed


def read_organisations(path: Path, mapping: Mapping, report: Report) -> dict[str, dict[str, str]]:
    """PIC -> {"name", "shortName"} (the first row of a PIC; texts repaired)."""
    out: dict[str, dict[str, str]] = {}
    if not path.is_file():
        return out
    columns = mapping.raw.get("repair", [])
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pic = (row.get("orgId") or "").strip()
            if not pic.isdigit() or pic in out:
                continue
            out[pic] = {c: repair(row[c].strip(), c, pic, report) if c in columns else row[c].strip()
                        for c in ("name", "shortName") if (row.get(c) or "").strip()}
    return out


def read_participations(path: Path, limit: int | None = None) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if limit is not None and i >= limit:
                return
            yield row


def _first(counter: Counter, order: Iterable[str] = ()) -> str:
    rank = {k: i for i, k in enumerate(order)}
    return max(counter, key=lambda k: (counter[k], -rank.get(k, len(rank))))


def records(rows: Iterable[dict[str, str]], names: dict[str, dict[str, str]], mapping: Mapping,
            report: Report) -> tuple[list[CaseRecord], list[ActorRecord], set[str]]:
    """The cases, the organisations and the country IRIs of the participation rows."""
    projects: dict[str, dict] = {}
    org_types: dict[str, Counter] = defaultdict(Counter)
    org_countries: dict[str, Counter] = defaultdict(Counter)
    kinds = mapping.raw["actor_kinds"]
    for line, row in enumerate(rows, start=2):
        rcn, pic, kind, role = (row.get(k, "").strip() for k in ("rcn", "pic", "type", "role"))
        if not rcn.isdigit() or not pic.isdigit() or kind not in kinds or role not in mapping.raw["roles"]:
            report.skipped.append({"line": line, "row": row, "why": "rcn/pic not a number or unknown type/role"})
            continue
        report.participations += 1
        p = projects.setdefault(rcn, {"rows": [], "start": row["start_date"], "end": row["end_date"],
                                      "cost": row.get("total_cost", "")})
        p["rows"].append((pic, kind, role, row.get("country", "")))
        org_types[pic][kind] += 1
        country = mapping.country(row.get("country", ""))
        if country:
            org_countries[pic][country] += 1
    source = mapping.raw["source"]
    licence, rights = URIRef(source["licence"]), Literal(source["rights"], lang="en")
    cases = []
    for rcn, p in projects.items():
        members: dict[str, list[str]] = {}
        for pic, _kind, role, _c in p["rows"]:
            roles = members.setdefault(f"{ORG_NS}cordis-pic-{pic}", [])
            if mapping.role(role) not in roles:
                roles.append(mapping.role(role))
        types = [_first(org_types[pic], kinds) for pic, *_ in p["rows"]]
        countries = sorted({c for c in (mapping.country(r[3]) for r in p["rows"]) if c})
        kind = mapping.case_kind(types)
        report.kinds[kind.rsplit("#", 1)[-1]] += 1
        try:
            start = parse_date(p["start"]) if p["start"] and p["start"] != "NA" else None
            end = parse_date(p["end"]) if p["end"] and p["end"] != "NA" else None
        except ValueError as exc:
            report.skipped.append({"rcn": rcn, "why": f"date: {exc}"})
            start = end = None
        try:
            value = parse_amount(p["cost"]) if p["cost"] not in ("", "NA") else None
        except ValueError:
            value = None
        cases.append(CaseRecord(
            iri=f"{CASE_NS}cordis-h2020-{rcn}", kind=kind,
            labels={"id": f"Proyek Horizon 2020 (CORDIS RCN {rcn})", "en": f"Horizon 2020 project (CORDIS RCN {rcn})"},
            sectors=[mapping.iri(mapping.raw["sector"])], countries=countries, start=start, end=end,
            value=value, currency=mapping.raw["currency"] if value is not None else None,
            agreement=AgreementRecord(f"{AGREEMENT_NS}cordis-h2020-{rcn}", mapping.iri(mapping.raw["agreement_kind"]),
                                      {"id": f"Perjanjian hibah Horizon 2020 RCN {rcn}",
                                       "en": f"Horizon 2020 grant agreement RCN {rcn}"}),
            sources=[source["project_page"].format(rcn=rcn)],
            participations=list(members.items()),
            extra=[(URIRef(f"{CASE_NS}cordis-h2020-{rcn}"), DCTERMS.license, licence),
                   (URIRef(f"{CASE_NS}cordis-h2020-{rcn}"), DCTERMS.rights, rights)]))
    report.projects = len(cases)
    actors, countries_seen = [], set()
    for pic, types in org_types.items():
        named = names.get(pic, {})
        report.named += bool(named.get("name"))
        label = named.get("name") or f"CORDIS PIC {pic}"
        country = _first(org_countries[pic]) if org_countries[pic] else None
        if country:
            countries_seen.add(country)
        actors.append(ActorRecord(f"{ORG_NS}cordis-pic-{pic}", mapping.kind_of_type(_first(types, kinds)),
                                  {"id": label, "en": label}, country, named.get("shortName")))
    report.organisations = len(actors)
    return cases, actors, countries_seen


def country_triples(countries: Iterable[str]) -> Iterator[tuple]:
    """kmt:Country nodes for the codes seen, named from the bundled countries when known."""
    from rdflib import Graph
    from rdflib.namespace import RDF, RDFS

    from kemitraan_graph.resources import data_dir

    bundled = Graph()
    path = data_dir() / "actors" / "countries.ttl"
    if path.is_file():
        bundled.parse(path, format="turtle")
    for iri in sorted(countries):
        s = URIRef(iri)
        yield s, RDF.type, KMT.Country
        labels = list(bundled.objects(s, RDFS.label))
        if labels:
            for label in labels:
                yield s, RDFS.label, label
        else:
            code = iri.rsplit("/", 1)[-1].upper()
            yield s, RDFS.label, Literal(code, lang="id")
            yield s, RDFS.label, Literal(code, lang="en")


def build(source: Path, output: Path, *, limit: int | None = None, mapping: Mapping | None = None) -> Report:
    """Read the CORDIS files under ``source`` and write ``output`` (N-Triples) and its report."""
    t0 = time.perf_counter()
    mapping = mapping or Mapping.read()
    files = mapping.raw["files"]
    report = Report()
    names = read_organisations(source / files["organisations"], mapping, report)
    cases, actors, countries = records(read_participations(source / files["participations"], limit),
                                       names, mapping, report)
    triples = itertools.chain((t for c in cases for t in case_triples(c, stable_nodes=True)),
                              (t for a in actors for t in actor_triples(a)), country_triples(countries))
    with atomic_write(output) as f:  # streamed: no graph of the whole data set in memory
        for s, p, o in triples:
            f.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
            report.triples += 1
    report.seconds = time.perf_counter() - t0
    report.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with atomic_write(output.with_suffix(".report.json")) as f:
        json.dump(report.to_json(), f, ensure_ascii=False, indent=1)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="folder of the raw CORDIS files")
    ap.add_argument("-o", "--output", type=Path, default=Path("build/cordis/cordis-h2020.nt"))
    ap.add_argument("--limit", type=int, help="read only the first N participation rows")
    args = ap.parse_args(argv)
    if not (args.source / Mapping.read().raw["files"]["participations"]).is_file():
        print(f"Error: no CORDIS participations file in {args.source} (give --source DIR)", file=sys.stderr)
        return 2
    r = build(args.source, args.output, limit=args.limit)
    print(f"{r.projects} projects ({dict(r.kinds)}), {r.participations} participations, {r.organisations} "
          f"organisations ({r.named} named), {r.triples} triples in {r.seconds:.1f} s, peak memory "
          f"{r.peak_mb:.0f} MB; mojibake repaired {len(r.repaired)}, still suspicious {len(r.unrepaired)}, "
          f"rows skipped {len(r.skipped)} (see {args.output.with_suffix('.report.json')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
