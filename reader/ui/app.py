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

Notes: every read and write of the note store runs in a thread worker and comes
back as a message.  A draft the user wrote is never dropped: if saving fails
(busy, read-only, full disk, or a conflict with another copy's edit) the editor
reopens with exactly that draft, and the draft is kept in the data dir while it
is being written (:mod:`reader.note_drafts`), so a crash does not take it either:
the next start reopens it.  Every change to a note in this session (create,
edit, re-attach, delete) goes on an undo stack (:mod:`reader.note_undo`; ``u`` or
ctrl+z), undone through the store with its version check.  Every ``NOTES_POLL_SECONDS`` a cheap worker asks the
store whether another copy of the app committed; if so, the open document's
notes and the overview are reloaded.
"""

from __future__ import annotations

import threading
import time
from contextlib import suppress
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from reader.anchoring import AnchorState
from reader.config import Config
from reader.corpus import Document, UnreadableDocument
from reader.display import counted
from reader.history import QueryHistory
from reader.manifest import ManifestEntry
from reader.note_drafts import DraftFile, SavedDraft
from reader.note_undo import ChangeKind, NoteChange, UndoStack, undo
from reader.notes import DEFAULT_COLOUR, Note, NoteConflict, NoteKind, NotesBusy, NotesError
from reader.results import SearchResults
from reader.ui.commands import GoToPageCommands, NotesCommands, OpenDocumentCommands, SortListCommands
from reader.ui.document_list import DocumentList
from reader.ui.key_order import KeysInArrivalOrder
from reader.ui.messages import (
    AllNotesLoaded,
    DocumentFailed,
    DocumentLoaded,
    DocumentsListed,
    DraftFound,
    FilesChanged,
    HitsCompleted,
    IndexFailed,
    IndexProgress,
    IndexReady,
    NoteActionFailed,
    NoteChangeMade,
    NoteSaveFailed,
    NotesChanged,
    NotesChangedElsewhere,
    NotesOpened,
    NoteTarget,
    NoteUndoFailed,
    NoteUndone,
    SearchFailed,
    SearchFinished,
    WatchFailed,
)
from reader.ui.note_editor import NoteDraft, NoteEditor, editor_title
from reader.ui.notes_panel import NotesPanel, one_line
from reader.ui.pane_control import PaneControl
from reader.ui.pane_layout import list_width_for
from reader.ui.reading_view import ReadingView
from reader.ui.remembering import Remembering
from reader.ui.search_bar import SearchBar
from reader.ui.status_bar import StatusBar
from reader.ui.view_commands import ViewCommands
from reader.workspace import ListedDocument, Workspace


def worker_pause(seconds: float) -> None:
    """Wait in a thread worker (never on the UI thread)."""
    time.sleep(seconds)


if TYPE_CHECKING:  # imported where they are opened: not needed to paint the first screen
    from reader.ui.find_bar import FindBar
    from reader.ui.notes_overview import NotesOverview

# One thread beside the document loader, for a document's hit spans.
_SPAN_FINDER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hit-spans")
SEARCH_LIMIT = 200
SPANS_FIRST = 30  # results whose hit counts come with the search; the rest when the list shows them
INDEX_BUSY_RETRIES = 10  # an update that found the index busy tries again, this many times
INDEX_BUSY_PAUSE_SECONDS = 0.5
NOTES_POLL_SECONDS = 2.0  # how often to ask whether another copy of the app changed the notes
MAIN_SCREEN_ACTIONS = {"focus_search", "notes_overview", "undo", "toggle_list", "toggle_notes",
                       "focus_mode", "leave_focus_mode", "find_in_document", "outline"}
DRAFT_SAVE_SECONDS = 0.3  # a draft being typed is written to disk this long after the last change


@dataclass
class DocumentsRemembered(DocumentsListed):
    """The list as last indexed (the index's manifest), shown at start before the
    folder is scanned; a :class:`DocumentsListed` from the scan follows."""

    manifest: dict[str, ManifestEntry] = field(default_factory=dict)


class ReaderApp(KeysInArrivalOrder, PaneControl, Remembering, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "iatse-reader"
    COMMANDS = App.COMMANDS | {OpenDocumentCommands, SortListCommands, NotesCommands, GoToPageCommands,
                               ViewCommands}
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="app.focus_search"),
        Binding("o", "notes_overview", "All notes", id="app.notes_overview"),
        Binding("u,ctrl+z", "undo", "Undo", show=False, id="app.undo"),
        Binding("left_square_bracket", "toggle_list", "List", id="app.toggle_list"),
        Binding("right_square_bracket", "toggle_notes", "Notes", id="app.toggle_notes"),
        Binding("z", "focus_mode", "Focus", id="app.focus_mode"),
        # The reader's own keys, from the list or the notes panel too (the reader's
        # bindings come first when it has focus; a text field keeps its ctrl+f).
        Binding("ctrl+f", "find_in_document", "Find", show=False, id="app.find"),
        Binding("t", "outline", "Outline", show=False, id="app.outline"),
        # Priority, so it works whatever has focus; it passes the key on outside focus mode.
        Binding("escape", "leave_focus_mode", "Leave focus mode", show=False, priority=True,
                id="app.leave_focus_mode"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_anywhere"),
    ]

    def __init__(self, workspace: Workspace, config: Config | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        if config is None:
            from reader.ui.keymap import load_app_config

            config = load_app_config()
        self.config = config
        self.measure = self.config.measure
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
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
        self.too_small_label = Static("", id="too-small")  # shown instead of everything on a tiny terminal
        self._skipped_summary = ""  # kept so later status messages still mention it
        self._stop_watching = threading.Event()  # set when the app closes
        self.undo_stack = UndoStack()  # note changes of this session, newest last
        self._draft_file = DraftFile(workspace.layout.data_dir, workspace.collection.key)
        self._draft_target: NoteTarget | None = None  # where the draft in the editor goes
        self._draft_sequence = 0  # orders the draft file's writes and clears (they run in threads)
        self._draft_timer: Timer | None = None
        self._draft_to_keep: SavedDraft | None = None  # waiting for the timer
        self._background_started = False  # the index, notes and watcher start after the first list is painted
        self.overview: NotesOverview | None = None  # while the notes overview is shown
        self.find_bar: FindBar | None = None  # mounted at the first ctrl+f

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
        yield self.too_small_label

    def on_mount(self) -> None:
        collection = self.workspace.collection
        self.sub_title = "bundled IATSE collection" if collection.is_bundled else str(collection.root)
        self.status.show_message("Reading the document list…")
        # A tiny JSON file: read here so up-arrow works from the first keystroke.
        self.history = QueryHistory.load(self.workspace.layout.history_file)
        self.search_bar.history = self.history
        self.document_list.focus()
        if self.config.problem:
            self.notify(self.config.problem, title="Config", severity="warning", timeout=10)
        self.load_reading_state()  # a few kB: the panes, theme, sort order and query as they were left
        self.apply_layout()
        # Only the list before the first paint: the index check (Whoosh), the note
        # store and the folder watch start once it is on screen (_start_background),
        # so their imports and I/O do not hold the GIL while the first screen is drawn.
        self.remember_documents()

    def _start_background(self, manifest: dict[str, ManifestEntry] | None = None) -> None:
        """After the first list is painted: check the folder (when the list came
        from the manifest), open the notes, bring the index up to date, watch."""
        if self._background_started:
            return
        self._background_started = True
        if manifest is not None:
            self.list_documents(manifest)
        self.restore_last_document()
        self.open_notes()
        self.update_index()
        self.watch_folder()

    # -- actions -------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        # Runs before App._on_resize records the new size: pass it on.
        self.apply_layout(event.size)

    async def action_quit(self) -> None:
        self.save_reading_state_now()
        await super().action_quit()

    def action_focus_search(self) -> None:
        self.leave_focus_mode_for(self.search_bar)
        # set_focus now, not focus() (which waits for queued events): keys typed
        # right after `/` must land in the search bar.
        self.screen.set_focus(self.search_bar)

    def action_find_in_document(self) -> None:
        """``ctrl+f`` from anywhere on the main screen: find in the open document."""
        if self.reader.open_document is not None:
            self.screen.set_focus(self.reader)
        self.reader.action_find()

    def action_outline(self) -> None:
        """``t`` from anywhere on the main screen: the open document's headings."""
        self.reader.action_outline()

    def action_help(self) -> None:
        from reader.ui.help_screen import HelpScreen

        self.push_screen(HelpScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/`, `o` and `u` belong to the main screen (the overview is a full screen
        # on which app bindings would otherwise still fire).
        if action in MAIN_SCREEN_ACTIONS and self.screen is not self.screen_stack[0]:
            return False
        if action == "leave_focus_mode":
            return self.pane_choices.focus_mode
        if action == "undo" and isinstance(self.focused, Input):
            # ctrl+z while typing a query or a find means the typing, not a note
            # (an Input keeps no undo history of its own): it does nothing here.
            return False
        return True

    def open_document(self, rel_path: str) -> None:
        self.load_document(rel_path, self.query_text)

    # -- workers: listing and indexing -----------------------------------------------

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def remember_documents(self) -> None:
        """At start: the documents as last indexed, from one JSON file, so the list
        is painted without waiting for a scan of the folder (10,000 stat calls);
        :meth:`list_documents` checks the folder after the first paint.  Without
        an index yet, the folder is listed straight away."""
        manifest = self.workspace.read_manifest()
        if manifest:
            self.post_message(DocumentsRemembered(self.workspace.last_indexed_documents(manifest), [], manifest))
        else:
            documents, skipped = self.workspace.list_documents(manifest)
            self.post_message(DocumentsListed(documents, skipped))

    # A description: Textual would otherwise repr the 10,000-entry manifest (~20 ms).
    @work(thread=True, exclusive=True, group="list", exit_on_error=False, description="list documents")
    def list_documents(self, manifest: dict[str, ManifestEntry] | None = None) -> None:
        documents, skipped = self.workspace.list_documents(manifest)
        self.post_message(DocumentsListed(documents, skipped))

    @work(thread=True, exclusive=True, group="notes-open", exit_on_error=False)
    def open_notes(self) -> None:
        """Open the note store (it checks its integrity) and make today's backup,
        once, off the UI thread; re-listing after file changes does neither."""
        notes = self.workspace.notes
        notes.backup_daily()
        self.post_message(NotesOpened(notes.read_only_reason))
        self._find_draft()

    def on_notes_opened(self, message: NotesOpened) -> None:
        if message.read_only_reason:
            self.notify(f"Notes are read-only: {message.read_only_reason}.", severity="warning", timeout=10)
        self.set_interval(NOTES_POLL_SECONDS, self.poll_notes, name="notes-poll")
        self.count_notes()

    def watch_folder(self) -> None:
        """Watch the documents folder in a daemon thread until the app closes.

        Not a Textual worker: the watch blocks for the app's whole life, and
        workers are what ``workers.wait_for_complete()`` and Python's exit wait
        for.  The thread only posts messages (thread-safe)."""
        from reader.watching import watch_documents

        def watch() -> None:
            try:
                for paths in watch_documents(self.workspace.collection.root, self._stop_watching):
                    self.post_message(FilesChanged(paths))
            except Exception as error:  # e.g. the inotify watch limit: reading goes on
                self.post_message(WatchFailed(f"{type(error).__name__}: {error}"))

        threading.Thread(target=watch, name="watch-documents", daemon=True).start()

    def on_files_changed(self, message: FilesChanged) -> None:
        count = len(message.paths)
        self.status.show_message(f"{count} file{'s' if count != 1 else ''} changed on disk; updating…")
        self.list_documents()
        self.update_index(quiet=True, files_changed=True)
        document = self.reader.open_document
        if document is not None and document.rel_path in message.paths:
            self.load_document(document.rel_path, self.query_text, reloaded=True)

    def on_unmount(self) -> None:
        self._stop_watching.set()
        self.save_reading_state_now()

    def on_watch_failed(self, message: WatchFailed) -> None:
        self.notify(f"Not watching the folder for changes ({message.reason}); "
                    "restart the reader to see new files.", severity="warning", timeout=10)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def update_index(self, rebuild: bool = False, quiet: bool = False, files_changed: bool = False) -> None:
        worker = get_current_worker()
        try:
            document_index = self.workspace.index
            for attempt in range(INDEX_BUSY_RETRIES + 1):
                report = document_index.update(
                    progress=None if quiet else lambda done, total: self.post_message(IndexProgress(done, total)),
                    cancelled=lambda: worker.is_cancelled,
                    rebuild=rebuild,
                )
                # Busy: another writer (a cancelled update still finishing, the CLI, a
                # second copy) held the index; nothing was written, so a change seen on
                # disk would be lost until the next one. Try again shortly.
                if not report.busy or worker.is_cancelled or attempt == INDEX_BUSY_RETRIES:
                    break
                worker_pause(INDEX_BUSY_PAUSE_SECONDS)
        except Exception as error:  # the index is derived data: report, never crash
            self.post_message(IndexFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(IndexReady(report, self.workspace.index_warning, quiet=quiet,
                                     files_changed=files_changed))

    def on_documents_remembered(self, message: DocumentsRemembered) -> None:
        self.on_documents_listed(message)

    def on_documents_listed(self, message: DocumentsListed) -> None:
        remembered = isinstance(message, DocumentsRemembered)
        if not self._background_started:  # the first list: start the rest once it is painted
            self.call_after_refresh(self._start_background, message.manifest if remembered else None)
        changed = message.documents != self.documents or self.document_list.row_count == 0
        self.documents = message.documents
        if changed:  # the list takes the width of its longest title (capped)
            self.list_want = list_width_for(max((len(document.title) for document in self.documents), default=0))
            self.apply_layout()
        if changed and not self.document_list.showing_results:
            # A re-list (the folder checked after the remembered list, files changed
            # on disk) keeps the cursor on the same document.
            self.document_list.show_documents(message.documents, keep_cursor=True)
        if remembered:
            count = len(message.documents)
            self.status.show_message(f"{count} document{'s' if count != 1 else ''} as last indexed; "
                                     "checking the folder…")
        elif not message.documents:
            self.status.show_message(
                f"No readable documents (text, PDF, web page, EPUB, Word, OpenDocument, RTF) in "
                f"{self.workspace.collection.root}.", error=True
            )
        elif message.skipped:
            reasons = "; ".join(f"{item.rel_path}: {item.reason}" for item in message.skipped[:3])
            more = f" (+{len(message.skipped) - 3} more)" if len(message.skipped) > 3 else ""
            self._skipped_summary = f"skipped {reasons}{more}"
            self.status.show_message(f"{counted(len(message.documents), 'document')}; {self._skipped_summary}")
            self.notify(f"Skipped {counted(len(message.skipped), 'file')}: {reasons}{more}", severity="warning")
        else:
            self.status.show_message(f"{counted(len(message.documents), 'document')}. Press / to search.")

    def on_index_progress(self, message: IndexProgress) -> None:
        self.status.show_progress(message.done, message.total)
        self.status.show_message(f"Indexing {message.done}/{message.total}…")

    def on_index_ready(self, message: IndexReady) -> None:
        self.index_ready = True
        self.status.hide_progress()
        report = message.report
        if self.workspace.listed_unread and (report.added or report.updated):
            self.list_documents()  # titles of PDFs and books, extracted by the build (see Workspace)
        if self._pending_query is not None:  # typed before the index was ready
            (query, commit), self._pending_query = self._pending_query, None
            self.search(query, commit=commit)
        if message.files_changed:
            self.status.show_message(f"Files changed on disk; index up to date: {report.summary()}.")
            if self.query_text and self.document_list.showing_results:
                self.search(self.query_text, commit=False)  # the results include the new text
            return
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
        self.restoring_query = None
        self.document_list.show_documents(self.documents)
        self.reader.set_hits([])
        self.status.show_message(f"{counted(len(self.documents), 'document')}.")

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
            results = self.workspace.index.search(query, limit=SEARCH_LIMIT, suggest=commit,
                                                  spans_for=SPANS_FIRST)
            results = self.workspace.with_pages(results)  # each hit's page, for paginated documents
        except QueryError as error:
            self.post_message(SearchFailed(query, str(error), generation=generation, commit=commit))
            return
        except Exception as error:  # the index could not be read: say so, never leave old results unexplained
            self.post_message(SearchFailed(
                query, f"Search failed ({type(error).__name__}: {error}); the index is rebuilt by "
                "`iatse-reader index --rebuild` if this stays.", generation=generation, commit=commit))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SearchFinished(results, generation=generation, commit=commit))

    def _is_stale(self, generation: int | None) -> bool:
        # Cancelling a thread worker only sets a flag: an older search can still
        # finish after a newer one started, and must not replace its results.
        return generation is not None and generation != self._search_generation

    @on(DocumentList.HitsWanted)
    def on_hits_wanted(self, message: DocumentList.HitsWanted) -> None:
        self.complete_hits(message.results, message.rel_paths, self._search_generation)

    @work(thread=True, group="hits", exit_on_error=False)
    def complete_hits(self, results: SearchResults, rel_paths: list[str], generation: int) -> None:
        from reader.index import QueryError

        try:
            completed = self.workspace.with_pages(self.workspace.index.complete_hits(results, rel_paths))
        except QueryError:  # the query was searched a moment ago: not expected
            return
        self.post_message(HitsCompleted(completed, generation=generation))

    def on_hits_completed(self, message: HitsCompleted) -> None:
        if not self._is_stale(message.generation):
            self.document_list.complete_results(message.results)

    def on_search_finished(self, message: SearchFinished) -> None:
        if self._is_stale(message.generation):
            return
        results = message.results
        self.query_text = results.query
        self.document_list.show_results(results, keep_cursor_on=self.restored_results_cursor(results.query))
        count = len(results.hits)
        if count:
            total_hits = sum(hit.hits for hit in results.hits)
            more = any(hit.spans_pending for hit in results.hits)  # the rest are counted as shown
            self.status.show_message(
                f"{counted(count, 'document')} {'matches' if count == 1 else 'match'} {results.query} "
                f"({f'{total_hits}+ hits' if more else counted(total_hits, 'hit')}). "
                "Enter opens; Escape in the search bar clears."
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
    def load_document(
        self, rel_path: str, query: str | None, keep_position: bool = False,
        focus_note_id: str | None = None, reloaded: bool = False,
    ) -> None:
        # The hits come from the index, not the text: find them while the file is
        # read (a 10 MB book: ~25 ms of reading, ~20 ms of hit spans; reading and
        # hashing release the GIL for most of theirs).
        spans_future = None
        if query and self.index_ready:
            spans_future = _SPAN_FINDER.submit(self._hit_spans, query, rel_path)
        try:
            document = self.workspace.read(rel_path)
        except UnreadableDocument as error:
            self.post_message(DocumentFailed(rel_path, str(error), reloaded))
            return
        spans = []
        if spans_future is not None:
            spans = [(start, end) for start, end in spans_future.result() if end <= len(document.text)]
        notes = self.workspace.notes_for(document)
        self.post_message(DocumentLoaded(document, spans, notes, query or "", keep_position,
                                         focus_note_id, reloaded))

    def _hit_spans(self, query: str, rel_path: str) -> list[tuple[int, int]]:
        from reader.index import QueryError

        try:
            return self.workspace.index.hit_spans(query, rel_path)
        except QueryError:
            return []

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
        if message.reloaded:
            if same_document:  # changed on disk: new text and re-anchored notes, same place
                reader.show_document(message.document, message.spans, message.notes, keep_position=True)
                self.notes_panel.show_notes(message.notes, page_map=message.document.pages)
                self.status.show_message(f"{message.document.title} changed on disk; reloaded.")
            return
        self.remember_position()  # the document being left
        self._open_rel_path = message.document.rel_path
        reader.show_document(message.document, message.spans, message.notes)
        self.apply_layout()  # a document open: the list may fold away
        self.notes_panel.show_notes(message.notes, highlight_id=message.focus_note_id,
                                    page_map=message.document.pages)
        count = len(message.spans)
        suffix = f" · {count} hit{'s' if count != 1 else ''} for {message.query}" if message.query else ""
        if message.document.encoding not in ("", "utf-8"):  # a guessed encoding is worth knowing
            suffix += f" · read as {message.document.encoding}"
        self.status.show_message(f"{message.document.title}{suffix}")
        note = next((note for note in message.notes if note.id == message.focus_note_id), None)
        if note is not None:  # opened from the overview: the note's passage, the note in the panel
            self.notes_panel.focus()
            if note.is_placed:
                reader.set_notes(message.notes, note.id)
                reader.scroll_to_span((note.start, note.end))
            elif note.is_orphaned:
                self.status.show_message(
                    f"{message.document.title} · this note's passage is no longer in the document: "
                    "select a passage and press r on the note to re-attach it."
                )
            return
        restoring = self._restoring(message.document.rel_path)
        if not (restoring and self.user_moved_since_restoring()):
            reader.focus()
        position = self.remembered_position(message.document.rel_path)
        if position is not None and (restoring or not message.spans):
            # Where it was left, once the panes have their new widths (opening may
            # fold the list): positions are offsets, rows depend on the width.
            self.call_after_refresh(reader.show_position, position.cursor, position.top)
        elif message.spans:  # show the first hit; `n` then walks from there
            reader.scroll_to_span(message.spans[0])

    def on_document_failed(self, message: DocumentFailed) -> None:
        if message.reloaded:  # the open file was removed or became unreadable: keep showing it
            self.status.show_message(
                f"{message.rel_path} is no longer readable on disk ({message.reason}); "
                "what you see is the last version, and its notes are kept.", error=True,
            )
            return
        self.status.show_message(f"Cannot open {message.rel_path}: {message.reason}", error=True)
        self.notify(f"Cannot open {message.rel_path}: {message.reason}", severity="error")

    @on(ReadingView.HitChanged)
    def on_hit_changed(self, message: ReadingView.HitChanged) -> None:
        self.status.show_hits(message.current, message.total)

    @on(ReadingView.PageChanged)
    def on_page_changed(self, message: ReadingView.PageChanged) -> None:
        self.status.show_page(message.page, message.total)

    # -- find in the document, position ---------------------------------------------------

    @on(ReadingView.FindRequested)
    async def on_find_requested(self, message: ReadingView.FindRequested) -> None:
        if self.find_bar is None:
            from reader.ui.find_bar import FindBar

            self.find_bar = FindBar(self.reader)
            await self.screen_stack[0].mount(self.find_bar, before=self.status)
        self.find_bar.open(message.query)

    @on(ReadingView.FindChanged)
    def on_find_changed(self, message: ReadingView.FindChanged) -> None:
        self.status.show_find(message.query, message.current, message.total, message.truncated)
        if message.query is None and self.find_bar is not None:
            self.find_bar.hide()

    @on(ReadingView.PositionChanged)
    def on_position_changed(self, message: ReadingView.PositionChanged) -> None:
        self.status.show_position(message.percent, message.line)

    # -- notes: writing -------------------------------------------------------------------

    def _notes_read_only(self) -> bool:
        """Say why notes cannot be changed, if they cannot."""
        reason = self.workspace.notes.read_only_reason
        if reason:
            self.notify(f"Notes are read-only: {reason}.", title="Cannot change notes", severity="error")
        return bool(reason)

    @on(ReadingView.NoteRequested)
    def on_note_requested(self, message: ReadingView.NoteRequested) -> None:
        if self._notes_read_only():
            return
        target = NoteTarget(message.document, message.start, message.end)
        if message.kind == NoteKind.HIGHLIGHT:  # saved at once, in the default colour
            self.reader.drop_selection()
            self.save_note(target, NoteDraft(colour=DEFAULT_COLOUR))
        else:
            self.edit_note(target, NoteDraft())

    def edit_note(self, target: NoteTarget, draft: NoteDraft) -> None:
        """Open the editor on *draft*; save what it returns to *target*."""
        note = target.note
        if note is not None:
            kind, quote = note.kind, (None if note.kind == NoteKind.DOCUMENT else note.quote)
        elif target.start is None:
            kind, quote = NoteKind.DOCUMENT, None
        else:
            kind, quote = NoteKind.PASSAGE, target.document.text[target.start:target.end]
        original = NoteDraft.of(note) if note is not None else None

        def save(result: NoteDraft | None) -> None:
            self._draft_target = None
            if result is None or (original is not None and (result.body, result.tag_list, result.colour) == (
                original.body, original.tag_list, original.colour
            )):
                self.forget_draft(self._next_draft_sequence())  # discarded, or nothing changed
                return
            self.save_note(target, result, self._next_draft_sequence())

        self._draft_target = target
        editor = NoteEditor(quote, draft, title=editor_title(kind, editing=note is not None),
                            document_title=target.document.title, stored=original)
        self.push_screen(editor, save)

    # -- notes: the draft kept on disk while it is written ------------------------------

    def _next_draft_sequence(self) -> int:
        """A number for the next write or clear of the draft file (later wins); a
        write still waiting for its timer is dropped: what follows supersedes it."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self._draft_to_keep = None
        self._draft_sequence += 1
        return self._draft_sequence

    @on(NoteEditor.DraftChanged)
    def on_draft_changed(self, message: NoteEditor.DraftChanged) -> None:
        target = self._draft_target
        if target is None:
            return
        draft = message.draft
        if draft.is_blank or (target.note is not None and draft == NoteDraft.of(target.note)):
            self.forget_draft(self._next_draft_sequence())  # nothing that would be lost
            return
        self._draft_to_keep = self._saved_draft(target, draft)
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_SAVE_SECONDS, self._write_draft, name="draft-save")

    @staticmethod
    def _saved_draft(target: NoteTarget, draft: NoteDraft) -> SavedDraft:
        note = target.note
        quote = note.quote if note is not None else (
            None if target.start is None else target.document.text[target.start:target.end]
        )
        return SavedDraft(target.document.rel_path, draft.body, draft.tags, draft.colour,
                          start=target.start, end=target.end, note_id=note.id if note else None, quote=quote)

    def _write_draft(self) -> None:
        self._draft_timer = None
        draft = self._draft_to_keep
        if draft is not None:
            self.keep_draft(draft, self._next_draft_sequence())

    @work(thread=True, group="draft", exit_on_error=False)
    def keep_draft(self, draft: SavedDraft, sequence: int) -> None:
        try:
            self._draft_file.save(draft, sequence)
        except OSError as error:  # the editor still has it; say once that a crash would not
            self.post_message(NoteActionFailed("Draft not kept on disk",
                                               f"{error}. Your text is safe in the editor until you close it."))

    @work(thread=True, group="draft", exit_on_error=False)
    def forget_draft(self, sequence: int) -> None:
        try:
            self._draft_file.clear(sequence)
        except OSError:
            pass  # a stale draft is offered again at the next start: nothing is lost

    def _find_draft(self) -> None:
        """(Worker thread, at start.)  A note left unsaved by a crash: find where it
        goes now and hand it to the editor."""
        try:
            saved = self._draft_file.load()
        except (OSError, ValueError) as error:
            self.post_message(NoteActionFailed("Unsaved note not restored", str(error)))
            return
        if saved is None:
            return
        try:
            document = self.workspace.read(saved.doc_path)
        except UnreadableDocument as error:
            self.post_message(NoteActionFailed(
                "Unsaved note not restored",
                f"It was about {saved.doc_path}, which cannot be opened now ({error}); "
                f"its text is kept in {self._draft_file.path}.",
            ))
            return
        draft = NoteDraft(saved.body, saved.tags, saved.colour)
        note = self.workspace.notes.get(saved.note_id) if saved.note_id else None
        if note is not None:
            target, where = NoteTarget(document, note=note), "your edit of a note"
        elif saved.start is not None and saved.end is not None and saved.quote:
            text = document.text
            start = saved.start if text[saved.start:saved.end] == saved.quote else text.find(saved.quote)
            if start >= 0:
                target, where = NoteTarget(document, start, start + len(saved.quote)), "a note on its passage"
            else:
                target, where = NoteTarget(document), "a note (its passage is gone: now on the whole document)"
        else:
            target, where = NoteTarget(document), "a note on the whole document"
        self.post_message(DraftFound(target, draft, f"Unsaved from last time: {where} in {document.title}."))

    def on_draft_found(self, message: DraftFound) -> None:
        self.notify(f"{message.explanation} ctrl+s saves it; Escape asks before discarding it.",
                    title="Your unsaved note is back", timeout=15)
        self.load_document(message.target.document.rel_path, self.query_text)
        self.edit_note(message.target, message.draft)

    @work(thread=True, group="notes", exit_on_error=False)
    def save_note(self, target: NoteTarget, draft: NoteDraft, draft_sequence: int | None = None) -> None:
        """Save *draft*; *draft_sequence* (a draft from the editor): forget the copy
        on disk once stored, or make sure it is on disk if storing failed."""
        try:
            if target.note is None:
                note = self.workspace.add_note(
                    target.document, target.start, target.end, draft.body,
                    tags=draft.tag_list, colour=draft.colour,
                )
            else:
                note = self.workspace.notes.update(
                    target.note, body=draft.body, tags=draft.tag_list, colour=draft.colour,
                )
        except Exception as error:
            if draft_sequence is not None and not draft.is_blank:
                with suppress(OSError):
                    self._draft_file.save(self._saved_draft(target, draft), draft_sequence)
            if isinstance(error, NoteConflict):
                self.post_message(NoteSaveFailed(self._target_now(target), draft, str(error), conflict=True))
            elif isinstance(error, NotesError):
                self.post_message(NoteSaveFailed(target, draft, str(error)))
            else:  # a bug must not take the user's text with it either
                reason = f"Could not save the note: {type(error).__name__}: {error}."
                self.post_message(NoteSaveFailed(target, draft, reason))
            return
        if draft_sequence is not None:
            with suppress(OSError):
                self._draft_file.clear(draft_sequence)
        kind = ChangeKind.CREATED if target.note is None else ChangeKind.EDITED
        self.post_message(NoteChangeMade(NoteChange(kind, target.note, note)))
        saved = "Highlight saved" if note.kind == NoteKind.HIGHLIGHT else "Note saved"
        self._post_notes(target.document, note.id, saved)

    def _target_now(self, target: NoteTarget) -> NoteTarget:
        """After a conflict (worker thread): the note as another copy left it, or,
        if it was deleted there, a new note in its place, so the draft still has a home."""
        note = target.note
        assert note is not None
        current = self.workspace.notes.get(note.id)
        if current is not None:
            return NoteTarget(target.document, note=current)
        if note.is_placed and note.end <= len(target.document.text):
            return NoteTarget(target.document, note.start, note.end)
        return NoteTarget(target.document)  # its passage is gone too: about the whole document

    def on_note_save_failed(self, message: NoteSaveFailed) -> None:
        target, draft = message.target, message.draft
        if target.is_new_highlight and draft.is_blank:  # `h`: nothing typed to keep
            self.notify(message.reason, title="Highlight not saved", severity="error", timeout=10)
            return
        title = "Note changed elsewhere" if message.conflict else "Note not saved"
        self.notify(f"{message.reason} Your text is back in the editor.", title=title,
                    severity="error", timeout=10)
        if message.conflict:  # show the note as it is now
            self.reload_notes(target.document, None, "", elsewhere=True)
        self.edit_note(target, draft)  # lose nothing: the editor again, with what the user wrote

    @on(NotesPanel.EditNote)
    def on_edit_note(self, message: NotesPanel.EditNote) -> None:
        document = self.reader.open_document
        if document is None or self._notes_read_only():
            return
        self.edit_note(NoteTarget(document, note=message.note), NoteDraft.of(message.note))

    @on(NotesPanel.DeleteNote)
    def on_delete_note(self, message: NotesPanel.DeleteNote) -> None:
        note, document = message.note, self.reader.open_document
        if document is None or self._notes_read_only():
            return
        what = "the note about the whole document" if note.kind == NoteKind.DOCUMENT else (
            f"the {'highlight' if note.kind == NoteKind.HIGHLIGHT else 'note'} on “{one_line(note.quote, 80)}”"
        )

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.delete_note(note, document)

        from reader.ui.confirm_dialog import ConfirmDialog

        self.push_screen(ConfirmDialog(f"Delete {what}? (u undoes it)"), confirmed)

    @work(thread=True, group="notes", exit_on_error=False)
    def delete_note(self, note: Note, document: Document) -> None:
        try:
            tombstone = self.workspace.notes.delete(note)
        except NotesError as error:
            self.post_message(NoteActionFailed("Note not deleted", str(error)))
            self._post_notes(document, None, "")
            return
        self.post_message(NoteChangeMade(NoteChange(ChangeKind.DELETED, note, tombstone)))
        self._post_notes(document, None, "Note deleted (u undoes it)")

    def on_note_change_made(self, message: NoteChangeMade) -> None:
        self.undo_stack.record(message.change)

    def action_undo(self) -> None:
        if self._notes_read_only():
            return
        change = self.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo: no note was changed in this session.", severity="warning")
            return
        self.undo_note_change(change, self.reader.open_document)

    @work(thread=True, group="notes", exit_on_error=False)
    def undo_note_change(self, change: NoteChange, document: Document | None) -> None:
        try:
            note = undo(self.workspace.notes, change)
        except NoteConflict:
            self.post_message(NoteUndoFailed(
                change, "The note was changed or deleted in another copy of iatse-reader since; "
                "that change stands.", retry=False))
            return
        except NotesError as error:
            self.post_message(NoteUndoFailed(change, str(error), retry=isinstance(error, NotesBusy)))
            return
        self.post_message(NoteUndone(note))
        focus = None if note.deleted else note.id
        if document is not None and document.rel_path in (note.doc_path, change.after.doc_path):
            self._post_notes(document, focus, change.undone_message)
        else:
            self.post_message(NotesChanged(note.doc_path, [], focus,
                                           f"{change.undone_message} on {note.doc_path}"))

    def on_note_undone(self, message: NoteUndone) -> None:
        self.undo_stack.undone(message.note)

    def on_note_undo_failed(self, message: NoteUndoFailed) -> None:
        if message.retry:
            self.undo_stack.put_back(message.change)
        self.notify(message.reason, title="Not undone", severity="error", timeout=10)

    @on(NotesPanel.ReattachNote)
    def on_reattach_note(self, message: NotesPanel.ReattachNote) -> None:
        document, note = self.reader.open_document, message.note
        if document is None or self._notes_read_only():
            return
        if note.kind == NoteKind.DOCUMENT:
            self.notify("A note on the whole document has no passage to re-attach.", severity="warning")
            return
        span = self.reader.selected_span()
        if span is None:
            self.notify("Select the new passage in the reader first (shift+arrows or mouse), "
                        "then press r on the note.", severity="warning")
            return
        if note.is_orphaned:  # its passage is gone: nothing to lose
            self.reattach_note(note, document, span)
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.reattach_note(note, document, span)

        from reader.ui.confirm_dialog import ConfirmDialog

        selected = one_line(document.text[span[0]:span[1]], 60)
        self.push_screen(ConfirmDialog(
            f"Move the note on “{one_line(note.quote, 60)}” to “{selected}”? "
            "Its passage is still in the document. (u undoes it)", confirm_label="Move"), confirmed)

    @work(thread=True, group="notes", exit_on_error=False)
    def reattach_note(self, note: Note, document: Document, span: tuple[int, int]) -> None:
        try:
            moved = self.workspace.reattach_note(note, document, *span)
        except NotesError as error:
            self.post_message(NoteActionFailed("Note not re-attached", str(error)))
            self._post_notes(document, note.id, "")
            return
        self.post_message(NoteChangeMade(NoteChange(ChangeKind.REATTACHED, note, moved)))
        self._post_notes(document, moved.id, "Note re-attached")

    # -- notes: reading ---------------------------------------------------------------

    def _post_notes(self, document: Document, focus_note_id: str | None, status: str,
                    elsewhere: bool = False) -> None:
        """(Worker thread.) The document's notes, re-anchored to the text the reader shows."""
        notes = self.workspace.notes_for(document)
        self.post_message(NotesChanged(document.rel_path, notes, focus_note_id, status, elsewhere))

    @work(thread=True, group="notes", exit_on_error=False)
    def reload_notes(self, document: Document, focus_note_id: str | None, status: str,
                     elsewhere: bool = False) -> None:
        self._post_notes(document, focus_note_id, status, elsewhere)

    def on_notes_changed(self, message: NotesChanged) -> None:
        self.count_notes()  # the list shows each document's note count
        if self.overview is not None:
            self.load_all_notes()
        if self.index_ready:  # so the note's words are searchable right away
            self.update_index(quiet=True)
        if self._open_rel_path != message.rel_path:
            if message.status:
                self.status.show_message(message.status)
            return
        if message.elsewhere:  # a reload the user did not ask for: everything stays where it was
            panel_focus, reader_focus = self.notes_panel.current_note_id, self.reader.focused_note_id
        else:
            panel_focus = reader_focus = message.focus_note_id
        self.notes_panel.show_notes(message.notes, highlight_id=panel_focus)
        self.reader.set_notes(message.notes, reader_focus)
        if message.status:
            self.status.show_message(f"{message.status}; {counted(len(message.notes), 'note')} on this document.")

    def action_notes_overview(self) -> None:
        if self.overview is not None:
            return

        def closed(note: Note | None) -> None:
            self.overview = None
            if note is not None:
                self.open_note(note)

        from reader.ui.notes_overview import NotesOverview

        self.overview = NotesOverview(self._titles())
        self.push_screen(self.overview, closed)
        self.load_all_notes()

    def _titles(self) -> dict[str, str]:
        return {document.rel_path: document.title for document in self.documents}

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def load_all_notes(self) -> None:
        notes = self.workspace.all_notes()
        pages = self.workspace.note_pages(notes)  # page maps are kept: a PDF's comes from its cache
        if not get_current_worker().is_cancelled:
            self.post_message(AllNotesLoaded(notes, pages))

    def on_all_notes_loaded(self, message: AllNotesLoaded) -> None:
        if self.overview is not None:
            self.overview.show_notes(message.notes, self._titles(), message.pages)

    def open_note(self, note: Note) -> None:
        """Open *note*'s document with the note shown (from the overview)."""
        if note.state == AnchorState.MISSING:
            self.notify(f"The document {note.doc_path} is gone (renamed or deleted); its note is kept.",
                        title="Document missing", severity="warning", timeout=10)
            return
        self.load_document(note.doc_path, self.query_text, focus_note_id=note.id)

    @on(NotesPanel.GoToNote)
    def on_go_to_note(self, message: NotesPanel.GoToNote) -> None:
        note = message.note
        if note.kind == NoteKind.DOCUMENT:
            self.notify("This note is about the whole document.", severity="information")
            return
        if not note.is_placed:
            self.notify("This note's passage is no longer in the document: select a passage "
                        "and press r on the note to re-attach it.", severity="warning")
            return
        self.reader.set_notes(self.notes_panel.notes, note.id)
        self.reader.scroll_to_span((note.start, note.end), select=True)
        self.reader.focus()

    def on_note_action_failed(self, message: NoteActionFailed) -> None:
        self.notify(message.reason, title=message.title, severity="error", timeout=10)

    # -- notes: another copy of the app ---------------------------------------------------

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def poll_notes(self) -> None:
        if self.workspace.notes.changed_elsewhere():
            self.post_message(NotesChangedElsewhere())

    def on_notes_changed_elsewhere(self, message: NotesChangedElsewhere) -> None:
        document = self.reader.open_document
        if document is not None:
            self.reload_notes(document, None, "Notes changed in another copy of iatse-reader",
                              elsewhere=True)
        else:
            if self.overview is not None:
                self.load_all_notes()
            if self.index_ready:
                self.update_index(quiet=True)

    # -- errors --------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed unexpectedly is reported, not fatal."""
        if event.worker.group == "list" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._start_background()  # no list to wait for: the index and notes still start
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.status.show_message(f"Error: {type(error).__name__}: {error}", error=True)
            self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")


def run(workspace: Workspace) -> None:
    ReaderApp(workspace).run()


__all__ = ["ReaderApp", "run"]
