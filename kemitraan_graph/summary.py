"""``stats``: what the graph holds, counted (classes, types, sectors, countries, top actors).

Sectors are counted per top-level sector, a case in a narrower one (toll road) counting for its top
sector (infrastructure), as the ``cases-by-sector`` library query counts them.
"""

from __future__ import annotations

from typing import Any

from .reader import GraphReader

_COUNTS = {
    "classes": """
        SELECT ?key (COUNT(DISTINCT ?s) AS ?n) WHERE {
          ?s a ?key . FILTER(STRSTARTS(STR(?key), STR(kmt:)))
          FILTER NOT EXISTS { ?s a owl:Class } FILTER NOT EXISTS { ?s a skos:Concept }
          FILTER NOT EXISTS { ?s a owl:ObjectProperty } FILTER NOT EXISTS { ?s a owl:DatatypeProperty }
        } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "partnership_types": """
        SELECT ?key (COUNT(DISTINCT ?case) AS ?n) WHERE {
          ?key skos:inScheme kmt:PartnershipTypeScheme . ?case a ?key .
        } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "sectors": """
        SELECT ?key (COUNT(DISTINCT ?case) AS ?n) WHERE {
          ?key skos:topConceptOf kmt:SectorScheme .
          ?case a ?kind ; kmt:sector ?s . ?kind skos:inScheme kmt:PartnershipTypeScheme . ?s skos:broader* ?key .
        } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "countries": """
        SELECT ?key (COUNT(DISTINCT ?case) AS ?n) WHERE {
          ?case a ?kind ; kmt:country ?key . ?kind skos:inScheme kmt:PartnershipTypeScheme .
        } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "top_actors": """
        SELECT ?key (COUNT(DISTINCT ?case) AS ?n) WHERE {
          ?case kmt:hasPartner ?key .
        } GROUP BY ?key ORDER BY DESC(?n) ?key""",
}
_TOTALS = """
SELECT (COUNT(DISTINCT ?case) AS ?cases) (COUNT(DISTINCT ?actor) AS ?actors) WHERE {
  ?case kmt:hasPartner ?actor .
}"""


def stats(reader: GraphReader, *, files: int, top: int = 10, lang: str = "en") -> dict[str, Any]:
    """Counts as plain data: {"triples": n, "cases": n, "actors": n, "<section>": [{iri, label, count}]}."""
    totals = reader.rows(_TOTALS)[0]
    out: dict[str, Any] = {
        "triples": reader.triple_count(),
        "files": files,
        "cases": int(totals[0]),
        "actors": int(totals[1]),
    }
    for section, text in _COUNTS.items():
        rows = reader.rows(text)
        if section == "top_actors":
            rows = rows[:top]
        names = reader.labels((r[0] for r in rows), lang)
        out[section] = [{"iri": str(k), "label": names.get(k, str(k)), "count": int(n)} for k, n in rows]
    return out


_TITLES = {
    "partnership_types": "Cases per partnership type",
    "sectors": "Cases per top-level sector (narrower ones counted in theirs)",
    "countries": "Cases per country",
    "top_actors": "Top actors (partnerships)",
    "classes": "Instances per class",
}


def format_stats(data: dict[str, Any]) -> str:
    """A plain-text report of ``stats`` output (tables drawn by rich)."""
    import io

    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(file=buf, width=100, color_system=None, markup=False, emoji=False)
    console.print(f"triples: {data['triples']}  files: {data['files']}  cases: {data['cases']}  "
                  f"actors: {data['actors']}")
    for key, title in _TITLES.items():
        table = Table(title=title, header_style="bold", title_justify="left")
        table.add_column("label", overflow="fold")
        table.add_column("count", justify="right")
        for row in data[key]:
            table.add_row(row["label"], str(row["count"]))
        console.print(table)
    return buf.getvalue().rstrip("\n")
