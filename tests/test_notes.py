"""The SQLite note store and the workspace's note round trip."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader.anchoring import AnchorState, make_anchor
from reader.corpus import content_hash
from reader.notes import SCHEMA_VERSION, NoteConflict, NotesReadOnly, NoteStore
from reader.paths import Collection, DataLayout
from reader.workspace import Workspace

COLLECTION = "test-collection"
DOC = "doc.txt"
TEXT = "Members voted to authorise a strike over turnaround times and rest periods.\n"
HASH = content_hash(TEXT.encode())


def _anchor(text: str, quote: str):
    start = text.index(quote)
    return make_anchor(text, start, start + len(quote))


@pytest.fixture
def store(data_dir: Path):
    note_store = NoteStore(data_dir / "notes.sqlite3")
    yield note_store
    note_store.close()


def test_add_then_get(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "why strike")
    assert store.get(note.id) == note
    assert note.quote == "strike"
    assert note.state == AnchorState.OK
    assert note.version == 1
    assert store.get("no-such-id") is None
    assert not store.read_only


def test_notes_survive_reopen(data_dir):
    first = NoteStore(data_dir / "notes.sqlite3")
    note = first.add(COLLECTION, DOC, HASH, _anchor(TEXT, "turnaround"), "rest matters")
    first.close()
    second = NoteStore(data_dir / "notes.sqlite3")
    assert second.get(note.id) == note
    assert second.all() == [note]
    second.close()


def test_for_document_is_ordered_by_position_and_filtered(store):
    late = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "rest periods"), "late")
    early = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "Members"), "early")
    middle = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "middle")
    store.add(COLLECTION, "other.txt", HASH, _anchor(TEXT, "strike"), "other doc")
    store.add("other-collection", DOC, HASH, _anchor(TEXT, "strike"), "other collection")
    assert [n.id for n in store.for_document(COLLECTION, DOC)] == [early.id, middle.id, late.id]
    assert len(store.all(COLLECTION)) == 4
    assert len(store.all()) == 5


def test_update_bumps_version_and_detects_conflicts(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "v1")
    edited = store.update(note, body="v2")
    assert edited.version == 2 and edited.body == "v2"
    assert store.get(note.id).body == "v2"
    assert store.get(note.id).version == 2
    with pytest.raises(NoteConflict):
        store.update(note, body="stale edit")  # made on version 1
    assert store.get(note.id).body == "v2"
    assert store.update(edited, body="v3").version == 3


def test_delete_is_a_tombstone_until_restored(store):
    keep = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "keep")
    gone = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "turnaround"), "gone")
    tombstone = store.delete(gone)
    assert tombstone.deleted is not None and tombstone.version == gone.version + 1
    assert store.get(gone.id) is None
    assert store.for_document(COLLECTION, DOC) == [keep]
    assert store.all() == [keep]
    assert [n.id for n in store.deleted()] == [gone.id]
    with pytest.raises(NoteConflict):
        store.update(gone, body="edit a deleted note")  # made on the pre-delete version
    restored = store.restore(tombstone)
    assert restored.deleted is None
    assert store.get(gone.id) == restored
    assert restored.body == "gone" and restored.quote == "turnaround"
    assert store.deleted() == []


def test_two_stores_on_one_file_see_each_others_notes(data_dir):
    db = data_dir / "notes.sqlite3"
    one, two = NoteStore(db), NoteStore(db)
    a = one.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "from copy one")
    b = two.add(COLLECTION, DOC, HASH, _anchor(TEXT, "turnaround"), "from copy two")
    c = one.add(COLLECTION, DOC, HASH, _anchor(TEXT, "Members"), "one again")
    expected = {a.id, b.id, c.id}
    assert {n.id for n in one.all()} == expected
    assert {n.id for n in two.all()} == expected
    # An edit in one copy makes the other copy's stale edit a conflict.
    two.update(two.get(a.id), body="edited by two")
    with pytest.raises(NoteConflict):
        one.update(a, body="edited by one")
    assert one.get(a.id).body == "edited by two"
    one.close()
    two.close()


def test_wal_mode_and_schema_version(store, data_dir):
    store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "x")
    connection = sqlite3.connect(data_dir / "notes.sqlite3")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        assert connection.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1
        assert connection.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        connection.close()
    NoteStore(data_dir / "notes.sqlite3").close()  # reopening must not add a second row
    connection = sqlite3.connect(data_dir / "notes.sqlite3")
    try:
        assert connection.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1
    finally:
        connection.close()


def test_read_only_data_dir(data_dir, monkeypatch):
    db = data_dir / "notes.sqlite3"
    writer = NoteStore(db)
    note = writer.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "written before")
    writer.close()

    # Tests may run as root, which ignores permission bits: simulate a read-only
    # folder by making os.access say "not writable" for the data dir and the db.
    real_access = os.access
    protected = {os.path.realpath(data_dir), os.path.realpath(db)}

    def fake_access(path, mode, *args, **kwargs):
        if mode & os.W_OK and os.path.realpath(path) in protected:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", fake_access)
    store = NoteStore(db)
    try:
        assert store.read_only
        assert str(data_dir) in store.read_only_reason
        assert store.get(note.id) == note
        assert store.for_document(COLLECTION, DOC) == [note]
        with pytest.raises(NotesReadOnly):
            store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "turnaround"), "cannot save")
        with pytest.raises(NotesReadOnly):
            store.update(note, body="cannot edit")
        with pytest.raises(NotesReadOnly):
            store.delete(note)
        # Re-anchoring still answers (in memory) without writing.
        moved = store.reanchor_document(COLLECTION, DOC, "New start. " + TEXT, "other-hash")
        assert [(n.state, n.start) for n in moved] == [(AnchorState.MOVED, note.start + len("New start. "))]
        assert store.get(note.id) == note
    finally:
        store.close()


def test_read_only_without_database_is_empty(data_dir, monkeypatch):
    data_dir.mkdir(parents=True)
    real_access = os.access
    monkeypatch.setattr(
        os, "access",
        lambda path, mode, *a, **k: False if mode & os.W_OK and os.path.realpath(path) == os.path.realpath(data_dir)
        else real_access(path, mode, *a, **k),
    )
    store = NoteStore(data_dir / "notes.sqlite3")
    assert store.read_only
    assert store.all() == []
    with pytest.raises(NotesReadOnly):
        store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "x")
    store.close()
    assert not (data_dir / "notes.sqlite3").exists()


def test_reanchor_document_moves_and_orphans(store):
    moving = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "will move")
    doomed = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "turnaround"), "quote will vanish")
    new_text = "Update: talks resumed.\n" + TEXT.replace("turnaround", "rest")
    new_hash = content_hash(new_text.encode())

    notes = store.reanchor_document(COLLECTION, DOC, new_text, new_hash)
    by_id = {n.id: n for n in notes}
    assert set(by_id) == {moving.id, doomed.id}  # the orphan is still listed

    moved = by_id[moving.id]
    assert moved.state == AnchorState.MOVED
    assert new_text[moved.start : moved.end] == "strike"
    assert moved.start == moving.start + len("Update: talks resumed.\n")
    assert moved.doc_hash == new_hash

    orphan = by_id[doomed.id]
    assert orphan.state == AnchorState.ORPHANED
    assert orphan.is_orphaned
    assert (orphan.start, orphan.end) == (doomed.start, doomed.end)
    assert orphan.quote == "turnaround" and orphan.body == "quote will vanish"

    # Saved: a fresh read sees the new offsets and states.
    assert store.get(moving.id).start == moved.start
    assert store.get(moving.id).state == AnchorState.MOVED
    assert store.get(doomed.id).state == AnchorState.ORPHANED


def test_reanchor_document_unchanged_hash_keeps_notes(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor(TEXT, "strike"), "same")
    assert store.reanchor_document(COLLECTION, DOC, TEXT, HASH) == [note]


def test_markup_and_escapes_are_stored_verbatim(store):
    text = "Look: [bold]not markup[/bold] and \x1b[31mred\x1b[0m here.\n"
    body = "[bold]body[/] with \x1b[31m escape \x1b[0m and [link=http://x]y[/link]"
    note = store.add(COLLECTION, DOC, HASH, _anchor(text, "[bold]not markup[/bold]"), body)
    fetched = store.get(note.id)
    assert fetched.body == body
    assert fetched.quote == "[bold]not markup[/bold]"
    escaped = store.add(COLLECTION, DOC, HASH, _anchor(text, "\x1b[31mred"), "esc quote")
    assert store.get(escaped.id).quote == "\x1b[31mred"


def test_workspace_add_note_and_notes_for(make_docs, data_dir):
    root = make_docs({"a.txt": "A Title Line Here\n\nThe strike began on Monday morning.\n"})
    workspace = Workspace(Collection(root=root, key=str(root)), DataLayout(data_dir))
    document = workspace.read("a.txt")
    start = document.text.index("strike")
    note = workspace.add_note(document, start, start + len("strike"), "[bold]my note[/]")
    assert note.collection == str(root)
    assert note.doc_hash == document.content_hash
    assert workspace.notes_for(document) == [note]
    assert workspace.all_notes() == [note]
    assert (data_dir / "notes.sqlite3").exists()

    (root / "a.txt").write_text("A Title Line Here\n\nNEW LINE.\nThe strike began on Monday morning.\n")
    changed = workspace.read("a.txt")
    (moved,) = workspace.notes_for(changed)
    assert moved.state == AnchorState.MOVED
    assert changed.text[moved.start : moved.end] == "strike"
    assert moved.body == "[bold]my note[/]"

    # A missing document keeps its notes, marked as such.
    (root / "a.txt").unlink()
    (missing,) = workspace.all_notes()
    assert (missing.id, missing.state, missing.body) == (note.id, AnchorState.MISSING, note.body)


def test_workspace_lists_documents_and_skips_unreadable(make_docs, data_dir):
    root = make_docs({"good.md": "# Good Document Title\ntext\n", "bad.txt": b"\x00\x00"})
    workspace = Workspace(Collection(root=root, key=str(root)), DataLayout(data_dir))
    listed, skipped = workspace.list_documents()
    assert [(d.rel_path, d.title) for d in listed] == [("good.md", "Good Document Title")]
    assert [(s.rel_path, "binary" in s.reason) for s in skipped] == [("bad.txt", True)]
