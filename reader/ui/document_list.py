"""The document list: every document, or the results of a search in rank order.

A DataTable draws only the visible rows (Line API), so a long list stays fast.
Cells are ``rich.text.Text`` built from plain strings: titles and snippets are
document text, never markup.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from reader.results import SearchHit, SearchResults
from reader.workspace import ListedDocument


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


FIRST_ROWS = 100  # rows drawn before the first paint: more than any screen shows
ROWS_PER_BATCH = 500  # rows added per refresh after that
SUGGESTION_KEY_PREFIX = "\0suggestion:"  # no document path starts with NUL


class DocumentList(DataTable[Text]):
    DEFAULT_CSS = """
    DocumentList { height: 1fr; }
    """

    BINDINGS = [Binding("s", "cycle_sort", "Sort")]

    @dataclass
    class OpenDocument(Message):
        rel_path: str

    @dataclass
    class RunSuggestion(Message):
        """The "Did you mean" row was chosen."""

        query: str

    def __init__(self) -> None:
        super().__init__(id="document-list", cursor_type="row", zebra_stripes=False)
        self.rel_paths: list[str] = []
        self.showing_results = False
        self.sort_order: SortOrder = "rank"
        self._shown: list[ListedDocument] | SearchResults | None = None
        self._shown_width = 0
        self._draw_generation = 0  # bumped by every redraw; pending row batches of older ones stop

    def on_mount(self) -> None:
        self.border_title = "Documents"
        self._reset("#")

    def _reset(self, first_column: str) -> None:
        """Empty the table; the first column numbers documents, or counts hits."""
        self._draw_generation += 1
        self.clear(columns=True)
        self.add_column(first_column, key="number", width=4)
        self.add_column("Document", key="document")

    def _text_width(self) -> int:
        # Before the first layout the size is 0: use the width the CSS asks for.
        width = self.size.width or int(self.styles.width.value if self.styles.width else 0)
        return max(20, width - 8)

    def on_resize(self) -> None:
        """Cells are truncated to the width at the time they were added: redo them
        when it changes (and when the rows came before the first layout)."""
        if self._shown is None or self._text_width() == self._shown_width:
            return
        self._redraw(keep_cursor=True)

    # -- what is shown -------------------------------------------------------------

    def show_documents(self, documents: list[ListedDocument], keep_cursor: bool = False) -> None:
        """List *documents*; with *keep_cursor* (a re-list of all documents) the
        cursor stays on the document it was on, if it is still listed."""
        selected = self.selected_rel_path if keep_cursor and not self.showing_results else None
        self._shown = documents
        self.showing_results = False
        self._draw_documents(documents, selected)
        self._move_to(selected)

    def show_results(self, results: SearchResults) -> None:
        self._shown = results
        self.showing_results = True
        self._draw_results(results)
        if self.row_count:
            self.move_cursor(row=0)

    def _redraw(self, keep_cursor: bool) -> None:
        """Draw what is shown again (new width or order), the cursor on the same document."""
        selected = self.selected_rel_path if keep_cursor else None
        if isinstance(self._shown, SearchResults):
            self._draw_results(self._shown)
        elif self._shown is not None:
            self._draw_documents(self._shown, selected)
        self._move_to(selected)

    def _move_to(self, rel_path: str | None) -> None:
        if rel_path is not None and rel_path in self.rel_paths:
            self.move_cursor(row=self.rel_paths.index(rel_path), scroll=True)

    @property
    def selected_rel_path(self) -> str | None:
        row = self.cursor_row
        return self.rel_paths[row] if 0 <= row < len(self.rel_paths) else None

    def _draw_documents(self, documents: list[ListedDocument], selected: str | None = None) -> None:
        self._shown_width = self._text_width()
        self._reset("#")
        # The number is the path order, so it stays with its document when sorted.
        numbers = {document.rel_path: number for number, document in enumerate(documents, start=1)}
        ordered = sort_rows(documents, self.sort_order)
        self.rel_paths = [document.rel_path for document in ordered]
        width = self._text_width()

        def row(document: ListedDocument) -> tuple[tuple[Text, Text], str]:
            details = " · ".join(part for part in (document.source, document.date) if part)
            cell = Text(document.title, style="bold", no_wrap=True, overflow="ellipsis")
            cell.truncate(width, overflow="ellipsis")
            second = Text(details or document.rel_path, style="dim", no_wrap=True, overflow="ellipsis")
            second.truncate(width, overflow="ellipsis")
            number = Text(str(numbers[document.rel_path]), style="dim")
            return (number, Text("\n").join([cell, second])), document.rel_path

        # The first rows now, down to the selected one if the cursor is to stay on it.
        first = FIRST_ROWS + (self.rel_paths.index(selected) if selected in self.rel_paths else 0)
        self._add_rows(ordered, row, self._draw_generation, first)
        self.border_title = Text(f"Documents ({len(documents)}){self._sort_suffix()}")

    def _add_rows(self, items: Sequence[Row], row: Callable[[Row], tuple[tuple[Text, Text], str]],
                  generation: int, count: int) -> None:
        """Add the first *count* rows now and the rest in batches after the next
        refreshes: 10,000 rows added at once kept the first paint waiting ~3 s for
        rows nobody sees yet, while a batch at a time keeps keys answering."""
        if generation != self._draw_generation:
            return  # redrawn meanwhile (new width, order or results)
        for item in items[:count]:
            cells, key = row(item)
            self.add_row(*cells, key=key, height=2)
        if len(items) > count:
            self.call_after_refresh(self._add_rows, items[count:], row, generation, ROWS_PER_BATCH)

    def _draw_results(self, results: SearchResults) -> None:
        self._shown_width = self._text_width()
        self._reset("Hits")
        ordered = sort_rows(results.hits, self.sort_order)
        self.rel_paths = [hit.rel_path for hit in ordered]
        width = self._text_width()

        def row(hit: SearchHit) -> tuple[tuple[Text, Text], str]:
            title = Text(hit.title, style="bold", no_wrap=True, overflow="ellipsis")
            title.truncate(width, overflow="ellipsis")
            # A document found only through its notes shows ✎ and the note's words.
            prefix = "✎ " if hit.via_notes else ""
            snippet = Text(prefix + hit.snippet, style="dim", no_wrap=True, overflow="ellipsis")
            for start, end in hit.snippet_spans:
                snippet.stylize("bold reverse", start + len(prefix), end + len(prefix))
            snippet.truncate(width, overflow="ellipsis")
            count = Text("✎", style="bold magenta") if hit.via_notes else Text(str(hit.hits), style="bold")
            return (count, Text("\n").join([title, snippet])), hit.rel_path

        self._add_rows(ordered, row, self._draw_generation, len(ordered))
        if results.suggestion:
            # Last, so row numbers still match rel_paths; the only row when nothing matched.
            offer = Text.assemble(("Did you mean: ", "italic"), (results.suggestion, "bold"), "?")
            offer.truncate(width, overflow="ellipsis")
            self.add_row(Text("?", style="bold yellow"), Text("\n").join([offer, Text("Enter searches for it", style="dim")]),
                         key=SUGGESTION_KEY_PREFIX + results.suggestion, height=2)
        count = len(results.hits)
        # A Text title: the query is user input and must not be read as markup.
        self.border_title = Text(
            f"Results ({count}{'+' if results.total > count else ''}) for {results.query}{self._sort_suffix()}"
        )

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
        self.sort_order = order
        self._redraw(keep_cursor=True)

    def action_cycle_sort(self) -> None:
        self.sort_by(SORT_ORDERS[(SORT_ORDERS.index(self.sort_order) + 1) % len(SORT_ORDERS)])

    # -- events --------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key is None:
            return
        if key.startswith(SUGGESTION_KEY_PREFIX):
            self.post_message(self.RunSuggestion(key[len(SUGGESTION_KEY_PREFIX):]))
        else:
            self.post_message(self.OpenDocument(key))
