"""RDF -> networkx views of the knowledge graph, their filters, analytics and export.

``model``       the case/actor model read from the store (a few SPARQL queries)
``filters``     ``Filters`` and ``select``: what a view keeps
``views``       stakeholders, actors, concepts and ontology views
``build``       ``build_view``: reader + view name + filters -> networkx graph (the entry point)
``query_view``  any SELECT with ``?source ?target`` or a CONSTRUCT, as a network
``analytics``   centralities, communities, components
``export``      GraphML, GEXF, node-link JSON

A new view: a function ``(model, selection, lang) -> nx.Graph`` in ``views.py`` (or its own module),
named in ``names.VIEWS`` and in ``build.build_view``. ``names`` holds plain constants, so that the
CLI can offer them as choices without importing networkx.
"""

from __future__ import annotations

from typing import Any

from .names import EXPORT_FORMATS, MEASURES, VIEWS


def __getattr__(name: str) -> Any:  # lazy: ``from kemitraan_graph.network import build_view, Filters``
    if name == "build_view":
        from .build import build_view

        return build_view
    if name == "Filters":
        from .filters import Filters

        return Filters
    raise AttributeError(name)


__all__ = ["EXPORT_FORMATS", "MEASURES", "VIEWS", "Filters", "build_view"]
