"""A network view as GraphML, GEXF (Gephi, Cytoscape) or node-link JSON (D3)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ..errors import ViewError
from ..safe_text import for_xml
from .names import EXPORT_FORMATS


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _flat_copy(g: nx.Graph, rename: Mapping[str, str] | None = None, dropped: list[int] | None = None) -> nx.Graph:
    """Lists, dicts and None turned into strings (GraphML and GEXF hold scalars only), without the
    characters XML 1.0 does not allow (counted in ``dropped``)."""
    rename = rename or {}
    count = [0]

    def xml(value: Any) -> Any:
        value = _scalar(value)
        if not isinstance(value, str):
            return value
        text, changed = for_xml(value)
        count[0] += changed
        return text

    out = g.__class__()
    out.graph.update({k: xml(v) for k, v in g.graph.items()})
    ids = {n: xml(n) if isinstance(n, str) else n for n in g.nodes}
    for n, d in g.nodes(data=True):
        out.add_node(ids[n], **{rename.get(k, k): xml(v) for k, v in d.items()})
    for a, b, d in g.edges(data=True):
        out.add_edge(ids[a], ids[b], **{k: xml(v) for k, v in d.items()})
    if dropped is not None:
        dropped.append(count[0])
    return out


def export_text(g: nx.Graph, fmt: str, warnings: list[str] | None = None) -> str:
    """The graph as GraphML, GEXF or node-link JSON (``nodes`` + ``links``, for D3).

    Characters XML 1.0 does not allow (U+0001 ...) are dropped from GraphML and GEXF so that the
    file parses; ``warnings`` (if given) then gets a line saying so.
    """
    if fmt == "json":
        data = nx.node_link_data(g, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"
    dropped: list[int] = []
    if fmt == "graphml":
        text = "\n".join(nx.generate_graphml(_flat_copy(g, dropped=dropped))) + "\n"
    elif fmt == "gexf":
        # GEXF reads node attributes "start"/"end" as time spells: keep the dates as plain data
        flat = _flat_copy(g, {"start": "start_date", "end": "end_date"}, dropped=dropped)
        text = "\n".join(nx.generate_gexf(flat)) + "\n"
    else:
        raise ViewError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if dropped and dropped[0] and warnings is not None:
        warnings.append(f"{dropped[0]} value(s) held characters XML 1.0 does not allow (such as U+0001); "
                        f"they were dropped from the {fmt.upper()} output")
    return text
