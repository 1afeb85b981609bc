"""The partnership profile (``charts.profile``) -> ONE self-contained HTML page, no request to any host.

A heatmap table (rows: kinds, sectors or countries; columns: benefits and characteristics; cells
shaded by the share of the row's cases, counts on hover), a case list with sources on click, and
an ID/EN toggle. Same rules as the network pages (``page``): the data enters only as JSON in
``<script type="application/json">`` (``json_for_script``), the page script builds the DOM with
``textContent``, and the Content-Security-Policy (``page.CSP``) allows exactly the one inline script
by its sha256.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..charts.cases import paused_gc
from ..charts.profile import Profile, profile, profile_payload
from ..terms import check_lang
from .template import fill_page, page_assets

if TYPE_CHECKING:  # pragma: no cover
    from ..reader import GraphReader


def render_profile(p: Profile, lang: str = "en") -> str:
    """One self-contained HTML page drawing the profile ``p`` (first shown in ``lang``)."""
    check_lang(lang)
    payload = profile_payload(p, lang)
    return fill_page(page_assets("profile", (("script", "profile.js"),)), lang=lang,
                     title=payload["title"][0 if lang == "id" else 1], payload=payload)


@paused_gc()
def write_profile(reader: GraphReader, path: str | Path, by: str = "kind", lang: str = "en") -> Profile:
    """Compute the profile from ``reader`` and write its page to ``path`` (atomically); returns the profile."""
    from ..atomic import write_text

    p = profile(reader, by=by, lang=lang)
    write_text(path, render_profile(p, lang))
    return p


__all__ = ["render_profile", "write_profile"]
