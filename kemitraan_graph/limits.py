"""Bounds checked before a file is handed to Oxigraph's parsers.

Oxigraph's parsers are fast and fetch nothing, but some inputs cost them without bound: an RDF/XML
file of 964 bytes that declares nested entities (billion laughs) expands to gigabytes, ten levels
abort the process; external entities (XXE) name files to read; JSON-LD nested 5,000 objects deep
overflows the stack (SIGSEGV); RDF/XML nesting costs quadratic time. So each file is scanned first,
in chunks and in little memory, and refused with ``LoadError(path, line, col, message)``:

* RDF/XML (``.rdf``, ``.owl``, ``.xml``): read by expat through defusedxml, which refuses entity
  declarations (internal: billion laughs; external: XXE) and external references; this module also
  refuses an external DTD (``<!DOCTYPE ... SYSTEM "...">``) and elements nested deeper than
  ``MAX_XML_DEPTH``. Nothing is expanded, fetched or built (no tree). A file expat cannot read is
  refused with expat's message and position.
* JSON-LD (``.jsonld``, ``.json``): ``[`` / ``{`` nesting deeper than ``MAX_JSON_DEPTH``, strings
  skipped, without recursion.
* Turtle / TriG (``.ttl``, ``.turtle``, ``.trig``): ``[`` ``(`` ``{`` nesting deeper than
  ``MAX_TURTLE_NESTING``, strings, IRIs and comments skipped.
* N-Triples / N-Quads: one statement a line, nothing nests; not scanned.

The scanners do the per-byte work in C (regular expressions, ``bytes.translate``, numpy) and drop
to Python only to name the position of a refusal.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import LoadError

#: deepest element nesting accepted in RDF/XML
MAX_XML_DEPTH = 256
#: deepest ``[`` / ``{`` nesting accepted in JSON-LD
MAX_JSON_DEPTH = 256
#: deepest ``[`` ``(`` ``{`` nesting accepted in Turtle / TriG
MAX_TURTLE_NESTING = 256
#: bytes read at a time
CHUNK_BYTES = 1 << 20

RDF_XML_SUFFIXES = (".rdf", ".owl", ".xml")
JSON_SUFFIXES = (".jsonld", ".json")
TURTLE_SUFFIXES = (".ttl", ".turtle", ".trig")


def check_file(path: str | Path) -> None:
    """Refuse ``path`` (LoadError) if it breaks a bound of its format; the format is read from the suffix."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in RDF_XML_SUFFIXES:
        check_rdf_xml(p)
    elif suffix in JSON_SUFFIXES:
        check_json_depth(p)
    elif suffix in TURTLE_SUFFIXES:
        check_turtle_nesting(p)


# --- RDF/XML ---------------------------------------------------------------------------------

class _TooDeep(Exception):
    pass


class _ExternalDTD(Exception):
    def __init__(self, name: str, sysid: str | None, pubid: str | None):
        super().__init__(name)
        self.name, self.sysid, self.pubid = name, sysid, pubid


class _DepthTarget:
    """An ElementTree target that builds nothing and counts the depth."""

    def __init__(self) -> None:
        self.depth = 0

    def start(self, tag: str, attrib: dict) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise _TooDeep

    def end(self, tag: str) -> None:
        self.depth -= 1

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        return None


def check_rdf_xml(path: Path) -> None:
    """Entity declarations, external DTDs and deep nesting refused, with line and column."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(target=_DepthTarget(), forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    expat = parser.parser

    def doctype(name: str, sysid: str | None, pubid: str | None, has_internal_subset: int) -> None:
        if sysid or pubid:
            raise _ExternalDTD(name, sysid, pubid)

    expat.StartDoctypeDeclHandler = doctype
    where = str(path)
    window = {"start": 0, "data": b"", "lines": 0}  # the chunk being read, to find a declaration's start

    def here() -> tuple[int, int]:
        """Where the refused declaration (``<!``) starts, else where expat is."""
        data, idx = window["data"], expat.CurrentByteIndex - window["start"]
        j = data.rfind(b"<!", 0, idx + 2) if 0 <= idx <= len(data) else -1
        if j < 0:
            return expat.CurrentLineNumber, expat.CurrentColumnNumber + 1
        line_start = data.rfind(b"\n", 0, j) + 1
        return (window["lines"] + data.count(b"\n", 0, j) + 1,
                len(data[line_start:j].decode("utf-8", "replace")) + 1)

    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(CHUNK_BYTES), b""):
                window["start"] += len(window["data"])
                window["lines"] += window["data"].count(b"\n")
                window["data"] = chunk
                parser.feed(chunk)
            parser.close()
    except EntitiesForbidden as exc:
        line, col = here()
        if exc.value is None and (exc.sysid or exc.pubid):
            what = f'the external entity {exc.name!r} ({_external_id(exc.sysid, exc.pubid)})'
            why = "an external entity reads a file or a URL (XXE)"
        else:
            what = f"the entity {exc.name!r}"
            why = "entities can expand without bound (billion laughs); write the text out instead"
        raise LoadError(where, line, col, f"RDF/XML declares {what}: entity declarations are refused, "
                                          f"{why}") from None
    except _ExternalDTD as exc:
        line, col = here()
        raise LoadError(where, line, col, f"RDF/XML refers to an external DTD "
                                          f"({_external_id(exc.sysid, exc.pubid)}): refused, nothing is "
                                          "fetched") from None
    except ExternalReferenceForbidden as exc:
        line, col = here()
        raise LoadError(where, line, col, f"RDF/XML refers to an external resource "
                                          f"({_external_id(exc.sysid, exc.pubid)}): refused, nothing is "
                                          "fetched") from None
    except DTDForbidden:  # not asked for; kept for safety if defaults change
        line, col = here()
        raise LoadError(where, line, col, "RDF/XML has a DTD: refused") from None
    except _TooDeep:
        line, col = expat.CurrentLineNumber, expat.CurrentColumnNumber + 1
        raise LoadError(where, line, col, f"RDF/XML elements nest deeper than {MAX_XML_DEPTH} levels: "
                                          "refused") from None
    except ParseError as exc:
        line, col = exc.position
        message = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
        raise LoadError(where, line, col + 1, f"not well-formed XML: {message}") from None


def _external_id(sysid: str | None, pubid: str | None) -> str:
    if sysid and pubid:
        return f'PUBLIC "{pubid}" "{sysid}"'
    return f'PUBLIC "{pubid}"' if pubid else f'SYSTEM "{sysid}"'


# --- nesting of brackets, for JSON-LD and Turtle ---------------------------------------------

# strings are written "unrolled" (a run, then escape-and-run): five times faster in `re`
_JSON_STRING = rb'"[^"\\]*+(?:\\[\s\S][^"\\]*+)*+"'
_JSON_COMPLETE = re.compile(rb'(?:[^"]++|' + _JSON_STRING + rb")*+")
_JSON_SKIP = re.compile(_JSON_STRING)

_TTL_STRINGS = (rb'"""[^"\\]*+(?:(?:\\[\s\S]|"(?!""))[^"\\]*+)*+"""'
                rb"|'''[^'\\]*+(?:(?:\\[\s\S]|'(?!''))[^'\\]*+)*+'''"
                rb'|"[^"\\\n\r]*+(?:\\[\s\S][^"\\\n\r]*+)*+"'
                rb"|'[^'\\\n\r]*+(?:\\[\s\S][^'\\\n\r]*+)*+'")
_TTL_IRI = rb'<[^<>"{}|^`\\\x00-\x20]*+>'
_TTL_COMMENT = rb"#[^\r\n]*+[\r\n]"
# a `<` that cannot start an IRI (`<<` of RDF-star); at the end of a chunk it waits for more
_TTL_LT = rb'<(?=[<>"{}|^`\\\x00-\x20])'
_TTL_ESCAPE = rb"\\[\s\S]"  # `ex:a\#b`: an escaped `#` in a name is not a comment
_TTL_COMPLETE = re.compile(rb"(?:[^\"'<#\\]++|" + _TTL_STRINGS + rb"|" + _TTL_IRI + rb"|" + _TTL_COMMENT
                           + rb"|" + _TTL_LT + rb"|" + _TTL_ESCAPE + rb")*+")
_TTL_SKIP = re.compile(_TTL_STRINGS + rb"|" + _TTL_IRI + rb"|#[^\r\n]*+|" + _TTL_ESCAPE)

_BRACKETS = b"[]{}()"
_DELETE_ALL_BUT_BRACKETS = bytes(b for b in range(256) if b not in _BRACKETS)


def check_json_depth(path: Path) -> None:
    """``[`` / ``{`` nested deeper than MAX_JSON_DEPTH refused (strings skipped)."""
    _check_nesting(path, _JSON_COMPLETE, _JSON_SKIP, b"[{", MAX_JSON_DEPTH, "JSON-LD", "objects and arrays")


def check_turtle_nesting(path: Path) -> None:
    """``[`` ``(`` ``{`` nested deeper than MAX_TURTLE_NESTING refused (strings, IRIs, comments skipped)."""
    _check_nesting(path, _TTL_COMPLETE, _TTL_SKIP, b"[({", MAX_TURTLE_NESTING, "Turtle",
                   "blank nodes, collections and graphs")


def _check_nesting(path: Path, complete: re.Pattern[bytes], skip: re.Pattern[bytes], opens: bytes,
                   limit: int, fmt: str, what: str) -> None:
    import numpy as np

    step = np.zeros(256, dtype=np.int64)
    for b in opens:
        step[b] = 1
    for b in b"]})":
        step[b] = -1
    depth = 0
    lines = 0         # newlines before ``buf``
    carry = b""
    with open(path, "rb") as f:
        while True:
            chunk = f.read(CHUNK_BYTES)
            buf = carry + chunk
            if not buf:
                return
            # up to the last complete token: a string (or IRI, comment) cut by the chunk waits
            cut = len(buf) if not chunk else complete.match(buf).end()
            if len(buf) - cut > 64 * CHUNK_BYTES:
                cut = len(buf)  # one token larger than 64 chunks (or never closed): scan what there is
            part, carry = buf[:cut], buf[cut:]
            brackets = part.translate(None, _DELETE_ALL_BUT_BRACKETS)
            if brackets:  # else nothing to count, in strings or out (the fast path of flat data)
                brackets = skip.sub(b"", part).translate(None, _DELETE_ALL_BUT_BRACKETS)
            if brackets:
                levels = np.cumsum(step[np.frombuffer(brackets, dtype=np.uint8)]) + depth
                if levels.max() > limit or levels.min() < 0:
                    _refuse_nesting(path, part, lines, skip, opens, depth, limit, fmt, what)
                depth = int(levels[-1])
            lines += part.count(b"\n")
            if not chunk:
                return


def _refuse_nesting(path: Path, part: bytes, lines: int, skip: re.Pattern[bytes], opens: bytes,
                    depth: int, limit: int, fmt: str, what: str) -> None:
    """Find the offending bracket in ``part`` (the slow way: only on the way to an error)."""
    tokens = re.compile(b"(?:" + skip.pattern + rb")|([\[\]{}()])")
    for m in tokens.finditer(part):
        if m.group(1) is None:
            continue  # a string, IRI or comment
        depth += 1 if part[m.start()] in opens else -1
        if depth > limit or depth < 0:
            offset = m.start()
            line = lines + part.count(b"\n", 0, offset) + 1
            start = part.rfind(b"\n", 0, offset) + 1
            col = len(part[start:offset].decode("utf-8", "replace")) + 1
            message = (f"{fmt} nests {what} deeper than {limit} levels: refused" if depth > 0
                       else f"{fmt} closes a bracket that was never opened")
            raise LoadError(str(path), line, col, message)
    raise LoadError(str(path), lines + 1, None, f"{fmt} nests {what} deeper than {limit} levels: refused")


__all__ = ["CHUNK_BYTES", "MAX_JSON_DEPTH", "MAX_TURTLE_NESTING", "MAX_XML_DEPTH", "check_file",
           "check_json_depth", "check_rdf_xml", "check_turtle_nesting"]
