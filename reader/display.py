"""Text from documents and file names made safe to show on one line of a terminal.

Titles come from the first line of a document or from catalog.toml, and file
names can hold anything but ``/``: a tab in a title (``col1\\tcol2``) pushed the
list's border and the CLI's columns out of line, and an escape character in a
file name would be obeyed by the terminal.  :func:`display_line` is the one
helper for titles, paths and reasons shown in the CLI and the TUI.

It replaces characters one for one, so offsets into the result (hit spans in a
title) are offsets into the original.
"""

from __future__ import annotations

import re

from reader.corpus import clean_text

# Whitespace that breaks or widens a line: tab, newline, CR, vertical tab, form
# feed, NEL, the Unicode line and paragraph separators.
_LINE_BREAKING = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates reorder what follows them on
# screen ("Trojan Source"): shown as the replacement character.
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def display_line(text: str) -> str:
    """*text* as one line of plain characters: tabs and line breaks become spaces,
    other control characters their visible pictures (ESC is ``␛``), bidi
    overrides ``�``; the same length as *text*."""
    return clean_text(_BIDI_CONTROLS.sub("\ufffd", _LINE_BREAKING.sub(" ", text)))


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 document``, ``2 documents``, ``0 documents``: a count with its noun in
    the right number (*plural* for nouns that do not just take an s)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
