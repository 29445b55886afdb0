"""Building in worker processes: the same index as one process builds, searchable
while it grows, with unreadable files reported, updates and cancelling."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

import reader.index.document_index as index_core
import reader.index.parallel_build as parallel_build
from reader.index import DocumentIndex
from reader.manifest import read_folder_state, read_manifest

WORDS = ("strike picket turnaround safety wages vote union contract rest periods meal break overtime "
         "crew stage grip gaffer camera lighting sound editor producer studio solidarity members").split()
QUERIES = ("turnaround", "picket safety", '"rest periods"', "wag*", "solidarty~", "title:crew", "note:quorum")


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parallel from a few files on, in batches of a few files, committing after each."""
    monkeypatch.setattr(parallel_build, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(parallel_build, "_FIRST_BATCH", 4)
    monkeypatch.setattr(parallel_build, "_LARGEST_BATCH", 16)
    monkeypatch.setattr(index_core, "_FIRST_COMMIT_SECONDS", 0.0)
    monkeypatch.setattr(parallel_build, "_worker_count", lambda: 2)
    # Worker segments stay apart (no background merge): these tests look at them.
    monkeypatch.setattr(index_core, "MERGE_MIN_SEGMENTS", 10**6)


def _collection(root: Path, count: int = 60) -> Path:
    generator = random.Random(5)
    for number in range(count):
        words = [generator.choice(WORDS) for _ in range(generator.randint(20, 120))]
        title = " ".join(generator.choice(WORDS) for _ in range(3)).capitalize()
        path = root / f"part{number % 3}" / f"doc{number:03}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{title}\n\n" + " ".join(words) + "\n", encoding="utf-8")
    (root / "part0" / "broken.txt").write_bytes(b"\x00\x01binary")
    return root


NOTES = {"part1/doc001.txt": "a note about the quorum"}


def _results(document_index: DocumentIndex) -> dict[str, object]:
    found = {}
    for query in QUERIES:
        results = document_index.search(query, limit=200)
        found[query] = (results.total, [(hit.rel_path, round(hit.score, 9), hit.hits, hit.spans,
                                          hit.snippet, hit.note_hits) for hit in results.hits])
    return found


def test_parallel_build_equals_one_process(tmp_path, small_batches, monkeypatch):
    root = _collection(tmp_path / "docs")
    parallel = DocumentIndex(tmp_path / "parallel", root, "k", notes_provider=lambda: NOTES)
    progress: list[tuple[int, int]] = []
    report = parallel.update(progress=lambda done, total: progress.append((done, total)))
    assert len(report.added) == 60 and not report.updated and not report.removed
    assert [skipped.rel_path for skipped in report.skipped] == ["part0/broken.txt"]
    assert progress[-1] == (61, 61) and len(progress) > 2
    assert len(parallel.ix._segments()) > 2  # several worker segments, adopted

    # One process, one commit: Whoosh's segment merges (after partial commits) sum
    # field lengths from their one-byte approximations, which shifts BM25 scores
    # slightly; adopted worker segments keep the exact sums, as one commit does.
    monkeypatch.setattr(parallel_build, "_worker_count", lambda: 1)
    monkeypatch.setattr(index_core, "_FIRST_COMMIT_SECONDS", 3600.0)
    single = DocumentIndex(tmp_path / "single", root, "k", notes_provider=lambda: NOTES)
    assert sorted(single.update().added) == sorted(report.added)

    assert _results(parallel) == _results(single)
    assert read_manifest(tmp_path / "parallel") == read_manifest(tmp_path / "single")
    assert parallel.titles() == single.titles()
    assert read_folder_state(tmp_path / "parallel") is not None
    assert not [name for name in os.listdir(tmp_path / "parallel") if name.startswith(".building")]
    # Plain segment files, never compound ones (see DocumentIndex._writer), either way.
    for built in ("parallel", "single"):
        assert not list((tmp_path / built).glob("*.seg"))
        assert list((tmp_path / built).glob("MAIN_*.pst"))
    parallel.close()
    single.close()


def test_searchable_while_the_build_runs(tmp_path, small_batches):
    root = _collection(tmp_path / "docs")
    index_dir = tmp_path / "ix"
    document_index = DocumentIndex(index_dir, root, "k")
    seen: list[int] = []

    def watch(done: int, total: int) -> None:
        reader_side = DocumentIndex(index_dir, root, "k")
        seen.append(len(reader_side.titles()))
        reader_side.close()

    document_index.update(progress=watch)
    assert any(0 < count < 60 for count in seen), seen  # partial commits were searchable
    assert len(document_index.titles()) == 60
    document_index.close()


def test_parallel_update_replaces_changed_files(tmp_path, small_batches):
    root = _collection(tmp_path / "docs")
    document_index = DocumentIndex(tmp_path / "ix", root, "k")
    document_index.update()
    changed = sorted(root.glob("part2/*.txt"))[:15]
    for path in changed:
        path.write_text("Rewritten\n\nnow about zyxwvut only\n", encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    (root / "part1" / "doc001.txt").write_bytes(b"\x00now binary")
    report = document_index.update()
    assert sorted(report.updated) == sorted(path.relative_to(root).as_posix() for path in changed)
    assert report.removed == ["part1/doc001.txt"]
    results = document_index.search("zyxwvut", limit=None)
    assert results.total == 15
    assert len(document_index.titles()) == 59  # no stale copies
    document_index.close()


def test_cancelled_parallel_build_keeps_what_was_committed(tmp_path, small_batches):
    root = _collection(tmp_path / "docs")
    index_dir = tmp_path / "ix"
    document_index = DocumentIndex(index_dir, root, "k")
    progress: list[int] = []
    report = document_index.update(progress=lambda done, total: progress.append(done),
                                   cancelled=lambda: len(progress) >= 3)
    assert 0 < len(report.added) < 60
    assert len(document_index.titles()) == len(report.added)
    assert read_folder_state(index_dir) is None
    document_index.close()
    again = DocumentIndex(index_dir, root, "k")
    assert len(again.update().added) == 60 - len(report.added)
    again.close()


@pytest.mark.parametrize("text", [
    "Plain words, and the stop words of a sentence: to be or not to be.",
    "U.S. strikes striking STRIKES; e-mail x y z 1999 3.14 café naïve — über.\n\nrest\nperiods",
    "", "   ", "a an the", "turnaround " * 50,
])
def test_shared_content_analysis_gives_the_fields_own_postings(text):
    from reader.index.schema import _share_content_analysis, make_schema

    own, shared = make_schema(), make_schema()
    _share_content_analysis(shared)
    for name in ("content", "content_exact", "content_pairs"):  # in this order, as a writer indexes them
        assert sorted(shared[name].index(text)) == sorted(own[name].index(text)), name
    # A value the stemmed field has not just seen is analysed by the field itself.
    other = text + " extra"
    assert sorted(shared["content_exact"].index(other)) == sorted(own["content_exact"].index(other))
    assert sorted(shared["content_pairs"].index(other)) == sorted(own["content_pairs"].index(other))


def test_segments_merge_in_the_background_and_search_goes_on(tmp_path, small_batches, monkeypatch):
    """After a parallel build the worker segments are merged into one by a
    background thread; while it holds the write lock, searches still answer."""
    import threading

    monkeypatch.setattr(index_core, "MERGE_MIN_SEGMENTS", 3)
    root = _collection(tmp_path / "docs")
    document_index = DocumentIndex(tmp_path / "ix", root, "k", notes_provider=lambda: NOTES)
    holding, release = threading.Event(), threading.Event()
    real_writer = DocumentIndex._writer

    def writer_then_hold(self, timeout):  # the merge's writer: hold it (and the lock) until released
        writer = real_writer(self, timeout)
        if threading.current_thread().name == "index-merge":
            holding.set()
            assert release.wait(60)
        return writer

    monkeypatch.setattr(DocumentIndex, "_writer", writer_then_hold)
    document_index.update()
    assert holding.wait(60), "no merge started"
    assert document_index.merging()
    assert len(document_index.ix._segments()) > 2
    during = _results(document_index)
    assert during["turnaround"][0] > 0
    release.set()
    assert document_index.wait_for_merge(60)
    assert document_index.merge_error is None
    assert len(document_index.ix._segments()) == 1
    after = _results(document_index)
    # The same documents; scores may move slightly (a merge re-encodes field lengths).
    assert {query: (total, sorted(hit[0] for hit in hits)) for query, (total, hits) in during.items()} == \
        {query: (total, sorted(hit[0] for hit in hits)) for query, (total, hits) in after.items()}
    assert read_manifest(tmp_path / "ix") is not None
    document_index.close()


def test_update_waits_for_a_running_merge(tmp_path, small_batches, monkeypatch):
    monkeypatch.setattr(index_core, "MERGE_MIN_SEGMENTS", 3)
    root = _collection(tmp_path / "docs")
    document_index = DocumentIndex(tmp_path / "ix", root, "k")
    document_index.update()
    (root / "part0" / "new.txt").write_text("New\n\nzyxwvut arrives\n", encoding="utf-8")
    report = document_index.update()  # the merge holds the lock: update waits, not "busy"
    assert not report.busy and report.added == ["part0/new.txt"]
    assert document_index.search("zyxwvut").total == 1
    document_index.wait_for_merge(60)
    document_index.close()
