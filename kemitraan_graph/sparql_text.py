"""A SPARQL lexer for the few places that edit query text (parameter binding, ``$this``).

It never decides whether a query is safe: the guard works on the parsed query.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<word>(?:[\w\-.:%\u00b7\u00c0-\uffff]|\\[^\s])+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

def tokens(text: str) -> list[tuple[str, str, int]]:
    """Significant tokens (kind, text, offset); never raises, whatever the input."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append((kind, m.group(), m.start()))
    return out


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


__all__ = ["position", "tokens"]
