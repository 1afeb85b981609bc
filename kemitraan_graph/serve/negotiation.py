"""Content negotiation: an ``Accept`` header and a result kind -> one of ``results``' formats."""

from __future__ import annotations

#: media types a SELECT/ASK result is offered in, preferred first: (media type, results format)
SELECT_MEDIA = (
    ("application/sparql-results+json", "sparql-json"),
    ("application/sparql-results+xml", "sparql-xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "sparql-json"),
    ("application/xml", "sparql-xml"),
    ("text/xml", "sparql-xml"),
)
#: media types a CONSTRUCT/DESCRIBE result is offered in, preferred first
GRAPH_MEDIA = (
    ("text/turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/x-turtle", "turtle"),
    ("application/turtle", "turtle"),
    ("text/plain", "ntriples"),
    ("application/json", "jsonld"),
)
#: the media type a response in each format is labelled with
FORMAT_MEDIA = {
    "sparql-json": "application/sparql-results+json",
    "sparql-xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``[(media range, q), ...]`` of an Accept header; a missing or empty header accepts anything."""
    out: list[tuple[str, float]] = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q))
    return out or [("*/*", 1.0)]


def _quality(media: str, accept: list[tuple[str, float]]) -> tuple[float, int]:
    """(q, specificity) of ``media`` under ``accept``: the most specific matching range decides."""
    kind = media.split("/", 1)[0]
    best: tuple[int, float] | None = None
    for rng, q in accept:
        spec = 2 if rng == media else 1 if rng == f"{kind}/*" else 0 if rng == "*/*" else -1
        if spec >= 0 and (best is None or spec > best[0]):
            best = (spec, q)
    return (0.0, -1) if best is None else (best[1], best[0])


def choose_format(accept_header: str | None, kind: str) -> str | None:
    """The results format for a ``kind`` ("select", "ask", "graph") result; None when nothing fits."""
    return choose_media(accept_header, GRAPH_MEDIA if kind == "graph" else SELECT_MEDIA)


def choose_media(accept_header: str | None, offered: tuple[tuple[str, str], ...]) -> str | None:
    """The name paired with the best media type of ``offered`` (preferred first); None when none fits."""
    accept = parse_accept(accept_header)
    best: tuple[float, int, int] | None = None
    choice = None
    for rank, (media, fmt) in enumerate(offered):
        q, spec = _quality(media, accept)
        if q <= 0:
            continue
        key = (q, spec, -rank)
        if best is None or key > best:
            best, choice = key, fmt
    return choice


def offered(kind: str) -> list[str]:
    return [m for m, _ in (GRAPH_MEDIA if kind == "graph" else SELECT_MEDIA)]


__all__ = ["FORMAT_MEDIA", "GRAPH_MEDIA", "SELECT_MEDIA", "choose_format", "choose_media", "offered",
           "parse_accept"]
