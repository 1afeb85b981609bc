"""Cases and actors as plain records, and the RDF triples of each: the one place an import (a
spreadsheet or a mapped data set such as CORDIS) turns into the project's model.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, XSD

from ..namespaces import ID, KMT, SCHEMA

Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]

CASE_NS, ORG_NS, PLACE_NS, AGREEMENT_NS = ID["case/"], ID["org/"], ID["place/"], ID["agreement/"]
_YEAR, _YEAR_MONTH = re.compile(r"^\d{4}$"), re.compile(r"^\d{4}-\d{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass
class ActorRecord:
    iri: str
    kind: str
    labels: dict[str, str]  # lang -> text
    country: str | None = None
    short_name: str | None = None
    extra: list[Triple] = field(default_factory=list)


@dataclass
class AgreementRecord:
    iri: str
    kind: str
    labels: dict[str, str]
    signed: Literal | None = None


@dataclass
class CaseRecord:
    iri: str
    kind: str
    labels: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    sectors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    start: Literal | None = None
    end: Literal | None = None
    value: Literal | None = None
    currency: str | None = None
    agreement: AgreementRecord | None = None
    sources: list[str] = field(default_factory=list)
    participations: list[tuple[str, list[str]]] = field(default_factory=list)  # (member, roles)
    extra: list[Triple] = field(default_factory=list)  # e.g. licence and attribution of a data set


def parse_date(value: object) -> Literal:
    """``date``/``datetime`` cells, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` -> an xsd date literal."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return Literal(f"{value:04d}", datatype=XSD.gYear)
    text = str(value).strip()
    if _YEAR.match(text):
        return Literal(text, datatype=XSD.gYear)
    if _YEAR_MONTH.match(text):
        if not 1 <= int(text[5:]) <= 12:
            raise ValueError(f"{text!r} has no month {text[5:]}")
        return Literal(text, datatype=XSD.gYearMonth)
    try:
        return Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY") from None


def parse_amount(value: object) -> Literal:
    """A number (cell or text without thousands separators) -> xsd:integer or xsd:decimal."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int):
        return Literal(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number: write digits with an optional '.' decimal point, "
                         "no thousands separators") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{value!r} is not a positive number")
    if number == number.to_integral_value():
        return Literal(int(number))
    return Literal(number)


def check_currency(value: object) -> str:
    text = str(value).strip().upper()
    if not _CURRENCY.match(text):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code (three letters, e.g. IDR, USD, EUR)")
    return text


def _labels(subject: URIRef, prop: URIRef, labels: dict[str, str]) -> Iterator[Triple]:
    for lang, text in labels.items():
        if text:
            yield subject, prop, Literal(text, lang=lang or None)


def case_triples(case: CaseRecord, stable_nodes: bool = False) -> Iterator[Triple]:
    """The triples of a case; ``stable_nodes`` names its blank nodes after the case (the same
    input then gives the same bytes, so a persistent store sees an unchanged file)."""
    s = URIRef(case.iri)
    stem = re.sub(r"[^A-Za-z0-9]", "", case.iri.rsplit("/", 1)[-1])

    def node(name: str) -> BNode:
        return BNode(f"{stem}{name}") if stable_nodes else BNode()

    yield s, RDF.type, URIRef(case.kind)
    yield from _labels(s, RDFS.label, case.labels)
    yield from _labels(s, DCTERMS.description, case.descriptions)
    for prop, values in ((KMT.sector, case.sectors), (KMT.country, case.countries), (KMT.place, case.places)):
        for v in values:
            yield s, prop, URIRef(v)
    if case.start is not None:
        yield s, SCHEMA.startDate, case.start
    if case.end is not None:
        yield s, SCHEMA.endDate, case.end
    for i, (member, roles) in enumerate(case.participations):
        p = node(f"p{i}")
        yield s, KMT.hasParticipation, p
        yield p, RDF.type, KMT.Participation
        yield p, ORG.member, URIRef(member)
        for role in roles:
            yield p, ORG.role, URIRef(role)
    if case.agreement is not None:
        a = URIRef(case.agreement.iri)
        yield s, KMT.agreement, a
        yield a, RDF.type, URIRef(case.agreement.kind)
        yield from _labels(a, RDFS.label, case.agreement.labels)
        if case.agreement.signed is not None:
            yield a, KMT.signedOn, case.agreement.signed
    if case.value is not None and case.currency:
        m = node("v")
        yield s, KMT.financialValue, m
        yield m, RDF.type, SCHEMA.MonetaryAmount
        yield m, SCHEMA.value, case.value
        yield m, SCHEMA.currency, Literal(case.currency)
    for src in case.sources:
        yield s, DCTERMS.source, URIRef(src)
    yield from case.extra


def actor_triples(actor: ActorRecord) -> Iterator[Triple]:
    s = URIRef(actor.iri)
    yield s, RDF.type, URIRef(actor.kind)
    yield from _labels(s, RDFS.label, actor.labels)
    if actor.short_name:
        yield s, KMT.shortName, Literal(actor.short_name)
    if actor.country:
        yield s, KMT.country, URIRef(actor.country)
    yield from actor.extra


def place_triples(iri: str, labels: dict[str, str], country: str | None) -> Iterator[Triple]:
    s = URIRef(iri)
    yield s, RDF.type, SCHEMA.Place
    yield from _labels(s, RDFS.label, labels)
    if country:
        yield s, KMT.country, URIRef(country)


__all__ = ["AGREEMENT_NS", "CASE_NS", "ORG_NS", "PLACE_NS", "ActorRecord", "AgreementRecord", "CaseRecord",
           "Triple", "actor_triples", "case_triples", "check_currency", "parse_amount", "parse_date",
           "place_triples"]
