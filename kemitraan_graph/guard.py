"""The network / read-only guard: decided on the parsed query, with a second line of defence.

Every query a person writes (``--text``, ``.rq`` files, ``viz query``, ``export-network``, the API,
the SPARQL endpoint) passes :func:`check_query` before an engine sees it. It refuses, with
``file:line:col``:

* updates (``INSERT``, ``DELETE``, ``LOAD``, ...): queries are read-only here;
* unless network access is allowed: ``SERVICE`` in any form (``SERVICE SILENT``, a variable
  endpoint, nested in ``OPTIONAL`` / ``UNION`` / ``MINUS`` / sub-queries / ``EXISTS``), and
  ``FROM`` / ``FROM NAMED`` of a graph that is not in the store (rdflib fetches such graphs from the
  web or reads them from disk);
* queries too big or too deeply nested to parse safely (``MAX_QUERY_CHARS``, ``MAX_QUERY_NESTING``,
  ``MAX_QUERY_OPERATORS``): Oxigraph's parser overflows its stack on 3,000 nested ``{`` or 10,000
  ``||``, rdflib's parser (pyparsing) hits the recursion limit far earlier and is slow on long
  operator chains, so these are checked on tokens, before any parser runs.

How the text is read
--------------------
The two engines read escapes differently. rdflib applies the SPARQL 1.1 codepoint escape processing
(``\\uXXXX`` / ``\\UXXXXXXXX``, section 19.2) to the whole text before parsing, so ``\\u0053ERVICE``
is the keyword ``SERVICE`` there. Oxigraph 0.5 follows SPARQL 1.2 and decodes escapes only inside
strings and IRIs, so for it ``"\\u0022 SERVICE ..."`` is one string and ``# \\u000A ...`` one comment.
A query that is safe under one reading may not be under the other, so the guard builds both
readings when the text holds ``\\u`` / ``\\U`` and checks each:

* the rdflib reading: rdflib's own escape processing (the same regular expression), then its parser;
* the Oxigraph reading: escapes decoded inside strings and IRIs only (decoded quotes re-escaped),
  then rdflib's parser on the result.

First line of defence: the parse
--------------------------------
Each reading is parsed with rdflib's SPARQL grammar (``parser.Query``) and translated to its algebra
(``algebra.translateQuery``, with the project's prefixes). The parse tree and the algebra are walked
for ``ServiceGraphPattern`` nodes; the dataset clauses (``FROM`` / ``FROM NAMED``) are read from the
algebra (IRIs resolved against ``BASE`` and the prefixes) or, when rdflib cannot translate, from the
parse tree. A text that does not parse as a query but starts (after its prologue) with an update
keyword is refused as an update; any other text rdflib cannot parse is a ``QueryError`` at rdflib's
line and column (mapped back to the text as written).

Second line of defence: an independent, deliberately suspicious reading
----------------------------------------------------------------------
rdflib's parser is not Oxigraph's; a difference between them (a comment ending at ``\\r`` for one and
at ``\\n`` for the other, ``<`` read as an operator by one and as an IRI by the other, ...) must not
let a ``SERVICE`` through. So each reading is also lexed by a strict SPARQL lexer written from the
grammar's terminals (strings, IRIs, comments, variables, prefixed names), and every occurrence of
``service``, ``from`` and ``load`` — as a substring, in any case, with no word boundaries — must be
explained as part of a comment, a string, an IRI, a variable or a prefixed name (with extra suspicion
where the grammar is ambiguous: an IRI holding a parenthesis, a name that starts with the word or
has dots or escapes before it). Any occurrence left over counts as a keyword: a left-over
``SERVICE`` or ``LOAD`` is refused even when the parse found none, and more left-over ``FROM`` than
the parse found dataset clauses is refused. The lexer refuses what it cannot read (an unterminated
string), rather than guessing.

Third line, for the rdflib backend: :func:`no_network`
------------------------------------------------------
rdflib evaluates in Python, so a ``sys.addaudithook`` hook can see what it does. Inside
``with no_network():`` (per thread) the hook refuses socket connections and name look-ups,
``urllib`` requests, other network clients, subprocesses, and opening any file that is not a Python
module; an attempt that the engine swallowed (``SERVICE SILENT``) is still reported when the block
ends. Oxigraph's HTTP client is in Rust and invisible to audit hooks: for it the first two lines are
the defence, and the differential test (``tests/test_guard.py``) runs what the guard lets through
against a listener on 127.0.0.1 with both engines.

The analysis of a text is cached (``lru_cache``); the policy (network allowed, the store's graphs) is
applied per call, so the engine's own sub-millisecond queries pay for the parse once.
"""

from __future__ import annotations

import bisect
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .errors import QueryError, QueryRefused
from .namespaces import PREFIXES
from .sparql_text import describe_syntax_error, offset_of
from .store import syntax_position

#: longest query text accepted (characters); the check runs before anything else
MAX_QUERY_CHARS = 100_000
#: deepest nesting of ``{`` ``(`` ``[`` accepted
MAX_QUERY_NESTING = 64
#: most ``||`` / ``&&`` / ``UNION`` in one query (long chains are slow to parse and deep to evaluate)
MAX_QUERY_OPERATORS = 256

#: the parse runs in its own thread with this stack and recursion limit (pyparsing recurses ~40
#: frames per nesting level; MAX_QUERY_NESTING levels need ~2,600)
_PARSE_STACK_BYTES = 64 * 1024 * 1024
_PARSE_RECURSION_LIMIT = 6_000

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})

NETWORK_ADVICE = "network access is off unless it is allowed"


# --- a strict lexer, from the SPARQL grammar's terminals ------------------------------------

_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
                  "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf\\"']"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"

_LEX = re.compile("|".join([
    r"(?P<ws>[ \t\r\n]+)",
    r"(?P<comment>#[^\r\n]*)",
    # possessive repeats: a malformed string fails in linear time
    rf"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*+'''"
    rf'|"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*+"""'
    rf"|'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*+'"
    rf'|"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*+")',
    rf'(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*+>)',
    rf"(?P<var>[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)",
    rf"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
    rf"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
    r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
    r"(?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
    r"|[0-9]*\.[0-9]+|[0-9]+)",
    r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
    r"(?P<op>\|\||&&|!=|<=|>=|\^\^|[{}()\[\];,.*/|^!=<>+\-?$@])",
    r"(?P<other>[\s\S])",
]))

Token = tuple[str, int, int]  # kind, start, end
#: the one thing the lexer itself reports (more precise than either parser there)
LEX_STRING_ERROR = "unterminated or malformed string"


def lex(text: str) -> tuple[list[Token], tuple[int, str] | None]:
    """Tokens of ``text`` and, if the lexer had to stop, (offset, reason). Linear time."""
    out: list[Token] = []
    pos, n, match = 0, len(text), _LEX.match
    while pos < n:
        m = match(text, pos)
        kind = m.lastgroup or "other"
        if kind == "other" and text[pos] in "'\"":
            return out, (pos, LEX_STRING_ERROR)
        out.append((kind, pos, m.end()))
        pos = m.end()
    return out, None


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


# --- the two readings of a text ---------------------------------------------------------------

@dataclass
class _Reading:
    """A text as one engine reads it, with a map from its offsets back to the raw text."""

    engine: str
    parse_text: str           # what the grammar parses
    census_text: str          # what the suspicious lexer reads
    census_tokens: list[Token]
    lex_error: tuple[int, str] | None
    parse_segments: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)])
    census_segments: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)])

    @staticmethod
    def _raw(segments: list[tuple[int, int]], offset: int) -> int:
        i = bisect.bisect_right(segments, (offset, sys.maxsize)) - 1
        view, raw = segments[max(i, 0)]
        return raw + (offset - view)

    def raw_from_parse(self, offset: int) -> int:
        return self._raw(self.parse_segments, offset)

    def raw_from_census(self, offset: int) -> int:
        return self._raw(self.census_segments, offset)


class _Refusal(Exception):
    """Internal: a decision with its raw offset (turned into QueryError / QueryRefused later)."""

    def __init__(self, kind: type[QueryError], message: str, offset: int | None):
        super().__init__(message)
        self.kind, self.message, self.offset = kind, message, offset


def _rdflib_reading(text: str) -> _Reading:
    """rdflib's reading: its own codepoint escape processing over the whole text."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes_re

    pieces: list[str] = []
    segments = [(0, 0)]
    last = vlen = 0
    for m in expandUnicodeEscapes_re.finditer(text):
        try:
            ch = chr(int(m.group(1), 16))
        except (ValueError, OverflowError):
            raise _Refusal(QueryError, f"{m.group(0)} is not a Unicode code point", m.start()) from None
        pieces.append(text[last:m.start()])
        vlen += m.start() - last
        pieces.append(ch)
        vlen += 1
        segments.append((vlen, m.end()))
        last = m.end()
    pieces.append(text[last:])
    view = "".join(pieces)
    tokens, error = lex(view)
    return _Reading("rdflib", view, view, tokens, error, segments, segments)


_UCHAR_RE = re.compile(_UCHAR)
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_STRING_REESCAPE = {'"': '\\"', "'": "\\'", "\\": "\\\\", "\n": "\\n", "\r": "\\r"}


def _oxigraph_reading(text: str, tokens: list[Token], lex_error: tuple[int, str] | None) -> _Reading:
    """Oxigraph's reading: escapes decoded inside strings and IRIs only."""
    pieces: list[str] = []
    segments = [(0, 0)]
    last = vlen = 0
    for kind, start, end in tokens:
        if kind not in ("string", "iri") or "\\" not in text[start:end]:
            continue
        for m in _UCHAR_RE.finditer(text, start, end):
            code = int(m.group(0)[2:], 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise _Refusal(QueryError, f"{m.group(0)} is not a Unicode code point", m.start())
            ch = chr(code)
            if kind == "iri":
                if _IRI_FORBIDDEN.match(ch):
                    raise _Refusal(QueryError, f"{m.group(0)} decodes to a character not allowed in an IRI",
                                   m.start())
                out = ch
            else:
                out = _STRING_REESCAPE.get(ch, ch)
            pieces.append(text[last:m.start()])
            vlen += m.start() - last
            pieces.append(out)
            vlen += len(out)
            segments.append((vlen, m.end()))
            last = m.end()
    pieces.append(text[last:])
    view = "".join(pieces)
    return _Reading("oxigraph", view, text, tokens, lex_error, segments, [(0, 0)])


# --- bounds, checked on tokens before any parser runs ---------------------------------------

_OPEN, _CLOSE = "{([", "})]"


def _check_bounds(reading: _Reading) -> None:
    depth = operators = 0
    text = reading.census_text
    for kind, start, end in reading.census_tokens:
        if kind == "op":
            tok = text[start:end]
            if tok in _OPEN:
                depth += 1
                if depth > MAX_QUERY_NESTING:
                    raise _Refusal(QueryError, f"the query nests brackets deeper than {MAX_QUERY_NESTING} levels",
                                   reading.raw_from_census(start))
            elif tok in _CLOSE:
                depth = max(depth - 1, 0)
            elif tok in ("||", "&&"):
                operators += 1
        elif kind == "word" and end - start == 5 and text[start:end].upper() == "UNION":
            operators += 1
        else:
            continue
        if operators > MAX_QUERY_OPERATORS:
            raise _Refusal(QueryError, f"the query has more than {MAX_QUERY_OPERATORS} ||, && and UNION operators",
                           reading.raw_from_census(start))


# --- the suspicious census of SERVICE / FROM / LOAD -----------------------------------------

_DANGER = re.compile("service|from|load", re.IGNORECASE)
_ASCII_VAR_HEAD = re.compile(r"[?$][A-Za-z0-9_]*")
_ASCII_NAME_HEAD = re.compile(r"[A-Za-z0-9_\-]+(?::[A-Za-z0-9_\-]*)?|:[A-Za-z0-9_\-]*")
_ASCII_BNODE_HEAD = re.compile(r"_:[A-Za-z0-9_\-]*")


def _hidden(kind: str, text: str, start: int, end: int, occ: int, occ_end: int) -> bool:
    """Whether an occurrence at ``occ`` inside token ``text[start:end]`` is surely not a keyword."""
    if occ_end > end:
        return False
    if kind in ("comment", "string"):
        return True
    if kind == "iri":  # `FILTER(?a <?b)SERVICE:x#>`: `<` is an operator for the parsers, and `)` ends the FILTER
        return ")" not in text[start:occ]
    head = text[start:occ]
    if kind == "var":
        return _ASCII_VAR_HEAD.fullmatch(head) is not None
    if kind == "pname":  # `SERVICE:x` may be the keyword and `:x` for a parser
        return occ > start and _ASCII_NAME_HEAD.fullmatch(head) is not None
    if kind == "bnode":
        return _ASCII_BNODE_HEAD.fullmatch(head) is not None
    return False


@dataclass
class _Census:
    service: list[int] = field(default_factory=list)     # census offsets of exposed occurrences
    load: list[int] = field(default_factory=list)
    from_: list[int] = field(default_factory=list)
    from_targets: list[int] = field(default_factory=list)  # offset of the graph after FROM [NAMED]


def _census(reading: _Reading) -> _Census:
    text, tokens = reading.census_text, reading.census_tokens
    starts = [t[1] for t in tokens]
    out = _Census()
    for m in _DANGER.finditer(text):
        occ, occ_end = m.start(), m.end()
        i = bisect.bisect_right(starts, occ) - 1
        word = m.group(0).lower()
        if i >= 0:
            kind, start, end = tokens[i]
            if _hidden(kind, text, start, end, occ, occ_end):
                continue
            if kind == "pname" and word == "service" and occ == start and occ_end <= end:
                # `service:x` is a name unless a group follows, as in `SERVICE :x { ... }`
                nxt = next(_significant(tokens, i + 1), None)
                if nxt is None or text[tokens[nxt][1]:tokens[nxt][2]] != "{":
                    continue
        getattr(out, {"service": "service", "load": "load", "from": "from_"}[word]).append(occ)
        if word == "from" and i >= 0 and tokens[i][0] == "word" and tokens[i][1] == occ and tokens[i][2] == occ_end:
            out.from_targets.append(_target_after(text, tokens, i))
    return out


def _significant(tokens: list[Token], i: int) -> Iterator[int]:
    for j in range(i, len(tokens)):
        if tokens[j][0] not in ("ws", "comment"):
            yield j


def _target_after(text: str, tokens: list[Token], i: int) -> int:
    nxt = [j for _, j in zip(range(2), _significant(tokens, i + 1), strict=False)]
    if nxt and text[tokens[nxt[0]][1]:tokens[nxt[0]][2]].upper() == "NAMED" and len(nxt) > 1:
        return tokens[nxt[1]][1]
    return tokens[nxt[0]][1] if nxt else tokens[i][1]


def _first_statement_word(text: str, tokens: list[Token]) -> tuple[str, int] | None:
    """The first keyword after the prologue (BASE <iri> / PREFIX p: <iri>)."""
    sig = list(_significant(tokens, 0))
    k = 0
    while k < len(sig):
        kind, start, end = tokens[sig[k]]
        word = text[start:end].upper()
        if kind == "word" and word == "BASE":
            k += 2
        elif kind == "word" and word == "PREFIX":
            k += 3
        else:
            return (word, start) if kind == "word" else None
    return None


# --- the parse and its walk --------------------------------------------------------------------

Problem = tuple[type[QueryError], str, int | None]  # kind, message, raw offset


@dataclass
class _Facts:
    update: Problem | None = None                          # an update: refused always
    limit: Problem | None = None                           # too big / too deep: refused always
    syntax: Problem | None = None                          # rdflib cannot read it
    services: int = 0
    service_offset: int | None = None                      # raw offset, for messages
    froms: list[tuple[str, int | None]] = field(default_factory=list)  # (IRI, raw offset)
    census_service: list[int] = field(default_factory=list)  # raw offsets of left-over words
    census_load: list[int] = field(default_factory=list)
    census_from: list[int] = field(default_factory=list)
    census_from_targets: list[int] = field(default_factory=list)


def _walk(node: Any) -> Iterator[Any]:
    """Every CompValue below ``node`` (parse tree or algebra), without recursion."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            if id(n) in seen:
                continue
            seen.add(id(n))
            yield n
            stack.extend(v for k, v in n.items() if not str(k).startswith("_"))
        elif isinstance(n, (ParseResults, list, tuple)):
            stack.extend(n)
        elif isinstance(n, dict):
            stack.extend(n.values())


def _get(node: Any, key: str) -> Any:
    """``node[key]`` or None (``CompValue.get`` returns the key itself when it is missing)."""
    return node[key] if key in node else None


def _resolve_by_hand(term: Any, prologue: Any) -> str:
    """A dataset-clause IRI from the parse tree, when rdflib could not translate the query."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(term, CompValue) and term.name == "pname":
        prefixes = dict(PREFIXES)
        for decl in prologue or []:
            if isinstance(decl, CompValue) and decl.name == "PrefixDecl":
                prefixes[_get(decl, "prefix") or ""] = str(decl["iri"])
        prefix = _get(term, "prefix") or ""
        local = _get(term, "localname") or ""
        return prefixes[prefix] + local if prefix in prefixes else f"{prefix}:{local}"
    return str(term)


def _parse_reading(reading: _Reading) -> _Facts:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser as sparql_parser
    from rdflib.plugins.sparql.algebra import translateQuery

    facts = _Facts()
    census = _census(reading)
    to_raw = reading.raw_from_census
    facts.census_service = [to_raw(o) for o in census.service]
    facts.census_load = [to_raw(o) for o in census.load]
    facts.census_from = [to_raw(o) for o in census.from_]
    facts.census_from_targets = [to_raw(o) for o in census.from_targets]
    try:
        _check_bounds(reading)
    except _Refusal as refusal:
        facts.limit = (refusal.kind, refusal.message, refusal.offset)
        return facts
    lex_problem = None
    if reading.lex_error:
        lex_problem = (QueryError, reading.lex_error[1], to_raw(reading.lex_error[0]))
    try:
        tree = sparql_parser.Query.parse_string(reading.parse_text, parse_all=True)
    except ParseBaseException as exc:
        first = _first_statement_word(reading.census_text, reading.census_tokens)
        if first and first[0] in UPDATE_WORDS:
            facts.update = (QueryRefused, f"{first[0]} is an update: queries are read-only here", to_raw(first[1]))
        else:
            message = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)\s*$", "", str(exc))
            facts.syntax = lex_problem or (
                QueryError, message, reading.raw_from_parse(min(exc.loc, len(reading.parse_text))))
        return facts
    except RecursionError:
        facts.syntax = (QueryError, "the query is nested too deeply to check", None)
        return facts
    facts.syntax = lex_problem

    prologue, query = tree[0], tree[1]
    facts.services = sum(1 for n in _walk(tree) if n.name == "ServiceGraphPattern")
    clauses = [(_get(c, "default"), _get(c, "named")) for c in _get(query, "datasetClause") or []]
    iris = [_resolve_by_hand(d if d is not None else n, prologue) for d, n in clauses]
    try:
        algebra = translateQuery(tree, initNs=PREFIXES)
    except Exception:  # noqa: BLE001 - rdflib cannot translate every valid query; the tree is complete
        algebra = None
    if algebra is not None:
        facts.services = max(facts.services, sum(1 for n in _walk(algebra.algebra)
                                                 if n.name == "ServiceGraphPattern"))
        resolved = _get(algebra.algebra, "datasetClause") or []
        if len(resolved) == len(iris):
            iris = [str(_get(c, "default") if _get(c, "default") is not None else _get(c, "named"))
                    for c in resolved]
    if facts.services and facts.census_service:
        facts.service_offset = facts.census_service[0]
    targets = facts.census_from_targets
    facts.froms = [(iri, targets[k] if k < len(targets) else None) for k, iri in enumerate(iris)]
    return facts


def _in_deep_thread(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a fresh thread with a large stack and a raised recursion limit."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    with _deep_lock:
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, _PARSE_RECURSION_LIMIT))
        old_size = threading.stack_size(_PARSE_STACK_BYTES)
        try:
            worker = threading.Thread(target=run, name="kemitraan-guard", daemon=True)
            worker.start()
        finally:
            threading.stack_size(old_size)
        try:
            worker.join()
        finally:
            sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]


_deep_lock = threading.Lock()


@dataclass(frozen=True)
class Analysis:
    """What the guard learnt about a text (cached); the policy is applied per call."""

    update: Problem | None = None
    limit: Problem | None = None
    syntax: Problem | None = None
    services: int = 0
    service_offset: int | None = None
    froms: tuple[tuple[str, int | None], ...] = ()
    census_service: tuple[int, ...] = ()
    census_load: tuple[int, ...] = ()
    census_from_extra: tuple[int, ...] = ()


@lru_cache(maxsize=256)  # texts are at most MAX_QUERY_CHARS: at most ~25 MB of keys
def analyse(text: str) -> Analysis:
    """Read ``text`` as each engine reads it, parse each reading and collect what the policy needs."""
    if len(text) > MAX_QUERY_CHARS:
        return Analysis(limit=(QueryError, f"the query is longer than {MAX_QUERY_CHARS:,} characters "
                                           f"({len(text):,})", None))
    try:
        raw_tokens, raw_error = lex(text)
        readings = [_oxigraph_reading(text, raw_tokens, raw_error)]
        if "\\u" in text or "\\U" in text:
            readings.append(_rdflib_reading(text))
    except _Refusal as refusal:
        return Analysis(syntax=(refusal.kind, refusal.message, refusal.offset))
    facts = [_in_deep_thread(lambda r=r: _parse_reading(r)) for r in readings]

    def first(name: str) -> Any:
        return next((getattr(f, name) for f in facts if getattr(f, name)), None)

    froms: list[tuple[str, int | None]] = []
    extra: set[int] = set()
    for f in facts:
        froms.extend(x for x in f.froms if x not in froms)
        if f.update is None and f.limit is None and f.syntax is None and len(f.census_from) > len(f.froms):
            extra.update(f.census_from[len(f.froms):])
    return Analysis(
        update=first("update"), limit=first("limit"), syntax=first("syntax"),
        services=max(f.services for f in facts), service_offset=first("service_offset"),
        froms=tuple(froms),
        census_service=tuple(sorted({o for f in facts for o in f.census_service})),
        census_load=tuple(sorted({o for f in facts for o in f.census_load})),
        census_from_extra=tuple(sorted(extra)),
    )


def check_query(text: str, *, allow_network: bool = False,
                local_graphs: Callable[[], set[str]] | set[str] | frozenset[str] = frozenset(),
                source: str = "query") -> None:
    """Refuse updates always, and network access (SERVICE, FROM a graph not in the store) by default.

    ``local_graphs``: the store's graph names, or a function giving them (called only for FROM).
    Raises :class:`~kemitraan_graph.errors.QueryError` (malformed, too big) or
    :class:`~kemitraan_graph.errors.QueryRefused`, with the line and column in ``text``. With
    ``allow_network`` a text rdflib cannot parse is left to the engine (whose own error then names
    the position): reading it is only needed to keep it off the network.
    """
    a = analyse(text)

    def fail(problem: Problem) -> None:
        kind, message, offset = problem
        line, col = position(text, offset) if offset is not None else (None, None)
        if kind is QueryRefused and NETWORK_ADVICE in message:
            raise QueryRefused(message, line, col, source, needs="network")
        raise kind(message, line, col, source)

    if a.update:
        fail(a.update)
    if a.limit:
        fail(a.limit)
    if a.census_load:
        fail((QueryRefused, "LOAD is an update: queries are read-only here", a.census_load[0]))
    if allow_network:
        return
    if a.services:
        fail((QueryRefused, f"SERVICE reaches the network; {NETWORK_ADVICE}", a.service_offset))
    if a.census_service:
        fail((QueryRefused, "this 'service' could be read as the SERVICE keyword, which reaches the network; "
                            f"{NETWORK_ADVICE}", a.census_service[0]))
    if a.census_from_extra:
        fail((QueryRefused, "this 'from' could be read as a FROM clause, which may fetch a graph from the "
                            f"network; {NETWORK_ADVICE}", a.census_from_extra[0]))
    if a.froms:
        local = local_graphs() if callable(local_graphs) else local_graphs
        for iri, offset in a.froms:
            if iri not in local:
                fail((QueryRefused, f"FROM <{iri}> is not a graph in the store (it could be fetched from the "
                                    f"network); {NETWORK_ADVICE}", offset))
    if a.syntax:
        fail(a.syntax if a.syntax[1] == LEX_STRING_ERROR else _engine_diagnosis(text) or a.syntax)


@lru_cache(maxsize=64)
def _engine_diagnosis(text: str) -> Problem | None:
    """Oxigraph's own reading of a text rdflib could not parse: its position is usually the more
    precise one. Only called once the census found no SERVICE, LOAD or extra FROM in the text, and
    on an empty in-memory store: parsing is all that can happen there."""
    import pyoxigraph as ox

    try:
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        line, col = syntax_position(exc)
        if line is None:
            return None
        message = describe_syntax_error(str(exc), text, line, col, PREFIXES)
        return (QueryError, message, offset_of(text, line, col))
    except Exception:  # noqa: BLE001 - anything else: keep rdflib's diagnosis
        return None
    return None


# --- updates (the server's --allow-update) ----------------------------------------------------

def check_update(text: str, *, allow_network: bool = False,
                 local_graphs: Callable[[], set[str]] | set[str] | frozenset[str] = frozenset(),
                 prefixes: dict[str, str] | None = None, source: str = "update") -> list[Any]:
    """Parse a SPARQL Update and refuse what reaches the network; returns rdflib's algebra (one
    operation per item) for ``runner.run_update`` to evaluate.

    The same bounds as queries (size, nesting, operators) apply. Unless ``allow_network``: ``SERVICE``
    (in the algebra, or a left-over word of the suspicious census), ``LOAD`` and ``USING`` a graph
    that is not in the store are refused (:class:`QueryRefused`). Updates are evaluated by rdflib
    on its own reading of the text (escapes processed over the whole text), so that reading is the
    one checked. A malformed update is a :class:`QueryError` at its line and column.
    """
    def fail(kind: type[QueryError], message: str, offset: int | None, needs: str | None = None) -> None:
        line, col = position(text, offset) if offset is not None else (None, None)
        if needs:
            raise QueryRefused(message, line, col, source, needs=needs)
        raise kind(message, line, col, source)

    if len(text) > MAX_QUERY_CHARS:
        fail(QueryError, f"the update is longer than {MAX_QUERY_CHARS:,} characters ({len(text):,})", None)
    try:
        reading = _rdflib_reading(text)
        _check_bounds(reading)
    except _Refusal as refusal:
        fail(refusal.kind, refusal.message.replace("the query", "the update"), refusal.offset)
    if reading.lex_error:
        fail(QueryError, reading.lex_error[1], reading.raw_from_census(reading.lex_error[0]))
    census = _census(reading)

    def parse() -> list[Any]:
        from rdflib.plugins.sparql import parser as sparql_parser
        from rdflib.plugins.sparql.algebra import translateUpdate

        tree = sparql_parser.UpdateUnit.parse_string(reading.parse_text, parse_all=True)[0]
        return list(translateUpdate(tree, initNs=prefixes or PREFIXES).algebra)

    from pyparsing import ParseBaseException

    try:
        ops = _in_deep_thread(parse)
    except ParseBaseException as exc:
        first = _first_statement_word(reading.census_text, reading.census_tokens)
        if first and first[0] in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            fail(QueryError, f"{first[0]} is a query, not an update: send it as 'query'",
                 reading.raw_from_census(first[1]))
        if not census.service and not census.load:  # Oxigraph's position is usually the more precise one
            _engine_update_diagnosis(text, prefixes or PREFIXES, source)
        message = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)\s*$", "", str(exc))
        fail(QueryError, message, reading.raw_from_parse(min(exc.loc, len(reading.parse_text))))
    except RecursionError:
        fail(QueryError, "the update is nested too deeply to check", None)
    except Exception as exc:  # noqa: BLE001 - rdflib's translation rejects a few valid-looking texts
        fail(QueryError, f"the update cannot be read: {exc}", None)
    if allow_network:
        return ops
    raw = reading.raw_from_census
    if any(n.name == "ServiceGraphPattern" for n in _walk(ops)) or census.service:
        fail(QueryRefused, f"SERVICE reaches the network; {NETWORK_ADVICE}",
             raw(census.service[0]) if census.service else None, "network")
    if any(op.name == "Load" for op in ops) or census.load:
        fail(QueryRefused, f"LOAD fetches a document from the network; {NETWORK_ADVICE}",
             raw(census.load[0]) if census.load else None, "network")
    using = [str(_get(c, "default") if _get(c, "default") is not None else _get(c, "named"))
             for op in ops if op.name == "Modify" for c in (_get(op, "using") or [])]
    if using:
        local = local_graphs() if callable(local_graphs) else local_graphs
        for iri in using:
            if iri not in local:
                fail(QueryRefused, f"USING <{iri}> is not a graph in the store (it could be fetched from the "
                                   f"network); {NETWORK_ADVICE}", None, "network")
    return ops


def _engine_update_diagnosis(text: str, prefixes: dict[str, str], source: str) -> None:
    """Raise Oxigraph's syntax error for an update rdflib could not parse (parsed on an empty
    in-memory store, once the census found no SERVICE or LOAD in it); nothing if Oxigraph reads it."""
    import pyoxigraph as ox

    try:
        ox.Store().update(text, prefixes=prefixes)
    except SyntaxError as exc:
        line, col = syntax_position(exc)
        if line is not None:
            raise QueryError(describe_syntax_error(str(exc), text, line, col, prefixes), line, col,
                             source) from None
    except Exception:  # noqa: BLE001 - anything else: keep rdflib's diagnosis
        return


# --- the protocol's default-graph-uri / named-graph-uri ------------------------------------

_QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_DESCRIBE_END = frozenset({"ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET", "VALUES"})
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")


def with_dataset(text: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """``text`` with its dataset clauses (``FROM`` / ``FROM NAMED``) replaced by the given graphs,
    as the SPARQL 1.1 Protocol's ``default-graph-uri`` / ``named-graph-uri`` do (section 2.1.4: the
    protocol's dataset wins over the query's). What runs is then checked like any query (a graph
    not in the store is refused unless network access is allowed). A text that is not a query is
    returned as it is, for the guard to refuse or report.
    """
    for iri in [*default_graphs, *named_graphs]:
        if not _ABSOLUTE_IRI.fullmatch(iri):
            raise QueryError(f"not an absolute IRI: {iri!r}", source="default-graph-uri / named-graph-uri")
    tokens, error = lex(text)
    if error:
        return text
    sig = [t for t in tokens if t[0] not in ("ws", "comment")]

    def word(k: int) -> str:
        return text[sig[k][1]:sig[k][2]].upper() if k < len(sig) and sig[k][0] == "word" else ""

    def op(k: int) -> str:
        return text[sig[k][1]:sig[k][2]] if k < len(sig) and sig[k][0] == "op" else ""

    k = 0
    while word(k) in ("BASE", "PREFIX"):
        k += 2 if word(k) == "BASE" else 3
    form = word(k)
    if form not in _QUERY_FORMS:
        return text
    k += 1
    if form == "CONSTRUCT" and op(k) == "{":  # skip the template
        depth = 0
        while k < len(sig):
            depth += {"{": 1, "}": -1}.get(op(k), 0)
            k += 1
            if depth == 0:
                break
    clauses: list[tuple[int, int]] = []  # raw spans of FROM [NAMED] <g>
    insert_at = len(text)
    depth = 0
    while k < len(sig):
        tok, w = op(k), word(k)
        if depth == 0 and (tok == "{" or w == "WHERE" or (form == "DESCRIBE" and w in _DESCRIBE_END)):
            insert_at = sig[k][1]
            break
        if tok and tok in _OPEN:
            depth += 1
        elif tok and tok in _CLOSE:
            depth -= 1
        elif depth == 0 and w == "FROM":
            end = k + 2 if word(k + 1) == "NAMED" else k + 1
            if end >= len(sig) or sig[end][0] not in ("iri", "pname"):
                return text  # malformed: the guard reports it
            clauses.append((sig[k][1], sig[end][2]))
            k = end
        k += 1
    if clauses:
        insert_at = clauses[0][0]
    dataset = " ".join([f"FROM <{g}>" for g in default_graphs] + [f"FROM NAMED <{g}>" for g in named_graphs])
    out = text
    for start, end in reversed(clauses):
        out = out[:start] + out[end:]
    return out[:insert_at] + " " + dataset + " " + out[insert_at:]


# --- no_network(): the rdflib engine under an audit hook ------------------------------------

_net = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False

#: audit events refused inside ``no_network()`` (``open`` is refused unless a Python module)
BLOCKED_EVENTS = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg", "socket.bind",
    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect", "poplib.connect",
    "imaplib.open", "nntplib.connect", "telnetlib.Telnet.open", "webbrowser.open",
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile", "pty.spawn",
})
_MODULE_SUFFIXES = (".py", ".pyc", ".so", ".pyd", ".pth")


def _describe(event: str, args: tuple[Any, ...]) -> str:
    if event == "open":
        return f"open the file {args[0]!s}"
    if event in ("socket.connect", "socket.sendto", "socket.bind"):
        return f"connect to {args[1]!r}"
    if event.startswith("socket."):
        return f"look up {args[0]!r}"
    if event == "urllib.Request":
        return f"fetch {args[0]}"
    return f"run {event}"


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not getattr(_net, "depth", 0):
        return
    if event == "open":
        path = args[0] if args else None
        if path is None or isinstance(path, int):
            return
        name = os.fsdecode(path) if isinstance(path, (bytes, os.PathLike)) else str(path)
        if name.endswith(_MODULE_SUFFIXES):
            return  # an import while the query runs
    elif event not in BLOCKED_EVENTS:
        return
    what = _describe(event, args)
    _net.attempts.append(what)
    raise QueryRefused(f"the query tried to {what} while it ran; network and file access are off "
                       f"({NETWORK_ADVICE})", source=getattr(_net, "source", None), needs="network")


def _install_hook() -> None:
    global _hook_installed
    with _hook_lock:
        if not _hook_installed:
            sys.addaudithook(_audit)
            _hook_installed = True


@contextmanager
def no_network(source: str | None = None) -> Iterator[None]:
    """Refuse network access, subprocesses and file opens in this thread while the block runs.

    For engines that evaluate in Python (rdflib); an attempt the engine swallowed is raised as
    :class:`QueryRefused` when the block ends.
    """
    _install_hook()
    depth = getattr(_net, "depth", 0)
    if not depth:
        _net.attempts = []
        _net.source = source
    _net.depth = depth + 1
    try:
        yield
    except Exception:
        if not depth and _net.attempts:  # the engine wrapped our refusal in an error of its own
            _refuse_attempt(source)
        raise
    finally:
        _net.depth = depth
    if not depth and _net.attempts:  # the engine swallowed our refusal
        _refuse_attempt(source)


def _refuse_attempt(source: str | None) -> None:
    what = _net.attempts[0]
    _net.attempts = []
    raise QueryRefused(f"the query tried to {what} while it ran; network and file access are off "
                       f"({NETWORK_ADVICE})", source=source, needs="network") from None


__all__ = ["BLOCKED_EVENTS", "MAX_QUERY_CHARS", "MAX_QUERY_NESTING", "MAX_QUERY_OPERATORS", "Analysis",
           "analyse", "check_query", "check_update", "lex", "no_network", "position", "with_dataset"]
