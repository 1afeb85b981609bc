"""``build_view``: the one entry point from a reader and a view name to a networkx graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from ..errors import ViewError
from ..reader import GraphReader
from ..terms import check_lang
from .filters import Filters, select
from .model import load_model, load_vocabulary
from .names import VIEWS
from .views import _terms, actors_view, concepts_view, ontology_view, stakeholders_view


def build_view(
    reader: GraphReader,
    view: str,
    filters: Filters | None = None,
    lang: str = "en",
    *,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    allow_network: bool = False,
) -> nx.Graph:
    """The networkx graph of one view (see the module docstring)."""
    if view not in VIEWS:
        raise ViewError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    check_lang(lang)
    filters = filters or Filters()
    if view in ("ontology", "query"):
        if not filters.is_empty():
            raise ViewError(f"filters ({filters.describe()}) do not apply to the {view} view")
        if view == "ontology":
            if query:
                raise ViewError("--query belongs to the query view")
            return ontology_view(reader, lang)
        from .query_view import query_view

        return query_view(reader, query or "", params, lang, allow_network=allow_network)
    if query:
        raise ViewError(f"a query draws the query view, not the {view} view")
    model = load_model(reader, load_vocabulary(reader))
    sel = select(model, filters)
    builder = {"stakeholders": stakeholders_view, "actors": actors_view, "concepts": concepts_view}[view]
    g = builder(model, sel, lang)
    g.graph["filters"] = filters.describe()
    used = {s for c in sel.cases.values() for s in c.sectors}
    g.graph["broader"] = {s: sorted(model.broader[s]) for s in sorted(used) if model.broader.get(s)}
    kinds = {model.actors[a].kind for a in sel.actors if model.actors[a].kind}
    g.graph["kind_ancestors"] = {
        k: sorted(model.superclasses.get(k, set()) & model.actor_kinds)
        for k in sorted(kinds)
        if model.superclasses.get(k, set()) & model.actor_kinds
    }
    if g.graph["kind_ancestors"]:
        g.graph["terms"].update(_terms(model, {a for v in g.graph["kind_ancestors"].values() for a in v}))
    return g
