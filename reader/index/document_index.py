"""The index of one documents folder: opening (and rebuilding when missing,
damaged or outdated), incremental updates, the background merge, and search.

The class ties together what the sibling modules hold: the schema
(:mod:`.schema`), the query forms it searches with (:mod:`.query_forms`), hit
spans and snippets (:mod:`.spans`), the worker processes of a big build
(:mod:`.parallel_build`) and the start-up check's view of the folder
(:mod:`.folder_state`).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from whoosh import index
from whoosh.codec.base import Segment
from whoosh.collectors import TopCollector, UnlimitedCollector
from whoosh.query import FuzzyTerm, Prefix, Query, Wildcard
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from reader import corpus
from reader.corpus import FileEntry, SkippedFile, UnreadableDocument
from reader.index.folder_state import _folder_listing, _latest_generation
from reader.index.parallel_build import (
    _adding,
    _adopt_segment,
    _Batch,
    _batch_sizes,
    _index_batch,
    _next_result,
    _quiet_worker,
    _workers_for,
)
from reader.index.query_forms import _EXPANDED, _ranking_form, _with_children, _with_expansion, _with_pairs
from reader.index.schema import (
    _CONTENT_FIELDS,
    _NOTE_FIELDS,
    SCHEMA_VERSION,
    _codec,
    _document_fields,
    make_schema,
    notes_digest,
)
from reader.index.spans import make_snippet, spans_for
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
from reader.query import QueryCompiler, QueryError, leaves_in_fields, plain_words
from reader.results import IndexReport, SearchHit, SearchResults, Span
from reader.vocabulary import Vocabulary, nearest

SNIPPET_COUNT = 20  # results that get a snippet (read from disk); the rest show title and hit count
FEW_RESULTS = 1  # at most this many results: offer a corrected query
_READ_ATTEMPTS = 3  # a read whose segment files a merge deleted is tried again on the new generation
_Read = TypeVar("_Read")
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

NotesProvider = Callable[[], dict[str, str]]  # document path -> its notes' text


class IndexUnavailable(RuntimeError):
    """The index can neither be opened nor created (for example a read-only disk)."""


ProgressCallback = Callable[[int, int], None]


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
        return self._reading(
            lambda searcher: {fields_["path"]: fields_ for fields_ in searcher.all_stored_fields()})

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
        workers = _workers_for(len(to_index))
        if workers > 1:
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

        def read(searcher: Searcher) -> SearchResults:
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

        return self._reading(read)

    def _reading(self, read: Callable[[Searcher], _Read]) -> _Read:
        """``read(searcher)`` on the current searcher, under the lock.

        A merge or an update (in a background thread, or in another copy of the
        reader) deletes the files of the segments it replaced once its commit is
        written, and a searcher opened just before may not have opened them all
        yet (Whoosh opens a field's lengths and columns when a query first needs
        them).  The read then fails (FileNotFoundError, or stored fields that come
        back empty): it is run again on a searcher of the newest generation, which
        has every file it needs.  A query error is the query's, and is not retried;
        any other error that a fresh searcher gives again is raised."""
        for attempt in range(_READ_ATTEMPTS):
            with self._lock:
                searcher = self.searcher()
                try:
                    return read(searcher)
                except QueryError:
                    raise
                except Exception:
                    if attempt == _READ_ATTEMPTS - 1:
                        raise
                    if self._searcher is searcher:  # every read holds the lock: no one else uses it
                        self._searcher = None
                        with contextlib.suppress(Exception):
                            searcher.close()
        raise AssertionError("unreachable")

    def complete_hits(self, results: SearchResults, rel_paths: Iterable[str]) -> SearchResults:
        """*results* with the hit spans, counts and snippets of the hits of
        *rel_paths* that :meth:`search` left pending (see ``spans_for``)."""
        wanted = {rel_path for rel_path in rel_paths}
        pending = [hit for hit in results.hits if hit.spans_pending and hit.rel_path in wanted]
        if not pending:
            return results
        compiled = self._queries.compile(results.query)

        def read(searcher: Searcher) -> dict[str, SearchHit]:
            ranking = _with_pairs(self._expand_patterns(searcher, compiled))
            found = []
            for hit in pending:
                docnum = searcher.document_number(path=hit.rel_path)
                if docnum is not None:  # None: gone from the index since the search
                    found.append((docnum, hit.score, searcher.stored_fields(docnum)))
            return {hit.rel_path: hit for hit in self._hits(searcher, ranking, found, with_snippets=True)}

        completed = self._reading(read)
        hits = [completed.get(hit.rel_path, hit) if hit.spans_pending else hit for hit in results.hits]
        return SearchResults(query=results.query, hits=hits, total=results.total, suggestion=results.suggestion)

    def _hits(
        self, searcher: Searcher, ranking: Query, found: list[tuple[int, float, dict]], with_snippets: bool,
    ) -> list[SearchHit]:
        """The hits of the ranked documents *found*, with their spans; the first
        :data:`SNIPPET_COUNT` with a snippet (each costs a file read)."""
        docnums = [docnum for docnum, _score, _stored in found]
        content_spans = spans_for(searcher, leaves_in_fields(ranking, _CONTENT_FIELDS), docnums)
        note_spans = spans_for(searcher, leaves_in_fields(ranking, _NOTE_FIELDS), docnums)
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
        return _with_children(query, lambda child: self._expand_patterns(searcher, child))

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

    def hit_spans(self, text: str, rel_path: str) -> list[Span]:
        """Where the query matches inside one document's text (for the reading view)."""
        compiled = self._queries.compile(text)

        def read(searcher: Searcher) -> list[Span]:
            content_query = leaves_in_fields(_with_pairs(self._expand_patterns(searcher, compiled)),
                                             _CONTENT_FIELDS)
            docnum = searcher.document_number(path=rel_path)
            if docnum is None:
                return []
            return spans_for(searcher, content_query, [docnum]).get(docnum, [])

        return self._reading(read)

    def titles(self) -> list[dict[str, object]]:
        """Stored fields of every indexed document, sorted by path (no file reads)."""
        return sorted(self.indexed_files().values(), key=lambda stored: str(stored["path"]))


def _cancel(writer: IndexWriter) -> None:
    if not getattr(writer, "is_closed", False):
        writer.cancel()


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
