"""A file in an extracted format as a :class:`reader.corpus.Document`, through the cache."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import overload

from reader import corpus, formats
from reader.corpus import CatalogEntry, Document, FileEntry, UnreadableDocument
from reader.formats import Extraction, limits, registry
from reader.formats.cache import ExtractionCache


def extracted_content_hash(data: bytes, name: str = "") -> str:
    """The content hash of a file read through an extractor: its bytes and its
    format's extractor version (so a new extractor is a new text, and notes
    re-anchor), not its name (so a renamed file keeps its notes; *name* only
    breaks a tie when the content does not tell the format).

    A format still at version 1 hashes as every format did when there was one
    version for all, so a new HTML extractor leaves the PDFs' hashes, caches,
    index entries and notes as they were."""
    kind = registry.kind_of(data, name)
    version = formats.extractor_version(kind)
    digest = hashlib.sha256(data)
    salt = "1" if version == 1 else f"{kind} {version}"
    digest.update(f"\0iatse-reader extractor {salt}".encode("ascii"))
    return digest.hexdigest()


def extract_file(data: bytes, name: str) -> Extraction:
    """Extract and clean *data*, within the time limit. Raises :class:`UnreadableDocument`."""
    seconds = limits.SECONDS_PER_FILE
    try:
        with limits.time_limit(seconds):
            raw = registry.extract(data, name, limits.Deadline(seconds))
    except UnreadableDocument:
        raise
    except RecursionError as error:
        raise UnreadableDocument("nested too deeply to read") from error
    except MemoryError as error:
        raise UnreadableDocument("too large to read in memory") from error
    except Exception as error:  # a library's bug on a strange file: that file is skipped, not the run
        raise UnreadableDocument(f"could not be read ({type(error).__name__})") from error
    text = corpus.clean_text(raw.text)  # one for one: extractors leave no "\r"
    if not text.strip():
        raise UnreadableDocument("no text (only white space)")
    return Extraction(raw.kind, text, raw.pages, *(corpus.clean_text(" ".join(value.split()))
                                                   for value in (raw.title, raw.author, raw.date, raw.source)))


_PLACEHOLDER_TITLES = re.compile(r"^(untitled(\s+document)?|document\d*|slide\s*\d+|title)$", re.IGNORECASE)
_WORD_PROCESSOR_PREFIX = re.compile(r"^microsoft (word|powerpoint) - ", re.IGNORECASE)


def _meaningful_title(title: str) -> str:
    """A metadata title, unless it is a program's placeholder ("untitled",
    "Microsoft Word - memo.docx" loses its prefix and suffix)."""
    title = _WORD_PROCESSOR_PREFIX.sub("", title.strip())
    if title.lower().endswith((".doc", ".docx", ".rtf", ".odt")):
        title = title.rsplit(".", 1)[0]
    return "" if _PLACEHOLDER_TITLES.match(title) else title


@overload
def read_extracted(entry: FileEntry, catalog_entry: CatalogEntry, cache_folder: Path | None) -> Document: ...


@overload
def read_extracted(entry: FileEntry, catalog_entry: CatalogEntry, cache_folder: Path | None,
                   cached_only: bool) -> Document | None: ...


def read_extracted(
    entry: FileEntry, catalog_entry: CatalogEntry, cache_folder: Path | None, cached_only: bool = False,
) -> Document | None:
    """The document *entry* holds, from the cache when it has it, else extracted
    (and cached).  With *cached_only*, None instead of extracting."""
    cache = ExtractionCache(cache_folder) if cache_folder is not None else None
    found: Extraction | str | None = None
    digest = cache.content_hash_of(entry.location, entry.size, entry.mtime_ns) if cache else None
    if cache is not None and digest is not None:
        found = cache.load(digest)
    if found is None and cached_only:
        return None
    if found is None:
        data = corpus.read_file_bytes(entry.location)  # never blocks; the size limit
        digest = extracted_content_hash(data, entry.rel_path)
        found = cache.load(digest) if cache is not None else None  # the same bytes, renamed or touched
        if found is None:
            try:
                found = extract_file(data, entry.rel_path)
            except limits.TookTooLong:
                raise  # not remembered: on a less loaded machine it may read in time
            except UnreadableDocument as error:
                found = str(error)
            if cache is not None:
                if isinstance(found, str):
                    cache.store_unreadable(digest, found)  # a bad file is not read again at each start
                else:
                    cache.store(digest, found)
        if cache is not None:
            cache.remember_file(entry.location, entry.size, entry.mtime_ns, digest)
    if isinstance(found, str):
        raise UnreadableDocument(found)
    assert digest is not None
    title = (catalog_entry.title or _meaningful_title(found.title)
             or corpus.title_from_text(found.text, Path(entry.rel_path).stem))
    if len(title) > corpus.MAX_TITLE_LENGTH:
        title = title[: corpus.MAX_TITLE_LENGTH - 1].rstrip() + "…"
    return Document(
        rel_path=entry.rel_path, path=entry.path, title=corpus.clean_text(title), text=found.text,
        content_hash=digest, size=entry.size, mtime_ns=entry.mtime_ns, encoding="", kind=found.kind,
        source=catalog_entry.source or found.source, date=catalog_entry.date or found.date,
        author=found.author, pages=found.pages,
    )
