"""Records that searching and indexing hand to their callers.

Kept apart from :mod:`reader.index` so the UI can name them without importing
Whoosh (≈0.3 s) before its first paint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.corpus import SkippedFile

Span = tuple[int, int]  # [start, end) character offsets in a document's clean text


@dataclass(frozen=True)
class SearchHit:
    rel_path: str
    title: str
    score: float
    hits: int  # matches in the document text
    snippet: str  # one line, newlines flattened
    snippet_spans: list[Span]  # hit spans inside the snippet
    source: str = ""
    date: str = ""
    spans: list[Span] = field(default_factory=list)  # every hit in the document text
    note_hits: int = 0  # matches in the document's notes
    via_notes: bool = False  # found through its notes only
    # Spans, hits, note_hits and snippet not computed yet (see DocumentIndex.search's
    # spans_for); DocumentIndex.complete_hits fills them in.
    spans_pending: bool = False
    # The page each span starts on, in the same order; None for a document without
    # pages.  Filled above the index (reader.page_maps.with_pages), not by it.
    pages: list[int] | None = None


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    suggestion: str | None = None  # a corrected query, offered when little was found


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    rebuilt_because: str | None = None
    busy: bool = False  # another process held the index lock; nothing was written

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.removed)} removed",
            f"{self.unchanged} unchanged",
            f"{len(self.skipped)} skipped",
        ]
        return ", ".join(parts)
