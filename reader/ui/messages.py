"""Messages that workers post back to the app (widget messages live on their widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.corpus import Document, SkippedFile
from reader.results import IndexReport, SearchResults, Span
from reader.notes import Note
from reader.workspace import ListedDocument


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


@dataclass
class DocumentFailed(Message):
    rel_path: str
    reason: str


@dataclass
class NotesChanged(Message):
    """The open document's notes after a save, edit or delete."""

    rel_path: str
    notes: list[Note]
    focus_note_id: str | None = None
