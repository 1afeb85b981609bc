"""Chart views: RDF -> plain tables a page (``render/``) draws.

``profile``  the partnership profile (``charts.profile.profile``): kinds (or sectors, countries) x
             the source text's benefits and characteristics, each cell the cases behind it

Only constants live here, so the CLI can offer the names without loading anything.
"""

from __future__ import annotations

#: the chart views (the CLI's ``viz`` offers them beside ``network.VIEWS``)
CHART_VIEWS: tuple[str, ...] = ("profile",)
#: what the profile's rows can be
PROFILE_BY: tuple[str, ...] = ("kind", "sector", "country")

__all__ = ["CHART_VIEWS", "PROFILE_BY"]
