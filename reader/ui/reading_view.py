"""The reading view: a read-only TextArea that lights up search hits and notes.

TextArea renders only the visible lines (Line API), gives keyboard (shift+arrows)
and mouse selection, and soft-wraps long paragraphs.  Hits and note marks are
applied in :meth:`get_line`, the documented hook for styling a line, so their
cost follows the lines on screen, not the document size.

Each placed note's passage is tinted in its colour (highlights too); the focused
note is bright, bold and underlined.  Search hits are drawn over notes.

``a`` / ``h`` act on the selection, else on the hit ``n``/``N`` just went to (the
cursor still on it); with neither they ask for a selection.  ``A`` writes a note
on the whole document.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from reader.corpus import Document
from reader.notes import Note, NoteKind
from reader.results import Span
from reader.ui.colours import note_style

HIT_STYLE = Style(color="black", bgcolor="yellow")
CURRENT_HIT_STYLE = Style(color="black", bgcolor="dark_orange", bold=True)
NO_PASSAGE_MESSAGE = "Select a passage first (shift+arrows or mouse)."


def line_starts_of(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


class ReadingView(TextArea):
    DEFAULT_CSS = """
    ReadingView { height: 1fr; }
    """

    BINDINGS = [
        Binding("n", "next_hit", "Next hit"),
        Binding("N", "previous_hit", "Prev hit"),
        Binding("a", "add_note('passage')", "Note"),
        Binding("h", "add_note('highlight')", "Highlight"),
        Binding("A", "add_note('document')", "Document note"),
        Binding("home,ctrl+home", "document_start", "Top", show=False),
        Binding("end,ctrl+end", "document_end", "Bottom", show=False),
    ]

    @dataclass
    class HitChanged(Message):
        current: int | None  # 0-based; None when no hit is current
        total: int

    @dataclass
    class NoteRequested(Message):
        """The user asked to annotate text[start:end] of the open document
        (*kind* passage or highlight), or the whole document (start/end None)."""

        document: Document
        start: int | None
        end: int | None
        kind: NoteKind = NoteKind.PASSAGE

    def __init__(self) -> None:
        super().__init__(
            "", read_only=True, soft_wrap=True, show_line_numbers=False, id="reading-view",
            highlight_cursor_line=False,
        )
        self.open_document: Document | None = None
        self.hit_spans: list[Span] = []
        self.current_hit: int | None = None
        self.note_spans: list[tuple[Span, str, str]] = []  # (span, note id, colour)
        self.focused_note_id: str | None = None
        self._line_starts: list[int] = [0]
        self._styles_by_line: dict[int, list[tuple[int, int, Style]]] = {}

    def on_mount(self) -> None:
        self.border_title = "Reader"

    # -- content -----------------------------------------------------------------

    def show_document(self, document: Document, spans: list[Span], notes: list[Note]) -> None:
        self.open_document = document
        self._line_starts = line_starts_of(document.text)
        self.load_text(document.text)
        self.border_title = Text(document.title)
        self.hit_spans = list(spans)
        self.current_hit = None
        self.focused_note_id = None
        self._set_note_spans(notes)
        self._restyle()
        self.post_message(self.HitChanged(None, len(self.hit_spans)))

    def set_hits(self, spans: list[Span]) -> None:
        self.hit_spans = list(spans)
        self.current_hit = None
        self._restyle()
        self.post_message(self.HitChanged(None, len(self.hit_spans)))

    def set_notes(self, notes: list[Note], focused_note_id: str | None = None) -> None:
        self.focused_note_id = focused_note_id
        self._set_note_spans(notes)
        self._restyle()

    def _set_note_spans(self, notes: list[Note]) -> None:
        # Orphans and notes of a vanished document have no passage to show.
        self.note_spans = [((note.start, note.end), note.id, note.colour) for note in notes if note.is_placed]

    # -- offsets -----------------------------------------------------------------

    def location_of(self, offset: int) -> tuple[int, int]:
        row = bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def offset_of(self, location: tuple[int, int]) -> int:
        row, column = location
        row = min(max(row, 0), len(self._line_starts) - 1)
        return self._line_starts[row] + column

    def selected_span(self) -> Span | None:
        start, end = sorted(self.selection)
        if start == end:
            return None
        return self.offset_of(start), self.offset_of(end)

    # -- styling -----------------------------------------------------------------

    def _restyle(self) -> None:
        by_line: dict[int, list[tuple[int, int, Style]]] = {}

        def add(span: Span, style: Style) -> None:
            start, end = span
            row, column = self.location_of(start)
            while start < end and row < len(self._line_starts):
                line_end = (
                    self._line_starts[row + 1] - 1 if row + 1 < len(self._line_starts) else end
                )
                stop = min(end, line_end)
                if stop > start:
                    by_line.setdefault(row, []).append((column, column + stop - start, style))
                row, column, start = row + 1, 0, line_end + 1

        # The focused note last, so it wins where passages overlap; hits over all.
        for span, note_id, colour in sorted(self.note_spans, key=lambda item: item[1] == self.focused_note_id):
            add(span, note_style(colour, focused=note_id == self.focused_note_id))
        for number, span in enumerate(self.hit_spans):
            add(span, CURRENT_HIT_STYLE if number == self.current_hit else HIT_STYLE)
        self._styles_by_line = by_line
        # TextArea caches rendered lines; our styles are part of what it renders.
        self._line_cache.clear()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for start, end, style in self._styles_by_line.get(line_index, ()):
            line.stylize(style, start, end)
        return line

    def styles_at(self, offset: int) -> list[Style]:
        """The hit/note styles applied at a character offset (for tests and tools)."""
        row, column = self.location_of(offset)
        return [style for start, end, style in self._styles_by_line.get(row, ()) if start <= column < end]

    # -- actions -----------------------------------------------------------------

    def _go_to_hit(self, number: int) -> None:
        self.current_hit = number
        start, _end = self.hit_spans[number]
        self.move_cursor(self.location_of(start), center=True)
        self._restyle()
        self.post_message(self.HitChanged(number, len(self.hit_spans)))

    def action_next_hit(self) -> None:
        if not self.hit_spans:
            self.app.bell()
            return
        cursor = self.offset_of(self.cursor_location)
        if self.current_hit is not None and self.hit_spans[self.current_hit][0] == cursor:
            number = (self.current_hit + 1) % len(self.hit_spans)
        else:  # the first hit after the cursor, so `n` follows where the user has scrolled
            number = next((i for i, (start, _e) in enumerate(self.hit_spans) if start >= cursor), 0)
        self._go_to_hit(number)

    def action_previous_hit(self) -> None:
        if not self.hit_spans:
            self.app.bell()
            return
        cursor = self.offset_of(self.cursor_location)
        if self.current_hit is not None and self.hit_spans[self.current_hit][0] == cursor:
            number = (self.current_hit - 1) % len(self.hit_spans)
        else:
            before = [i for i, (start, _e) in enumerate(self.hit_spans) if start < cursor]
            number = before[-1] if before else len(self.hit_spans) - 1
        self._go_to_hit(number)

    def current_passage(self) -> Span | None:
        """The selection, else the hit the cursor is on (after ``n``/``N``)."""
        span = self.selected_span()
        if span is None and self.current_hit is not None:
            hit = self.hit_spans[self.current_hit]
            if hit[0] == self.offset_of(self.cursor_location):
                span = hit
        return span

    def action_add_note(self, kind: str) -> None:
        document = self.open_document
        if document is None:
            self.notify("Open a document first.", severity="warning")
            return
        if kind == NoteKind.DOCUMENT:
            self.post_message(self.NoteRequested(document, None, None, NoteKind.DOCUMENT))
            return
        span = self.current_passage()
        if span is None:
            self.notify(NO_PASSAGE_MESSAGE, severity="warning")
            return
        self.post_message(self.NoteRequested(document, *span, NoteKind(kind)))

    def drop_selection(self) -> None:
        """Collapse the selection to the cursor (so a new highlight's colour shows)."""
        self.move_cursor(self.cursor_location)

    def action_document_start(self) -> None:
        self.move_cursor((0, 0))
        self.scroll_home(animate=False)

    def action_document_end(self) -> None:
        self.move_cursor(self.document.end)
        self.scroll_end(animate=False)

    def scroll_to_span(self, span: Span, select: bool = False) -> None:
        start, end = span
        if select:
            self.selection = type(self.selection)(self.location_of(start), self.location_of(end))
            self.scroll_cursor_visible(center=True)
        else:
            self.move_cursor(self.location_of(start), center=True)
