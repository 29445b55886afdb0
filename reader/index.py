"""The Whoosh index: schema, incremental build, search, hit spans and snippets.

One index per documents folder, under the data directory.  The index is derived
data: whenever it is missing, unreadable, or built with another schema it is
deleted and rebuilt, and the caller is told why.  Document text is *not* stored
in the index (it is read from disk when shown); the ``content`` fields keep
positions and character offsets so hits are located from the postings, without
re-tokenising the text.

Each text field has a stemmed version (words, phrases) and an unstemmed twin
(wildcards, fuzzy terms, spelling suggestions); see :mod:`reader.query`.
A document's notes are indexed with it, in the ``note`` fields, from the notes
database (which stays their only home): a digest of the note texts is stored,
and a document whose notes changed is re-indexed at the next update.

Many files to index (a first build, a big batch) are indexed by worker
processes, each writing whole segments that are then adopted into the index;
a few are indexed in process.  An update that finds nothing changed is told so
by the folder state (:mod:`reader.manifest`) without opening Whoosh, which
opens on first use.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import fields, index
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import W3Codec
from whoosh.collectors import TopCollector, UnlimitedCollector
from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.query import FuzzyTerm, NullQuery, Or, Phrase, Prefix, Query, SpanNear2, Term, Wildcard
from whoosh.query.spans import Span as WhooshSpan
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from reader import corpus
from reader.corpus import CatalogEntry, Document, FileEntry, SkippedFile, UnreadableDocument
from reader.manifest import (
    FolderState,
    ManifestEntry,
    listing_digest,
    manifest_stamp,
    read_folder_state,
    read_manifest,
    write_folder_state,
    write_manifest,
)
from reader.query import (
    MAX_QUERY_LENGTH,
    QueryCompiler,
    QueryError,
    exact_analyzer,
    leaves_in_fields,
    pair_text,
    pairs_analyzer,
    plain_words,
    stemming_analyzer,
)
from reader.results import IndexReport, SearchHit, SearchResults, Span
from reader.vocabulary import Vocabulary, nearest

__all__ = [
    "MAX_QUERY_LENGTH", "DocumentIndex", "IndexUnavailable", "QueryError", "SearchHit",
    "SearchResults", "IndexReport", "Span", "make_schema", "make_snippet", "merge_spans",
    "open_index",
]

# 3: plain segment files (a v2 index, compound, held a copy of itself per searcher;
# it is rebuilt once, in the background, searchable from its first commit).
# 4: every word indexed (stop words and one-letter words: phrases need them);
# terminal escape sequences are not words (see reader.query.WordTokenizer).
SCHEMA_VERSION = 4
SNIPPET_WIDTH = 120
SNIPPET_COUNT = 20  # results that get a snippet (read from disk); the rest show title and hit count
FEW_RESULTS = 1  # at most this many results: offer a corrected query
_META_FILE = "reader-index.json"
# Partial commits keep search usable during a long build: the first after 1 s,
# then at doubling intervals up to 30 s.  Each commit flushes a segment and
# merges small ones; committing every second spent 1.8x the indexing itself.
_FIRST_COMMIT_SECONDS = 1.0
_MAX_COMMIT_SECONDS = 30.0
_WRITER_LIMIT_MB = 256  # Whoosh's pool size before it spills runs to disk (default 128)
# An update that leaves at least this many segments starts a merge of them all, in
# the background (see DocumentIndex._schedule_merge).  A parallel build leaves ~10;
# Whoosh's own merging at each in-process commit keeps small updates below this.
MERGE_MIN_SEGMENTS = 3
_CONTENT_FIELDS = {"content", "content_exact", "content_pairs"}
_NOTE_FIELDS = {"note", "note_exact"}

NotesProvider = Callable[[], dict[str, str]]  # document path -> its notes' text


def make_schema() -> fields.Schema:
    stemmed, exact = stemming_analyzer(), exact_analyzer()
    return fields.Schema(
        path=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        title_exact=fields.TEXT(analyzer=exact, field_boost=2.0),
        content=fields.TEXT(analyzer=stemmed, phrase=True, chars=True),
        content_exact=fields.TEXT(analyzer=exact, phrase=False, chars=True),
        # Adjacent stemmed words as one term: phrases look up pairs (see _with_pairs).
        content_pairs=fields.TEXT(analyzer=pairs_analyzer(), phrase=True, chars=True),
        source=fields.TEXT(analyzer=exact, stored=True),
        note=fields.TEXT(analyzer=stemmed, stored=True, phrase=True, chars=True),
        note_exact=fields.TEXT(analyzer=exact, phrase=False, chars=True),
        date=fields.STORED(),
        size=fields.STORED(),
        mtime_ns=fields.STORED(),
        content_hash=fields.STORED(),
        notes_digest=fields.STORED(),
    )


def notes_digest(note_text: str) -> str:
    return hashlib.sha1(note_text.encode("utf-8")).hexdigest() if note_text else ""


class IndexUnavailable(RuntimeError):
    """The index can neither be opened nor created (for example a read-only disk)."""


ProgressCallback = Callable[[int, int], None]


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def make_snippet(text: str, spans: list[Span], width: int = SNIPPET_WIDTH) -> tuple[str, list[Span]]:
    """The *width*-character window holding the most hits, on one line.

    *spans* are sorted and non-overlapping (as :func:`merge_spans` returns them),
    so their ends are sorted too and each window's count is one bisection."""
    if not spans:
        window_start = 0
    else:
        ends = [end for _start, end in spans]
        best_count, window_start = -1, spans[0][0]
        for index_, (start, _end) in enumerate(spans):
            count = bisect_right(ends, start + width, lo=index_) - index_
            if count > best_count:
                best_count, window_start = count, start
        window_start = max(0, window_start - width // 4)
        # Start on a word boundary so the snippet does not open mid-word.
        boundary = text.rfind(" ", max(0, window_start - 15), window_start + 1)
        if boundary != -1 and window_start:
            window_start = boundary + 1
    window_end = min(len(text), window_start + width)
    fragment = text[window_start:window_end].replace("\n", " ").replace("\t", " ")
    prefix = "…" if window_start > 0 else ""
    suffix = "…" if window_end < len(text) else ""
    shift = len(prefix) - window_start
    inside = [
        (max(start, window_start) + shift, min(end, window_end) + shift)
        for start, end in spans
        if start < window_end and end > window_start
    ]
    return prefix + fragment + suffix, inside


class DocumentIndex:
    """The index of one documents folder.  Safe to search from one thread while
    another thread updates it."""

    def __init__(
        self,
        index_dir: Path,
        collection_root: Path,
        collection_key: str,
        notes_provider: NotesProvider | None = None,
        extraction_cache: Path | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.extraction_cache = extraction_cache  # where extracted formats' text is kept (reader.formats)
        self.collection_root = collection_root
        self.collection_key = collection_key
        self.notes_provider = notes_provider
        self.schema = make_schema()
        self._queries = QueryCompiler(self.schema)
        self._ix: index.Index | None = None
        self._searcher: Searcher | None = None
        self._lock = threading.RLock()
        self._merging: threading.Thread | None = None
        # The vocabularies of the current searcher's generation, by field (see _vocabulary).
        self._vocabularies: tuple[Searcher | None, dict[str, Vocabulary]] = (None, {})
        self.merge_error: str | None = None  # why the last background merge failed, if it did
        self.opened_because: str | None = None  # why the index was (re)created, if it was

    # -- opening -----------------------------------------------------------

    def _meta(self) -> dict[str, object]:
        return {"schema": SCHEMA_VERSION, "collection": self.collection_key}

    def open(self) -> None:
        """Open the index, or create it when missing, damaged or outdated."""
        with self._lock:
            reason = self._problem_with_existing()
            if reason is None:
                try:
                    self._ix = index.open_dir(str(self.index_dir))
                    # Opening a searcher touches the segment files, and the first
                    # search reuses it.
                    self._searcher = self._ix.searcher()
                    return
                except Exception as error:  # corrupt files surface as many error types
                    reason = f"the index was unreadable ({type(error).__name__}); rebuilding"
            self._create(reason)

    def open_lazily(self) -> None:
        """Like :meth:`open`, but when the index looks present and current, leave
        opening Whoosh to its first use: a start-up that finds nothing changed
        (see :meth:`update`) never needs it.  A damaged index is then found, and
        rebuilt, on first use."""
        with self._lock:
            if self._ix is None and not (self._meta_is_current() and _latest_generation(self.index_dir)):
                self.open()

    def _meta_is_current(self) -> bool:
        try:
            return json.loads((self.index_dir / _META_FILE).read_text(encoding="utf-8")) == self._meta()
        except (OSError, ValueError):
            return False

    def _problem_with_existing(self) -> str | None:
        if not self.index_dir.exists():
            return "no index yet; building it"
        try:
            # exists_in() opens the table of contents; a damaged one raises.
            if not index.exists_in(str(self.index_dir)):
                return "no index yet; building it"
        except Exception as error:  # corrupt files surface as many error types
            return f"the index was unreadable ({type(error).__name__}); rebuilding"
        try:
            meta = json.loads((self.index_dir / _META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "the index has no version record; rebuilding"
        if meta != self._meta():
            return "the index was built by another version; rebuilding"
        return None

    def _create(self, reason: str) -> None:
        try:
            if self.index_dir.exists():
                shutil.rmtree(self.index_dir)
            self.index_dir.mkdir(parents=True, exist_ok=True)
            self._ix = index.create_in(str(self.index_dir), self.schema)
            (self.index_dir / _META_FILE).write_text(json.dumps(self._meta()), encoding="utf-8")
        except OSError as error:
            raise IndexUnavailable(
                f"cannot create the index in {self.index_dir}: {error.strerror or error}"
            ) from error
        self.opened_because = reason

    @property
    def ix(self) -> index.Index:
        if self._ix is None:
            self.open()
        assert self._ix is not None
        return self._ix

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def searcher(self) -> Searcher:
        """A searcher reused between queries, refreshed when the index changed."""
        with self._lock:
            ix = self.ix  # first: opening the index opens a searcher too (see open())
            if self._searcher is not None and not self._searcher.up_to_date():
                # Not Searcher.refresh(): whoosh3 3.54 fails reusing a one-segment reader.
                self._searcher.close()
                self._searcher = None
            if self._searcher is None:
                self._searcher = ix.searcher()
            return self._searcher

    # -- updating ----------------------------------------------------------

    def indexed_files(self) -> dict[str, dict[str, object]]:
        with self._lock:
            return {fields_["path"]: fields_ for fields_ in self.searcher().all_stored_fields()}

    def indexed_entries(self) -> tuple[dict[str, ManifestEntry], bool]:
        """What is indexed, per file: from the manifest when it is in step with the
        index (fast), else from the stored fields.  The flag says whether the
        manifest was used."""
        # The count from the table of contents: Index.doc_count() opens every segment.
        documents = sum(segment.doc_count() for segment in self.ix._segments())
        manifest = read_manifest(self.index_dir, expected_count=documents)
        if manifest is not None:
            return manifest, True
        entries = {
            str(stored["path"]): ManifestEntry(
                int(stored.get("size", -1)), int(stored.get("mtime_ns", -1)),
                str(stored.get("notes_digest", "")), str(stored.get("title", "")),
                str(stored.get("source", "")), str(stored.get("date", "")),
                str(stored.get("content_hash", "")),
            )
            for stored in self.indexed_files().values()
        }
        return entries, False

    def update(
        self,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        rebuild: bool = False,
    ) -> IndexReport:
        """Bring the index up to date with the folder and the notes: only new,
        changed and removed files (and files whose notes changed) are touched.
        Commits in batches so searches see partial progress."""
        if rebuild:
            self.wait_for_merge()
            with self._lock:
                self.close()
                self._create("rebuild requested")
        notes = self.notes_provider() if self.notes_provider is not None else {}
        if not rebuild and (unchanged := self._unchanged_since_last_update(notes)) is not None:
            return unchanged
        self.ix  # open (or create) before reading what is indexed
        report = IndexReport(rebuilt_because=self.opened_because)
        scan = corpus.scan(self.collection_root)
        report.skipped.extend(scan.problems)
        catalog = corpus.load_catalog(self.collection_root)
        indexed, from_manifest = self.indexed_entries()
        on_disk = {entry.rel_path: entry for entry in scan.files}
        listing = [(entry.rel_path, entry.size, entry.mtime_ns) for entry in scan.files]

        to_index: list[tuple[FileEntry, bool]] = []
        for rel_path, entry in on_disk.items():
            known = indexed.get(rel_path)
            if known is None:
                to_index.append((entry, False))
            elif (
                known.size != entry.size
                or known.mtime_ns != entry.mtime_ns
                or known.notes_digest != notes_digest(notes.get(rel_path, ""))
            ):
                to_index.append((entry, True))
            else:
                report.unchanged += 1
        removed = sorted(set(indexed) - set(on_disk))
        if not to_index and not removed:
            if not from_manifest:
                write_manifest(self.index_dir, indexed)  # the next start is fast
            if not scan.problems:
                self._remember_folder(self.ix.latest_generation(), listing, notes, report)
            self._schedule_merge()  # an index left in pieces by a build that was not merged
            return report

        from whoosh.index import LockError

        self.wait_for_merge()  # a merge in this process holds the write lock
        try:
            writer = self._writer(timeout=2.0)
        except LockError:
            report.busy = True
            return report
        entries = dict(indexed)
        try:
            for rel_path in removed:
                writer.delete_by_term("path", rel_path)
                report.removed.append(rel_path)
                entries.pop(rel_path, None)
        except BaseException:
            writer.cancel()
            raise
        # From here the indexing method owns the writer (and cancels it on error).
        batch = _Batch(to_index, catalog, notes, self.extraction_cache)
        workers = _worker_count()
        if len(to_index) >= PARALLEL_MIN_FILES and workers > 1:
            writer = self._index_in_parallel(writer, batch, workers, entries, report, progress, cancelled)
        else:
            # Into an empty index nothing needs replacing: add_document skips
            # the per-document delete that update_document does.
            writer = self._index_in_process(
                writer, batch, entries, report, progress, cancelled, replace=bool(indexed)
            )
        write_manifest(self.index_dir, entries)
        if not scan.problems and not (cancelled is not None and cancelled()):
            self._remember_folder(writer.generation, listing, notes, report)
        self._schedule_merge()
        return report

    # -- merging in the background ---------------------------------------------

    def _schedule_merge(self) -> None:
        """Merge the index's segments into one, in a background thread, when there
        are :data:`MERGE_MIN_SEGMENTS` or more.  Searches go on meanwhile, on the
        segments as they were (the merged one replaces them at its commit, and the
        next search opens it).  Few segments matter for speed: expanding a fuzzy or
        wildcard term, or "did you mean", on a reader of many segments takes
        Whoosh's generic path, a pure-Python edit distance over every word."""
        with self._lock:
            if self._merging is not None and self._merging.is_alive():
                return
            if len(self.ix._segments()) < MERGE_MIN_SEGMENTS:
                return
            self._merging = threading.Thread(target=self._merge_segments, name="index-merge", daemon=True)
            self._merging.start()

    def _merge_segments(self) -> None:
        from whoosh.index import LockError

        try:
            writer = self._writer(timeout=5.0)
        except LockError:  # another process is writing; its update merges afterwards
            return
        except Exception as error:  # the index went away (closed, rebuilt): nothing to merge
            self.merge_error = f"{type(error).__name__}: {error}"
            return
        try:
            writer.commit(optimize=True)
            self.merge_error = None
        except Exception as error:  # derived data: the unmerged index stays as it was
            _cancel(writer)
            self.merge_error = f"{type(error).__name__}: {error}"

    def merging(self) -> bool:
        """Whether a background merge is running."""
        thread = self._merging
        return thread is not None and thread.is_alive()

    def wait_for_merge(self, timeout: float | None = None) -> bool:
        """Wait until no background merge runs (at most *timeout* seconds); True
        when none does."""
        thread = self._merging
        if thread is not None:
            thread.join(timeout)
        return not self.merging()

    def _index_in_process(
        self, writer: IndexWriter, batch: _Batch, entries: dict[str, ManifestEntry], report: IndexReport,
        progress: ProgressCallback | None, cancelled: Callable[[], bool] | None, replace: bool,
    ) -> IndexWriter:
        """Index *batch* with *writer*, committing at growing intervals; returns the
        last writer, committed."""
        add = writer.update_document if replace else writer.add_document
        total = len(batch.files)
        last_commit = time.monotonic()
        commit_interval = _FIRST_COMMIT_SECONDS
        try:
            for done, (entry, is_update) in enumerate(batch.files, start=1):
                if cancelled is not None and cancelled():
                    break
                try:
                    document = corpus.read_document(entry, batch.catalog, batch.extraction_cache)
                except UnreadableDocument as error:
                    report.skipped.append(SkippedFile(entry.rel_path, str(error)))
                    if is_update:  # it was text before; drop the stale entry
                        writer.delete_by_term("path", entry.rel_path)
                        report.removed.append(entry.rel_path)
                        entries.pop(entry.rel_path, None)
                    continue
                fields_, entries[document.rel_path] = _document_fields(document, batch.notes)
                add(**fields_)
                (report.updated if is_update else report.added).append(entry.rel_path)
                if progress is not None:
                    progress(done, total)
                if time.monotonic() - last_commit > commit_interval and done < total:
                    writer.commit()
                    writer = self._writer(timeout=10.0)
                    add = writer.update_document if replace else writer.add_document
                    commit_interval = min(2 * commit_interval, _MAX_COMMIT_SECONDS)
                    last_commit = time.monotonic()
            writer.commit()
        except BaseException:
            _cancel(writer)
            raise
        return writer

    def _index_in_parallel(
        self, writer: IndexWriter, batch: _Batch, workers: int, entries: dict[str, ManifestEntry],
        report: IndexReport, progress: ProgressCallback | None, cancelled: Callable[[], bool] | None,
    ) -> IndexWriter:
        """Index *batch* in *workers* processes, each writing whole segments of its
        own (reading, analysing and writing in parallel); this process adds the
        finished segments to the index, in path order, committing at growing
        intervals as the in-process path does, so search sees partial progress.

        A commit here only rewrites the table of contents (no segment merging),
        and batches grow from one second's work to :data:`_LARGEST_BATCH` files,
        so the index ends with a handful of segments.  Returns the last writer,
        committed."""
        import multiprocessing

        # Workers write into staging folders; Whoosh's clean-up skips dot-names.
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=self.index_dir))
        jobs, start = [], 0
        for number, size in enumerate(_batch_sizes(len(batch.files), workers)):
            files = batch.files[start:start + size]
            start += size
            notes = {entry.rel_path: batch.notes[entry.rel_path] for entry, _ in files
                     if entry.rel_path in batch.notes}
            jobs.append((str(staging / f"batch-{number:04}"),
                         _Batch(files, batch.catalog, notes, batch.extraction_cache)))
        total, done = len(batch.files), 0
        pending: list[Segment] = []
        last_commit = time.monotonic()
        commit_interval = _FIRST_COMMIT_SECONDS
        # spawn, not fork: the app indexes from a thread, and forking a threaded
        # process can deadlock the child.
        pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_quiet_worker)
        try:
            results = pool.imap(_index_batch, jobs)  # in order: documents keep path order
            for _ in jobs:
                result = _next_result(results, cancelled)
                if result is None:  # cancelled
                    break
                for skipped, is_update in result.unreadable:
                    report.skipped.append(skipped)
                    if is_update:
                        writer.delete_by_term("path", skipped.rel_path)
                        report.removed.append(skipped.rel_path)
                        entries.pop(skipped.rel_path, None)
                for rel_path, is_update in result.indexed:
                    if is_update:  # the new version is in the worker's segment
                        writer.delete_by_term("path", rel_path)
                    (report.updated if is_update else report.added).append(rel_path)
                entries.update(result.entries)
                if result.segment is not None:
                    pending.append(_adopt_segment(result.segment, Path(result.staging), self.index_dir))
                done += len(result.indexed) + len(result.unreadable)
                if progress is not None:
                    progress(done, total)
                if time.monotonic() - last_commit > commit_interval and done < total:
                    writer = self._commit_segments(writer, pending)
                    pending = []
                    commit_interval = min(2 * commit_interval, _MAX_COMMIT_SECONDS)
                    last_commit = time.monotonic()
            writer.commit(mergetype=_adding(pending))
        except BaseException:
            _cancel(writer)
            raise
        finally:
            pool.terminate()  # at once: on cancel or error, workers may be mid-batch
            pool.join()
            shutil.rmtree(staging, ignore_errors=True)
        return writer

    def _writer(self, timeout: float) -> IndexWriter:
        # Not compound: Whoosh opens a compound segment by copying each of its
        # files into memory (BytesIO over the mmap), so every searcher held a copy
        # of the index: 86 ms to open and 260 MB peak RSS on 10,000 documents,
        # against 4 ms and 52 MB with plain files.
        return self.ix.writer(timeout=timeout, limitmb=_WRITER_LIMIT_MB, compound=False, codec=_codec())

    def _commit_segments(self, writer: IndexWriter, segments: list[Segment]) -> IndexWriter:
        writer.commit(mergetype=_adding(segments))
        return self._writer(timeout=10.0)

    def _unchanged_since_last_update(self, notes: dict[str, str]) -> IndexReport | None:
        """The report of an update that finds nothing to do, told from the folder
        state alone (a directory listing and one small file, no Whoosh), or None
        when that cannot be told: no state, the index changed since, or the
        folder or the notes differ."""
        state = read_folder_state(self.index_dir)
        if state is None or state.generation != _latest_generation(self.index_dir):
            return None
        if state.manifest_stamp != manifest_stamp(self.index_dir):
            return None  # a lost or rewritten manifest: the full update checks and repairs it
        if not self._meta_is_current():
            return None
        listing = _folder_listing(self.collection_root)
        if listing is None or listing_digest(listing, notes) != state.digest:
            return None
        return IndexReport(
            unchanged=state.documents,
            skipped=[SkippedFile(rel_path, reason) for rel_path, reason in state.skipped],
        )

    def _remember_folder(
        self, generation: int, listing: list[tuple[str, int, int]], notes: dict[str, str],
        report: IndexReport,
    ) -> None:
        """Record that the index at *generation* matches *listing* and *notes*."""
        stamp = manifest_stamp(self.index_dir)
        if stamp is None:  # the manifest could not be written: no fast path next time
            return
        documents = report.unchanged + len(report.added) + len(report.updated)
        skipped = [(problem.rel_path, problem.reason) for problem in report.skipped]
        write_folder_state(
            self.index_dir, FolderState(generation, listing_digest(listing, notes), documents, stamp, skipped)
        )

    # -- searching -----------------------------------------------------------

    def check_query(self, text: str) -> None:
        """Raise :class:`QueryError` if *text* cannot be searched."""
        self._queries.compile(text)

    def search(
        self, text: str, limit: int | None = 50, with_snippets: bool = True, suggest: bool = True,
        spans_for: int | None = None,
    ) -> SearchResults:
        """Rank documents for *text*.  ``suggest=False`` skips "did you mean" (it
        scans the vocabulary), as search-as-you-type does: half-typed words would
        all look misspelt.

        ``spans_for``: only the first that many results get their hit spans, hit
        count and snippet (what a list shows on its first screen); the others come
        with ``spans_pending`` set, for :meth:`complete_hits` to fill in when they
        are shown.  None: every result gets them."""
        compiled = self._queries.compile(text)
        with self._lock:
            searcher = self.searcher()
            ranking = _with_pairs(self._expand_patterns(searcher, compiled))
            found, total = self._ranked(searcher, ranking, limit)
            shown = found if spans_for is None else found[:spans_for]
            hits = self._hits(searcher, ranking, shown, with_snippets)
            hits.extend(
                SearchHit(rel_path=stored["path"], title=stored.get("title", stored["path"]), score=float(score),
                          hits=0, snippet="", snippet_spans=[], source=stored.get("source", ""),
                          date=stored.get("date", ""), spans_pending=True)
                for _docnum, score, stored in found[len(shown):]
            )
            suggestion = self._suggest(searcher, text) if suggest and total <= FEW_RESULTS else None
        return SearchResults(query=text, hits=hits, total=total, suggestion=suggestion)

    def complete_hits(self, results: SearchResults, rel_paths: Iterable[str]) -> SearchResults:
        """*results* with the hit spans, counts and snippets of the hits of
        *rel_paths* that :meth:`search` left pending (see ``spans_for``)."""
        wanted = {rel_path for rel_path in rel_paths}
        pending = [hit for hit in results.hits if hit.spans_pending and hit.rel_path in wanted]
        if not pending:
            return results
        compiled = self._queries.compile(results.query)
        with self._lock:
            searcher = self.searcher()
            ranking = _with_pairs(self._expand_patterns(searcher, compiled))
            found = []
            for hit in pending:
                docnum = searcher.document_number(path=hit.rel_path)
                if docnum is not None:  # None: gone from the index since the search
                    found.append((docnum, hit.score, searcher.stored_fields(docnum)))
            completed = {hit.rel_path: hit for hit in self._hits(searcher, ranking, found, with_snippets=True)}
        hits = [completed.get(hit.rel_path, hit) if hit.spans_pending else hit for hit in results.hits]
        return SearchResults(query=results.query, hits=hits, total=results.total, suggestion=results.suggestion)

    def _hits(
        self, searcher: Searcher, ranking: Query, found: list[tuple[int, float, dict]], with_snippets: bool,
    ) -> list[SearchHit]:
        """The hits of the ranked documents *found*, with their spans; the first
        :data:`SNIPPET_COUNT` with a snippet (each costs a file read)."""
        docnums = [docnum for docnum, _score, _stored in found]
        content_spans = self._spans_for(searcher, leaves_in_fields(ranking, _CONTENT_FIELDS), docnums)
        note_spans = self._spans_for(searcher, leaves_in_fields(ranking, _NOTE_FIELDS), docnums)
        hits: list[SearchHit] = []
        for rank, (docnum, score, stored) in enumerate(found):
            rel_path = stored["path"]
            spans = content_spans.get(docnum, [])
            notes_matched = note_spans.get(docnum, [])
            via_notes = not spans and bool(notes_matched)
            snippet, snippet_spans = "", []
            if via_notes:
                snippet, snippet_spans = make_snippet(stored.get("note", ""), notes_matched)
            elif with_snippets and rank < SNIPPET_COUNT:
                snippet, snippet_spans = self._snippet(rel_path, spans)
            hits.append(
                SearchHit(
                    rel_path=rel_path,
                    title=stored.get("title", rel_path),
                    score=float(score),
                    hits=len(spans),
                    snippet=snippet,
                    snippet_spans=snippet_spans,
                    source=stored.get("source", ""),
                    date=stored.get("date", ""),
                    spans=spans,
                    note_hits=len(notes_matched),
                    via_notes=via_notes,
                )
            )
        return hits

    @staticmethod
    def _ranked(
        searcher: Searcher, ranking: Query, limit: int | None
    ) -> tuple[list[tuple[int, float, dict]], int]:
        """The best *limit* documents as (docnum, score, stored fields), equal
        scores in path order, and the total count.

        Top-k: only the returned documents are scored into a list and have their
        stored fields loaded (doing that for every match was most of the time
        of a common term on 10,000 documents).  Where equal scores straddle the
        cut (BM25 scores tie often: field lengths are quantised), which of them
        make the page is decided by index order, which follows path order for
        documents indexed together; within the page ties are in path order."""
        # One pass that scores and counts every match.  Whoosh's default top-N
        # collector skips blocks and drops sub-queries that cannot reach the top
        # N, so len() then runs the whole query again just to count: twice the
        # matching (for a common phrase, 2/3 of the search).
        collector = (UnlimitedCollector() if limit is None
                     else TopCollector(limit=limit, usequality=False, replace=0))
        searcher.search_with_collector(_ranking_form(ranking), collector)
        results = collector.results()
        ordered = sorted(
            ((docnum, score, searcher.stored_fields(docnum)) for score, docnum in results.top_n),
            key=lambda found: (-found[1], found[2]["path"]),
        )
        return ordered, len(results)

    def _vocabulary(self, searcher: Searcher, fieldname: str) -> Vocabulary:
        """The words of *fieldname* in *searcher*'s generation of the index, built
        on first use and kept until the searcher is replaced."""
        with self._lock:
            owner, built = self._vocabularies
            if owner is not searcher:
                built = {}
                self._vocabularies = (searcher, built)
            vocabulary = built.get(fieldname)
            if vocabulary is None:
                reader = searcher.reader()
                words = (word.decode("utf-8") for word in reader.lexicon(fieldname)) \
                    if fieldname in reader.indexed_field_names() else ()
                vocabulary = built[fieldname] = Vocabulary(words)
            return vocabulary

    def _expand_patterns(self, searcher: Searcher, query: Query) -> Query:
        """*query* with its fuzzy terms and wildcards expanded from the field's
        :class:`Vocabulary` instead of Whoosh's walk over the term list (a
        pure-Python edit distance per word on a reader of several segments)."""
        if isinstance(query, (FuzzyTerm, Wildcard, Prefix)) and type(query) in _EXPANDED:
            if not isinstance(query.text, str) or query.fieldname not in searcher.schema:
                return query
            vocabulary = self._vocabulary(searcher, query.fieldname)
            if isinstance(query, FuzzyTerm):
                words = [word for word, _distance in
                         vocabulary.within(query.text, query.maxdist, query.prefixlength)]
            elif isinstance(query, Prefix):
                words = vocabulary.with_prefix(query.text)
            else:
                words = vocabulary.matching(query.text)
            return _with_expansion(query, words)
        if query.is_leaf():
            return query
        children = list(query.children())
        expanded = [self._expand_patterns(searcher, child) for child in children]
        if all(new is old for new, old in zip(expanded, children)):
            return query
        return _rebuilt(query, expanded)

    def _suggest(self, searcher: Searcher, text: str) -> str | None:
        """The query with each unknown word replaced by the nearest indexed word
        (as written, not stemmed), or None when nothing would change."""
        from whoosh.lang.porter2 import stem

        vocabulary = self._vocabulary(searcher, "content_exact")

        def frequency(word: str) -> int:
            return searcher.doc_frequency("content_exact", word)

        corrected, position, changed = [], 0, False
        for match in plain_words(text):
            word = match.group(1).lower()
            known = any(
                searcher.doc_frequency(fieldname, term) > 0
                for fieldname, term in (("content", stem(word)), ("title", stem(word)),
                                        ("content_exact", word), ("note", stem(word)))
            )
            if known or len(word) < 3:
                continue
            suggestion = nearest(vocabulary, word, 2, frequency)
            if suggestion is not None:
                corrected.append(text[position:match.start(1)])
                corrected.append(suggestion)
                position, changed = match.end(1), True
        if not changed:
            return None
        corrected.append(text[position:])
        return "".join(corrected)

    def _snippet(self, rel_path: str, spans: list[Span]) -> tuple[str, list[Span]]:
        try:
            document = corpus.read_document_at(self.collection_root, rel_path, extraction_cache=self.extraction_cache)
        except UnreadableDocument:
            return "", []
        return make_snippet(document.text, spans)

    @staticmethod
    def _spans_for(searcher: Searcher, query: Query, docnums: list[int]) -> dict[int, list[Span]]:
        """Character spans of every match of *query* in each document, from the
        postings: a phrase lights up only where the phrase occurs.

        Leaf by leaf: a plain term's spans come straight from its postings'
        character offsets, without Whoosh's Span objects (a common word has
        dozens per document, and building them was most of the work)."""
        wanted = sorted(set(docnums))
        if not wanted or query is NullQuery:
            return {}
        raw: dict[int, list[Span]] = {}
        leaves = query.subqueries if isinstance(query, Or) else [query]
        for leaf in leaves:
            DocumentIndex._leaf_spans(searcher, leaf, wanted, raw)
        return {docnum: merge_spans(found) for docnum, found in raw.items()}

    @staticmethod
    def _leaf_spans(searcher: Searcher, leaf: Query, wanted: list[int], raw: dict[int, list[Span]]) -> None:
        plain_term = isinstance(leaf, Term) and leaf.boost == 1.0
        # needs_current: otherwise a wildcard or fuzzy term expanding to 3+ words on
        # a small index gets Whoosh's preloaded ArrayUnionMatcher, which has no
        # spans(), and its hits would never be highlighted.
        matcher = leaf.matcher(searcher, searcher.context(needs_current=True))
        for docnum in wanted:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() != docnum:
                continue
            try:
                if plain_term and matcher.supports("characters"):
                    found = [(start, end) for _position, start, end in matcher.value_as("characters")]
                else:
                    found = [(span.startchar, span.endchar) for span in matcher.spans()]
            except Exception:  # a query type without span support: no highlights
                found = []
            spans = raw.setdefault(docnum, [])
            spans.extend((start, end) for start, end in found if start is not None and end is not None)

    def hit_spans(self, text: str, rel_path: str) -> list[Span]:
        """Where the query matches inside one document's text (for the reading view)."""
        compiled = self._queries.compile(text)
        with self._lock:
            searcher = self.searcher()
            content_query = leaves_in_fields(_with_pairs(self._expand_patterns(searcher, compiled)),
                                             _CONTENT_FIELDS)
            docnum = searcher.document_number(path=rel_path)
            if docnum is None:
                return []
            return self._spans_for(searcher, content_query, [docnum]).get(docnum, [])

    def titles(self) -> list[dict[str, object]]:
        """Stored fields of every indexed document, sorted by path (no file reads)."""
        return sorted(self.indexed_files().values(), key=lambda stored: str(stored["path"]))


# -- ranking phrases on positions -------------------------------------------------------


def _position_spans(matcher: Matcher) -> list[WhooshSpan]:
    return [WhooshSpan(position) for position in matcher.value_as("positions")]


class _PositionTerm(Term):
    """A phrase's word whose matcher gives spans from positions only.  Whoosh's
    matcher decodes each occurrence's character offsets too and builds a span
    object with them: over a third of ranking a common phrase, and ranking
    only compares positions (the hit spans shown are computed afterwards, with
    characters, by :meth:`DocumentIndex._spans_for`)."""

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        found = super().matcher(searcher, context)
        if found.is_active() and found.supports("positions"):
            found.spans = lambda: _position_spans(found)  # type: ignore[method-assign]
        return found


class _RankingPhrase(Phrase):
    """:class:`whoosh.query.Phrase` matched with :class:`_PositionTerm` words (its
    own ``matcher()``, otherwise unchanged): the same documents and scores."""

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        field_ = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        if field_ is None or not field_.format or not field_.format.supports("positions"):
            return super().matcher(searcher, context)
        reader = searcher.reader()
        words = []
        for word in self.words:
            try:
                text = field_.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, text) not in reader:
                return NullMatcher()  # a word the field never had: no phrase
            words.append(_PositionTerm(self.fieldname, text))
        found = SpanNear2(words, slop=self.slop, ordered=True, mindist=1).matcher(searcher, context)
        return found if self.boost == 1.0 else WrappingMatcher(found, boost=self.boost)


_CHILD_ATTRIBUTES = {"subqueries", "a", "b", "child", "query"}  # where Whoosh's query nodes keep children


def _rebuilt(query: Query, children: list[Query]) -> Query:
    """*query* (not a leaf) with *children* in place of its own, every other
    attribute kept."""
    rebuilt = query.apply(lambda _child, new_children=iter(children): next(new_children))
    for name, value in vars(query).items():  # apply() keeps only the children and boost
        if name not in _CHILD_ATTRIBUTES:
            setattr(rebuilt, name, value)
    return rebuilt


# A pattern expanding to at least this many words is ranked from the union of
# their documents (see _Expanded.matcher).
UNION_MIN_WORDS = 8


class _Expanded:
    """A pattern query (fuzzy term, prefix, wildcard) whose words were found in
    the field's :class:`Vocabulary` (the ``expansion``).

    Ranked, a pattern gives every document it matches the same score; for many
    words Whoosh still steps a tree of one matcher per word (``con*``: 1,500
    matchers, seconds), so the documents are read from the postings once and
    walked as one list.  Spans (a context that needs each posting) keep the
    matcher per word."""

    expansion: list[str] = []
    fieldname: str
    boost: float
    constantscore: bool

    def _btexts(self, ixreader: object) -> list[str]:
        return self.expansion

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        if len(self.expansion) < UNION_MIN_WORDS or not self.constantscore \
                or getattr(context, "needs_current", False) or self.fieldname not in searcher.schema:
            return super().matcher(searcher, context)  # type: ignore[misc]
        from whoosh.matching import ListMatcher

        reader = searcher.reader()
        documents: set[int] = set()
        for word in self.expansion:
            term = word.encode("utf-8")
            if (self.fieldname, term) in reader:
                documents.update(reader.postings(self.fieldname, term).all_ids())
        if not documents:
            return NullMatcher()
        return ListMatcher(sorted(documents), all_weights=self.boost)


class _ExpandedFuzzyTerm(_Expanded, FuzzyTerm):
    pass


class _ExpandedPrefix(_Expanded, Prefix):
    pass


class _ExpandedWildcard(_Expanded, Wildcard):
    pass


_EXPANDED: dict[type, type] = {FuzzyTerm: _ExpandedFuzzyTerm, Prefix: _ExpandedPrefix, Wildcard: _ExpandedWildcard}


def _with_expansion(query: Query, words: list[str]) -> Query:
    """A copy of the pattern *query* that matches exactly *words* (otherwise the
    same query: field, boost, scoring)."""
    import copy

    expanded = copy.copy(query)
    expanded.__class__ = _EXPANDED[type(query)]  # same fields: only _btexts differs
    expanded.expansion = words  # type: ignore[attr-defined]
    return expanded


def _with_pairs(query: Query) -> Query:
    """*query* with each exact phrase of the text (``content``, no slop) looked up
    in the word-pair field: two words are one term, more words a phrase of
    their pairs (each pair one position after the last), which walks the few
    places a rare pair occurs instead of every "the"."""
    if type(query) is Phrase:
        if query.fieldname != "content" or query.slop != 1 or len(query.words) < 2 \
                or not all(isinstance(word, str) for word in query.words):
            return query
        pairs = [pair_text(first, second) for first, second in zip(query.words, query.words[1:])]
        if len(pairs) == 1:
            return Term("content_pairs", pairs[0], boost=query.boost)
        return Phrase("content_pairs", pairs, boost=query.boost)
    if query.is_leaf():
        return query
    children = list(query.children())
    paired = [_with_pairs(child) for child in children]
    if all(new is old for new, old in zip(paired, children)):
        return query
    return _rebuilt(query, paired)


def _ranking_form(query: Query) -> Query:
    """*query* with its phrases ranked on positions only (see :class:`_PositionTerm`);
    the query itself when it has none."""
    if type(query) is Phrase:
        return _RankingPhrase(query.fieldname, query.words, slop=query.slop, boost=query.boost,
                              char_ranges=query.char_ranges)
    if query.is_leaf():
        return query
    children = list(query.children())
    ranked = [_ranking_form(child) for child in children]
    if all(new is old for new, old in zip(ranked, children)):
        return query
    return _rebuilt(query, ranked)


# -- building in parallel ---------------------------------------------------------------

PARALLEL_MIN_FILES = 400  # fewer files: one process (starting workers costs ~0.5 s)
_FIRST_BATCH = 50  # files per worker in the first round: ~1 s of work, then the first commit
_BATCH_GROWTH = 4
_LARGEST_BATCH = 2500  # files in one worker segment; its postings stay in memory (no spill to disk)
_WORKER_LIMIT_MB = 512  # Whoosh's pool limit in a worker: above what _LARGEST_BATCH files need


@dataclass(frozen=True)
class _Batch:
    """Files to index (each with whether it replaces an indexed version), with what
    reading them needs."""

    files: list[tuple[FileEntry, bool]]
    catalog: dict[str, CatalogEntry]
    notes: dict[str, str]  # document path -> its notes' text
    extraction_cache: Path | None = None  # see reader.formats.cache


@dataclass
class _BatchResult:
    """What a worker made of a batch: one segment, waiting in *staging*."""

    staging: str
    segment: Segment | None  # None when no file of the batch was readable
    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    indexed: list[tuple[str, bool]] = field(default_factory=list)  # (path, replaces an indexed one)
    unreadable: list[tuple[SkippedFile, bool]] = field(default_factory=list)


def _document_fields(document: Document, notes: dict[str, str]) -> tuple[dict[str, object], ManifestEntry]:
    """The index fields of *document* and its manifest entry."""
    note_text = notes.get(document.rel_path, "")
    digest = notes_digest(note_text)
    fields_ = {
        "path": document.rel_path, "title": document.title, "title_exact": document.title,
        "content": document.text, "content_exact": document.text, "content_pairs": document.text,
        "source": document.source,
        "note": note_text, "note_exact": note_text, "date": document.date, "size": document.size,
        "mtime_ns": document.mtime_ns, "content_hash": document.content_hash, "notes_digest": digest,
    }
    entry = ManifestEntry(document.size, document.mtime_ns, digest, document.title, document.source,
                          document.date, document.content_hash)
    return fields_, entry


def _worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _batch_sizes(count: int, workers: int) -> list[int]:
    """Batch sizes for *count* files: a round of small batches (so the first commit
    comes within about a second), growing, and a last round shared evenly so the
    workers finish together."""
    sizes: list[int] = []
    size = _FIRST_BATCH
    while count > 0:
        if count <= 2 * workers * size:
            size = -(-count // workers)
        size = min(size, _LARGEST_BATCH)
        for _ in range(workers):
            if count > 0:
                sizes.append(min(size, count))
                count -= sizes[-1]
        size *= _BATCH_GROWTH
    return sizes


def _share_content_analysis(schema: fields.Schema) -> None:
    """In a worker's writer schema: analyse each document's text once for
    ``content``, ``content_exact`` and ``content_pairs``, whose analyzers differ
    only after the tokenizer (see :mod:`reader.query`), instead of three times.
    The postings are exactly what the two fields' own ``index()`` give (a test
    compares them); only the work is shared."""
    from whoosh.analysis import unstopped

    stemmed_field, exact_field = schema["content"], schema["content_exact"]
    analyze = exact_field.analyzer
    stem = stemmed_field.analyzer.items[-1]._stem  # the StemFilter's cached stemmer
    last: dict[str, object] = {}

    def postings(found: dict[str, list[tuple[int, int, int]]], field_: fields.FieldType) -> list[tuple]:
        encode, boost = field_.format.encode, field_.format.field_boost
        return [(text.encode("utf-8"), len(places), len(places) * boost, encode(places))
                for text, places in found.items()]

    pairs_field = schema["content_pairs"]

    def index_stemmed(value: object, **kwargs: object) -> list[tuple]:
        exact: dict[str, list[tuple[int, int, int]]] = {}
        stemmed: dict[str, list[tuple[int, int, int]]] = {}
        pairs: dict[str, list[tuple[int, int, int]]] = {}
        previous: tuple[str, int, int] | None = None  # the last word's stem, position, start
        for token in unstopped(analyze(value, mode="index", positions=True, chars=True, boosts=True)):
            place = (token.pos, token.startchar, token.endchar)
            exact.setdefault(token.text, []).append(place)
            stemmed_text = stem(token.text)
            stemmed.setdefault(stemmed_text, []).append(place)
            if previous is not None:
                pairs.setdefault(pair_text(previous[0], stemmed_text), []).append(
                    (previous[1], previous[2], token.endchar))
            previous = (stemmed_text, token.pos, token.startchar)
        last.clear()
        last[id(value)] = (value, {"content_exact": postings(exact, exact_field),
                                   "content_pairs": postings(pairs, pairs_field)})
        return postings(stemmed, stemmed_field)

    def sharing(field_name: str, field_: fields.FieldType) -> Callable[..., object]:
        def index_shared(value: object, **kwargs: object) -> object:
            shared = last.get(id(value))
            if shared is not None and shared[0] is value:  # type: ignore[index]
                return shared[1][field_name]  # type: ignore[index]
            return type(field_).index(field_, value, **kwargs)

        return index_shared

    stemmed_field.index = index_stemmed  # type: ignore[method-assign]
    exact_field.index = sharing("content_exact", exact_field)  # type: ignore[method-assign]
    pairs_field.index = sharing("content_pairs", pairs_field)  # type: ignore[method-assign]


def _codec() -> W3Codec:
    """Whoosh's codec, keeping the postings of a term found in one document of a
    segment in the term table ("inlined") instead of a block of their own.

    A profile of a 2.2 MB text of 300,000 distinct words (14.6 s to index) showed
    the time going to writing 600,000 one-posting blocks (content and
    content_exact), each pickled, zlib-compressed and indexed on its own; in
    ordinary text about half the terms occur in one document too.  Whoosh has the
    option (``inlinelimit``) and its readers read inlined terms, but its writer
    calls ``set_inline`` where the method is ``W3TermInfo.set_inlined``, so the
    option could not be used; the alias below is that missing name."""
    from whoosh.codec.whoosh3 import W3Codec, W3TermInfo

    if not hasattr(W3TermInfo, "set_inline"):
        W3TermInfo.set_inline = W3TermInfo.set_inlined  # type: ignore[attr-defined]
    if not hasattr(W3TermInfo, "_reader_values_as_bytes"):
        # An inlined term of a field without values (``path``) keeps no values, and
        # Whoosh's ListMatcher then gives "" (a str) for each posting; merging
        # segments (the background merge, Whoosh's own at a commit) asserts bytes
        # and failed.  Read such values back as b"".
        inlined_postings = W3TermInfo.inlined_postings

        def inlined_postings_as_bytes(self: W3TermInfo) -> tuple | None:
            found = inlined_postings(self)
            if found is None:
                return None
            ids, weights, values = found
            if len(values) != len(ids):
                values = tuple(b"" for _ in ids)
            elif any(isinstance(value, str) for value in values):
                values = tuple(value.encode("latin-1") if isinstance(value, str) else value for value in values)
            return ids, weights, values

        W3TermInfo.inlined_postings = inlined_postings_as_bytes  # type: ignore[method-assign]
        W3TermInfo._reader_values_as_bytes = True  # type: ignore[attr-defined]
    return W3Codec(inlinelimit=2)  # fewer than 2 postings: inlined


def _quiet_worker() -> None:
    # A worker shares the terminal with the app: nothing may be printed on it.
    import warnings

    warnings.simplefilter("ignore")


def _index_batch(job: tuple[str, _Batch]) -> _BatchResult:
    """In a worker process: read and index the batch's files into one new segment,
    in an index of its own under *staging* (so no commit elsewhere can clean its
    files up); the parent adopts the segment."""
    from whoosh.writing import SegmentWriter

    staging, batch = job
    Path(staging).mkdir(parents=True)
    writer = SegmentWriter(index.create_in(staging, make_schema()), _lk=False, limitmb=_WORKER_LIMIT_MB,
                           compound=False, codec=_codec())  # see DocumentIndex._writer
    _share_content_analysis(writer.schema)
    result = _BatchResult(staging, None)
    for entry, is_update in batch.files:
        try:
            document = corpus.read_document(entry, batch.catalog, batch.extraction_cache)
        except UnreadableDocument as error:
            result.unreadable.append((SkippedFile(entry.rel_path, str(error)), is_update))
            continue
        fields_, result.entries[document.rel_path] = _document_fields(document, batch.notes)
        writer.add_document(**fields_)
        result.indexed.append((entry.rel_path, is_update))
    if result.indexed:
        result.segment = writer._finalize_segment()
        writer._finish()
    else:
        writer.cancel()
    return result


def _next_result(
    results: Iterator[_BatchResult], cancelled: Callable[[], bool] | None,
) -> _BatchResult | None:
    """The next batch's result, or None once *cancelled()* says so (asked every 0.1 s)."""
    from multiprocessing import TimeoutError as NotYet

    while True:
        if cancelled is not None and cancelled():
            return None
        try:
            return results.next(timeout=0.1)  # type: ignore[attr-defined]  (an IMapIterator)
        except NotYet:
            continue


def _adopt_segment(segment: Segment, staging: Path, index_dir: Path) -> Segment:
    """Move a worker's segment files from its staging folder into the index."""
    prefix = segment.segment_id() + "."
    for name in os.listdir(staging):
        if name.startswith(prefix):
            os.replace(staging / name, index_dir / name)
    shutil.rmtree(staging, ignore_errors=True)
    return segment


def _cancel(writer: IndexWriter) -> None:
    if not getattr(writer, "is_closed", False):
        writer.cancel()


def _adding(segments: list[Segment]) -> Callable[[IndexWriter, list[Segment]], list[Segment]]:
    """A Whoosh merge policy that merges nothing and adds *segments*."""
    def policy(_writer: IndexWriter, existing: list[Segment]) -> list[Segment]:
        return [*existing, *segments]

    return policy


_TOC_FILE = re.compile(r"_MAIN_(\d+)\.toc$")  # Whoosh's table of contents, one per generation


def _latest_generation(index_dir: Path) -> int | None:
    """The newest generation of the index in *index_dir* (what Whoosh opens),
    from the file names alone, or None without one."""
    try:
        names = os.listdir(index_dir)
    except OSError:
        return None
    generations = [int(match.group(1)) for name in names if (match := _TOC_FILE.match(name))]
    return max(generations, default=None)


def _folder_listing(root: Path) -> list[tuple[str, int, int]] | None:
    """(path, size, mtime_ns) of the files :func:`corpus.scan` lists, with less
    work per file (no records, no sorting): the start-up check's share of the
    10,000 stat calls.  None on any problem (scan() would report it), so the
    caller falls back to a full update."""
    problems: list[SkippedFile] = []
    listing: list[tuple[str, int, int]] = []
    try:
        for rel_path, _entry, stat in corpus.accepted_documents(root, problems, sort=False):
            listing.append((rel_path, stat.st_size, stat.st_mtime_ns))
    except OSError:
        return None
    return None if problems else listing


def open_index(
    index_dir: Path,
    collection_root: Path,
    collection_key: str,
    notes_provider: NotesProvider | None = None,
    extraction_cache: Path | None = None,
) -> tuple[DocumentIndex, str | None]:
    """Open the index in *index_dir*; if that folder cannot be written (read-only
    data dir), fall back to a temporary folder and say so.  The index is derived
    data, so a temporary one loses nothing but start-up time next run."""
    document_index = DocumentIndex(index_dir, collection_root, collection_key, notes_provider, extraction_cache)
    try:
        document_index.open_lazily()
        return document_index, None
    except IndexUnavailable as error:
        fallback = Path(tempfile.mkdtemp(prefix="iatse-reader-index-"))
        document_index = DocumentIndex(fallback, collection_root, collection_key, notes_provider, extraction_cache)
        document_index.open()
        return document_index, f"{error}; using a temporary index in {fallback}"
