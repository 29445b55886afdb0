"""The app's side of :mod:`reader.reading_state`: what is restored at start, and
when the state is written.

A mixin of :class:`reader.ui.app.ReaderApp`.

At start (``on_mount``, before the first paint) the state file is read (a few
kB of JSON, like the query history): the theme, the pane choices, the list's
sort order and the last query go in at once, so the first screen already looks
as it was left.  The last document is opened only after the list is painted
(:meth:`restore_last_document`, from ``_start_background``), in the usual loader
worker, so it never delays the first paint; its remembered position is applied
when it arrives.  The last query is searched as soon as the index is ready, as a
query typed before then would be; if the user has moved down the list of
documents meanwhile, the cursor stays on their document when it is among the
results (:meth:`restored_results_cursor`).

While the app runs, the state is compared with what was last written every
:data:`SAVE_EVERY_SECONDS` and written (in a thread) only if it changed; at quit
it is written once more, synchronously (a few kB).
"""

from __future__ import annotations

import threading
from itertools import count
from typing import TYPE_CHECKING

from textual import work

from reader.reading_state import DocumentPosition, ReadingState

if TYPE_CHECKING:
    from reader.ui.document_list import DocumentList
    from reader.ui.reading_view import ReadingView
    from reader.ui.search_bar import SearchBar
    from reader.workspace import Workspace

SAVE_EVERY_SECONDS = 2.0
_WRITE_LOCK = threading.Lock()  # writes in order: an older snapshot never replaces a newer one
_GENERATIONS = count(1)
_written = {"generation": 0}


class Remembering:
    """Mixin for the App: owns :attr:`reading_state`."""

    # Provided by ReaderApp and PaneControl.
    workspace: Workspace
    reader: ReadingView
    document_list: DocumentList
    search_bar: SearchBar

    reading_state: ReadingState
    _saved_json: str = ""
    _restoring_path: str | None = None  # the last document, being reopened at start
    _before_restoring: tuple[object, int] = (None, 0)  # focus and list cursor when it was asked for
    restoring_query: str | None = None  # the last query, searched again at start, until its results show

    @property
    def collection_state(self):
        return self.reading_state.collection(self.workspace.collection.key)

    def load_reading_state(self) -> None:
        """(on_mount) Read the state and put back what costs nothing to show."""
        state = self.reading_state = ReadingState.load(self.workspace.layout.reading_state_file)
        self._saved_json = "" if state.problem else state.to_json()
        if state.problem:
            self.notify(state.problem, title="Reading state", severity="warning", timeout=10)  # type: ignore[attr-defined]
        if state.theme and state.theme != self.theme and state.theme in self.available_themes:  # type: ignore[attr-defined]
            self.theme = state.theme  # type: ignore[attr-defined]
        self.pane_choices = state.panes
        collection = self.collection_state
        self.document_list.sort_order = collection.sort_order  # type: ignore[assignment]
        self.document_list.progress = collection.progress_by_document()
        if collection.last_query:
            self.search_bar.show_query(collection.last_query)
            self.restoring_query = collection.last_query
            self.search(collection.last_query, commit=False)  # type: ignore[attr-defined]
        self.set_interval(SAVE_EVERY_SECONDS, self.save_reading_state, name="save-reading-state")  # type: ignore[attr-defined]

    def restore_last_document(self) -> None:
        """(After the first paint.) Reopen the document open at the last quit."""
        rel_path = self.collection_state.last_document
        if rel_path is None or self.reader.open_document is not None:
            return
        if not any(document.rel_path == rel_path for document in self.documents):  # type: ignore[attr-defined]
            return  # gone since: nothing to reopen
        self._restoring_path = rel_path
        self._before_restoring = self._where_the_user_is()
        self.open_document(rel_path)  # type: ignore[attr-defined]

    def restored_results_cursor(self, query: str) -> str | None:
        """(Results of *query* about to be shown.)  When they are the last run's query,
        restored at start, and the user has meanwhile moved down the list of
        documents: the document under the cursor, to keep the cursor on if it is
        among the results.  The results arrive once the index is ready, and must not
        throw the cursor back to the top under the user's keys."""
        restoring, self.restoring_query = self.restoring_query, None
        listing = self.document_list  # type: ignore[attr-defined]
        if restoring != query or listing.showing_results or listing.cursor_row == 0:
            return None
        return listing.selected_rel_path

    def _restoring(self, rel_path: str) -> bool:
        """Whether *rel_path* arrives as the start-up reopening (asked once)."""
        restoring, self._restoring_path = self._restoring_path == rel_path, None
        return restoring

    def _where_the_user_is(self) -> tuple[object, int]:
        return self.focused, self.document_list.cursor_row  # type: ignore[attr-defined]

    def user_moved_since_restoring(self) -> bool:
        """Whether focus or the list's cursor moved while the last document was being
        reopened: the user has started on something (typing a query, choosing in
        the list), and the reopened document must not take the keys that follow."""
        return self._where_the_user_is() != self._before_restoring

    def remembered_position(self, rel_path: str) -> DocumentPosition | None:
        return self.collection_state.positions.get(rel_path)

    def remember_position(self) -> None:
        """Note where the open document is (cursor, top of the screen, progress)."""
        document = self.reader.open_document
        if document is None:
            return
        cursor, top, progress = self.reader.reading_position()
        collection = self.collection_state
        collection.remember(document.rel_path, cursor, top, progress)
        collection.last_document = document.rel_path
        self.document_list.set_progress(document.rel_path, progress)

    def _snapshot(self) -> str:
        self.remember_position()
        state, collection = self.reading_state, self.collection_state
        state.theme = self.theme  # type: ignore[attr-defined]
        state.panes = self.pane_choices  # type: ignore[attr-defined]
        collection.sort_order = self.document_list.sort_order
        collection.last_query = self.query_text or ""  # type: ignore[attr-defined]
        return state.to_json()

    def save_reading_state(self) -> None:
        """Write the state (in a thread) if it changed since it was last written."""
        text = self._snapshot()
        if text != self._saved_json:
            self._saved_json = text
            self._write_reading_state(text, next(_GENERATIONS))

    @work(thread=True, exclusive=True, group="note-counts", exit_on_error=False)
    def count_notes(self) -> None:
        """How many notes each document has, for the list (one SQL query, no re-anchoring)."""
        counts: dict[str, int] = {}
        for note in self.workspace.notes.all(self.workspace.collection.key):
            counts[note.doc_path] = counts.get(note.doc_path, 0) + 1
        self.call_from_thread(self.document_list.set_note_counts, counts)  # type: ignore[attr-defined]

    @work(thread=True, group="reading-state", exit_on_error=False)
    def _write_reading_state(self, text: str, generation: int) -> None:
        self._write(text, generation)

    def _write(self, text: str, generation: int) -> None:
        with _WRITE_LOCK:
            if generation < _written["generation"]:
                return  # a newer snapshot is already on disk
            _written["generation"] = generation
            self.reading_state.save(text)  # a read-only data dir: kept in memory (save_error says why)

    def save_reading_state_now(self) -> None:
        """At quit: write synchronously (a few kB)."""
        if not hasattr(self, "reading_state"):
            return  # quit before on_mount
        text = self._snapshot()
        if text != self._saved_json:
            self._saved_json = text
            self._write(text, next(_GENERATIONS))
