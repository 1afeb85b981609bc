"""Chart views: RDF -> plain tables a page (``render/``) draws.

``profile``  the partnership profile (``charts.profile.profile``): kinds (or sectors, countries) x
             the source text's benefits and characteristics, each cell the cases behind it
``timeline`` cases by start and end year and kind (``charts.timeline.timeline``)
``geo``      the map: cases per country, the cases' places with coordinates (``charts.geo.case_map``)
``cases``    what the timeline and the map share: the counted cases, the filters, the cases' labels and sources
``table``    any SELECT's columns picked by type for a bar, line or heatmap chart (``charts.table``)

Only constants live here, so the CLI can offer the names without loading anything.
"""

from __future__ import annotations

#: the chart views (the CLI's ``viz`` offers them beside ``network.VIEWS``)
CHART_VIEWS: tuple[str, ...] = ("profile", "timeline", "map")
#: the views drawn with Vega-Lite (pages and static figures): timeline, map, and ``query --chart``
VEGA_VIEWS: tuple[str, ...] = ("timeline", "map", "query")
#: the charts a SELECT can be drawn as (``viz query --chart``)
CHART_KINDS: tuple[str, ...] = ("bar", "line", "heatmap")
#: static figure formats (by the output file's suffix)
FIGURE_FORMATS: tuple[str, ...] = ("svg", "png", "pdf")
#: what the profile's rows can be
PROFILE_BY: tuple[str, ...] = ("kind", "sector", "country")

__all__ = ["CHART_KINDS", "CHART_VIEWS", "FIGURE_FORMATS", "PROFILE_BY", "VEGA_VIEWS"]
