"""Text from documents, file names and notes made safe to draw in a row of cells.

Every row the UI builds (the document list, result snippets, the notes panel, the
overview, the reader) is measured with Rich's cell functions, and the terminal
must agree with that measure, or the row's border lands elsewhere and cuts the
next pane.  Two kinds of characters break that agreement:

* Tabs, line breaks and other control characters: Rich counts them as zero
  cells, the terminal jumps to the next tab stop, breaks the line or obeys the
  escape.  In a one-line row (a title, a snippet) tabs and line breaks become a
  space, other control characters their visible pictures (ESC as ␛), and bidi
  overrides (which reorder what follows them on screen) the replacement
  character.
* Emoji sequences: a family joined with ZERO WIDTH JOINERs is one 2-cell
  grapheme to Rich, but three or four emoji (6–8 cells) to tmux and many
  terminals; a skin-tone modifier or the emoji variation selector (U+FE0F)
  adds 0 cells for Rich and 1–2 for them.  These joiners and modifiers are left
  out of what is drawn (the family shows as its members side by side, the
  thumbs up in its default colour): every terminal then draws what Rich counted.
  The text itself (in the index, the notes, the clipboard) is unchanged.

The first part is the core's :func:`reader.display.display_line` (the CLI's
helper, one character for one); this module adds the emoji sequences and moves a
snippet's hit spans with them.  No Textual here.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from reader.display import display_line as one_line_of_characters

# ZWJ, text/emoji variation selectors, the five skin-tone modifiers.
DRAW_NOTHING = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def is_drawn_as_nothing(character: str) -> bool:
    """A joiner or modifier of an emoji sequence (see the module docstring)."""
    return DRAW_NOTHING.match(character) is not None


def is_bidi_control(character: str) -> bool:
    """A bidi embedding, override or isolate: drawn as ``�`` (one cell)."""
    return _BIDI_CONTROLS.match(character) is not None


def drawable(text: str) -> str:
    """*text* without the emoji joiners and modifiers terminals measure differently;
    line breaks kept (for text that is wrapped, such as a note's body)."""
    if text.isascii():
        return text
    return DRAW_NOTHING.sub("", text)


def display_line(text: str) -> str:
    """*text* as one row: tabs and line breaks are spaces, control characters their
    pictures, bidi overrides ``�``, emoji joiners and modifiers left out."""
    if text.isascii() and text.isprintable():
        return text
    return drawable(one_line_of_characters(text))


def display_line_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """:func:`display_line` of *text*, and *spans* (offsets into *text*, such as a
    snippet's hits) moved to the same characters in the result."""
    if text.isascii() and text.isprintable():
        return text, list(spans)
    one_line = one_line_of_characters(text)  # one character for one: the spans still fit
    dropped = [match.start() for match in DRAW_NOTHING.finditer(one_line)]
    if not dropped:
        return one_line, list(spans)

    def moved(offset: int) -> int:
        return offset - bisect_right(dropped, offset - 1)  # dropped characters before it

    return DRAW_NOTHING.sub("", one_line), [(moved(start), moved(end)) for start, end in spans]
