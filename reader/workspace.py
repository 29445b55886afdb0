"""A documents folder with its index and notes: what the CLI and the TUI work on.

Everything here is plain Python (no Textual), opened lazily so that whoever
uses it pays only for what it touches: listing notes never imports Whoosh.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import PurePosixPath
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from reader import corpus
from reader.anchoring import AnchorState, make_anchor
from reader.corpus import CatalogEntry, Document
from reader.manifest import ManifestEntry, read_manifest
from reader.notes import DEFAULT_COLOUR, Note, NoteKind, NoteStore
from reader.page_maps import PageMaps, PageRange, with_pages
from reader.paths import Collection, DataLayout
from reader.results import SearchResults

if TYPE_CHECKING:
    from reader.index import DocumentIndex


class ListedDocument(NamedTuple):
    """A row of the document list (a named tuple: the list at start makes 10,000
    of them before its first paint, three times faster than a frozen dataclass)."""

    rel_path: str
    title: str
    source: str = ""
    date: str = ""


class Workspace:
    """One collection and its data: the catalog, the note store and the index,
    each opened on first use.  Workers of the app use it from several threads, so
    each is opened under a lock (``functools.cached_property`` has none since
    Python 3.12: two threads could open two note stores or two indexes)."""

    def __init__(self, collection: Collection, layout: DataLayout) -> None:
        self.collection = collection
        self.layout = layout
        self.index_warning: str | None = None
        self._opening = threading.RLock()
        self._catalog: dict[str, CatalogEntry] | None = None
        self._notes: NoteStore | None = None
        self._index: DocumentIndex | None = None
        self.page_maps = PageMaps(collection.root, self.read, lambda: self.catalog)
        #: The last listing showed some PDF or book by its file name (not extracted
        #: yet): list again once the index build has extracted it.
        self.listed_unread = False

    @property
    def catalog(self) -> dict[str, CatalogEntry]:
        with self._opening:
            if self._catalog is None:
                self._catalog = corpus.load_catalog(self.collection.root)
            return self._catalog

    @property
    def notes(self) -> NoteStore:
        with self._opening:
            if self._notes is None:
                self._notes = NoteStore(self.layout.notes_db)
            return self._notes

    @property
    def index(self) -> DocumentIndex:
        with self._opening:
            if self._index is None:
                from reader.index import open_index  # Whoosh costs ~0.3 s to import

                self._index, self.index_warning = open_index(
                    self.layout.index_dir(self.collection), self.collection.root, self.collection.key,
                    notes_provider=self.note_texts_by_document, extraction_cache=self.layout.extraction_cache,
                )
            return self._index

    def note_texts_by_document(self) -> dict[str, str]:
        """Each document's note texts, for the index (the database stays their home)."""
        texts: dict[str, list[str]] = {}
        for note in self.notes.all(self.collection.key):
            if note.body:
                texts.setdefault(note.doc_path, []).append(note.body)
        return {doc_path: "\n\n".join(bodies) for doc_path, bodies in texts.items()}

    def read_manifest(self) -> dict[str, ManifestEntry]:
        """What the index last held, per file (empty without an index)."""
        return read_manifest(self.layout.index_dir(self.collection)) or {}

    def last_indexed_documents(self, manifest: dict[str, ManifestEntry] | None = None) -> list[ListedDocument]:
        """The documents as they were when last indexed, in path order, without
        looking at the folder: what the list shows until :meth:`list_documents`
        has checked the folder (empty without an index)."""
        known = self.read_manifest() if manifest is None else manifest
        return [ListedDocument(rel_path, entry.title, entry.source, entry.date)
                for rel_path, entry in sorted(known.items())]

    def list_documents(
        self, manifest: dict[str, ManifestEntry] | None = None,
    ) -> tuple[list[ListedDocument], list[corpus.SkippedFile]]:
        """All documents with titles.  Titles of files unchanged since they were
        indexed come from the index's manifest (one small JSON file, read here
        unless *manifest* is given), so listing 10,000 documents reads 10,000
        directory entries, not 10,000 files."""
        scan = corpus.scan(self.collection.root)
        known = self.read_manifest() if manifest is None else manifest
        listed: list[ListedDocument] = []
        skipped = list(scan.problems)
        self.listed_unread = False
        for entry in scan.files:
            cached = known.get(entry.rel_path)
            if cached is not None and (cached.size, cached.mtime_ns) == (entry.size, entry.mtime_ns):
                listed.append(ListedDocument(entry.rel_path, cached.title, cached.source, cached.date))
                continue
            try:
                if entry.rel_path.lower().endswith(corpus.EXTRACTED_SUFFIXES):
                    listed.append(self._listed_without_extracting(entry))
                    continue
                document = corpus.read_document(entry, self.catalog, self.layout.extraction_cache)
            except corpus.UnreadableDocument as error:
                skipped.append(corpus.SkippedFile(entry.rel_path, str(error)))
                continue
            listed.append(
                ListedDocument(document.rel_path, document.title, document.source, document.date)
            )
        return listed, skipped

    def _listed_without_extracting(self, entry: corpus.FileEntry) -> ListedDocument:
        """A PDF, web page or book as the extraction cache knows it; one not read
        yet is listed by its file name (extracting 200 PDFs here would keep the
        list empty for a minute at first start): the index build extracts it, in
        its worker processes, and the list is refreshed when the build is done.
        Raises :class:`corpus.UnreadableDocument` for a file known to be unreadable."""
        from reader.formats.reading import read_extracted

        catalog_entry = self.catalog.get(entry.rel_path, CatalogEntry())
        document = read_extracted(entry, catalog_entry, self.layout.extraction_cache, cached_only=True)
        if document is None:
            self.listed_unread = True
            title = catalog_entry.title or PurePosixPath(entry.rel_path).name
            return ListedDocument(entry.rel_path, title, catalog_entry.source, catalog_entry.date)
        return ListedDocument(document.rel_path, document.title, document.source, document.date)

    def read(self, rel_path: str) -> Document:
        document = corpus.read_document_at(self.collection.root, rel_path, self.catalog,
                                           self.layout.extraction_cache)
        self.page_maps.remember(document)
        return document

    def with_pages(self, results: SearchResults) -> SearchResults:
        """*results* with each hit's page (``SearchHit.pages``), for paginated documents."""
        return with_pages(results, self.page_maps.get)

    def note_pages(self, notes: Iterable[Note]) -> dict[str, PageRange]:
        """The pages of each note (by id) placed in a paginated document."""
        return self.page_maps.for_notes(notes)

    def notes_for(self, document: Document) -> list[Note]:
        """The document's notes, re-anchored to its current text; notes of a file
        that was renamed to this one (same content, old path gone) come along."""
        strays = [
            note for note in self.notes.with_hash(self.collection.key, document.content_hash)
            if note.doc_path != document.rel_path
            and not (self.collection.root / note.doc_path).exists()
        ]
        self.notes.save_placement([replace(note, doc_path=document.rel_path) for note in strays])
        return self.notes.reanchor_document(
            self.collection.key, document.rel_path, document.text, document.content_hash
        )

    def all_notes(self) -> list[Note]:
        """Every note of this collection, re-anchored to the documents as they are on
        disk now (what ``notes list`` and ``notes export`` show).

        A note whose document is gone is marked :attr:`AnchorState.MISSING` (never
        dropped); if a document with the very same content exists under another
        path (the file was renamed or moved), the note follows it there."""
        by_document: dict[str, list[Note]] = {}
        for note in self.notes.all(self.collection.key):
            by_document.setdefault(note.doc_path, []).append(note)
        result: list[Note] = []
        missing: list[Note] = []
        for doc_path in sorted(by_document):
            try:
                document = self.read(doc_path)
            except corpus.UnreadableDocument:
                missing.extend(by_document[doc_path])
                continue
            result.extend(self.notes_for(document))
        if missing:
            result.extend(self._follow_renamed_documents(missing))
        return result

    def _follow_renamed_documents(self, missing: list[Note]) -> list[Note]:
        # Reads every document, but only when some note lost its document.  A
        # document with a missing note's content hash adopts it in notes_for().
        wanted = {note.doc_hash for note in missing}
        adopted: dict[str, Note] = {}
        for entry in corpus.scan(self.collection.root).files:
            try:
                document = corpus.read_document(entry, self.catalog, self.layout.extraction_cache)
            except corpus.UnreadableDocument:
                continue
            if document.content_hash in wanted:
                adopted.update((note.id, note) for note in self.notes_for(document))
                wanted.discard(document.content_hash)
                if not wanted:
                    break
        return [adopted.get(note.id, replace(note, state=AnchorState.MISSING)) for note in missing]

    def add_note(
        self, document: Document, start: int | None, end: int | None, body: str,
        *, tags: Iterable[str] | str = (), colour: str = DEFAULT_COLOUR,
        kind: NoteKind | None = None,
    ) -> Note:
        """Save a note on the passage *start*–*end* of *document*, or on the whole
        document when *start* is None."""
        anchor = None if start is None or end is None else make_anchor(document.text, start, end)
        return self.notes.add(
            self.collection.key, document.rel_path, document.content_hash, anchor, body,
            tags=tags, colour=colour, kind=kind,
        )

    def reattach_note(self, note: Note, document: Document, start: int, end: int) -> Note:
        """Attach *note* (an orphan, usually) to a passage the user selected."""
        return self.notes.reattach(
            note, document.rel_path, document.content_hash, make_anchor(document.text, start, end)
        )
