"""Messages that workers post back to the app (widget messages live on their widgets),
and :class:`NoteTarget`, what a note editor's draft is saved to."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from reader.corpus import Document, SkippedFile
from reader.results import IndexReport, SearchResults, Span
from reader.note_undo import NoteChange
from reader.notes import Note
from reader.page_maps import PageRange
from reader.ui.note_editor import NoteDraft
from reader.workspace import ListedDocument


@dataclass(frozen=True)
class NoteTarget:
    """Where a draft goes: a new note on text[start:end] of *document* (start None:
    on the whole document), or, with *note*, that existing note of *document*."""

    document: Document
    start: int | None = None
    end: int | None = None
    note: Note | None = None

    @property
    def is_new_highlight(self) -> bool:
        return self.note is None and self.start is not None


@dataclass
class DocumentsListed(Message):
    documents: list[ListedDocument]
    skipped: list[SkippedFile]


@dataclass
class IndexProgress(Message):
    done: int
    total: int


@dataclass
class IndexReady(Message):
    report: IndexReport
    warning: str | None
    quiet: bool = False  # a background refresh (notes changed): no status message
    files_changed: bool = False  # the update followed changes on disk: refresh results


@dataclass
class IndexFailed(Message):
    reason: str


@dataclass
class SearchFinished(Message):
    """``generation`` tags the search that produced it: the app drops any result
    older than its latest search.  None: untagged (always current)."""

    results: SearchResults
    generation: int | None = None
    commit: bool = True  # Enter, not search-as-you-type


@dataclass
class HitsCompleted(Message):
    """Results with more of their pending hits computed (DocumentIndex.complete_hits)."""

    results: SearchResults
    generation: int | None = None


@dataclass
class SearchFailed(Message):
    query: str
    reason: str
    generation: int | None = None
    commit: bool = True


@dataclass
class DocumentLoaded(Message):
    document: Document
    spans: list[Span]
    notes: list[Note]
    query: str
    keep_position: bool = False  # a re-highlight for a new query: keep the reader's place
    focus_note_id: str | None = None  # opened from the overview: show this note
    reloaded: bool = False  # the open file changed on disk: new text, same place


@dataclass
class DocumentFailed(Message):
    rel_path: str
    reason: str
    reloaded: bool = False


@dataclass
class NotesChanged(Message):
    """A document's notes after a save, edit, delete, undo or re-attach, or after
    another copy of the app changed them (*elsewhere*)."""

    rel_path: str
    notes: list[Note]
    focus_note_id: str | None = None
    status: str = "Notes saved"
    elsewhere: bool = False


@dataclass
class NoteSaveFailed(Message):
    """Saving *draft* failed: the app says why and reopens the editor with it.
    After a conflict, *target* holds the note as it is now."""

    target: NoteTarget
    draft: NoteDraft
    reason: str
    conflict: bool = False


@dataclass
class NoteActionFailed(Message):
    """A delete, undo or re-attach failed; *title* and *reason* are for the user."""

    title: str
    reason: str


@dataclass
class NoteChangeMade(Message):
    """A note was created, edited, re-attached or deleted: ``u`` can take it back."""

    change: NoteChange


@dataclass
class NoteUndone(Message):
    """An undo went through: *note* is the note as it is now."""

    note: Note


@dataclass
class NoteUndoFailed(Message):
    change: NoteChange
    reason: str
    retry: bool  # worth another `u` later (busy), rather than gone for good (conflict)


@dataclass
class DraftFound(Message):
    """A note left unsaved by an earlier run (a crash), and where it goes now."""

    target: NoteTarget
    draft: NoteDraft
    explanation: str  # how its target was found again, for the user


@dataclass
class AllNotesLoaded(Message):
    """Every note of the collection, for the overview, with the pages of those in
    paginated documents (by note id)."""

    notes: list[Note]
    pages: dict[str, PageRange] = field(default_factory=dict)


@dataclass
class NotesOpened(Message):
    """The note store is open; why it is read-only, if it is."""

    read_only_reason: str | None


class NotesChangedElsewhere(Message):
    """Another copy of the app (or the CLI) committed a change to the notes."""


@dataclass
class FilesChanged(Message):
    """Documents were added, changed, removed or renamed in the folder."""

    paths: set[str]


@dataclass
class WatchFailed(Message):
    reason: str
