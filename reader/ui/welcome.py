"""What the reading view shows while no document is open: a short welcome with the
keys that matter, wrapped to the view's width (and cached per width)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

if TYPE_CHECKING:
    from reader.ui.line_view import LineView

GREETING = "Welcome to iatse-reader."
HOW_TO_START = "Open a document from the list (↑ ↓ Enter), or search: press / and type."
KEYS: list[tuple[str, str]] = [  # the most needed first: a short reader shows only the top
    ("/", "search"),
    ("?", "every key (help)"),
    ("n N", "next / previous hit"),
    ("[ ]", "fold list / notes"),
    ("z", "focus mode"),
    ("ctrl+f", "find in document"),
    ("t", "outline"),
    ("a h", "note / highlight"),
    ("ctrl+p", "all commands"),
    ("q", "quit"),
]
KEY_COLUMN = 8


class Welcome:
    def __init__(self) -> None:
        self._width = -1
        self._lines: list[Text] = []

    def lines(self, width: int, console: Console) -> list[Text]:
        if width != self._width:
            self._width, self._lines = width, self._lay_out(max(width, 1), console)
        return self._lines

    @staticmethod
    def _lay_out(width: int, console: Console) -> list[Text]:
        lines: list[Text] = [Text("")]
        for paragraph in (Text(GREETING, style="bold"), Text(""), Text(HOW_TO_START), Text("")):
            lines.extend(paragraph.wrap(console, width) if paragraph.plain else [paragraph])
        key_column = KEY_COLUMN if width >= 2 * KEY_COLUMN else 0
        for key, meaning in KEYS:
            # A hanging indent: the meaning wraps under itself, the key stands out.
            wrapped = Text(meaning, style="dim").wrap(console, max(width - key_column, 1))
            if not key_column:
                lines.append(Text(key, style="bold"))
            for number, part in enumerate(wrapped):
                head = key if number == 0 and key_column else ""
                line = Text(head.ljust(key_column), style="bold")
                line.append_text(part)
                lines.append(line)
        return lines

    def strip(self, y: int, width: int, base: Style, view: LineView) -> Strip:
        lines = self.lines(width, view.app.console)
        if y >= len(lines):
            return Strip.blank(width, base)
        return view.strip_of(lines[y], width, base)
