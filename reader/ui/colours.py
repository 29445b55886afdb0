"""The note colours as the screen shows them: one place for the reading view,
the notes panel, the colour picker and the overview.

Each colour has a dark tint (behind a note's passage, under near-white text)
and a bright swatch (the focused note, under black text, and the swatch ■ in
lists).  Both fix the text colour as well as the background, so a passage reads
the same on dark and light themes.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from reader.notes import COLOURS

# colour: (tint behind a passage, bright swatch)
PALETTE: dict[str, tuple[str, str]] = {
    "yellow": ("#5c4d00", "#f0d44a"),
    "green": ("#1d5a2c", "#72d383"),
    "blue": ("#1d477a", "#74aef0"),
    "pink": ("#7a2653", "#f291c4"),
    "purple": ("#4e2d82", "#bb97f2"),
}
assert set(PALETTE) == set(COLOURS), "every stored colour needs a look"

NOTE_TEXT = "#f4f4f4"

#: A note's passage in the reading view.
NOTE_STYLES: dict[str, Style] = {
    colour: Style(color=NOTE_TEXT, bgcolor=tint) for colour, (tint, _swatch) in PALETTE.items()
}
#: The focused note's passage: bright, bold and underlined, so it stands out from the others.
FOCUSED_NOTE_STYLES: dict[str, Style] = {
    colour: Style(color="black", bgcolor=swatch, bold=True, underline=True)
    for colour, (_tint, swatch) in PALETTE.items()
}


def note_style(colour: str, focused: bool = False) -> Style:
    """The style of a passage in *colour* (an unknown colour, from a newer
    version perhaps, is shown as the default)."""
    styles = FOCUSED_NOTE_STYLES if focused else NOTE_STYLES
    return styles.get(colour, styles["yellow"])


def swatch(colour: str) -> Text:
    """A one-cell ■ in the colour."""
    _tint, bright = PALETTE.get(colour, PALETTE["yellow"])
    return Text("■", style=Style(color=bright))
