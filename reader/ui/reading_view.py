"""The reading view: a Line-API widget that shows a document, its search hits and
its notes, with a cursor and a selection measured in document offsets.

Why not ``TextArea``: it wraps every line of a document when it is loaded and
sums every line's height for each row it draws, so a 10 MB book took seconds to
open and over a second per page.  Here (Toolong's design) the document is kept as
one string plus two sorted offset lists (:mod:`reader.ui.text_layout`), and
``render_line`` draws only the rows on screen, styling them from the hit and note
spans that overlap them (found by bisection), so the cost follows the screen, not
the document.  Only as much of the document is laid out as the screen or a jump
needs: the first screens when it opens, further as the reader goes, the rest
estimated for the scrollbar.  Opening a book costs what a short text does; going
to its end costs one pass, then.

Keys: arrows move the cursor (shift extends the selection), page up/down move by a
screen, home/end go to the start/end of the document, the mouse places the cursor
and drag-selects, ``y`` (or ctrl+c) copies the selection.  ``n``/``N`` walk the
hits from the cursor, so they follow where the user has moved.

``a`` / ``h`` act on the selection, else on the hit ``n``/``N`` just went to (the
cursor still on it); with neither they ask for a selection.  ``A`` writes a note
on the whole document.  Each placed note's passage is tinted in its colour
(highlights too); the focused note is bright, bold and underlined.  Search hits
are drawn over notes, the selection over both.

Document text is data: rows become ``rich.text.Text`` from the plain string, never
markup, and control characters were already made visible when it was read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from reader.corpus import Document
from reader.notes import Note, NoteKind
from reader.results import Span
from reader.ui.colours import note_style
from reader.ui.line_view import LineView
from reader.ui.text_layout import compute_layout, display_row
from reader.ui.welcome import Welcome

HIT_STYLE = Style(color="black", bgcolor="yellow")
CURRENT_HIT_STYLE = Style(color="black", bgcolor="dark_orange", bold=True)
NO_PASSAGE_MESSAGE = "Select a passage first (shift+arrows or mouse)."
FIRST_SCREENS_CHARS = 50_000  # laid out when a document is shown; the rest on demand
DEFAULT_WIDTH = 80  # before the view has a size


class ReadingView(LineView, can_focus=True):
    ALLOW_SELECT = False  # our own selection, in document offsets (Textual's is screen-wide)

    DEFAULT_CSS = """
    ReadingView {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        padding: 0 1;
        background: $surface;
        color: $foreground;
    }
    ReadingView > .reading-view--cursor { text-style: reverse; }
    ReadingView > .reading-view--selection { background: $primary 70%; color: $text; }
    """
    COMPONENT_CLASSES = {"reading-view--cursor", "reading-view--selection"}

    BINDINGS = [
        Binding("n", "next_hit", "Next hit", id="reader.next_hit"),
        Binding("N", "previous_hit", "Prev hit", id="reader.previous_hit"),
        Binding("a", "add_note('passage')", "Note", id="reader.add_note"),
        Binding("h", "add_note('highlight')", "Highlight", id="reader.highlight"),
        Binding("A", "add_note('document')", "Document note", id="reader.document_note"),
        Binding("y,ctrl+c", "copy", "Copy", show=False, id="reader.copy"),
        Binding("up", "move('up')", show=False, id="reader.move_up"),
        Binding("down", "move('down')", show=False, id="reader.move_down"),
        Binding("left", "move('left')", show=False, id="reader.move_left"),
        Binding("right", "move('right')", show=False, id="reader.move_right"),
        Binding("pageup", "move('pageup')", show=False, id="reader.page_up"),
        Binding("pagedown", "move('pagedown')", show=False, id="reader.page_down"),
        Binding("shift+up", "move('up', True)", show=False, id="reader.select_up"),
        Binding("shift+down", "move('down', True)", show=False, id="reader.select_down"),
        Binding("shift+left", "move('left', True)", show=False, id="reader.select_left"),
        Binding("shift+right", "move('right', True)", show=False, id="reader.select_right"),
        Binding("shift+pageup", "move('pageup', True)", show=False, id="reader.select_page_up"),
        Binding("shift+pagedown", "move('pagedown', True)", show=False, id="reader.select_page_down"),
        Binding("home,ctrl+home", "document_start", "Top", show=False, id="reader.document_start"),
        Binding("end,ctrl+end", "document_end", "Bottom", show=False, id="reader.document_end"),
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
        super().__init__(id="reading-view")
        self.open_document: Document | None = None
        self.hit_spans: list[Span] = []
        self.current_hit: int | None = None
        self.note_spans: list[tuple[Span, str, str]] = []  # (span, note id, colour)
        self.focused_note_id: str | None = None
        self.cursor_offset = 0
        self.selection_anchor: int | None = None  # the other end of the selection
        self._layout = compute_layout("", DEFAULT_WIDTH)
        self._hit_ends: list[int] = []
        self._goal_column: int | None = None  # kept across up/down, as editors do
        self._selecting_with_mouse = False
        self._row_cache: LRUCache[int, Strip] = LRUCache(256)
        self._pinned_top: tuple[int, int] | None = None  # (offset, row) of the last lay-out's top
        self.welcome = Welcome()  # drawn while no document is open

    def on_mount(self) -> None:
        self.border_title = "Reader"

    @property
    def text(self) -> str:
        return self.open_document.text if self.open_document is not None else ""

    # -- content -----------------------------------------------------------------

    def show_document(
        self, document: Document, spans: list[Span], notes: list[Note], keep_position: bool = False
    ) -> None:
        """Show *document*; with *keep_position* (the same file, changed on disk)
        the cursor and the top row stay at the same offsets, as far as they exist."""
        top = self._layout.row_starts[self._top_row()] if keep_position else 0
        cursor = min(self.cursor_offset, len(document.text)) if keep_position else 0
        self.open_document = document
        self.border_title = Text(document.title)
        self.focused_note_id = None
        self.cursor_offset, self.selection_anchor, self._goal_column = cursor, None, None
        self._set_note_spans(notes)
        self._lay_out(top_offset=top)
        self.set_hits(spans)

    def set_hits(self, spans: list[Span]) -> None:
        self.hit_spans = list(spans)
        self._hit_ends = [end for _start, end in self.hit_spans]
        self.current_hit = None
        self._restyle()
        self.post_message(self.HitChanged(None, len(self.hit_spans)))

    def set_notes(self, notes: list[Note], focused_note_id: str | None = None) -> None:
        self.focused_note_id = focused_note_id
        self._set_note_spans(notes)
        self._restyle()

    def _set_note_spans(self, notes: list[Note]) -> None:
        # Orphans and notes of a vanished document have no passage to show.  The
        # focused note last, so it is drawn over passages it overlaps.
        placed = [((note.start, note.end), note.id, note.colour) for note in notes if note.is_placed]
        self.note_spans = sorted(placed, key=lambda item: item[1] == self.focused_note_id)

    def _restyle(self) -> None:
        self._row_cache.clear()
        self.refresh()

    # -- layout ------------------------------------------------------------------

    def _wrap_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else DEFAULT_WIDTH

    def _lay_out(self, top_offset: int = 0) -> None:
        layout = compute_layout(self.text, self._wrap_width(), limit=FIRST_SCREENS_CHARS)
        self._layout = layout
        self._row_cache.clear()
        top_row = layout.row_of(top_offset)  # lays out that far
        self._update_virtual_size()
        self.scroll_to(y=top_row, animate=False, immediate=True)
        self._pinned_top = (top_offset, top_row)
        self.refresh()

    def _update_virtual_size(self) -> None:
        size = Size(self._layout.width, self._layout.estimated_rows())
        if size != self.virtual_size:
            self.virtual_size = size

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # Lay out as far as the screen reaches before it is drawn (dragging the
        # scrollbar far down lays out everything above, once).
        self._layout.extend_to(row=round(new_value) + self.scrollable_content_region.height + 1)
        self._update_virtual_size()
        super().watch_scroll_y(old_value, new_value)

    def on_resize(self, event: events.Resize) -> None:
        if self.open_document is not None and self._wrap_width() != self._layout.width:
            self._lay_out(top_offset=self._top_offset())

    def _top_offset(self) -> int:
        """The offset the top of the screen stands for: the one it was last laid out
        at, while the view has not scrolled since (so resizing back and forth, or a
        position restored before the panes settled, does not drift a row back each
        time), else the start of the top row."""
        pinned = self._pinned_top
        if pinned is not None and pinned[1] == self._top_row():
            return pinned[0]
        return self._layout.row_starts[self._top_row()] if self._layout.row_count else 0

    def _top_row(self) -> int:
        return min(round(self.scroll_y), max(self._layout.row_count - 1, 0))

    # -- offsets -----------------------------------------------------------------

    def selected_span(self) -> Span | None:
        if self.selection_anchor is None or self.selection_anchor == self.cursor_offset:
            return None
        return min(self.selection_anchor, self.cursor_offset), max(self.selection_anchor, self.cursor_offset)

    def selected_text(self) -> str:
        span = self.selected_span()
        return self.text[span[0]:span[1]] if span is not None else ""

    # -- drawing -----------------------------------------------------------------

    def _spans_over(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Note and hit styles over text[start:end], in drawing order."""
        styles: list[tuple[int, int, Style]] = []
        # Notes in their drawing order (the focused one last); hits over all.
        for (note_start, note_end), note_id, colour in self.note_spans:
            if note_start < end and note_end > start:
                styles.append((note_start, note_end, note_style(colour, focused=note_id == self.focused_note_id)))
        first = bisect_right(self._hit_ends, start)  # hits are sorted and do not overlap
        for number in range(first, len(self.hit_spans)):
            hit_start, hit_end = self.hit_spans[number]
            if hit_start >= end:
                break
            styles.append((hit_start, hit_end, CURRENT_HIT_STYLE if number == self.current_hit else HIT_STYLE))
        return styles

    def styles_at(self, offset: int) -> list[Style]:
        """The hit/note styles applied at a character offset (for tests and tools)."""
        return [style for start, end, style in self._spans_over(offset, offset + 1) if start <= offset < end]

    def row_text(self, row: int, marks: bool = True) -> Text:
        """Screen row *row* as drawn (without padding), from the plain text;
        without *marks*, no hits, notes, selection or cursor."""
        start, end = self._layout.row_span(row)
        display = display_row(self.text[start:end])
        line = Text(display.text, end="", no_wrap=True)
        length = end - start

        def stylize(style: Style, span_start: int, span_end: int) -> None:
            first, last = max(span_start - start, 0), min(span_end - start, length)
            if last > first:
                line.stylize(style, display.position(first), display.position(last))

        if not marks:
            return line
        for span_start, span_end, style in self._spans_over(start, end):
            stylize(style, span_start, span_end)
        after_end: Style | None = None  # a cell after the row's text: the newline, shown
        selection = self.selected_span()
        if selection is not None:
            selection_style = self.get_component_rich_style("reading-view--selection")
            stylize(selection_style, *selection)
            if selection[0] <= end < selection[1] and self._layout.ends_line(row):
                after_end = selection_style  # a selected line break, so blank lines show it
        if self.has_focus and start <= self.cursor_offset <= end and self._layout.row_of(self.cursor_offset) == row:
            cursor_style = self.get_component_rich_style("reading-view--cursor")
            if self.cursor_offset < end:
                stylize(cursor_style, self.cursor_offset, self.cursor_offset + 1)
            else:  # at the end of the row: a block after its last character
                after_end = cursor_style
        if after_end is not None:
            line.append(" ", after_end)
        return line

    def rendered_text(self) -> str:
        """Every row as drawn, wrapped rows joined again (for tests: what the view
        shows, to compare with the document)."""
        self._layout.extend_to(offset=len(self.text))
        parts = []
        for row in range(self._layout.row_count):
            parts.append(self.row_text(row, marks=False).plain)
            if self._layout.ends_line(row) and row + 1 < self._layout.row_count:
                parts.append("\n")
        return "".join(parts)

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.open_document is None:
            return self.welcome.strip(y, width, base, self)
        if row >= self._layout.row_count:
            return Strip.blank(width, base)
        strip = self._row_cache.get(row)
        if strip is None:
            strip = self._row_cache[row] = self.strip_of(self.row_text(row), width, base)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_cache.clear()

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    # -- moving ------------------------------------------------------------------

    def move_cursor(self, offset: int, select: bool = False, center: bool = False) -> None:
        """Put the cursor at *offset*; with *select* the selection stretches to it."""
        offset = min(max(offset, 0), len(self.text))
        if select:
            if self.selection_anchor is None:
                self.selection_anchor = self.cursor_offset
        else:
            self.selection_anchor = None
        self.cursor_offset = offset
        self._restyle()
        self._show_cursor(center)

    def _show_cursor(self, center: bool = False) -> None:
        row, height = self._layout.row_of(self.cursor_offset), self.scrollable_content_region.height
        self._update_virtual_size()  # row_of may have laid out further
        if center:
            self.scroll_to(y=max(row - height // 2, 0), animate=False, immediate=True)
        elif row < self.scroll_y:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= self.scroll_y + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def _column_of(self, offset: int) -> int:
        row = self._layout.row_of(offset)
        start, end = self._layout.row_span(row)
        return display_row(self.text[start:end]).column(min(offset, end) - start)

    def _offset_at(self, row: int, column: int) -> int:
        row = min(max(row, 0), self._layout.row_count - 1)
        start, end = self._layout.row_span(row)
        display = display_row(self.text[start:end])
        return start + display.index_at_column(column, end - start)

    def action_move(self, direction: str, select: bool = False) -> None:
        if self.open_document is None:
            return
        layout, offset = self._layout, self.cursor_offset
        if direction in ("left", "right"):
            self._goal_column = None
            span = self.selected_span()
            if span is not None and not select:  # like editors: collapse to that side
                self.move_cursor(span[0] if direction == "left" else span[1])
                return
            self.move_cursor(offset - 1 if direction == "left" else offset + 1, select)
            return
        rows = {"up": -1, "down": 1}.get(direction, self.scrollable_content_region.height - 1)
        if direction == "pageup":
            rows = -rows
        if self._goal_column is None:
            self._goal_column = self._column_of(offset)
        goal = self._goal_column
        target_row = layout.row_of(offset) + rows
        layout.extend_to(row=target_row + 1)
        self._update_virtual_size()
        if direction in ("pageup", "pagedown"):  # the page turns with the cursor
            self.scroll_to(y=self.scroll_y + rows, animate=False, immediate=True)
        if target_row < 0:
            target = 0
        elif target_row >= layout.row_count:
            target = layout.length
        else:
            target = self._offset_at(target_row, goal)
        self.move_cursor(target, select)
        self._goal_column = goal

    def action_document_start(self) -> None:
        self.move_cursor(0)
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_document_end(self) -> None:
        self.move_cursor(len(self.text))
        self.scroll_end(animate=False, immediate=True)

    def action_copy(self) -> None:
        text = self.selected_text()
        if not text:
            self.notify(NO_PASSAGE_MESSAGE, severity="warning")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {len(text):,} characters.")

    def _offset_at_mouse(self, event: events.MouseEvent) -> int:
        # Past the edges while dragging: the nearest row, so the view follows.
        x, y = event.get_content_offset_capture(self)
        return self._offset_at(round(self.scroll_y) + y, x)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self.open_document is None:
            return
        self.focus()
        self.move_cursor(self._offset_at_mouse(event))
        self.selection_anchor = self.cursor_offset
        self._selecting_with_mouse = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._selecting_with_mouse:
            self.move_cursor(self._offset_at_mouse(event), select=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._selecting_with_mouse:
            self._selecting_with_mouse = False
            self.release_mouse()

    # -- hits and notes ----------------------------------------------------------

    def _go_to_hit(self, number: int) -> None:
        self.current_hit = number
        self.move_cursor(self.hit_spans[number][0], center=True)
        self.post_message(self.HitChanged(number, len(self.hit_spans)))

    def action_next_hit(self) -> None:
        if not self.hit_spans:
            self.app.bell()
            return
        cursor = self.cursor_offset
        if self.current_hit is not None and self.hit_spans[self.current_hit][0] == cursor:
            number = (self.current_hit + 1) % len(self.hit_spans)
        else:  # the first hit after the cursor, so `n` follows where the user has moved
            starts = [start for start, _end in self.hit_spans]
            number = bisect_left(starts, cursor) % len(self.hit_spans)
        self._go_to_hit(number)

    def action_previous_hit(self) -> None:
        if not self.hit_spans:
            self.app.bell()
            return
        cursor = self.cursor_offset
        if self.current_hit is not None and self.hit_spans[self.current_hit][0] == cursor:
            number = (self.current_hit - 1) % len(self.hit_spans)
        else:
            starts = [start for start, _end in self.hit_spans]
            number = (bisect_left(starts, cursor) - 1) % len(self.hit_spans)
        self._go_to_hit(number)

    def current_passage(self) -> Span | None:
        """The selection, else the hit the cursor is on (after ``n``/``N``)."""
        span = self.selected_span()
        if span is None and self.current_hit is not None:
            hit = self.hit_spans[self.current_hit]
            if hit[0] == self.cursor_offset:
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
        self.selection_anchor = None
        self._restyle()

    def scroll_to_span(self, span: Span, select: bool = False) -> None:
        """Bring *span* to the middle of the view; with *select*, select it."""
        start, end = span
        if select:
            self.cursor_offset, self.selection_anchor = start, None
            self.move_cursor(end, select=True)
            self._centre_on(start)
        else:
            self.move_cursor(start, center=True)

    def _centre_on(self, offset: int) -> None:
        row = self._layout.row_of(offset)
        self.scroll_to(y=max(row - self.scrollable_content_region.height // 2, 0), animate=False, immediate=True)

    # -- where the reader is (remembered across runs) -----------------------------

    def reading_position(self) -> tuple[int, int, float]:
        """(cursor offset, offset of the first character on screen, progress 0..1:
        how far down the text the screen's bottom is)."""
        if self.open_document is None or not self.text:
            return self.cursor_offset, 0, 1.0
        top_row = self._top_row()
        top = self._top_offset()
        bottom_row = min(top_row + max(self.scrollable_content_region.height, 1) - 1, self._layout.row_count - 1)
        bottom = self._layout.row_span(bottom_row)[1]
        if self._layout.complete and bottom_row == self._layout.row_count - 1:
            bottom = len(self.text)
        return self.cursor_offset, top, bottom / len(self.text)

    def show_position(self, cursor: int, top: int) -> None:
        """Put the cursor at *cursor* and the line holding *top* at the top of the screen."""
        self.cursor_offset = min(max(cursor, 0), len(self.text))
        self.selection_anchor, self._goal_column = None, None
        self._lay_out(top_offset=min(max(top, 0), len(self.text)))
