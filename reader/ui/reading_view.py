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
and drag-selects, ``y`` (or ctrl+c) copies the selection: to the terminal's
clipboard (OSC 52, which many terminals and tmux ignore) and, in a thread worker,
to the system clipboard when a clipboard command is found
(:mod:`reader.system_clipboard`); the message says which was done.  ``n``/``N`` walk the
hits from the cursor, so they follow where the user has moved.

Pages (a PDF, text with form feeds): the view reports the page it is on with
:class:`ReadingView.PageChanged` for the status line: the cursor's page while the
cursor is on screen, else (scrolled away with the mouse wheel or scrollbar) the
page of the top row.  The cursor, not the top row, because it is where ``n``/``N``
land, where a note is made and where ``ctrl+g`` puts the page's first line, so the
hit counter and the page agree.  ``ctrl+g`` asks for a page and goes there.

``a`` / ``h`` act on the selection, else on the hit ``n``/``N`` just went to (the
cursor still on it); with neither they ask for a selection.  ``A`` writes a note
on the whole document.  Each placed note's passage is tinted in its colour
(highlights too); the focused note is bright, bold and underlined.  Search hits
are drawn over notes, the selection over both.

Document text is data: rows become ``rich.text.Text`` from the plain string, never
markup, and control characters were already made visible when it was read.

Structure: a Markdown document (``.md``, or text that looks like Markdown, see
:mod:`reader.markdown_spans`) is styled in place, its markers dimmed: the styles
are one more layer of spans, under the notes, hits and selection, computed per
line as rows are drawn (cached per line), so offsets never change.  The headings
(:mod:`reader.outline`) are scanned as far as the screen reaches; the border's
subtitle names the section at the top of the screen, and ``t`` lists them all.

Moving like a reader: ``space``/``b`` page down/up, ``g``/``G`` top/bottom,
``ctrl+left/right`` by word (with shift: select), Escape clears the selection
(then ends a find).  After every scroll the view posts :class:`PositionChanged`
("42%", the line at the top) for the status line.

Find (``ctrl+f``, :mod:`reader.ui.find_bar`): the matches of a plain string are a
third kind of span; while a find is on, ``n``/``N`` walk its matches instead of
the search hits, and :class:`FindChanged` reports "match k of n".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.actions import SkipAction
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from reader.corpus import Document
from reader.find_text import FindResult, find_all
from reader.markdown_spans import LONG_LINE, MarkdownStyle, MarkdownStyler, StyleSpan, is_markdown
from reader.notes import Note, NoteKind
from reader.outline import DocumentStructure, Heading
from reader.results import Span
from reader.system_clipboard import ClipboardError, copy_text, find_clipboard_tool
from reader.ui.colours import note_style
from reader.ui.display_text import display_line
from reader.ui.line_view import LineView
from reader.ui.text_layout import compute_layout, display_row
from reader.ui.welcome import Welcome

HIT_STYLE = Style(color="black", bgcolor="yellow")
CURRENT_HIT_STYLE = Style(color="black", bgcolor="dark_orange", bold=True)
FIND_STYLE = Style(color="black", bgcolor="bright_cyan")  # find matches: not the search hits' yellow
NO_PASSAGE_MESSAGE = "Select a passage first (shift+arrows or mouse)."
FIRST_SCREENS_CHARS = 50_000  # laid out when a document is shown; the rest on demand
DEFAULT_WIDTH = 80  # before the view has a size
MARKDOWN_LINES_CACHED = 512  # lines whose Markdown spans are kept (a line can wrap into many rows)
_WORD = re.compile(r"\w+")
WORD_WINDOW = 2_000  # ctrl+left looks this far back for a word start


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
    ReadingView > .reading-view--md-marker { color: $foreground 45%; }
    ReadingView > .reading-view--md-heading1 { color: $accent; text-style: bold underline; }
    ReadingView > .reading-view--md-heading { color: $accent; text-style: bold; }
    ReadingView > .reading-view--md-bold { text-style: bold; }
    ReadingView > .reading-view--md-italic { text-style: italic; }
    ReadingView > .reading-view--md-strike { text-style: strike; }
    ReadingView > .reading-view--md-code { color: $text-warning; }
    ReadingView > .reading-view--md-link { color: $text-primary; text-style: underline; }
    ReadingView > .reading-view--md-list { color: $accent; text-style: bold; }
    ReadingView > .reading-view--md-quote { color: $text-muted; text-style: italic; }
    ReadingView > .reading-view--md-rule { color: $foreground 45%; }
    """
    COMPONENT_CLASSES = {"reading-view--cursor", "reading-view--selection"} | {
        f"reading-view--md-{style.value}" for style in MarkdownStyle
    }

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
        Binding("pageup,b", "move('pageup')", "Page up", show=False, id="reader.page_up"),
        Binding("pagedown,space", "move('pagedown')", "Page down", show=False, id="reader.page_down"),
        Binding("shift+up", "move('up', True)", show=False, id="reader.select_up"),
        Binding("shift+down", "move('down', True)", show=False, id="reader.select_down"),
        Binding("shift+left", "move('left', True)", show=False, id="reader.select_left"),
        Binding("shift+right", "move('right', True)", show=False, id="reader.select_right"),
        Binding("shift+pageup", "move('pageup', True)", show=False, id="reader.select_page_up"),
        Binding("shift+pagedown", "move('pagedown', True)", show=False, id="reader.select_page_down"),
        Binding("home,ctrl+home", "document_start", "Top", show=False, id="reader.document_start"),
        Binding("end,ctrl+end", "document_end", "Bottom", show=False, id="reader.document_end"),
        Binding("ctrl+g", "go_to_page", "Go to page", show=False, id="reader.go_to_page"),
        Binding("g", "document_start", "Top", show=False, id="reader.top"),
        Binding("G", "document_end", "Bottom", show=False, id="reader.bottom"),
        Binding("ctrl+left", "word('left')", "Word left", show=False, id="reader.word_left"),
        Binding("ctrl+right", "word('right')", "Word right", show=False, id="reader.word_right"),
        Binding("ctrl+shift+left", "word('left', True)", "Select word left", show=False,
                id="reader.select_word_left"),
        Binding("ctrl+shift+right", "word('right', True)", "Select word right", show=False,
                id="reader.select_word_right"),
        Binding("escape", "escape", "Clear selection", show=False, id="reader.clear_selection"),
        Binding("ctrl+f", "find", "Find", id="reader.find"),
        Binding("t", "outline", "Outline", id="reader.outline"),
    ]

    @dataclass
    class HitChanged(Message):
        current: int | None  # 0-based; None when no hit is current
        total: int

    @dataclass
    class Copied(Message, bubble=False):
        """The system clipboard copy finished: *tool* is the command used (None: none
        found), *error* why it failed."""

        characters: int
        tool: str | None
        error: str | None = None

    @dataclass
    class PageChanged(Message):
        """The page the reader is on (see the module docstring), of *total*; page
        None (and total 0) for a document without pages."""

        page: int | None
        total: int

    @dataclass
    class PositionChanged(Message):
        """Where the reader is: how far the screen's last row is through the text
        (0-100) and the text line at the top of the screen (1-based)."""

        percent: int
        line: int

    @dataclass
    class FindRequested(Message):
        """``ctrl+f``: the app shows the find bar (with *query*, the find still on)."""

        query: str

    @dataclass
    class FindChanged(Message):
        """A find's matches or current match changed; *query* None: the find ended."""

        query: str | None
        current: int | None  # 0-based
        total: int
        truncated: bool = False

    @dataclass
    class FindFound(Message, bubble=False):
        """(From the find worker to the view itself.)"""

        result: FindResult
        generation: int

    @dataclass
    class OutlineReady(Message, bubble=False):
        """(From the outline worker to the view itself.)"""

        document: Document

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
        self._page_reported: tuple[int | None, int] | None = None
        self.structure = DocumentStructure("", markdown=False)
        self.markdown: MarkdownStyler | None = None  # a Markdown document's styler
        self._markdown_lines: LRUCache[int, list[StyleSpan]] = LRUCache(MARKDOWN_LINES_CACHED)
        self._markdown_styles: dict[MarkdownStyle, Style] = {}
        self.current_heading: Heading | None = None
        self._position: tuple[int, int] | None = None  # the last PositionChanged sent
        self.find_query: str | None = None  # a find is on (ctrl+f) while not None
        self.find_spans: list[tuple[int, int]] = []
        self._find_starts: list[int] = []
        self._find_ends: list[int] = []
        self.current_match: int | None = None
        self._find_truncated = False
        self._find_origin = 0  # where the find started: matches are looked for from here
        self._find_generation = 0

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
        the cursor, the selection and the top row stay at the same offsets, as far
        as they exist (a reload must not drop what the user just selected)."""
        top = self._layout.row_starts[self._top_row()] if keep_position else 0
        cursor = min(self.cursor_offset, len(document.text)) if keep_position else 0
        anchor = None
        if keep_position and self.selection_anchor is not None:
            anchor = min(self.selection_anchor, len(document.text))
        self.open_document = document
        self.border_title = Text(display_line(document.title))
        self.focused_note_id = None
        self.cursor_offset, self.selection_anchor, self._goal_column = cursor, anchor, None
        markdown = is_markdown(document.rel_path, document.text)
        self.structure = DocumentStructure(document.text, markdown)
        self.markdown = MarkdownStyler(document.text, self.structure) if markdown else None
        self._markdown_lines.clear()
        self.current_heading = None
        self.border_subtitle = ""  # the last document's heading must not stay on a document without one
        self._position = None
        self._set_note_spans(notes)
        self._lay_out(top_offset=top)
        self.set_hits(spans)
        self._report_page()
        if self.find_query is not None:  # a find stays on for the next document (or the new text)
            self._find_origin = cursor
            self._run_find(self.find_query)

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
        self._update_position()

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
        self._report_page()
        self._update_position()

    def _update_position(self) -> None:
        """The heading in the border and the position in the status line, after a
        scroll: a bisection each, and the heading scan only as far as the screen."""
        if self.open_document is None or not self._layout.row_count:
            return
        layout, text_length = self._layout, len(self.text)
        top = self._top_row()
        top_offset = layout.row_starts[top]
        heading = self.structure.heading_at(top_offset)
        if heading != self.current_heading:
            self.current_heading = heading
            self.border_subtitle = Text(heading.title) if heading is not None else ""
        bottom = min(top + max(self.scrollable_content_region.height, 1) - 1, layout.row_count - 1)
        shown_to = layout.row_span(bottom)[1]
        percent = 100 if shown_to >= text_length else shown_to * 100 // text_length
        line = bisect_right(layout.line_starts, top_offset)
        if (percent, line) != self._position:
            self._position = (percent, line)
            self.post_message(self.PositionChanged(percent, line))

    @property
    def position(self) -> tuple[int, int] | None:
        """(percent, line) as last reported to the status line."""
        return self._position

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
        first = bisect_right(self._find_ends, start)  # find matches over hits: the find is what is asked now
        for number in range(first, len(self.find_spans)):
            match_start, match_end = self.find_spans[number]
            if match_start >= end:
                break
            styles.append((match_start, match_end, CURRENT_HIT_STYLE if number == self.current_match else FIND_STYLE))
        return styles

    def markdown_spans(self, start: int, end: int) -> list[StyleSpan]:
        """The Markdown style spans over text[start:end] (within one line)."""
        styler = self.markdown
        if styler is None or start >= len(self.text):
            return []
        line_start, line_end = styler.line_bounds(start)
        if line_end - line_start > LONG_LINE:  # a long line: styled around the part drawn, not cached
            return styler.spans_between(start, end)
        spans = self._markdown_lines.get(line_start)
        if spans is None:
            spans = self._markdown_lines[line_start] = styler.line_spans(line_start, line_end)
        return spans

    def _markdown_style(self, style: MarkdownStyle) -> Style:
        rich_style = self._markdown_styles.get(style)
        if rich_style is None:
            rich_style = self._markdown_styles[style] = self.get_component_rich_style(
                f"reading-view--md-{style.value}"
            )
        return rich_style

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
        for span in self.markdown_spans(start, end):  # under everything else
            if span.start < end and span.end > start:
                stylize(self._markdown_style(span.style), span.start, span.end)
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
        self._markdown_styles.clear()

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
        self._report_page()

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

    def action_word(self, direction: str, select: bool = False) -> None:
        """To the end of this or the next word (right), or the start of this or the
        previous word (left), as editors do with ctrl+arrows; with *select*, the
        selection follows, a word at a time."""
        if self.open_document is None:
            return
        self._goal_column = None
        text, offset = self.text, self.cursor_offset
        if direction == "right":  # the end of this word, or of the next one
            match = _WORD.search(text, offset)
            target = match.end() if match is not None else len(text)
        else:  # the start of this word, or of the previous one (looked for nearby)
            window = max(offset - WORD_WINDOW, 0)
            starts = [match.start() for match in _WORD.finditer(text, window, offset)]
            target = starts[-1] if starts else window
        self.move_cursor(target, select)

    def action_escape(self) -> None:
        """Escape: the selection goes, else the find ends (``n``/``N`` walk the
        search hits again); else the key is left to the screen."""
        if self.selected_span() is not None:
            self.drop_selection()
        elif self.find_query is not None:
            self.end_find()
        else:
            raise SkipAction()

    def action_copy(self) -> None:
        text = self.selected_text()
        if not text:
            self.notify(NO_PASSAGE_MESSAGE, severity="warning")
            return
        self.app.copy_to_clipboard(text)  # OSC 52: the terminal may or may not take it
        self.copy_to_system_clipboard(text)

    @work(thread=True, exclusive=True, group="clipboard", exit_on_error=False)
    def copy_to_system_clipboard(self, text: str) -> None:
        tool = find_clipboard_tool()
        error = None
        if tool is not None:
            try:
                copy_text(tool, text)
            except ClipboardError as failure:
                error = str(failure)
        self.post_message(self.Copied(len(text), tool.name if tool is not None else None, error))

    def on_reading_view_copied(self, message: Copied) -> None:
        count = f"{message.characters:,} character{'s' if message.characters != 1 else ''}"
        if message.tool is not None and message.error is None:
            self.notify(f"Copied {count} to the system clipboard ({message.tool}); "
                        "also sent to the terminal's clipboard.")
        elif message.tool is not None:
            self.notify(f"Sent {count} to the terminal's clipboard; the system clipboard copy "
                        f"failed: {message.error}.", severity="warning")
        else:
            self.notify(f"Sent {count} to the terminal's clipboard (it may ignore the request: "
                        "in tmux, set-clipboard must be on). No system clipboard command found "
                        "(wl-copy, xclip, xsel, pbcopy, clip.exe).", severity="warning", timeout=8)

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
        if self.find_query is not None:
            self._walk_matches(1)
            return
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
        if self.find_query is not None:
            self._walk_matches(-1)
            return
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

    # -- pages -------------------------------------------------------------------

    def current_page(self) -> int | None:
        """The page the reader is on (see the module docstring); None without pages."""
        document = self.open_document
        if document is None or not document.pages:
            return None
        top = self._top_row()
        cursor_row = self._layout.row_of(self.cursor_offset)
        on_screen = top <= cursor_row < top + max(self.scrollable_content_region.height, 1)
        offset = self.cursor_offset if on_screen else self._layout.row_span(top)[0]
        return document.page_at(offset)

    def _report_page(self) -> None:
        document = self.open_document
        total = len(document.pages) if document is not None else 0
        page = (self.current_page(), total)
        if page != self._page_reported:
            self._page_reported = page
            self.post_message(self.PageChanged(*page))

    def go_to_page(self, page: int) -> None:
        """Put the cursor on the first character of *page* (1-based), that line at
        the top of the view."""
        document = self.open_document
        if document is None or not document.pages:
            return
        offset = document.pages[min(max(page, 1), len(document.pages)) - 1]
        self.move_cursor(offset)
        row = self._layout.row_of(offset)
        self.scroll_to(y=row, animate=False, immediate=True)
        self._report_page()

    def action_go_to_page(self) -> None:
        document = self.open_document
        if document is None:
            self.notify("Open a document first.", severity="warning")
            return
        if not document.pages:
            self.notify("This document has no pages (PDFs and text with form feeds have).",
                        severity="warning")
            return
        from reader.ui.go_to_page_dialog import GoToPageDialog

        def chosen(page: int | None) -> None:
            if page is not None:
                self.go_to_page(page)
                self.focus()

        self.app.push_screen(GoToPageDialog(len(document.pages), self.current_page()), chosen)

    # -- find in the document ------------------------------------------------------

    def action_find(self) -> None:
        if self.open_document is None:
            self.notify("Open a document first.", severity="warning")
            return
        self.post_message(self.FindRequested(self.find_query or ""))

    def find(self, query: str) -> None:
        """Light every match of *query* (any case) and go to the first one from where
        the find started; an empty query lights nothing but keeps the find on."""
        if self.find_query is None:
            self._find_origin = self.cursor_offset
        self.find_query = query
        self._run_find(query)

    def _run_find(self, query: str) -> None:
        self._find_generation += 1
        if not query:  # nothing to look for: no worker
            self._show_matches(FindResult(query), jump=False)
            return
        self._find_in_thread(self.text, query, self._find_generation)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def _find_in_thread(self, text: str, query: str, generation: int) -> None:
        self.post_message(self.FindFound(find_all(text, query), generation))

    def on_reading_view_find_found(self, message: FindFound) -> None:
        # Typing runs a find per key; only the latest one's matches are shown.
        if message.generation == self._find_generation and self.find_query == message.result.needle:
            self._show_matches(message.result, jump=True)

    def _show_matches(self, result: FindResult, jump: bool) -> None:
        self.find_spans = result.spans
        self._find_starts = [start for start, _end in result.spans]
        self._find_ends = [end for _start, end in result.spans]
        self._find_truncated = result.truncated
        self.current_match = None
        if jump and result.spans:  # as browsers do: the first match from where the find started
            self._go_to_match(bisect_left(self._find_starts, self._find_origin) % len(result.spans))
            return
        self._restyle()
        self._post_find()

    def _go_to_match(self, number: int) -> None:
        self.current_match = number
        self.move_cursor(self.find_spans[number][0], center=True)
        self._post_find()

    def _walk_matches(self, step: int) -> None:
        if not self.find_spans:
            self.app.bell()
            return
        cursor, count = self.cursor_offset, len(self.find_spans)
        if self.current_match is not None and self.find_spans[self.current_match][0] == cursor:
            number = (self.current_match + step) % count
        else:  # from the cursor, as `n` does with hits
            number = (bisect_left(self._find_starts, cursor) - (1 if step < 0 else 0)) % count
        self._go_to_match(number)

    def _post_find(self) -> None:
        self.post_message(self.FindChanged(self.find_query, self.current_match, len(self.find_spans),
                                           self._find_truncated))

    def end_find(self) -> None:
        """The find is over: its matches go out, ``n``/``N`` walk the search hits."""
        if self.find_query is None:
            return
        self._find_generation += 1  # a find still running is stale
        self.find_query, self.current_match = None, None
        self.find_spans, self._find_starts, self._find_ends = [], [], []
        self._restyle()
        self._post_find()
        self.post_message(self.HitChanged(self.current_hit, len(self.hit_spans)))

    # -- outline -------------------------------------------------------------------

    def action_outline(self) -> None:
        """``t``: the headings, to filter and jump to (scanned in a worker: a 10 MB
        book's first full scan takes ~50 ms)."""
        if self.open_document is None:
            self.notify("Open a document first.", severity="warning")
            return
        self._scan_outline(self.open_document, self.structure)

    @work(thread=True, exclusive=True, group="outline", exit_on_error=False)
    def _scan_outline(self, document: Document, structure: DocumentStructure) -> None:
        structure.scan_all()
        self.post_message(self.OutlineReady(document))

    def on_reading_view_outline_ready(self, message: OutlineReady) -> None:
        if message.document is not self.open_document:
            return
        headings = self.structure.headings
        if not headings:
            self.notify("No headings in this document (Markdown # lines, ARTICLE 12, "
                        "Section 3., short all-caps lines).", severity="information")
            return
        from reader.ui.outline_screen import OutlineScreen

        def jump(heading: Heading | None) -> None:
            if heading is not None:
                self.go_to_heading(heading)

        self.app.push_screen(OutlineScreen(headings, self.current_heading, message.document.title), jump)

    def go_to_heading(self, heading: Heading) -> None:
        """Put *heading* at the top of the screen, the cursor on it."""
        self.move_cursor(heading.offset)
        row = self._layout.row_of(heading.offset)
        self.scroll_to(y=row, animate=False, immediate=True)
        self.focus()

    # -- where the reader is (remembered across runs) -----------------------------

    def reading_position(self) -> tuple[int, int, float]:
        """(cursor offset, offset of the first character on screen, progress 0..1:
        how far down the text the screen's bottom is)."""
        if self.open_document is None or not self.text:
            return self.cursor_offset, 0, 1.0
        top_row = self._top_row()
        bottom_row = min(top_row + max(self.scrollable_content_region.height, 1) - 1, self._layout.row_count - 1)
        shown_to = self._layout.row_span(bottom_row)[1]  # as _update_position measures it
        return self.cursor_offset, self._top_offset(), min(shown_to / len(self.text), 1.0)

    def show_position(self, cursor: int, top: int) -> None:
        """Put the cursor at *cursor* and the line holding *top* at the top of the screen."""
        self.cursor_offset = min(max(cursor, 0), len(self.text))
        self.selection_anchor, self._goal_column = None, None
        self._lay_out(top_offset=min(max(top, 0), len(self.text)))
