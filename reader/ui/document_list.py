"""The document list: every document, or the results of a search in rank order.

A Line-API widget of its own (``ScrollView`` + ``render_line``): it keeps the
documents or hits as given and builds the two screen lines of an entry only when
that entry is on screen, so showing 10,000 documents costs a sort and a list,
and a key costs the rows it repaints.  (It was a ``DataTable``: adding 10,000
rows took seconds, so they went in in batches, and keys pressed meanwhile waited
up to a second behind them.)  A one-line header stays on top.

Each entry has a marker column (its number in path order, or its hit count, ✎
for a document found through its notes) and two lines: the title, and the
source and date (documents) or a snippet with the hits in bold reverse
(results), after the pages of the hits in a paginated document (``p. 57``,
``pp. 3–57``).  Text is ``rich.text.Text`` built from plain strings: titles and
snippets are document text, never markup, and they are drawn through
:func:`reader.ui.display_text.display_line` (no tab, control character or emoji
joiner reaches the terminal, so each row is as wide as Rich measured it).  Enter or
a click opens the entry.

Sorting (``s`` cycles; the command palette offers each order):

* ``rank``: the order the list came in — relevance for search results, path
  order for all documents.  ``title``: case-insensitive.  ``date``: newest
  first; dates the catalog leaves empty or that cannot be read sort last.
* Every order is a stable sort of the rank order, so ties keep it.
* The order stays chosen across searches: new results arrive in it.
* Re-sorting keeps the cursor on the same document.
* The border title names a chosen order ("… · by date"); the rank order is
  the default and goes unnamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from reader.page_maps import hits_pages_label
from reader.results import SearchHit, SearchResults
from reader.ui.display_text import display_line, display_line_spans
from reader.ui.line_view import LineView
from reader.workspace import ListedDocument

HITS_ASKED_TOGETHER = 30  # pending hits computed in one go: about a screen of entries


SortOrder = Literal["rank", "title", "date"]
SORT_ORDERS: tuple[SortOrder, ...] = ("rank", "title", "date")

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\b")
_YEAR = re.compile(r"\b(\d{4})\b")
_MONTH_NAME = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+(\d{1,2})\b)?", re.I)
_DAY_BEFORE_MONTH = re.compile(r"\b(\d{1,2})\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)


def parse_date(date: str) -> tuple[int, int, int] | None:
    """(year, month, day) from a catalog date such as ``2024-03-14``, ``c. Oct 2021``
    or ``14 March 2024``; 0 for an unknown month or day; None without a year."""
    iso = _ISO_DATE.search(date)
    if iso:
        return int(iso.group(1)), int(iso.group(2)), int(iso.group(3) or 0)
    year = _YEAR.search(date)
    if not year:
        return None
    month = day = 0
    named = _MONTH_NAME.search(date)
    if named:
        month = _MONTHS[named.group(1).lower()]
        day_before = _DAY_BEFORE_MONTH.search(date)
        if named.group(2):  # "March 14, 2024"
            day = int(named.group(2))
        elif day_before:  # "14 March 2024"
            day = int(day_before.group(1))
    return int(year.group(1)), month, day


def date_sort_key(date: str) -> tuple[int, int, int, int]:
    """Newest first, undated last."""
    parsed = parse_date(date)
    if parsed is None:
        return (1, 0, 0, 0)
    year, month, day = parsed
    return (0, -year, -month, -day)


Row = TypeVar("Row")


def sort_rows(rows: list[Row], order: SortOrder, title: str = "title", date: str = "date") -> list[Row]:
    """``rows`` (in rank order) sorted by ``order``; stable, so ties keep the rank order."""
    if order == "title":
        return sorted(rows, key=lambda row: getattr(row, title).casefold())
    if order == "date":
        return sorted(rows, key=lambda row: date_sort_key(getattr(row, date)))
    return list(rows)


SUGGESTION_KEY_PREFIX = "\0suggestion:"  # no document path starts with NUL
MARKER_WIDTH = 4
LINES_PER_ENTRY = 2


@dataclass(frozen=True)
class Entry:
    """One entry as drawn: its key (a document path, or the suggestion's) and cells."""

    key: str
    marker: Text
    title: Text
    detail: Text
    detail_focus: tuple[int, int] | None = None  # the detail's first hit: kept in view when cut
    detail_lead: Text | None = None  # before the detail, never cut: the hits' pages


class DocumentList(LineView, can_focus=True):
    DEFAULT_CSS = """
    DocumentList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        background: $surface;
        color: $foreground;
        & > .document-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .document-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .document-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """
    COMPONENT_CLASSES = {"document-list--header", "document-list--cursor"}

    BINDINGS = [
        Binding("s", "cycle_sort", "Sort", id="list.cycle_sort"),
        Binding("enter", "select", "Open", show=False, id="list.open"),
        Binding("up", "move(-1)", show=False, id="list.up"),
        Binding("down", "move(1)", show=False, id="list.down"),
        Binding("pageup", "page(-1)", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", show=False, id="list.page_down"),
        Binding("home", "move_to(0)", show=False, id="list.first"),
        Binding("end", "move_to(-1)", show=False, id="list.last"),
    ]

    @dataclass
    class OpenDocument(Message):
        rel_path: str

    @dataclass
    class RunSuggestion(Message):
        """The "Did you mean" row was chosen."""

        query: str

    @dataclass
    class HitsWanted(Message):
        """Results came on screen whose hit counts and snippets the search left
        to be computed when shown (see DocumentIndex.search's spans_for)."""

        results: SearchResults
        rel_paths: list[str]

    def __init__(self) -> None:
        super().__init__(id="document-list")
        self.rel_paths: list[str] = []
        self.showing_results = False
        self.sort_order: SortOrder = "rank"
        self.cursor_row = 0
        self._shown: list[ListedDocument] | SearchResults | None = None
        self._ordered: list[ListedDocument] | list[SearchHit] = []
        self._numbers: dict[str, int] = {}  # path order, so a number stays with its document
        self._suggestion: str | None = None
        self._entries: LRUCache[int, Entry] = LRUCache(512)
        self.progress: dict[str, float] = {}  # how far each document was read, 0..1 (reading state)
        self.note_counts: dict[str, int] = {}  # notes on each document (the app counts them in a worker)
        self._hits_asked: set[str] = set()  # results whose pending hits were asked for (HitsWanted)

    def on_mount(self) -> None:
        self.border_title = "Documents"

    @property
    def row_count(self) -> int:
        return len(self._ordered) + (self._suggestion is not None)

    # -- what is shown -------------------------------------------------------------

    def show_documents(self, documents: list[ListedDocument], keep_cursor: bool = False) -> None:
        """List *documents*; with *keep_cursor* (a re-list of all documents) the
        cursor stays on the document it was on, if it is still listed."""
        selected = self.selected_rel_path if keep_cursor and not self.showing_results else None
        self._shown = documents
        self.showing_results = False
        self._suggestion = None
        self._numbers = {document.rel_path: number for number, document in enumerate(documents, start=1)}
        self._order()
        self.border_title = Text(f"Documents ({len(documents)}){self._sort_suffix()}")
        self._moved_to(selected)

    def show_results(self, results: SearchResults, keep_cursor_on: str | None = None) -> None:
        """Show *results*, the cursor on *keep_cursor_on* if it is among them, else first."""
        self._hits_asked.clear()
        self._shown = results
        self.showing_results = True
        # Last, so entry numbers still match rel_paths; the only entry when nothing matched.
        self._suggestion = results.suggestion or None
        self._order()
        count = len(results.hits)
        # A Text title: the query is user input and must not be read as markup.
        self.border_title = Text(
            f"Results ({count}{'+' if results.total > count else ''}) for {display_line(results.query)}"
            f"{self._sort_suffix()}"
        )
        self._moved_to(keep_cursor_on)

    def complete_results(self, results: SearchResults) -> None:
        """The results shown, with more of their hits computed: redrawn in place,
        the cursor kept on its document."""
        if not (self.showing_results and isinstance(self._shown, SearchResults)
                and self._shown.query == results.query):
            return  # another search or the documents are shown by now
        selected = self.selected_rel_path
        self._shown = results
        self._order()
        if selected in self.rel_paths:
            self.move_cursor(self.rel_paths.index(selected), scroll=False)

    def _ask_for_hits(self, row: int) -> None:
        """Ask for the pending hits of a screen's worth of rows from *row* (once each)."""
        page = [hit.rel_path for hit in self._ordered[row:row + HITS_ASKED_TOGETHER]  # type: ignore[union-attr]
                if isinstance(hit, SearchHit) and hit.spans_pending and hit.rel_path not in self._hits_asked]
        if page and isinstance(self._shown, SearchResults):
            self._hits_asked.update(page)
            # From the list's own message loop: a message made while the screen renders
            # names the screen as its sender, and stops there instead of reaching the app.
            self.call_later(self._post_hits_wanted, self._shown, page)

    def _post_hits_wanted(self, results: SearchResults, rel_paths: list[str]) -> None:
        self.post_message(self.HitsWanted(results, rel_paths))

    def _order(self) -> None:
        """Sort what is shown; entries are drawn from it when they come on screen."""
        if isinstance(self._shown, SearchResults):
            self._ordered = sort_rows(self._shown.hits, self.sort_order)
        else:
            self._ordered = sort_rows(self._shown or [], self.sort_order)
        self.rel_paths = [item.rel_path for item in self._ordered]
        self._entries.clear()
        self._update_virtual_size()

    def _moved_to(self, rel_path: str | None) -> None:
        """The cursor on *rel_path* if listed, else on the first entry."""
        row = self.rel_paths.index(rel_path) if rel_path is not None and rel_path in self.rel_paths else 0
        self.move_cursor(row=row, scroll=True, top=row == 0)

    @property
    def selected_rel_path(self) -> str | None:
        row = self.cursor_row
        return self.rel_paths[row] if 0 <= row < len(self.rel_paths) else None

    # -- entries ---------------------------------------------------------------------

    def entry(self, row: int) -> Entry:
        """Entry *row* as drawn (built when first needed, then cached)."""
        cached = self._entries.get(row)
        if cached is not None:
            return cached
        if row >= len(self._ordered):
            offer = Text.assemble(("Did you mean: ", "italic"), (display_line(self._suggestion or ""), "bold"), "?")
            made = Entry(SUGGESTION_KEY_PREFIX + (self._suggestion or ""), Text("?", style="bold yellow"),
                         offer, Text("Enter searches for it", style="dim"))
        elif self.showing_results:
            hit: SearchHit = self._ordered[row]  # type: ignore[assignment]
            if hit.spans_pending:
                self._ask_for_hits(row)
            # A document found only through its notes shows ✎ and the note's words.
            prefix = "✎ " if hit.via_notes else ""
            shown, spans = display_line_spans(hit.snippet, list(hit.snippet_spans))
            snippet = Text(prefix + shown, style="dim")
            for start, end in spans:
                snippet.stylize("bold reverse", start + len(prefix), end + len(prefix))
            marker = (Text("✎", style="bold magenta") if hit.via_notes
                      else Text("…", style="dim") if hit.spans_pending else Text(str(hit.hits), style="bold"))
            first = spans[0] if spans else None
            focus = (first[0] + len(prefix), first[1] + len(prefix)) if first else None
            # Where the hits are, in a paginated document: kept when the snippet is cut.
            pages = Text(f"{hits_pages_label(hit.pages)} · ", style="bold") if hit.pages else None
            made = Entry(hit.rel_path, marker, Text(display_line(hit.title), style="bold"), snippet, focus, pages)
        else:
            document: ListedDocument = self._ordered[row]  # type: ignore[assignment]
            details = " · ".join(part for part in (document.source, document.date) if part)
            made = Entry(document.rel_path, Text(str(self._numbers.get(document.rel_path, row + 1)), style="dim"),
                         Text(display_line(document.title), style="bold"),
                         Text(display_line(details or document.rel_path), style="dim"))
        self._entries[row] = made
        return made

    # -- drawing ---------------------------------------------------------------------

    def _line(self, marker: Text, text: Text, width: int, style: Style,
              focus: tuple[int, int] | None = None, lead: Text | None = None,
              badge: Text | None = None) -> Strip:
        """One screen line: the marker column, then *lead* and *text*, *text* cut
        with … to fit; if that would cut *focus* (a hit in a snippet), cut the
        start instead.  A *badge* (the notes and how far the document was read)
        ends the line, right-aligned."""
        badge_width = badge.cell_len if badge is not None else 0
        text_width = max(width - MARKER_WIDTH - 3 - badge_width, 1)
        line = Text(" ", end="", no_wrap=True)
        line.append_text(marker)
        line.pad_right(MARKER_WIDTH + 1 - marker.cell_len)
        line.append(" ")
        if lead is not None and lead.cell_len < text_width // 2:  # a narrow list keeps the snippet
            line.append_text(lead)
            text_width -= lead.cell_len
        if focus is not None and focus[1] >= text_width and text.cell_len > text_width:
            # A little context before the hit, but all of the hit (and "…" both sides).
            start = max(focus[0] - text_width // 4, focus[1] - text_width + 2, 1)
            text = Text("…", style=text.style) + text[start:]
        else:
            text = text.copy()
        text.truncate(text_width, overflow="ellipsis")
        line.append_text(text)
        if badge is not None:
            line.pad_right(width - 1 - badge_width - line.cell_len)
            line.append_text(badge)
        return self.strip_of(line, width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:  # the header stays on top
            header = self.get_component_rich_style("document-list--header")
            return self._line(Text("Hits" if self.showing_results else "#"), Text("Document"), width, base + header)
        row, part = divmod(round(self.scroll_y) + y - 1, LINES_PER_ENTRY)
        if row >= self.row_count:
            return Strip.blank(width, base)
        entry = self.entry(row)
        style = base + self.get_component_rich_style("document-list--cursor") if row == self.cursor_row else base
        if part == 0:
            return self._line(entry.marker, entry.title, width, style, badge=self._progress_badge(entry.key))
        return self._line(Text(""), entry.detail, width, style, entry.detail_focus, entry.detail_lead)

    def _progress_badge(self, rel_path: str) -> Text | None:
        """``✎2  42%``: the notes on the document and how far it was read."""
        progress, notes = self.progress.get(rel_path), self.note_counts.get(rel_path, 0)
        if progress is None and not notes:
            return None
        badge = Text(" ")
        if notes:
            badge.append(f"✎{notes}", style="magenta")
        if progress is not None:
            badge.append(f" {round(progress * 100):>3d}%", style="dim")
        return badge

    def set_note_counts(self, counts: dict[str, int]) -> None:
        if counts != self.note_counts:
            self.note_counts = counts
            self.refresh()

    def set_progress(self, rel_path: str, progress: float) -> None:
        """How far *rel_path* was read, shown beside its title."""
        if self.progress.get(rel_path) != progress:
            self.progress[rel_path] = progress
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- the cursor ------------------------------------------------------------------

    @property
    def _rows_on_screen(self) -> int:
        return max((self.scrollable_content_region.height - 1) // LINES_PER_ENTRY, 1)

    def move_cursor(self, row: int, scroll: bool = True, top: bool = False) -> None:
        """Put the cursor on entry *row* (clamped); with *scroll*, bring it on screen."""
        self.cursor_row = min(max(row, 0), max(self.row_count - 1, 0))
        if scroll:
            first_line = LINES_PER_ENTRY * self.cursor_row
            visible = self.scrollable_content_region.height - 1  # below the header
            if top or first_line < self.scroll_y:
                self.scroll_to(y=first_line, animate=False, immediate=True)
            elif first_line + LINES_PER_ENTRY > self.scroll_y + visible:
                self.scroll_to(y=first_line + LINES_PER_ENTRY - visible, animate=False, immediate=True)
        self.refresh()

    def action_move(self, rows: int) -> None:
        self.move_cursor(self.cursor_row + rows)

    def action_page(self, pages: int) -> None:
        self.move_cursor(self.cursor_row + pages * self._rows_on_screen)

    def action_move_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else self.row_count - 1)

    def action_select(self) -> None:
        if not 0 <= self.cursor_row < self.row_count:
            return
        key = self.entry(self.cursor_row).key
        if key.startswith(SUGGESTION_KEY_PREFIX):
            self.post_message(self.RunSuggestion(key[len(SUGGESTION_KEY_PREFIX):]))
        else:
            self.post_message(self.OpenDocument(key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return  # the border or the header
        row = (round(self.scroll_y) + offset.y - 1) // LINES_PER_ENTRY
        if row < self.row_count:
            self.move_cursor(row, scroll=False)
            self.action_select()

    def on_resize(self) -> None:
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.size.width, LINES_PER_ENTRY * self.row_count + 1)  # + the header

    # -- sorting -------------------------------------------------------------------

    @property
    def sort_label(self) -> str:
        if self.sort_order == "rank":
            return "relevance" if self.showing_results else "path"
        return self.sort_order

    def _sort_suffix(self) -> str:
        # The rank order goes unsaid: the title is 38 cells wide, and a label on
        # every title would truncate the query (or itself) for no information.
        return "" if self.sort_order == "rank" else f" · by {self.sort_label}"

    def sort_by(self, order: SortOrder) -> None:
        """Sort by *order*, the cursor staying on its document."""
        self.sort_order = order
        selected = self.selected_rel_path
        if isinstance(self._shown, SearchResults):
            self.show_results(self._shown)
        elif self._shown is not None:
            self.show_documents(self._shown)
        self._moved_to(selected)

    def action_cycle_sort(self) -> None:
        self.sort_by(SORT_ORDERS[(SORT_ORDERS.index(self.sort_order) + 1) % len(SORT_ORDERS)])
