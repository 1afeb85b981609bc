"""Names -> IRIs: the vocabularies and actors of the loaded graph, matched by normalised label,
alternative label, short name, CURIE, IRI or Wikidata id; near misses get "did you mean".

It reads through any object with ``rows(sparql_text)`` (the query stage's ``GraphReader``), so the
lists follow the loaded graph: a term a project adds is accepted like a bundled one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from ..namespaces import KMT
from ..terms import curie, expand_curie, local_name

WIKIDATA = re.compile(r"^(?:wd:|https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$", re.IGNORECASE)


class Rows(Protocol):
    def rows(self, text: str) -> list[tuple]: ...


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing folded: ``"  PT. Bio Farma (Persero) "`` -> ``"pt bio farma persero"``."""
    folded = unicodedata.normalize("NFKD", str(text))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def slugify(text: str, max_length: int = 60) -> str:
    """A lowercase ASCII slug (``a-z0-9`` and single hyphens) safe in any IRI; ``"x"`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_length].rstrip("-") or "x"


def short_names(local: str) -> tuple[str, ...]:
    """A term's local name and its short forms: ``sector-health`` -> ``health``,
    ``TripleHelixPartnership`` -> ``triple helix`` (the forms the CLI filters take)."""
    out = [local]
    if "-" in local:
        out.append(local.split("-", 1)[1])
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", local)
    if len(words) > 1:
        out.append(" ".join(words))
        if words[-1] == "Partnership":
            out.append(" ".join(words[:-1]))
    return tuple(out)


@dataclass
class Match:
    iri: str | None
    problem: str | None = None


@dataclass
class Vocabulary:
    """IRIs with the texts that name them, looked up by normalised text."""

    name: str  # "sector", "role"... for messages
    labels: dict[str, str] = field(default_factory=dict)  # iri -> display label
    keys: dict[str, set[str]] = field(default_factory=dict)  # normalised text -> iris

    def add(self, iri: str, *texts: str | None) -> None:
        iri = str(iri)
        if iri not in self.labels:
            self.labels[iri] = local_name(iri)
            texts = (iri, curie(iri), *short_names(local_name(iri)), *texts)
        for t in texts:
            if t:
                self.keys.setdefault(normalise(t), set()).add(iri)

    def __contains__(self, iri: str) -> bool:
        return iri in self.labels

    def choices(self) -> list[str]:
        return sorted(set(self.labels.values()), key=str.casefold)

    def lookup(self, text: str) -> Match:
        raw = str(text).strip()
        iri = expand_curie(raw)
        if iri is not None and iri in self.labels:
            return Match(iri)
        found = self.keys.get(normalise(raw), set())
        if len(found) == 1:
            return Match(next(iter(found)))
        if len(found) > 1:
            names = ", ".join(sorted(curie(i) for i in found))
            return Match(None, f"{raw!r} is ambiguous: it names {names}; write one of these instead")
        close = difflib.get_close_matches(normalise(raw), list(self.keys), n=3, cutoff=0.75)
        hint = sorted({self.labels[i] for k in close for i in self.keys[k]}, key=str.casefold)
        did = f"; did you mean {' or '.join(repr(h) for h in hint[:3])}?" if hint else ""
        return Match(None, f"unknown {self.name} {raw!r}{did}")


def _labels(reader: Rows, where: str, vocab: Vocabulary, lang: str = "en") -> Vocabulary:
    """Fill ``vocab`` with the IRIs ``?s`` that ``where`` selects and all their names."""
    text = f"""SELECT ?s ?p ?l WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ {where} }} }}
      VALUES ?p {{ rdfs:label skos:prefLabel skos:altLabel kmt:shortName skos:notation
                   owl:sameAs skos:exactMatch schema:sameAs }}
      OPTIONAL {{ ?s ?p ?l }} }}"""
    display: dict[str, tuple[int, str]] = {}
    for s, p, label in reader.rows(text):
        iri = str(s)
        vocab.add(iri)
        if label is None:
            continue
        value = str(label)
        wd = WIKIDATA.match(value)
        if wd:
            vocab.keys.setdefault(wd.group(1).lower(), set()).add(iri)
            continue
        vocab.add(iri, value)
        if str(p).endswith(("#label", "#prefLabel")):
            rank = 0 if getattr(label, "language", None) == lang else 1
            if iri not in display or (rank, value) < display[iri]:
                display[iri] = (rank, value)
    for iri, (_rank, value) in display.items():
        vocab.labels[iri] = value
    return vocab


def wikidata_key(text: str) -> str | None:
    m = WIKIDATA.match(str(text).strip())
    return m.group(1).lower() if m else None


@dataclass
class Vocabularies:
    """Every list an import row is checked against."""

    kinds: Vocabulary
    sectors: Vocabulary
    roles: Vocabulary
    actor_kinds: Vocabulary
    agreement_kinds: Vocabulary
    countries: Vocabulary
    places: Vocabulary
    actors: Vocabulary
    cases: set[str]
    iris: set[str]  # every subject IRI under the project's id space (for minting without clashes)

    def lists(self) -> dict[str, list[str]]:
        """Display labels of each drop-down list of the template."""
        return {"kind": self.kinds.choices(), "sector": self.sectors.choices(), "role": self.roles.choices(),
                "party kind": self.actor_kinds.choices(), "agreement kind": self.agreement_kinds.choices(),
                "country": self.countries.choices()}


def load_vocabularies(reader: Rows) -> Vocabularies:
    """Read the partnership kinds, sectors, roles, actor kinds, agreement kinds, countries, places
    and actors of the loaded graph."""
    kmt = str(KMT)
    partnership = f"?s rdfs:subClassOf+ <{kmt}Partnership>"
    vocabs = Vocabularies(
        kinds=_labels(reader, partnership, Vocabulary("partnership kind")),
        sectors=_labels(reader, f"?s skos:inScheme <{kmt}SectorScheme>", Vocabulary("sector")),
        roles=_labels(reader, f"?s skos:inScheme <{kmt}RoleScheme>", Vocabulary("role")),
        actor_kinds=_labels(reader, f"?s rdfs:subClassOf* <http://xmlns.com/foaf/0.1/Agent> "
                                    f"FILTER(STRSTARTS(STR(?s), \"{kmt}\")) "
                                    f"FILTER NOT EXISTS {{ ?s rdfs:subClassOf* <{kmt}Partnership> }}",
                            Vocabulary("party kind")),
        agreement_kinds=_labels(reader, f"?s rdfs:subClassOf* <{kmt}Agreement>", Vocabulary("agreement kind")),
        countries=_labels(reader, f"?s a <{kmt}Country>", Vocabulary("country")),
        places=_labels(reader, "?s a <https://schema.org/Place> "
                               f"FILTER NOT EXISTS {{ ?s a <{kmt}Country> }}", Vocabulary("place")),
        actors=_labels(reader, "?s a ?c . ?c rdfs:subClassOf* <http://xmlns.com/foaf/0.1/Agent> "
                               f"FILTER NOT EXISTS {{ ?s a/rdfs:subClassOf* <{kmt}Partnership> }}",
                       Vocabulary("party")),
        cases={str(s) for (s,) in reader.rows(
            f"SELECT DISTINCT ?s WHERE {{ ?s a/rdfs:subClassOf* <{kmt}Partnership> }}")},
        iris={str(s) for (s,) in reader.rows(
            'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/kemitraan/id/")) }')},
    )
    for iri in list(vocabs.countries.labels):  # ISO codes: country:id -> "id", "idn" not known
        vocabs.countries.keys.setdefault(local_name(iri).lower(), set()).add(iri)
    return vocabs


def split_values(value: object, separators: str = ";\n") -> list[str]:
    """A multi-valued cell: a list (YAML) or text split on ``;`` and new lines; blanks dropped."""
    if value is None:
        return []
    items: Iterable[object] = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        out += [v.strip() for v in re.split(f"[{re.escape(separators)}]", str(item)) if v.strip()]
    return out


__all__ = ["Match", "Rows", "Vocabularies", "Vocabulary", "WIKIDATA", "load_vocabularies", "normalise", "slugify",
           "split_values", "wikidata_key"]
