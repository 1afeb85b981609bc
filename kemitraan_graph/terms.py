"""Names of things: labels with language fallback, local names, CURIEs, safe IRIs, language codes.

The one home for what every stage needs to show a term to a person. Nothing here touches a store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .errors import LanguageError
from .namespaces import PREFIXES

#: the languages labels, titles and reports come in
LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "en"

#: an IRI that can be written between ``<`` and ``>`` in SPARQL or N-Triples as it is
SAFE_IRI = re.compile(r"[^\s<>\"{}|^`\\]+")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def check_lang(lang: str) -> str:
    """``lang`` itself when it is one of ``LANGS``; LanguageError otherwise."""
    if lang not in LANGS:
        raise LanguageError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def other_lang(lang: str) -> str:
    return "en" if lang == "id" else "id"


def lang_key(tag: str | None) -> str:
    """A literal's language tag reduced to ``id``, ``en``, another primary tag, or ``""``."""
    tag = (tag or "").lower()
    primary = tag.split("-", 1)[0]
    return primary


def pick_label(texts: Mapping[str, str] | None, lang: str, iri: str = "") -> str:
    """Text in ``lang``, else the other language, else untagged/any, else the IRI's local name."""
    texts = texts or {}
    return (texts.get(lang) or texts.get(other_lang(lang)) or texts.get("") or next(iter(texts.values()), "")
            or (local_name(iri) if iri else ""))


def display_label(texts: Mapping[str, str] | None, lang: str, iri: str) -> str:
    """``pick_label``, except that an unlabelled IRI outside the known prefixes (a web page cited
    as a source) is shown whole rather than cut to its last segment."""
    if not texts and re.match(r"https?://", iri) and curie(iri) == iri:
        return iri
    return pick_label(texts, lang, iri)


def both_labels(texts: Mapping[str, str] | None, iri: str = "") -> dict[str, str]:
    """``{"id": ..., "en": ...}`` each with the fallback of ``pick_label``."""
    return {lang: pick_label(texts, lang, iri) for lang in LANGS}


def local_name(iri: str) -> str:
    """The part after the last ``#``, ``/`` or ``:``."""
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[-1]
    return iri


def is_safe_iri(iri: str) -> bool:
    """An absolute IRI with no character that could break out of ``<...>``."""
    return bool(SAFE_IRI.fullmatch(iri)) and bool(_SCHEME.match(iri))


def expand_curie(value: str, prefixes: Mapping[str, str] | None = None) -> str | None:
    """``kmt:x`` -> full IRI with the project's prefixes; ``<iri>``, ``scheme://...`` and ``urn:`` as is."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    ns = (prefixes or PREFIXES).get(prefix)
    if sep and ns is not None:
        return ns + local
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", value) or value.startswith("urn:"):
        return value
    return None


def curie(iri: str, prefixes: Mapping[str, str] | None = None) -> str:
    """The shortest ``prefix:local`` form of ``iri`` (the IRI itself when no prefix fits)."""
    best = max(((p, ns) for p, ns in (prefixes or PREFIXES).items() if iri.startswith(ns)),
               key=lambda x: len(x[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


__all__ = ["DEFAULT_LANG", "LANGS", "SAFE_IRI", "LanguageError", "both_labels", "check_lang", "curie", "display_label",
           "expand_curie", "is_safe_iri", "lang_key", "local_name", "other_lang", "pick_label"]
