"""Indexing many files in worker processes: how the files are cut into batches,
what a worker does with one (read, analyse and write a whole segment of its own,
in a staging folder), and how a finished segment is moved into the index.

The parent's side, adding the segments to the index with its writer and
committing, is :meth:`reader.index.document_index.DocumentIndex._index_in_parallel`.
Workers are started with ``spawn``: :func:`_index_batch` and what it is sent
must stay importable and picklable at this module's top level.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index
from whoosh.codec.base import Segment
from whoosh.writing import IndexWriter

from reader import corpus
from reader.corpus import CatalogEntry, FileEntry, SkippedFile, UnreadableDocument
from reader.index.schema import _codec, _document_fields, _share_content_analysis, make_schema
from reader.manifest import ManifestEntry

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


def _worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _workers_for(count: int) -> int:
    """How many worker processes index *count* files; 1: index them in process."""
    return _worker_count() if count >= PARALLEL_MIN_FILES else 1


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


def _adding(segments: list[Segment]) -> Callable[[IndexWriter, list[Segment]], list[Segment]]:
    """A Whoosh merge policy that merges nothing and adds *segments*."""
    def policy(_writer: IndexWriter, existing: list[Segment]) -> list[Segment]:
        return [*existing, *segments]

    return policy
