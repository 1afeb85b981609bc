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




def offset_of(text: str, line: int, col: int) -> int:
    """The character offset of 1-based ``line``/``col`` in ``text``."""
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: max(line - 1, 0)]) + max(col - 1, 0)


def describe_syntax_error(message: str, text: str, line: int | None, col: int | None,
                          prefixes: dict[str, str] | None = None) -> str:
    """A parser's message made readable: an unknown prefix by name (with the known ones), else
    what stands at the position and the keywords that could stand there (no character classes,
    no second copy of the position)."""
    msg = re.sub(r"^error at \d+:\d+:\s*", "", " ".join(message.split()))
    offset = offset_of(text, line, col) if line else None
    if "Prefix not found" in msg or "Unknown namespace prefix" in msg:
        m = re.search(r"([A-Za-z][\w\-.]*)?:[\w\-.%]*$", text[:offset] if offset is not None else "")
        name = m.group(1) or "" if m else ""
        known = ", ".join(f"{p}:" for p in sorted(prefixes or {}))
        return (f"unknown prefix '{name}:' (declare it with PREFIX {name}: <…>"
                + (f"; known without a declaration: {known})" if known else ")"))
    near = "the end of the query"
    if offset is not None and offset < len(text):
        token = re.match(r"\s*(\S{1,20})", text[offset:])
        if token:
            near = repr(token.group(1))
    expected = re.search(r"expected (?:one of )?(.*)$", msg)
    alternatives = re.split(r",\s*", expected.group(1)) if expected else []
    words = [w for w in alternatives if re.fullmatch(r"[A-Za-z][A-Za-z_]*", w)]
    if words:
        return f"syntax error near {near}: expected {', '.join(words[:8])}" + (", …" if len(words) > 8 else "")
    return f"syntax error near {near}" + ("" if expected else f": {msg}")


__all__ = ["describe_syntax_error", "offset_of", "position", "tokens"]
