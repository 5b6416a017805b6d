"""Escaping by output kind, for every value that comes from a data file or a user's text.

One function per destination, so a renderer says where its text goes rather than
re-deciding what is dangerous there:

- :func:`markdown` — Markdown/CommonMark text and table cells: backslash-escape every
  character with Markdown meaning, so a name can never become a link, an image,
  emphasis, a heading or raw HTML (``<`` and ``>`` are escaped too).
- :func:`terminal` — text printed to a terminal: control characters (ANSI escapes,
  carriage returns, bells) replaced by a visible ``�`` so nothing can move the
  cursor, retitle the window or hide a line.
- :func:`toml_string` — a TOML basic string, quotes included, that round-trips any text.

HTML escaping is jinja2's autoescape (report/html.py); CSV cells go through
``report.safe.safe_cell`` (formula guard on text cells only).
"""

from __future__ import annotations

import re

# The ASCII punctuation that can open or close a Markdown construct inside a line (emphasis,
# code, links, images, raw HTML, entities, tables, headings, strikethrough). CommonMark 0.31
# section 2.4 allows a backslash before any ASCII punctuation, so escaping is always legal;
# figures like "7.3" or "-28.49" stay readable because '.' and '-' are left alone.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!<>|#~&])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def markdown(value: object) -> str:
    """``value`` as literal Markdown text (table-cell safe: no newlines, pipes escaped)."""
    text = terminal(str(value)).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def terminal(value: object) -> str:
    """``value`` without control characters (tab and newline kept), safe to print."""
    return _CONTROL.sub("\ufffd", str(value))


def toml_string(value: object) -> str:
    """A TOML basic string literal for ``value`` (quotes included), escaping what TOML requires."""
    out = []
    for ch in str(value):
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
