"""Page citations: the page a search hit or a note is on, read from each
document's page map (``Document.pages``: the offset where each page starts).

Paginated documents are PDFs (once a format fills ``pages``) and plain text with
form feeds (``pdftotext`` output); everything else has no pages, and says so with
``None`` rather than a made-up page 1.

Cost: the index does not keep page maps, so a search's hits need their
documents' maps from somewhere.  :class:`PageMaps` keeps each map while the
file's size and modification time stay the same; a map it does not know costs,
for plain text, one read of the file's bytes and a search for a form-feed byte
(C speed; the search has just read the same file for its snippet, so it is in
the page cache), and only a file that has form feeds is decoded (not cleaned,
hashed or titled: the offsets do not depend on those).  Other formats
are read through :func:`reader.corpus.read_document` (for PDFs that is the
extraction cache).  Opening a document in the reader fills the map for free.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from reader.corpus import (
    CatalogEntry,
    Document,
    UnreadableDocument,
    decode,
    encoding_override,
    form_feed_pages,
    page_at,
    read_file_bytes,
    resolve_inside,
)
from reader.notes import Note, NoteKind
from reader.results import SearchResults, Span

#: Suffixes read as plain text, where only a form feed makes pages.
PLAIN_TEXT_SUFFIXES = (".txt", ".md")
_FORM_FEED = b"\x0c"  # the same byte in UTF-8, Latin-1, UTF-16 and UTF-32
MAX_REMEMBERED = 20_000  # page maps kept (most are empty: a few bytes each)

PageMap = tuple[int, ...]
PageRange = tuple[int, int]  # (first page, last page), 1-based


def pages_of_spans(pages: Sequence[int], spans: Iterable[Span]) -> list[int] | None:
    """The page each span starts on, in the spans' order; None without pages."""
    if not pages:
        return None
    return [page_at(pages, start) or 1 for start, _end in spans]


def passage_pages(pages: Sequence[int], start: int, end: int) -> PageRange | None:
    """The first and last page of text[start:end]; None without pages."""
    first = page_at(pages, start)
    if first is None:
        return None
    last = page_at(pages, max(end - 1, start)) or first
    return first, last


def page_label(pages: PageRange) -> str:
    """``p. 57`` for one page, ``pp. 57–58`` for a passage over several."""
    first, last = pages
    return f"p. {first}" if first == last else f"pp. {first}–{last}"


def hits_pages_label(pages: Sequence[int]) -> str:
    """Where a document's hits are: ``p. 57`` when all on one page, else the first
    and last page with a hit (``pp. 3–57``)."""
    return page_label((min(pages), max(pages))) if pages else ""


def note_pages(note: Note, pages: Sequence[int]) -> PageRange | None:
    """The pages of a note's passage in a document with page map *pages*; None for
    a note on the whole document, a note without a passage (orphaned, document
    missing), or a document without pages."""
    if note.kind == NoteKind.DOCUMENT or not note.is_placed:
        return None
    return passage_pages(pages, note.start, note.end)


def with_pages(results: SearchResults, page_map: Callable[[str], PageMap]) -> SearchResults:
    """*results* with each hit's ``pages`` filled from its document's page map."""
    hits = [replace(hit, pages=pages_of_spans(page_map(hit.rel_path), hit.spans)) for hit in results.hits]
    return replace(results, hits=hits)


def _plain_text_pages(data: bytes, encoding: str | None) -> PageMap:
    """The page map :func:`reader.corpus.read_document` gives a plain-text file of
    bytes *data* (*encoding*: catalog.toml's for it), without what it does besides
    (cleaning, hashing, the title): decoding and the form feeds are all the offsets
    depend on, since cleaning replaces characters one for one.  Raises
    :class:`UnreadableDocument`."""
    if _FORM_FEED not in data:
        return ()
    text, _encoding = decode(data, encoding)
    return form_feed_pages(text)[1]


class PageMaps:
    """The page map of each document of a collection, by path, kept while the
    file's size and mtime are unchanged.  Safe to use from several threads."""

    def __init__(self, root: Path, read: Callable[[str], Document],
                 catalog: Callable[[], dict[str, CatalogEntry]] | None = None) -> None:
        self.root = root
        self._read = read  # a document by path (for formats other than plain text)
        self._catalog = catalog  # catalog.toml (its encodings), as the documents are read with
        self._known: dict[str, tuple[int, int, PageMap]] = {}  # path: (size, mtime_ns, pages)
        self._lock = threading.Lock()

    def remember(self, document: Document) -> None:
        """Keep *document*'s page map (it has just been read anyway)."""
        self._keep(document.rel_path, document.size, document.mtime_ns, document.pages)

    def _keep(self, rel_path: str, size: int, mtime_ns: int, pages: PageMap) -> None:
        with self._lock:
            self._known.pop(rel_path, None)  # re-inserted last: the oldest go first
            self._known[rel_path] = (size, mtime_ns, pages)
            while len(self._known) > MAX_REMEMBERED:
                del self._known[next(iter(self._known))]

    def get(self, rel_path: str) -> PageMap:
        """The page map of the document at *rel_path*; ``()`` when it has no pages
        or cannot be read (a page citation is never worth an error)."""
        try:
            path = resolve_inside(self.root, rel_path)
            stat = os.stat(path)
        except (OSError, UnreadableDocument):
            return ()
        with self._lock:
            known = self._known.get(rel_path)
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        if rel_path.lower().endswith(PLAIN_TEXT_SUFFIXES):
            catalog = self._catalog() if self._catalog is not None else None
            try:  # never blocks, as the reader's own reads (a pipe put where a file was)
                pages = _plain_text_pages(read_file_bytes(path), encoding_override(catalog, rel_path))
            except UnreadableDocument:
                return ()
            self._keep(rel_path, stat.st_size, stat.st_mtime_ns, pages)
            return pages
        try:
            document = self._read(rel_path)
        except UnreadableDocument:
            return ()
        self.remember(document)
        return document.pages

    def for_notes(self, notes: Iterable[Note]) -> dict[str, PageRange]:
        """The pages of each note (by id) that has some (see :func:`note_pages`)."""
        result: dict[str, PageRange] = {}
        maps: dict[str, PageMap] = {}
        for note in notes:
            if note.kind == NoteKind.DOCUMENT or not note.is_placed:
                continue
            if note.doc_path not in maps:
                maps[note.doc_path] = self.get(note.doc_path)
            pages = note_pages(note, maps[note.doc_path])
            if pages is not None:
                result[note.id] = pages
        return result



_PAGE_TYPED = re.compile(r"(?:pp?\.?\s*)?(\d{1,9})", re.IGNORECASE)


def parse_page_number(typed: str, total: int) -> int:
    """The page a user typed (``57``, ``p. 57``, ``p57``) in a document of *total*
    pages; raises :class:`ValueError` with a one-line message for anything else."""
    text = typed.strip()
    if not text:
        raise ValueError(f"Type a page number, 1–{total}.")
    match = _PAGE_TYPED.fullmatch(text)
    if match is None:
        shown = text if len(text) <= 20 else text[:19] + "…"
        raise ValueError(f"“{shown}” is not a page number: type 1–{total}.")
    page = int(match.group(1))
    if not 1 <= page <= total:
        raise ValueError(f"No page {page}: this document has pages 1–{total}.")
    return page
