"""Matching what a person types (an IRI, a CURIE, a short name, a label) to IRIs of a vocabulary.

Shared by the views' filters (``--sector port``) and the query parameters (``-p sector=port``), so
both accept the same short names. Pure string work: the caller brings the candidates and labels.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

from .terms import curie, expand_curie, local_name, pick_label


def norm(text: str) -> str:
    """Lower case, letters and digits only: ``Toll road`` and ``toll-road`` meet as ``tollroad``."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def names_of(iri: str, labels: Mapping[str, Mapping[str, str]] | None = None,
             strip: Sequence[str] = ()) -> set[str]:
    """Normalised names ``iri`` answers to: its local name (without the ``strip`` affixes), its labels."""
    ln = local_name(iri)
    names = {norm(ln)}
    for affix in strip:
        if ln.lower().startswith(affix):
            names.add(norm(ln[len(affix):]))
        if ln.lower().endswith(affix):
            names.add(norm(ln[: -len(affix)]))
    names |= {norm(t) for t in (labels or {}).get(iri, {}).values()}
    names.discard("")
    return names


def match(value: str, candidates: Iterable[str], labels: Mapping[str, Mapping[str, str]] | None = None,
          strip: Sequence[str] = ()) -> list[str]:
    """Candidates ``value`` names: the IRI or CURIE itself, else every exact short name or label,
    else the one candidate whose name begins with it (``triple`` -> TripleHelix...); ``[]`` if none."""
    cands = sorted(set(candidates))
    value = value.strip()
    iri = expand_curie(value) if ":" in value else None
    if iri and iri in cands:
        return [iri]
    key = norm(value)
    if not key:
        return []
    hits, starts = [], []
    for c in cands:
        names = names_of(c, labels, strip)
        if key in names:
            hits.append(c)
        elif any(name.startswith(key) for name in names):
            starts.append(c)
    if not hits and len(starts) == 1:
        hits = starts
    return hits


def starting_with(value: str, candidates: Iterable[str], labels: Mapping[str, Mapping[str, str]] | None = None,
                  strip: Sequence[str] = ()) -> list[str]:
    """Candidates with a name that begins with ``value`` (to say why a short name was not enough)."""
    key = norm(value)
    return [c for c in sorted(set(candidates)) if key and any(n.startswith(key) for n in names_of(c, labels, strip))]


def nearest(value: str, candidates: Iterable[str], labels: Mapping[str, Mapping[str, str]] | None = None,
            n: int = 3, strip: Sequence[str] = ()) -> list[str]:
    """Up to ``n`` candidates whose names are closest to ``value`` (closest first)."""
    value = value.strip()
    key = norm(local_name(value) if ":" in value else value)
    by_name: dict[str, list[str]] = {}
    for c in sorted(set(candidates)):
        for name in names_of(c, labels, strip):
            by_name.setdefault(name, []).append(c)
    out: list[str] = []
    for name in difflib.get_close_matches(key, list(by_name), n=n * 3, cutoff=0.5):
        for c in by_name[name]:
            if c not in out:
                out.append(c)
    return out[:n]


def describe(iri: str, labels: Mapping[str, Mapping[str, str]] | None = None, lang: str = "en") -> str:
    """``Label (prefix:local)`` for messages."""
    texts = (labels or {}).get(iri)
    return f"{pick_label(texts, lang)} ({curie(iri)})" if texts else curie(iri)


__all__ = ["describe", "match", "names_of", "nearest", "norm", "starting_with"]
