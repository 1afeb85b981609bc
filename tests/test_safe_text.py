"""Text from the data made safe for a terminal, for rich markup and for XML (kemitraan_graph.safe_text)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from kemitraan_graph.safe_text import escape_markup, for_rich, for_terminal, for_xml

# any control character (C0, DEL, C1) or bidi override/isolate
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# text that leans on the dangerous characters
_hostile = st.lists(st.one_of(
    st.sampled_from(["\x1b", "\x07", "\x9b", "\x9d", "\x00", "\r", "\n", "\t", "\x85", "\u202e", "\u2066",
                     "\ufffe", "\uffff", "\ud800", "[", "]", "/", "\\", "bold", "]52;c;", "[2J", "0;title"]),
    st.characters()), max_size=40).map("".join)


def test_escape_sequences_are_removed():
    osc52 = "label\x1b]52;c;ZXZpbA==\x07 end"
    title = "\x1b]0;owned\x07name"
    clear = "\x1b[2Jcleared"
    csi8 = "\x9b2Jc1 csi"
    assert for_terminal(osc52) == "label]52;c;ZXZpbA== end"
    assert for_terminal(title) == "]0;ownedname"
    assert for_terminal(clear) == "[2Jcleared"
    assert for_terminal(csi8) == "2Jc1 csi"
    assert for_terminal("a\u202eb") == "ab"
    assert for_terminal("plain label, ünïcode, 中文") == "plain label, ünïcode, 中文"


def test_line_breaks_and_tabs():
    assert for_terminal("a\nb\tc\rd") == "a b\tc d"
    assert for_terminal("a\nb\tc", newlines=True, tabs=False) == "a\nb c"


def test_markup_is_shown_literally():
    console = Console(width=80, record=True, color_system=None)
    console.print(for_rich("[bold red]not markup[/] \x1b[31m"))
    assert console.export_text().strip() == "[bold red]not markup[/] [31m"
    assert escape_markup("[link=http://x]y[/link]") != "[link=http://x]y[/link]"


@settings(max_examples=200, deadline=None)
@given(_hostile, st.booleans(), st.booleans())
def test_for_terminal_leaves_no_control_character(text, newlines, tabs):
    out = for_terminal(text, newlines=newlines, tabs=tabs)
    allowed = ("\n" if newlines else "") + ("\t" if tabs else "")
    assert all(ch in allowed for ch in _CONTROL.findall(out))
    assert for_terminal(out, newlines=newlines, tabs=tabs) == out  # idempotent


@settings(max_examples=200, deadline=None)
@given(_hostile)
def test_for_rich_prints_as_plain_text(text):
    console = Console(width=400, record=True, color_system=None, soft_wrap=True)
    console.print(for_rich(text), end="")
    shown = console.export_text()
    assert shown == Text(for_terminal(text)).plain or "\x1b" not in shown
    assert not _CONTROL.search(shown.replace("\t", "").replace("\n", ""))


@settings(max_examples=200, deadline=None)
@given(_hostile)
def test_for_xml_always_parses_in_text_and_attributes(text):
    clean, changed = for_xml(text)
    assert changed == (clean != text)
    root = ET.fromstring(f"<a b={quoteattr(clean)}>{escape(clean)}</a>")
    # the parser normalises line ends; the characters survive otherwise
    assert root.text in (None, "") or root.text.replace("\n", "") == clean.replace("\r\n", "\n").replace(
        "\r", "\n").replace("\n", "")


def test_for_xml_reports_what_it_dropped():
    assert for_xml("ok") == ("ok", False)
    assert for_xml("a\x01b\x1bc") == ("abc", True)
    assert for_xml("tab\tline\ncr\r") == ("tab\tline\ncr\r", False)
