"""Views -> self-contained, offline HTML pages.

``layout``    node positions computed in Python (fast, deterministic)
``page``      the page: payload JSON, template, inlined vis-network, CSP; ``render_html``, ``write_view``
``profile``   the partnership profile page: ``render_profile``, ``write_profile``
``charts``    timeline, map and query charts (Vega-Lite): pages and static figures, ``write_chart``
``figure``    static figures (SVG, PNG, PDF; matplotlib) of the network views and the profile
``notebook``  Jupyter: ``view_widget`` (an iframe) and ``to_pyvis`` (the ``pyvis`` extra)
"""

from __future__ import annotations

from .charts import write_chart
from .page import graph_payload, render_html, write_view
from .profile import render_profile, write_profile
from .template import CSP, json_for_script

__all__ = ["CSP", "graph_payload", "json_for_script", "render_html", "render_profile", "write_chart", "write_profile",
           "write_view"]
