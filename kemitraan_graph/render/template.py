"""What every self-contained page shares: its files read once, the inline scripts checked and
hashed for the Content-Security-Policy, the data as escaped JSON, and the template filled in.

A page is ``NAME.html`` (with ``{{lang}}``, ``{{title}}``, ``{{csp}}``, ``{{css}}``, ``{{data}}`` and one
placeholder per inline script), ``NAME.css`` and its scripts, all beside this module.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ViewError

HERE = Path(__file__).resolve().parent

#: the only scripts a page may run are its own inline ones (by hash); nothing from any host
CSP = (
    "default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``, U+2028/9."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


def script_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@dataclass(frozen=True)
class PageAssets:
    template: str
    css: str
    scripts: dict[str, str]  # placeholder -> script text
    hashes: str


@lru_cache(maxsize=16)
def page_assets(name: str, scripts: tuple[tuple[str, str], ...]) -> PageAssets:
    """``NAME.html``, ``NAME.css`` and the inline scripts (``(placeholder, path under render/)``),
    read once; a script that could close the ``<script>`` element is refused."""
    texts: dict[str, str] = {}
    for placeholder, rel in scripts:
        text = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", (HERE / rel).read_text(encoding="utf-8"))
        if re.search(r"</?script|<!--", text, re.IGNORECASE):
            raise ViewError(f"{rel} holds '<script', '</script' or '<!--' and cannot be inlined")
        texts[placeholder] = text
    return PageAssets(
        template=(HERE / f"{name}.html").read_text(encoding="utf-8"),
        css=(HERE / f"{name}.css").read_text(encoding="utf-8"),
        scripts=texts,
        hashes=" ".join(script_hash(t) for t in texts.values()),
    )


def fill_page(assets: PageAssets, *, lang: str, title: str, payload: Any) -> str:
    """The page: the template with its title, CSP, CSS, data and scripts in place."""
    values = {
        "lang": lang,
        "title": html.escape(title, quote=True),
        "csp": html.escape(CSP.format(hashes=assets.hashes), quote=False).replace('"', "&quot;"),
        "css": assets.css.replace("</", "<\\/"),
        "data": json_for_script(payload),
        **assets.scripts,
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], assets.template)


__all__ = ["CSP", "HERE", "PageAssets", "fill_page", "json_for_script", "page_assets", "script_hash"]
