"""Soft-wrapping a document into screen rows, fast enough for a 10 MB book.

A :class:`TextLayout` is two sorted lists of character offsets: where each line
starts and where each screen row starts.  Everything the reading view needs is a
bisect away (the row of an offset, the span of a row), so drawing a screen costs
the rows on it, whatever the document's size.

Wrapping is greedy, at the last space that lets the row fit (the space stays at the
end of its row, so rows tile the text with no gaps); a word longer than the row is
cut.  Lines that fit are never looked at one character at a time: for plain ASCII
without tabs, one character is one cell, so a line fits when ``len(line) <= width``
and the whole pass is a few C-level list operations per line (10 MB with no line
to wrap: ~35 ms).  Only lines wider than the view, or holding tabs or non-ASCII
characters (wide CJK, combining marks), take the slower cell-by-cell path.

A layout can cover only a prefix of the text (:func:`compute_layout` with
*limit*) and be extended later (:meth:`TextLayout.extend_to`): wrapping is per line,
so rows laid out from the top are exact whatever follows.  The reading view lays
out as far as the screen (or a jump) needs, so the cost follows the place read,
not the document's size; :meth:`TextLayout.estimated_rows` guesses the rest for
the scrollbar.

A tab is drawn as spaces to the next multiple of :data:`TAB_SIZE` cells, counted
from the start of its screen row.

No Textual here: this is plain Python, tested on its own.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from rich.cells import get_character_cell_size

from reader.ui.display_text import is_bidi_control, is_drawn_as_nothing

TAB_SIZE = 4
EXTEND_CHARS = 64_000  # laid out at a time as the reader goes further (~1 ms)


@dataclass
class TextLayout:
    text: str = field(repr=False)
    width: int
    line_starts: list[int]
    row_starts: list[int]
    length: int  # characters laid out: the whole text, or a prefix ending at a line end

    @property
    def complete(self) -> bool:
        return self.length >= len(self.text)

    @property
    def row_count(self) -> int:
        return len(self.row_starts)

    def estimated_rows(self) -> int:
        """Rows laid out, plus a guess for the rest (at the density so far)."""
        if self.complete:
            return self.row_count
        rest = len(self.text) - self.length
        return self.row_count + -(-rest * self.row_count // max(self.length, 1))

    def extend_to(self, offset: int = 0, row: int = 0, chunk: int = 0) -> None:
        """Lay out further, until *offset* and *row* are laid out (or the text ends),
        by chunks of at least *chunk* characters."""
        step = max(chunk, EXTEND_CHARS)
        while not self.complete and (self.length < offset or self.row_count <= row):
            start = self.length + 1  # the prefix ends at a newline
            more = compute_layout(self.text, self.width, limit=start + step, start=start)
            self.line_starts += more.line_starts
            self.row_starts += more.row_starts
            self.length = more.length

    def row_of(self, offset: int) -> int:
        """The row showing *offset* (an offset where a wrapped row ends belongs to
        the next row; the end of a line to that line's last row)."""
        self.extend_to(offset=offset + 1)
        return max(bisect_right(self.row_starts, min(offset, self.length)) - 1, 0)

    def line_end(self, offset: int) -> int:
        """Where the line holding *offset* ends (the offset of its newline)."""
        line = bisect_right(self.line_starts, offset) - 1
        return self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else self.length

    def row_span(self, row: int) -> tuple[int, int]:
        """The characters shown on *row*: ``text[start:end]``, never the newline."""
        self.extend_to(row=row + 1)
        start = self.row_starts[row]
        following = self.row_starts[row + 1] if row + 1 < len(self.row_starts) else self.length
        return start, min(following, self.line_end(start))

    def ends_line(self, row: int) -> bool:
        start, end = self.row_span(row)
        return end == self.line_end(start)


def character_cells(character: str, column: int) -> int:
    """Cells *character* takes when drawn at *column* of its row."""
    if character == "\t":
        return TAB_SIZE - column % TAB_SIZE
    if is_bidi_control(character):  # drawn as the replacement character
        return 1
    return get_character_cell_size(character)


def _is_simple(line: str) -> bool:
    return line.isascii() and "\t" not in line


def _wrap_simple(line: str, width: int, base: int, rows: list[int]) -> None:
    rows.append(base)
    position, length = 0, len(line)
    while length - position > width:
        space = line.rfind(" ", position + 1, position + width)
        position = position + width if space == -1 else space + 1
        rows.append(base + position)


def _wrap_cells(line: str, width: int, base: int, rows: list[int]) -> None:
    rows.append(base)
    row_start, column, last_space = 0, 0, -1
    index = 0
    while index < len(line):
        character = line[index]
        cells = character_cells(character, column)
        if column + cells > width and index > row_start:
            row_start = last_space + 1 if last_space > row_start else index
            rows.append(base + row_start)
            last_space = -1
            column = 0
            index = row_start  # re-measure from the new row's start (tabs depend on it)
            continue
        column += cells
        if character == " ":
            last_space = index
        index += 1


def compute_layout(text: str, width: int, limit: int | None = None, start: int = 0) -> TextLayout:
    """Lay *text* (from *start*, a line start) out in rows of at most *width* cells.

    With *limit*, only up to about that offset (cut at a line end) is laid out;
    :meth:`TextLayout.extend_to` does the rest when it is needed.
    """
    width = max(width, 1)
    end = len(text)
    if limit is not None and limit < end:
        cut = text.find("\n", limit)  # a line end after *limit*: never an empty chunk
        end = cut if cut != -1 else end
    part = text[start:end] if start or end < len(text) else text
    lines = part.split("\n")
    lengths = list(map(len, lines))
    line_starts = list(accumulate((length + 1 for length in lengths[:-1]), initial=start))
    if _is_simple(part):
        to_wrap = [number for number, length in enumerate(lengths) if length > width]
    else:
        # A character takes at most TAB_SIZE cells, so shorter lines surely fit;
        # the rest are measured.
        limit_chars = width // TAB_SIZE
        to_wrap = [
            number for number, length in enumerate(lengths)
            if length > limit_chars and (length > width or not _is_simple(lines[number]))
        ]
    if not to_wrap:
        row_starts = list(line_starts)
    else:
        row_starts = []
        previous = 0
        for number in to_wrap:
            row_starts += line_starts[previous:number]
            line = lines[number]
            wrap = _wrap_simple if _is_simple(line) else _wrap_cells
            wrap(line, width, line_starts[number], row_starts)
            previous = number + 1
        row_starts += line_starts[previous:]
    return TextLayout(text, width, line_starts, row_starts, end)


@dataclass(frozen=True)
class RowDisplay:
    """One row as drawn: tabs expanded; ``positions[i]`` is where the row's i-th
    character starts in ``text`` and ``columns[i]`` the cell it starts at (both
    with one extra entry for the row's end)."""

    text: str
    positions: list[int] | None  # None: identity (plain ASCII, no tabs)
    columns: list[int] | None

    def position(self, index: int) -> int:
        return index if self.positions is None else self.positions[index]

    def column(self, index: int) -> int:
        return index if self.columns is None else self.columns[index]

    def index_at_column(self, column: int, length: int) -> int:
        """The character drawn at cell *column* (or the row's end past it)."""
        if self.columns is None:
            return min(max(column, 0), length)
        return max(bisect_right(self.columns, column) - 1, 0) if column < self.columns[-1] else length


def display_row(row_text: str) -> RowDisplay:
    if _is_simple(row_text):
        return RowDisplay(row_text, None, None)
    parts: list[str] = []
    positions: list[int] = []
    columns: list[int] = []
    position = column = 0
    for character in row_text:
        positions.append(position)
        columns.append(column)
        cells = character_cells(character, column)
        if character == "\t":
            shown = " " * cells
        elif is_drawn_as_nothing(character):  # an emoji joiner or modifier: see display_text
            shown, cells = "", 0
        elif is_bidi_control(character):  # it would reorder what follows it on screen
            shown = "\ufffd"
        else:
            shown = character
        parts.append(shown)
        position += len(shown)
        column += cells
    positions.append(position)
    columns.append(column)
    return RowDisplay("".join(parts), positions, columns)
