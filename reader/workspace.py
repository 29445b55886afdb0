"""A documents folder with its index and notes: what the CLI and the TUI work on.

Everything here is plain Python (no Textual), opened lazily so that whoever
uses it pays only for what it touches: listing notes never imports Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from reader import corpus
from reader.anchoring import make_anchor
from reader.corpus import CatalogEntry, Document
from reader.notes import Note, NoteStore
from reader.paths import Collection, DataLayout

if TYPE_CHECKING:
    from reader.index import DocumentIndex


@dataclass(frozen=True)
class ListedDocument:
    """A row of the document list."""

    rel_path: str
    title: str
    source: str = ""
    date: str = ""


class Workspace:
    def __init__(self, collection: Collection, layout: DataLayout) -> None:
        self.collection = collection
        self.layout = layout
        self.index_warning: str | None = None

    @cached_property
    def catalog(self) -> dict[str, CatalogEntry]:
        return corpus.load_catalog(self.collection.root)

    @cached_property
    def notes(self) -> NoteStore:
        return NoteStore(self.layout.notes_db)

    @cached_property
    def index(self) -> DocumentIndex:
        from reader.index import open_index  # Whoosh costs ~0.3 s to import

        document_index, warning = open_index(
            self.layout.index_dir(self.collection), self.collection.root, self.collection.key,
            notes_provider=self.note_texts_by_document,
        )
        self.index_warning = warning
        return document_index

    def note_texts_by_document(self) -> dict[str, str]:
        """Each document's note texts, for the index (the database stays their home)."""
        texts: dict[str, list[str]] = {}
        for note in self.notes.all(self.collection.key):
            if note.body:
                texts.setdefault(note.doc_path, []).append(note.body)
        return {doc_path: "\n\n".join(bodies) for doc_path, bodies in texts.items()}

    def list_documents(self) -> tuple[list[ListedDocument], list[corpus.SkippedFile]]:
        """All documents with titles, read from disk (cheap for small folders)."""
        scan = corpus.scan(self.collection.root)
        listed: list[ListedDocument] = []
        skipped = list(scan.problems)
        for entry in scan.files:
            try:
                document = corpus.read_document(entry, self.catalog)
            except corpus.UnreadableDocument as error:
                skipped.append(corpus.SkippedFile(entry.rel_path, str(error)))
                continue
            listed.append(
                ListedDocument(document.rel_path, document.title, document.source, document.date)
            )
        return listed, skipped

    def read(self, rel_path: str) -> Document:
        return corpus.read_document_at(self.collection.root, rel_path, self.catalog)

    def notes_for(self, document: Document) -> list[Note]:
        """The document's notes, re-anchored to its current text."""
        return self.notes.reanchor_document(
            self.collection.key, document.rel_path, document.text, document.content_hash
        )

    def all_notes(self) -> list[Note]:
        """Every note of this collection, re-anchored to the documents as they are now."""
        result: list[Note] = []
        by_document: dict[str, list[Note]] = {}
        for note in self.notes.all(self.collection.key):
            by_document.setdefault(note.doc_path, []).append(note)
        for doc_path, notes in by_document.items():
            try:
                document = self.read(doc_path)
            except corpus.UnreadableDocument:
                result.extend(notes)  # document missing: keep its notes as they are
                continue
            result.extend(self.notes_for(document))
        return result

    def add_note(self, document: Document, start: int, end: int, body: str) -> Note:
        anchor = make_anchor(document.text, start, end)
        return self.notes.add(
            self.collection.key, document.rel_path, document.content_hash, anchor, body
        )
