"""Text from the data made safe for where it is shown: a terminal, rich markup, XML.

Labels and literals come from files anyone can write. Printed as they are, ``ESC ]52;c;...``
writes the clipboard, ``ESC ]0;...`` the window title, ``ESC [2J`` clears the screen, and a ``[bold]``
in a label is read by rich as markup; in XML 1.0 most C0 characters are not allowed at all, so an
export holding one does not parse.

* :func:`for_terminal` removes C0 and C1 control characters (``\\n`` and ``\\t`` only where asked)
  and the Unicode bidirectional overrides and isolates that reorder what a terminal shows;
* :func:`escape_markup` makes rich show text literally; :func:`for_rich` does both;
* :func:`for_xml` drops the characters XML 1.0 does not allow and says whether it dropped any, so
  the writer can warn.
"""

from __future__ import annotations

import re

# C0 (U+0000-U+001F), DEL, C1 (U+0080-U+009F); bidi embeddings/overrides (U+202A-U+202E) and
# isolates (U+2066-U+2069)
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_TERMINAL = {  # (keep newlines, keep tabs) -> what goes
    (False, False): re.compile(f"[{_CONTROLS}\t\n]"),
    (False, True): re.compile(f"[{_CONTROLS}\n]"),
    (True, False): re.compile(f"[{_CONTROLS}\t]"),
    (True, True): re.compile(f"[{_CONTROLS}]"),
}
# characters XML 1.0 does not allow: C0 but tab, LF, CR; lone surrogates; U+FFFE, U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _terminal_repl(m: re.Match[str]) -> str:
    # line breaks and tabs that are not kept still separate words
    return " " if m.group(0) in "\t\n\r\x0b\x0c\x85" else ""


def for_terminal(text: object, *, newlines: bool = False, tabs: bool = True) -> str:
    """``text`` without control characters: safe to print to a terminal.

    ``\\r``, ``\\v``, ``\\f`` and (unless kept) ``\\n`` and ``\\t`` become spaces; every other C0 and
    C1 control character (``ESC``, ``BEL``, ``CSI`` ...) and bidi override is removed.
    """
    s = text if isinstance(text, str) else str(text)
    pattern = _TERMINAL[(newlines, tabs)]
    if pattern.search(s) is None:
        return s
    return pattern.sub(_terminal_repl, s)


def escape_markup(text: object) -> str:
    """``text`` with rich markup escaped, so ``[bold]`` is shown as written."""
    from rich.markup import escape

    return escape(text if isinstance(text, str) else str(text))


def for_rich(text: object, *, newlines: bool = False) -> str:
    """Safe for a terminal and shown literally by rich."""
    return escape_markup(for_terminal(text, newlines=newlines))


def for_xml(text: object) -> tuple[str, bool]:
    """(``text`` without characters XML 1.0 does not allow, whether any were dropped)."""
    s = text if isinstance(text, str) else str(text)
    if _NOT_XML.search(s) is None:
        return s, False
    return _NOT_XML.sub("", s), True


__all__ = ["escape_markup", "for_rich", "for_terminal", "for_xml"]
