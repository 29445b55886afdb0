"""The document list: every document, or the results of a search in rank order.

A DataTable draws only the visible rows (Line API), so a long list stays fast.
Cells are ``rich.text.Text`` built from plain strings: titles and snippets are
document text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from reader.results import SearchResults
from reader.workspace import ListedDocument


class DocumentList(DataTable[Text]):
    DEFAULT_CSS = """
    DocumentList { height: 1fr; }
    """

    @dataclass
    class OpenDocument(Message):
        rel_path: str

    def __init__(self) -> None:
        super().__init__(id="document-list", cursor_type="row", zebra_stripes=False)
        self.rel_paths: list[str] = []
        self.showing_results = False
        self._shown: list[ListedDocument] | SearchResults | None = None
        self._shown_width = 0

    def on_mount(self) -> None:
        self.border_title = "Documents"
        self._reset("#")

    def _reset(self, first_column: str) -> None:
        """Empty the table; the first column numbers documents, or counts hits."""
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
        row = self.cursor_row
        if isinstance(self._shown, SearchResults):
            self.show_results(self._shown)
        else:
            self.show_documents(self._shown)
        if 0 <= row < self.row_count:
            self.move_cursor(row=row)

    def show_documents(self, documents: list[ListedDocument]) -> None:
        self._shown, self._shown_width = documents, self._text_width()
        self.showing_results = False
        self._reset("#")
        self.rel_paths = [document.rel_path for document in documents]
        width = self._text_width()
        for number, document in enumerate(documents, start=1):
            details = " · ".join(part for part in (document.source, document.date) if part)
            cell = Text(document.title, style="bold", no_wrap=True, overflow="ellipsis")
            cell.truncate(width, overflow="ellipsis")
            second = Text(details or document.rel_path, style="dim", no_wrap=True, overflow="ellipsis")
            second.truncate(width, overflow="ellipsis")
            self.add_row(Text(str(number), style="dim"), Text("\n").join([cell, second]),
                         key=document.rel_path, height=2)
        self.border_title = f"Documents ({len(documents)})"

    def show_results(self, results: SearchResults) -> None:
        self._shown, self._shown_width = results, self._text_width()
        self.showing_results = True
        self._reset("Hits")
        self.rel_paths = [hit.rel_path for hit in results.hits]
        width = self._text_width()
        for hit in results.hits:
            title = Text(hit.title, style="bold", no_wrap=True, overflow="ellipsis")
            title.truncate(width, overflow="ellipsis")
            snippet = Text(hit.snippet, style="dim", no_wrap=True, overflow="ellipsis")
            for start, end in hit.snippet_spans:
                snippet.stylize("bold reverse", start, end)
            snippet.truncate(width, overflow="ellipsis")
            self.add_row(Text(str(hit.hits), style="bold"), Text("\n").join([title, snippet]),
                         key=hit.rel_path, height=2)
        count = len(results.hits)
        # A Text title: the query is user input and must not be read as markup.
        self.border_title = Text(
            f"Results ({count}{'+' if results.total > count else ''}) for {results.query}"
        )
        if count:
            self.move_cursor(row=0)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.OpenDocument(event.row_key.value))
