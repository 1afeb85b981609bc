"""A network view as GraphML, GEXF (Gephi, Cytoscape) or node-link JSON (D3)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ..errors import ViewError
from .names import EXPORT_FORMATS


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _flat_copy(g: nx.Graph, rename: Mapping[str, str] | None = None) -> nx.Graph:
    """Lists, dicts and None turned into strings (GraphML and GEXF hold scalars only)."""
    rename = rename or {}
    out = g.__class__()
    out.graph.update({k: _scalar(v) for k, v in g.graph.items()})
    for n, d in g.nodes(data=True):
        out.add_node(n, **{rename.get(k, k): _scalar(v) for k, v in d.items()})
    for a, b, d in g.edges(data=True):
        out.add_edge(a, b, **{k: _scalar(v) for k, v in d.items()})
    return out


def export_text(g: nx.Graph, fmt: str) -> str:
    """The graph as GraphML, GEXF or node-link JSON (``nodes`` + ``links``, for D3)."""
    if fmt == "json":
        data = nx.node_link_data(g, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(_flat_copy(g))) + "\n"
    if fmt == "gexf":
        # GEXF reads node attributes "start"/"end" as time spells: keep the dates as plain data
        flat = _flat_copy(g, {"start": "start_date", "end": "end_date"})
        return "\n".join(nx.generate_gexf(flat)) + "\n"
    raise ViewError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
