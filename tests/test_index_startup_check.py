"""The start-up check: an update that finds nothing changed is told from the folder
state (a listing and one small file) without opening Whoosh, and anything that
makes that state doubtful sends it back to the full check."""

from __future__ import annotations

import json
import os
from pathlib import Path

from reader.index import DocumentIndex, open_index
from reader.manifest import FOLDER_STATE_FILE, MANIFEST_FILE, read_folder_state, read_manifest

FILES = {
    "a.txt": "Alpha document about pickets and turnaround.\n",
    "sub/b.md": "# Beta\nA second document about wages.\n",
    "binary.txt": b"\x00\x01 not text",
}


def _built(tmp_path: Path, root: Path, notes: dict[str, str] | None = None) -> Path:
    index_dir = tmp_path / "ix"
    document_index = DocumentIndex(index_dir, root, "k", notes_provider=lambda: dict(notes or {}))
    document_index.update()
    document_index.close()
    return index_dir


def _reopened(index_dir: Path, root: Path, notes: dict[str, str] | None = None) -> DocumentIndex:
    document_index, warning = open_index(index_dir, root, "k", notes_provider=lambda: dict(notes or {}))
    assert warning is None
    return document_index


def _bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def test_nothing_changed_is_told_without_opening_whoosh(tmp_path, make_docs):
    root = make_docs(FILES)
    index_dir = _built(tmp_path, root)
    assert read_folder_state(index_dir) is not None

    again = _reopened(index_dir, root)
    report = again.update()
    assert again._ix is None  # neither opened at start nor by the check
    assert not report.changed and report.unchanged == 2
    assert [skipped.rel_path for skipped in report.skipped] == ["binary.txt"]  # still reported
    assert [hit.rel_path for hit in again.search("pickets").hits] == ["a.txt"]  # opened on first use
    again.close()


def test_a_changed_file_is_found(tmp_path, make_docs):
    root = make_docs(FILES)
    index_dir = _built(tmp_path, root)
    (root / "a.txt").write_text("Alpha rewritten about zyxwvut.\n", encoding="utf-8")
    _bump_mtime(root / "a.txt")
    again = _reopened(index_dir, root)
    assert again.update().updated == ["a.txt"]
    assert [hit.rel_path for hit in again.search("zyxwvut").hits] == ["a.txt"]
    # ... and the state written after that update serves the next start.
    third = _reopened(index_dir, root)
    assert not third.update().changed and third._ix is None
    again.close()


def test_added_and_removed_files_are_found(tmp_path, make_docs):
    root = make_docs(FILES)
    index_dir = _built(tmp_path, root)
    (root / "sub" / "c.txt").write_text("Gamma arrives.\n", encoding="utf-8")
    (root / "a.txt").unlink()
    report = _reopened(index_dir, root).update()
    assert report.added == ["sub/c.txt"] and report.removed == ["a.txt"]


def test_changed_notes_are_found(tmp_path, make_docs):
    root = make_docs(FILES)
    index_dir = _built(tmp_path, root, notes={"a.txt": "first thought"})
    again = _reopened(index_dir, root, notes={"a.txt": "second thought about quorum"})
    assert again.update().updated == ["a.txt"]
    assert [hit.rel_path for hit in again.search("note:quorum").hits] == ["a.txt"]
    again.close()


def test_an_index_changed_since_is_checked_in_full(tmp_path, make_docs):
    root = make_docs(FILES)
    index_dir = _built(tmp_path, root)
    # Another writer commits (a new generation) without a new folder state.
    other = DocumentIndex(index_dir, root, "k")
    writer = other.ix.writer()
    writer.delete_by_term("path", "a.txt")
    writer.commit()
    other.close()
    again = _reopened(index_dir, root)
    assert again.update().added == ["a.txt"]
    again.close()


def test_a_damaged_or_missing_state_is_checked_in_full(tmp_path, make_docs):
    root = make_docs(FILES)
    index_dir = _built(tmp_path, root)
    for damage in ("{not json", json.dumps({"version": 1, "generation": "x"}), None):
        state_file = index_dir / FOLDER_STATE_FILE
        if damage is None:
            state_file.unlink()
        else:
            state_file.write_text(damage, encoding="utf-8")
        again = _reopened(index_dir, root)
        report = again.update()
        assert not report.changed and report.unchanged == 2
        assert again._ix is not None  # the full check ran
        assert read_folder_state(index_dir) is not None  # and wrote a good state again
        again.close()


def test_a_lost_or_damaged_manifest_is_repaired(tmp_path, make_docs):
    root = make_docs(FILES)
    index_dir = _built(tmp_path, root)
    (index_dir / MANIFEST_FILE).unlink()
    again = _reopened(index_dir, root)
    assert not again.update().changed
    assert sorted(read_manifest(index_dir)) == ["a.txt", "sub/b.md"]
    again.close()

    (index_dir / MANIFEST_FILE).write_text('{"version": 1, "files": {}}', encoding="utf-8")
    again = _reopened(index_dir, root)
    assert not again.update().changed
    assert sorted(read_manifest(index_dir)) == ["a.txt", "sub/b.md"]
    again.close()


def test_a_cancelled_update_leaves_no_state_claiming_it_finished(tmp_path, make_docs):
    root = make_docs({f"doc{number:02}.txt": f"Document {number} about pickets.\n" for number in range(20)})
    index_dir = tmp_path / "ix"
    document_index = DocumentIndex(index_dir, root, "k")
    calls = iter(range(1000))
    report = document_index.update(cancelled=lambda: next(calls) >= 5)
    document_index.close()
    assert len(report.added) < 20
    again = _reopened(index_dir, root)
    assert len(again.update().added) == 20 - len(report.added)
    again.close()


def test_an_index_of_another_version_is_rebuilt_at_open(tmp_path, make_docs):
    root = make_docs(FILES)
    index_dir = _built(tmp_path, root)
    meta = index_dir / "reader-index.json"
    outdated = {**json.loads(meta.read_text(encoding="utf-8")), "schema": 0}
    meta.write_text(json.dumps(outdated), encoding="utf-8")
    again = _reopened(index_dir, root)
    assert again.opened_because and "another version" in again.opened_because
    assert sorted(again.update().added) == ["a.txt", "sub/b.md"]
    again.close()


def test_opening_on_first_use_opens_one_searcher(tmp_path, make_docs, monkeypatch):
    # Each searcher holds a copy of the segments' files in memory: a second,
    # forgotten one doubled the app's memory after its first search.
    from whoosh.index import FileIndex

    root = make_docs(FILES)
    index_dir = _built(tmp_path, root)
    opened = []
    original = FileIndex.searcher
    def counted(self, **kwargs):
        opened.append(1)
        return original(self, **kwargs)

    monkeypatch.setattr(FileIndex, "searcher", counted)
    again = _reopened(index_dir, root)
    again.update()
    assert again.search("pickets").total == 1
    assert again.search("wages").total == 1
    assert len(opened) == 1
    again.close()
