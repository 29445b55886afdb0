"""The App: one screen with the document list, search bar, reader and notes panel.

Wiring: widgets post messages; the app runs slow work (listing, indexing,
searching, reading, saving notes) in thread workers and hands the results to
the widgets.  Whoosh is imported in the indexing worker, after the first paint.

Searching: the search bar posts ``QueryChanged`` as the user types (debounced)
and ``QueryCommitted`` on Enter; both go through :meth:`ReaderApp.search`.  Each
search gets a generation number and only the latest generation's result or
error is shown, whatever order the worker threads finish in.  A committed
search moves focus to the list and reports a malformed query loudly; a search
as you type leaves focus in the search bar and reports it only in the status
line (half-typed queries such as ``"rest per`` are malformed all the time).
"""

from __future__ import annotations

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState, get_current_worker

from reader.corpus import Document, UnreadableDocument
from reader.history import QueryHistory
from reader.notes import Note, NotesError
from reader.ui.commands import OpenDocumentCommands, SortListCommands
from reader.ui.confirm_dialog import ConfirmDialog
from reader.ui.document_list import DocumentList
from reader.ui.help_screen import HelpScreen
from reader.ui.messages import (
    DocumentFailed,
    DocumentLoaded,
    DocumentsListed,
    IndexFailed,
    IndexProgress,
    IndexReady,
    NotesChanged,
    SearchFailed,
    SearchFinished,
)
from reader.ui.note_editor import NoteEditor
from reader.ui.notes_panel import NotesPanel
from reader.ui.reading_view import ReadingView
from reader.ui.search_bar import SearchBar
from reader.ui.status_bar import StatusBar
from reader.workspace import ListedDocument, Workspace

SEARCH_LIMIT = 200


class ReaderApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "iatse-reader"
    COMMANDS = App.COMMANDS | {OpenDocumentCommands, SortListCommands}
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("question_mark,f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.documents: list[ListedDocument] = []
        self.query_text: str | None = None  # the query whose results are shown (typed or committed), lit in the reader
        self.index_ready = False
        self._pending_query: tuple[str, bool] | None = None  # (query, commit) until the index is ready
        self._search_generation = 0  # bumped by every search and clear; older results are stale
        self.history = QueryHistory()  # loaded in on_mount
        self._open_rel_path: str | None = None
        # The main screen's widgets, held directly: worker results can arrive while
        # the app is closing and its DOM is already torn down (query_one then raised
        # NoMatches), and handlers need no DOM query per update.
        self.search_bar = SearchBar()
        self.document_list = DocumentList()
        self.reader = ReadingView()
        self.notes_panel = NotesPanel()
        self.status = StatusBar()
        self._skipped_summary = ""  # kept so later status messages still mention it

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.search_bar
        with Horizontal(id="panes"):
            yield self.document_list
            yield self.reader
            yield self.notes_panel
        yield self.status
        yield Footer()

    def on_mount(self) -> None:
        collection = self.workspace.collection
        self.sub_title = "bundled IATSE collection" if collection.is_bundled else str(collection.root)
        self.status.show_message("Reading the document list…")
        # A tiny JSON file: read here so up-arrow works from the first keystroke.
        self.history = QueryHistory.load(self.workspace.layout.history_file)
        self.search_bar.history = self.history
        self.document_list.focus()
        self.list_documents()
        self.update_index()

    # -- actions -------------------------------------------------------------------

    def action_focus_search(self) -> None:
        # set_focus now, not focus() (which waits for queued events): keys typed
        # right after `/` must land in the search bar.
        self.screen.set_focus(self.search_bar)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def open_document(self, rel_path: str) -> None:
        self.load_document(rel_path, self.query_text)

    # -- workers: listing and indexing -----------------------------------------------

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def list_documents(self) -> None:
        documents, skipped = self.workspace.list_documents()
        self.workspace.notes  # open the note store off the UI thread
        self.post_message(DocumentsListed(documents, skipped))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def update_index(self, rebuild: bool = False, quiet: bool = False) -> None:
        worker = get_current_worker()
        try:
            document_index = self.workspace.index
            report = document_index.update(
                progress=None if quiet else lambda done, total: self.post_message(IndexProgress(done, total)),
                cancelled=lambda: worker.is_cancelled,
                rebuild=rebuild,
            )
        except Exception as error:  # the index is derived data: report, never crash
            self.post_message(IndexFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(IndexReady(report, self.workspace.index_warning, quiet=quiet))

    def on_documents_listed(self, message: DocumentsListed) -> None:
        self.documents = message.documents
        if not self.document_list.showing_results:
            self.document_list.show_documents(message.documents)
        if not message.documents:
            self.status.show_message(
                f"No readable .txt or .md documents in {self.workspace.collection.root}.", error=True
            )
        elif message.skipped:
            reasons = "; ".join(f"{item.rel_path}: {item.reason}" for item in message.skipped[:3])
            more = f" (+{len(message.skipped) - 3} more)" if len(message.skipped) > 3 else ""
            self._skipped_summary = f"skipped {reasons}{more}"
            self.status.show_message(f"{len(message.documents)} documents; {self._skipped_summary}")
            self.notify(f"Skipped {len(message.skipped)} file(s): {reasons}{more}", severity="warning")
        else:
            self.status.show_message(f"{len(message.documents)} documents. Press / to search.")
        if self.workspace.notes.read_only_reason:
            self.notify(
                f"Notes are read-only: {self.workspace.notes.read_only_reason}.",
                severity="warning", timeout=10,
            )

    def on_index_progress(self, message: IndexProgress) -> None:
        self.status.show_progress(message.done, message.total)
        self.status.show_message(f"Indexing {message.done}/{message.total}…")

    def on_index_ready(self, message: IndexReady) -> None:
        self.index_ready = True
        self.status.hide_progress()
        report = message.report
        if message.quiet:  # notes re-indexed in the background: nothing to announce
            return
        if message.warning:
            self.notify(message.warning, severity="warning", timeout=10)
        if report.rebuilt_because and report.rebuilt_because != "no index yet; building it":
            self.notify(f"Index: {report.rebuilt_because}.", severity="warning")
        if not self.documents and not report.unchanged and not report.changed:
            pass  # the list worker already said the folder is empty
        else:
            done = f"Index up to date: {report.summary()}." if report.changed else "Index up to date."
            skipped = f" {self._skipped_summary.capitalize()}." if self._skipped_summary else ""
            self.status.show_message(f"{done}{skipped} Press / to search.")
        if self._pending_query is not None:
            (query, commit), self._pending_query = self._pending_query, None
            self.search(query, commit=commit)

    def on_index_failed(self, message: IndexFailed) -> None:
        self.status.hide_progress()
        self.status.show_message(f"Search unavailable: {message.reason}", error=True)
        self.notify(f"Could not build the index: {message.reason}", severity="error", timeout=10)

    # -- searching -------------------------------------------------------------------

    @on(SearchBar.QueryCommitted)
    def on_query_committed(self, message: SearchBar.QueryCommitted) -> None:
        self.history.add(message.query)
        self.save_history()
        self.search(message.query, commit=True)

    @on(SearchBar.QueryChanged)
    def on_query_changed(self, message: SearchBar.QueryChanged) -> None:
        if message.query:
            self.search(message.query, commit=False)
        else:
            self.clear_search()  # emptied by typing: focus stays in the search bar

    @on(SearchBar.Cleared)
    def on_search_cleared(self) -> None:
        self.clear_search()

    def clear_search(self) -> None:
        self._search_generation += 1  # a search still running is now stale
        self.workers.cancel_group(self, "search")
        self._pending_query = None
        self.query_text = None
        self.document_list.show_documents(self.documents)
        self.reader.set_hits([])
        self.status.show_message(f"{len(self.documents)} documents.")

    def search(self, query: str, commit: bool = True) -> None:
        """Search for ``query``: ``commit`` for Enter, else search-as-you-type."""
        self._search_generation += 1
        if not self.index_ready:
            self._pending_query = (query, commit)
            self.status.show_message("Indexing… the search runs as soon as the index is ready.")
            return
        self.status.show_message(f"Searching for {query}…")
        self.run_search(query, self._search_generation, commit)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str, generation: int, commit: bool) -> None:
        from reader.index import QueryError

        try:
            results = self.workspace.index.search(query, limit=SEARCH_LIMIT, suggest=commit)
        except QueryError as error:
            self.post_message(SearchFailed(query, str(error), generation=generation, commit=commit))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SearchFinished(results, generation=generation, commit=commit))

    def _is_stale(self, generation: int | None) -> bool:
        # Cancelling a thread worker only sets a flag: an older search can still
        # finish after a newer one started, and must not replace its results.
        return generation is not None and generation != self._search_generation

    def on_search_finished(self, message: SearchFinished) -> None:
        if self._is_stale(message.generation):
            return
        results = message.results
        self.query_text = results.query
        self.document_list.show_results(results)
        count = len(results.hits)
        if count:
            total_hits = sum(hit.hits for hit in results.hits)
            self.status.show_message(
                f"{count} document{'s' if count != 1 else ''} match {results.query} "
                f"({total_hits} hits). Enter opens; Escape in the search bar clears."
            )
            if message.commit:  # as you type, the keys must keep landing in the search bar
                self.document_list.focus()
        elif results.suggestion:
            self.status.show_message(
                f"No documents match {results.query}. Did you mean {results.suggestion}? "
                "Enter on it in the list searches for it."
            )
            if message.commit:
                self.document_list.focus()
        else:
            self.status.show_message(f"No documents match {results.query}.")
        if self._open_rel_path is not None:  # re-light the open document for the new query
            self.load_document(self._open_rel_path, results.query, keep_position=True)

    def on_search_failed(self, message: SearchFailed) -> None:
        if self._is_stale(message.generation):
            return
        if message.commit:
            self.status.show_message(message.reason, error=True)
            self.notify(message.reason, title="Cannot search", severity="error")
        else:  # most likely still being typed: say so quietly and keep the results shown
            self.status.show_message(message.reason)

    @work(thread=True, group="history", exit_on_error=False)
    def save_history(self) -> None:
        # A read-only data dir keeps the history in memory for this run
        # (QueryHistory.save_error says why); it is not worth a warning.
        self.history.save()

    # -- reading -----------------------------------------------------------------------

    @on(DocumentList.RunSuggestion)
    def on_run_suggestion(self, message: DocumentList.RunSuggestion) -> None:
        self.search_bar.show_query(message.query)
        self.history.add(message.query)
        self.save_history()
        self.search(message.query, commit=True)

    @on(DocumentList.OpenDocument)
    def on_open_document(self, message: DocumentList.OpenDocument) -> None:
        self.open_document(message.rel_path)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def load_document(self, rel_path: str, query: str | None, keep_position: bool = False) -> None:
        try:
            document = self.workspace.read(rel_path)
        except UnreadableDocument as error:
            self.post_message(DocumentFailed(rel_path, str(error)))
            return
        spans = []
        if query and self.index_ready:
            from reader.index import QueryError

            try:
                spans = self.workspace.index.hit_spans(query, rel_path)
            except QueryError:
                spans = []
            spans = [(start, end) for start, end in spans if end <= len(document.text)]
        notes = self.workspace.notes_for(document)
        self.post_message(DocumentLoaded(document, spans, notes, query or "", keep_position))

    def on_document_loaded(self, message: DocumentLoaded) -> None:
        reader = self.reader
        keep_position = message.keep_position
        same_document = reader.open_document is not None and (
            reader.open_document.rel_path == message.document.rel_path
        )
        if keep_position:
            # Re-lighting for a newer query: only the document still open, and only
            # for the query shown now (re-lights run in threads and can finish late).
            if same_document and message.query == (self.query_text or ""):
                reader.set_hits(message.spans)
            return
        self._open_rel_path = message.document.rel_path
        reader.show_document(message.document, message.spans, message.notes)
        self.notes_panel.show_notes(message.notes)
        reader.focus()
        if message.spans:  # show the first hit; `n` then walks from there
            reader.scroll_to_span(message.spans[0])
        count = len(message.spans)
        suffix = f" · {count} hit{'s' if count != 1 else ''} for {message.query}" if message.query else ""
        self.status.show_message(f"{message.document.title}{suffix}")

    def on_document_failed(self, message: DocumentFailed) -> None:
        self.status.show_message(f"Cannot open {message.rel_path}: {message.reason}", error=True)
        self.notify(f"Cannot open {message.rel_path}: {message.reason}", severity="error")

    @on(ReadingView.HitChanged)
    def on_hit_changed(self, message: ReadingView.HitChanged) -> None:
        self.status.show_hits(message.current, message.total)

    # -- notes -------------------------------------------------------------------------

    @on(ReadingView.NoteRequested)
    def on_note_requested(self, message: ReadingView.NoteRequested) -> None:
        self._edit_new_note(message.document, message.start, message.end, "")

    def _edit_new_note(self, document: Document, start: int, end: int, text: str) -> None:
        def save(result: str | None) -> None:
            if result is not None:
                self.save_new_note(document, start, end, result)

        if self.workspace.notes.read_only_reason:
            self.notify(f"Notes are read-only: {self.workspace.notes.read_only_reason}.", severity="error")
            return
        self.push_screen(NoteEditor(document.text[start:end], text), save)

    @work(thread=True, group="notes", exit_on_error=False)
    def save_new_note(self, document: Document, start: int, end: int, text: str) -> None:
        try:
            note = self.workspace.add_note(document, start, end, text)
        except NotesError as error:
            # Lose nothing: reopen the editor with what the user wrote.
            self.call_from_thread(self.notify, str(error), title="Note not saved", severity="error", timeout=10)
            self.call_from_thread(self._edit_new_note, document, start, end, text)
            return
        self.post_message(NotesChanged(document.rel_path, self.workspace.notes_for(document), note.id))

    def on_notes_changed(self, message: NotesChanged) -> None:
        if self._open_rel_path != message.rel_path:
            return
        self.notes_panel.show_notes(message.notes, highlight_id=message.focus_note_id)
        self.reader.set_notes(message.notes, message.focus_note_id)
        self.status.show_message(f"Notes saved ({len(message.notes)} on this document).")
        if self.index_ready:  # so the note's words are searchable right away
            self.update_index(quiet=True)

    @on(NotesPanel.GoToNote)
    def on_go_to_note(self, message: NotesPanel.GoToNote) -> None:
        note = message.note
        if note.is_orphaned:
            self.notify("This note's passage is no longer in the document.", severity="warning")
            return
        self.reader.set_notes(self.notes_panel.notes, note.id)
        self.reader.scroll_to_span((note.start, note.end), select=True)
        self.reader.focus()

    @on(NotesPanel.EditNote)
    def on_edit_note(self, message: NotesPanel.EditNote) -> None:
        note = message.note

        def save(result: str | None) -> None:
            if result is not None and result != note.body:
                self.save_edited_note(note, result)

        self.push_screen(NoteEditor(note.quote, note.body, title="Edit note"), save)

    @work(thread=True, group="notes", exit_on_error=False)
    def save_edited_note(self, note: Note, text: str) -> None:
        try:
            self.workspace.notes.update_body(note, text)
        except NotesError as error:
            self.call_from_thread(self.notify, str(error), title="Note not saved", severity="error", timeout=10)
        self._post_notes_of(note.doc_path, note.id)

    @on(NotesPanel.DeleteNote)
    def on_delete_note(self, message: NotesPanel.DeleteNote) -> None:
        note = message.note
        quote = " ".join(note.quote.split())[:80]

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.delete_note(note)

        self.push_screen(ConfirmDialog(f"Delete the note on “{quote}”?"), confirmed)

    @work(thread=True, group="notes", exit_on_error=False)
    def delete_note(self, note: Note) -> None:
        try:
            self.workspace.notes.delete(note)
        except NotesError as error:
            self.call_from_thread(self.notify, str(error), title="Note not deleted", severity="error")
        self._post_notes_of(note.doc_path, None)

    def _post_notes_of(self, rel_path: str, focus_note_id: str | None) -> None:
        try:
            document = self.workspace.read(rel_path)
        except UnreadableDocument:
            return
        self.post_message(NotesChanged(rel_path, self.workspace.notes_for(document), focus_note_id))

    # -- errors --------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed unexpectedly is reported, not fatal."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.status.show_message(f"Error: {type(error).__name__}: {error}", error=True)
            self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")


def run(workspace: Workspace) -> None:
    ReaderApp(workspace).run()


__all__ = ["ReaderApp", "run"]
