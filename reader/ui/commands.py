"""Command palette providers: "Open document…" for every document,
"Sort list by relevance / title / date", "Notes: …" and "Go to page…".

Titles are document text: they are escaped or wrapped in ``Content`` so the
palette never reads them as markup.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp


class OpenDocumentCommands(Provider):
    @property
    def _documents(self):
        app: ReaderApp = self.app  # type: ignore[assignment]
        return app.documents

    async def discover(self) -> Hits:
        app: ReaderApp = self.app  # type: ignore[assignment]
        for document in self._documents:
            yield DiscoveryHit(
                Content(f"Open document: {document.title}"),  # a title is data, not markup
                partial(app.open_document, document.rel_path),
                help=document.rel_path,
            )

    async def search(self, query: str) -> Hits:
        app: ReaderApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for document in self._documents:
            command = f"Open document: {document.title}"
            score = matcher.match(command)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(command)), partial(app.open_document, document.rel_path),
                          help=document.rel_path)


SORT_COMMANDS: list[tuple[str, str, str]] = [
    # (order, command, help)
    ("rank", "Sort list by relevance", "search results by relevance; all documents in path order"),
    ("title", "Sort list by title", "alphabetically, ignoring case"),
    ("date", "Sort list by date", "newest first; undated documents last"),
]


class SortListCommands(Provider):
    """"Sort list by …": the same orders as ``s`` on the document list."""

    def _sort(self, order: str) -> None:
        app: ReaderApp = self.app  # type: ignore[assignment]
        app.document_list.sort_by(order)  # type: ignore[arg-type]

    async def discover(self) -> Hits:
        for order, command, help_text in SORT_COMMANDS:
            yield DiscoveryHit(Content(command), partial(self._sort, order), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for order, command, help_text in SORT_COMMANDS:
            score = matcher.match(command)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(command)), partial(self._sort, order), help=help_text)


NOTES_COMMANDS: list[tuple[str, str, str]] = [
    # (command, app action, help)
    ("Notes: overview of all notes", "notes_overview", "every note of the collection, filtered as you type (o)"),
    ("Notes: undo the last delete", "undo_delete", "bring back the note deleted last (u)"),
]


class NotesCommands(Provider):
    """The notes overview and undo, by name."""

    def _run(self, action: str) -> None:
        # Called directly, not through run_action: the palette may still be the
        # current screen, where the app's main-screen checks would refuse it.
        getattr(self.app, f"action_{action}")()

    async def discover(self) -> Hits:
        for command, action, help_text in NOTES_COMMANDS:
            yield DiscoveryHit(Content(command), partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, action, help_text in NOTES_COMMANDS:
            score = matcher.match(command)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(command)), partial(self._run, action), help=help_text)


GO_TO_PAGE_COMMAND = "Go to page…"
GO_TO_PAGE_HELP = "a page of the open PDF or paginated text (ctrl+g in the reader)"


class GoToPageCommands(Provider):
    """"Go to page…": the dialog ``ctrl+g`` opens in the reader."""

    def _go(self) -> None:
        app: ReaderApp = self.app  # type: ignore[assignment]
        app.reader.action_go_to_page()

    async def discover(self) -> Hits:
        yield DiscoveryHit(Content(GO_TO_PAGE_COMMAND), self._go, help=GO_TO_PAGE_HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        score = matcher.match(GO_TO_PAGE_COMMAND)
        if score > 0:
            yield Hit(score, matcher.highlight(escape(GO_TO_PAGE_COMMAND)), self._go, help=GO_TO_PAGE_HELP)
