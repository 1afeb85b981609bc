"""The partnership profile (``charts.profile``) -> ONE self-contained HTML page, no request to any host.

A heatmap table (rows: kinds, sectors or countries; columns: benefits and characteristics; cells
shaded by the share of the row's cases, counts on hover), a case list with sources on click, and
an ID/EN toggle. Same rules as the network pages (``page``): the data enters only as JSON in
``<script type="application/json">`` (``json_for_script``), the page script builds the DOM with
``textContent``, and the Content-Security-Policy (``page.CSP``) allows exactly the one inline script
by its sha256.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..charts.profile import Profile, profile, profile_payload
from ..errors import ViewError
from ..terms import check_lang
from .page import CSP, HERE, json_for_script
from .page import _sha256 as script_hash

if TYPE_CHECKING:  # pragma: no cover
    from ..reader import GraphReader


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    script = (HERE / "profile.js").read_text(encoding="utf-8")
    if re.search(r"</?script|<!--", script, re.IGNORECASE):
        raise ViewError("profile.js holds '<script', '</script' or '<!--' and cannot be inlined")
    return {
        "template": (HERE / "profile.html").read_text(encoding="utf-8"),
        "css": (HERE / "profile.css").read_text(encoding="utf-8"),
        "script": script,
        "hashes": script_hash(script),
    }


def render_profile(p: Profile, lang: str = "en") -> str:
    """One self-contained HTML page drawing the profile ``p`` (first shown in ``lang``)."""
    check_lang(lang)
    payload = profile_payload(p, lang)
    assets = _assets()
    values = {
        "lang": lang,
        "title": html.escape(payload["title"][0 if lang == "id" else 1], quote=True),
        "csp": html.escape(CSP.format(hashes=assets["hashes"]), quote=False).replace('"', "&quot;"),
        "css": assets["css"].replace("</", "<\\/"),
        "data": json_for_script(payload),
        "script": assets["script"],
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], assets["template"])


def write_profile(reader: GraphReader, path: str | Path, by: str = "kind", lang: str = "en") -> Profile:
    """Compute the profile from ``reader`` and write its page to ``path`` (atomically); returns the profile."""
    from ..atomic import write_text

    p = profile(reader, by=by, lang=lang)
    write_text(path, render_profile(p, lang))
    return p


__all__ = ["render_profile", "write_profile"]
