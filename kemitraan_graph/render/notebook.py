"""Network views in notebooks: a page inline in Jupyter, and a pyvis Network to customise.

pyvis is an optional extra (``pip install kemitraan-graph[pyvis]``); the rest of the package never
imports it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from .layout import layout
from .page import SHAPES, _colour, render_html

if TYPE_CHECKING:  # pragma: no cover
    from ..network import Filters
    from ..reader import GraphReader


def view_widget(
    reader: GraphReader,
    view: str,
    *,
    width: str | int = "100%",
    height: int = 650,
    lang: str = "en",
    filters: Filters | None = None,
    size_by: str = "degree",
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> Any:
    """The page in an ``<iframe srcdoc>`` (sandboxed: scripts only) for Jupyter; the HTML text
    itself when IPython is not installed."""
    from ..network import build_view

    graph = build_view(reader, view, filters=filters, lang=lang, query=query, params=params)
    page = render_html(graph, lang=lang, size_by=size_by)
    try:
        from IPython.display import IFrame
    except ImportError:  # pragma: no cover - depends on the environment
        return page

    class SrcdocIFrame(IFrame):
        """IPython's IFrame, with the page inline (``srcdoc``) instead of a URL."""

        def __init__(self, page_html: str, width: Any, height: Any):
            super().__init__("about:blank", width, height)
            self.html = page_html

        def _repr_html_(self) -> str:
            return (
                f'<iframe width="{html.escape(str(self.width))}" height="{html.escape(str(self.height))}" '
                f'sandbox="allow-scripts" style="border:1px solid #ddd" '
                f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>'
            )

    return SrcdocIFrame(page, width, height)


def to_pyvis(
    graph: nx.Graph,
    *,
    notebook: bool = False,
    height: str = "750px",
    width: str = "100%",
    positions: Mapping[Any, tuple[float, float]] | None = None,
    seed: int = 0,
):
    """A ``pyvis.network.Network`` of ``graph`` with our colours, shapes and positions.

    Nodes and edges are set directly (pyvis's ``add_node``/``add_edge`` check for duplicates
    with list scans, quadratic on large graphs). No ``title`` is passed: vis-network shows titles
    as HTML. pyvis's own page template loads Bootstrap and vis from a CDN; use ``render_html`` or
    ``write_view`` for a page that needs nothing from the network.
    """
    try:
        from pyvis.network import Network
    except ImportError:
        from ..errors import ViewError

        raise ViewError("to_pyvis needs pyvis: pip install 'kemitraan-graph[pyvis]'") from None

    net = Network(
        height=height,
        width=width,
        directed=graph.is_directed(),
        notebook=notebook,
        cdn_resources="in_line" if notebook else "local",
    )
    pos = dict(positions) if positions is not None else layout(graph, seed=seed)
    groups: dict[str, dict[str, Any]] = {}
    for _n, d in graph.nodes(data=True):
        key = str(d.get("group") or d.get("kind") or "node")
        groups.setdefault(key, {"key": key, "kind": str(d.get("kind") or "node"), "n": 0})
    _colour(groups)
    for n, d in graph.nodes(data=True):
        key = str(d.get("group") or d.get("kind") or "node")
        nid = str(n)
        x, y = pos.get(n, (0.0, 0.0))
        node = {
            "id": nid,
            "label": str(d.get("label") or n),
            "shape": SHAPES.get(str(d.get("kind")), "dot"),
            "color": groups[key]["color"],
            "x": x,
            "y": y,
            "physics": False,
            "kind": str(d.get("kind") or ""),
            "iri": str(d.get("iri") or ""),
        }
        net.nodes.append(node)
        net.node_ids.append(nid)
        net.node_map[nid] = node
    for a, b, d in graph.edges(data=True):
        edge = {"from": str(a), "to": str(b)}
        if d.get("label"):
            edge["label"] = str(d["label"])
        if "weight" in d:
            try:
                edge["width"] = max(1.0, min(8.0, float(d["weight"])))
            except (TypeError, ValueError):
                pass
        if graph.is_directed():
            edge["arrows"] = "to"
        net.edges.append(edge)
    net.toggle_physics(False)
    return net
