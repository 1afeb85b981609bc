"""Where a node is stated: ``file:line`` of its first statement as a subject, read from the Turtle,
TriG, N-Triples or N-Quads text (the parsers give no positions for triples).

A light lexer (comments, strings, IRIs, prefixed names, punctuation) finds statement starts; it
never decides whether a file is valid (the loader did that).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

_TEXT_FORMATS = {".ttl", ".turtle", ".nt", ".ntriples", ".nq", ".trig"}
_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
      |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<directive>@prefix|@base|(?i:\bPREFIX\b)|(?i:\bBASE\b))
  | (?P<bnode>_:[\w.-]*\w)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%]))*)
  | (?P<number>[+-]?(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<punct>[.;,\[\](){}])
  | (?P<other>[^\s]+?(?=[\s.;,\[\](){}]|$))
''', re.VERBOSE)


@dataclass
class FileIndex:
    """Subjects of one file: IRI -> (first line, last line) of its first statement; every IRI's lines."""

    subjects: dict[str, tuple[int, int]] = field(default_factory=dict)
    mentions: dict[str, list[int]] = field(default_factory=dict)


def index_text(text: str, base: str = "") -> FileIndex:
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(offset: int) -> int:
        return bisect.bisect_right(newlines, offset - 1) + 1

    prefixes: dict[str, str] = {}
    out = FileIndex()
    start = True  # the next term starts a statement
    depth = 0  # [ ] and ( ) nesting
    directive: list[str] | None = None
    current: str | None = None
    current_line = 0

    def expand(kind: str, tok: str) -> str | None:
        if kind == "iri":
            return urljoin(base, tok[1:-1]) if base else tok[1:-1]
        pre, _, local = tok.partition(":")
        ns = prefixes.get(pre)
        return None if ns is None else ns + local.replace("\\", "")

    def close(at: int) -> None:
        nonlocal current
        if current is not None and current not in out.subjects:
            out.subjects[current] = (current_line, line(at))
        current = None

    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        if kind == "comment":
            continue
        if directive is not None:
            if kind == "punct" and tok == ".":
                directive = None
                continue
            directive.append(tok)
            if len(directive) == 3 and directive[0].lower().endswith("prefix"):
                prefixes[directive[1].rstrip(":")] = expand("iri", directive[2]) or ""
                if not directive[0].startswith("@"):
                    directive = None
            elif len(directive) == 2 and directive[0].lower().endswith("base"):
                base = urljoin(base, directive[1][1:-1]) if directive[1].startswith("<") else base
                if not directive[0].startswith("@"):
                    directive = None
            continue
        if kind == "directive" and start and depth == 0:
            directive = [tok]
            continue
        if kind == "punct":
            if tok in "[(":
                depth += 1
            elif tok in "])":
                depth = max(0, depth - 1)
            elif tok in ".{}" and depth == 0:
                close(m.start())
                start = True
            continue
        iri = expand(kind, tok) if kind in ("iri", "pname") else None
        if iri is not None:
            out.mentions.setdefault(iri, []).append(line(m.start()))
        if start and depth == 0:
            start = False
            current, current_line = iri, line(m.start())
    close(len(text))
    return out


class SourceMap:
    """``file:line`` of nodes over a list of loaded files (first file in the list wins)."""

    def __init__(self, files: Iterable[Path]):
        self.files = [Path(f) for f in files]
        self._index: dict[Path, FileIndex | None] = {}

    def index(self, path: Path) -> FileIndex | None:
        if path not in self._index:
            if path.suffix.lower() not in _TEXT_FORMATS:
                self._index[path] = None
            else:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    text = ""
                self._index[path] = index_text(text, path.resolve().as_uri())
        return self._index[path]

    def locate(self, iri: str, files: Iterable[Path] | None = None) -> tuple[Path, int | None] | None:
        """The file (and line) where ``iri`` is first the subject of a statement."""
        for f in (self.files if files is None else files):
            idx = self.index(f)
            if idx is not None and iri in idx.subjects:
                return f, idx.subjects[iri][0]
        return None

    def mentioned(self, iri: str) -> tuple[Path, int] | None:
        """The first line that names ``iri`` at all (for a node that is never a subject)."""
        for f in self.files:
            idx = self.index(f)
            if idx is not None and iri in idx.mentions:
                return f, idx.mentions[iri][0]
        return None

    def within(self, subject: str, mention: str, strict: bool = False) -> tuple[Path, int] | None:
        """The line where ``mention`` first appears inside ``subject``'s first statement (else the
        statement's first line, or None when ``strict``)."""
        for f in self.files:
            idx = self.index(f)
            if idx is None or subject not in idx.subjects:
                continue
            first, last = idx.subjects[subject]
            for no in idx.mentions.get(mention, []):
                if first <= no <= last:
                    return f, no
            return None if strict else (f, first)
        return None


__all__ = ["FileIndex", "SourceMap", "index_text"]
