"""The note store's promises: kinds and validation, tombstones, migrations with a
backup first, integrity checks, busy and full databases, other copies' changes,
and documents that vanish or are renamed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader import notes as notes_module
from reader.anchoring import AnchorState, make_anchor
from reader.corpus import content_hash
from reader.notes import (
    COLOURS,
    SCHEMA_VERSION,
    NoteKind,
    NotesBusy,
    NotesError,
    NoteStore,
    normalise_tags,
)
from reader.paths import Collection, DataLayout
from reader.workspace import Workspace

COLLECTION = "c"
DOC = "doc.txt"
TEXT = "Members voted to authorise a strike over turnaround times and rest periods.\n"
HASH = content_hash(TEXT.encode())


def _anchor(quote: str):
    start = TEXT.index(quote)
    return make_anchor(TEXT, start, start + len(quote))


@pytest.fixture
def store(data_dir: Path):
    note_store = NoteStore(data_dir / "notes.sqlite3")
    yield note_store
    note_store.close()


# -- kinds, tags, colours ----------------------------------------------------------


def test_kind_follows_from_passage_and_text(store):
    passage = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "why")
    highlight = store.add(COLLECTION, DOC, HASH, _anchor("turnaround"), "")
    whole = store.add(COLLECTION, DOC, HASH, None, "about the whole text")
    assert (passage.kind, highlight.kind, whole.kind) == (
        NoteKind.PASSAGE, NoteKind.HIGHLIGHT, NoteKind.DOCUMENT,
    )
    assert whole.quote == "" and whole.is_placed is False
    assert highlight.is_placed and passage.is_placed
    assert {n.id: n for n in store.all()} == {n.id: n for n in (passage, highlight, whole)}


@pytest.mark.parametrize(
    "anchor_quote,body,kind,message",
    [
        ("strike", "  \n", NoteKind.PASSAGE, "empty"),
        (None, "", None, "empty"),  # a whole-document note needs text
        ("strike", "text", NoteKind.HIGHLIGHT, "highlight has no text"),
        (None, "text", NoteKind.PASSAGE, "needs one"),
    ],
)
def test_invalid_notes_are_refused_with_a_reason(store, anchor_quote, body, kind, message):
    anchor = _anchor(anchor_quote) if anchor_quote else None
    with pytest.raises(NotesError, match=message):
        store.add(COLLECTION, DOC, HASH, anchor, body, kind=kind)
    assert store.all() == []


def test_large_and_odd_note_text_round_trips(store):
    body = ("[bold]x[/bold] \x1b[31mred\x1b[0m\nline two\n" * 3000)[:100_000]
    assert len(body) == 100_000
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), body)
    assert store.get(note.id).body == body
    with pytest.raises(NotesError, match="limit"):
        store.add(COLLECTION, DOC, HASH, _anchor("strike"), "x" * (notes_module.MAX_NOTE_CHARS + 1))


def test_tags_are_normalised():
    assert normalise_tags("#Strike, safety #strike  #AI") == ("strike", "safety", "ai")
    assert normalise_tags(["#a", "b", "", "#"]) == ("a", "b")


def test_update_changes_tags_colour_and_kind(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "first", tags="#strike")
    assert note.tags == ("strike",) and note.colour == "yellow"
    edited = store.update(note, tags="#safety #turnaround", colour="blue")
    assert store.get(note.id) == edited
    assert (edited.tags, edited.colour, edited.version) == (("safety", "turnaround"), "blue", 2)
    emptied = store.update(edited, body="")  # no text left: it is a highlight now
    assert emptied.kind == NoteKind.HIGHLIGHT
    with pytest.raises(NotesError, match="colour"):
        store.update(emptied, colour="mauve")
    assert store.get(note.id).colour == "blue"
    assert set(COLOURS) >= {"yellow", "blue"}


def test_old_tombstones_are_purged_when_the_store_opens(data_dir):
    db = data_dir / "notes.sqlite3"
    store = NoteStore(db)
    recent = store.delete(store.add(COLLECTION, DOC, HASH, _anchor("strike"), "recent"))
    old = store.delete(store.add(COLLECTION, DOC, HASH, _anchor("turnaround"), "old"))
    long_ago = (datetime.now(UTC) - timedelta(days=notes_module.TOMBSTONE_DAYS + 1)).isoformat()
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE notes SET deleted = ? WHERE id = ?", (long_ago, old.id))
    store.close()
    reopened = NoteStore(db)
    assert [n.id for n in reopened.deleted()] == [recent.id]
    reopened.close()


# -- schema migration and backups ---------------------------------------------------

_SCHEMA_1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
CREATE TABLE notes (
    id TEXT PRIMARY KEY, collection TEXT NOT NULL, doc_path TEXT NOT NULL,
    doc_hash TEXT NOT NULL, quote TEXT NOT NULL, prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '', start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'ok', created TEXT NOT NULL,
    updated TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO notes VALUES ('n1', 'c', 'doc.txt', 'h', 'strike', 'a ', ' over', 29, 35,
                          'a note', 'ok', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', 1);
INSERT INTO notes VALUES ('n2', 'c', 'doc.txt', 'h', 'turnaround', '', '', 41, 51,
                          '', 'moved', '2026-01-01T00:00:00+00:00', '2026-01-02T00:00:00+00:00', 3);
"""


def _make_schema_1_database(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db) as connection:
        connection.executescript(_SCHEMA_1)


def test_schema_1_is_migrated_after_a_backup(data_dir):
    db = data_dir / "notes.sqlite3"
    _make_schema_1_database(db)
    store = NoteStore(db)
    assert not store.read_only, store.read_only_reason
    one, two = store.get("n1"), store.get("n2")
    assert (one.body, one.kind, one.orig_start, one.orig_end, one.tags) == ("a note", NoteKind.PASSAGE, 29, 35, ())
    assert (two.kind, two.state, two.version) == (NoteKind.HIGHLIGHT, AnchorState.MOVED, 3)
    store.close()
    backup = data_dir / "backups" / f"notes-before-schema-{SCHEMA_VERSION}.sqlite3"
    assert backup.exists()
    with sqlite3.connect(backup) as connection:  # the backup is the old database, intact
        assert connection.execute("SELECT version FROM schema_version").fetchone()[0] == 1
        assert connection.execute("SELECT count(*) FROM notes").fetchone()[0] == 2


def test_a_newer_schema_is_opened_read_only(data_dir):
    db = data_dir / "notes.sqlite3"
    NoteStore(db).close()
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    store = NoteStore(db)
    assert store.read_only and "newer" in store.read_only_reason
    store.close()


def test_daily_backup_is_made_once_a_day_and_rolls(store, data_dir):
    store.add(COLLECTION, DOC, HASH, _anchor("strike"), "backed up")
    backups = data_dir / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    for day in range(1, 10):  # older daily copies, more than are kept
        (backups / f"notes-2020-01-{day:02d}.sqlite3").write_bytes(b"old")
    today = store.backup_daily()
    assert today is not None and today.exists()
    with sqlite3.connect(today) as connection:
        assert connection.execute("SELECT body FROM notes").fetchall() == [("backed up",)]
    daily = sorted(path.name for path in backups.glob("notes-????-??-??.sqlite3"))
    assert len(daily) == notes_module.DAILY_BACKUPS
    assert daily[-1] == today.name
    modified = today.stat().st_mtime_ns
    assert store.backup_daily() == today
    assert today.stat().st_mtime_ns == modified  # not made twice in a day


# -- damage, busy, full ---------------------------------------------------------------


def test_damaged_database_opens_read_only_and_is_never_replaced(data_dir):
    db = data_dir / "notes.sqlite3"
    store = NoteStore(db)
    for number in range(200):
        store.add(COLLECTION, DOC, HASH, _anchor("strike"), f"note {number} " + "x" * 200)
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    page_size = 4096
    for offset in range(2 * page_size, len(data) - page_size, 3 * page_size):
        data[offset + 100 : offset + 400] = b"\xff" * 300  # scribble over some pages
    db.write_bytes(bytes(data))
    damaged = bytes(data)

    reopened = NoteStore(db)
    assert reopened.read_only
    assert "damaged" in reopened.read_only_reason or "malformed" in reopened.read_only_reason
    assert str(data_dir / "backups") in reopened.read_only_reason or "malformed" in reopened.read_only_reason
    with pytest.raises(NotesError):
        reopened.add(COLLECTION, DOC, HASH, _anchor("strike"), "not on a damaged file")
    reopened.close()
    assert db.read_bytes() == damaged  # the user's file is left exactly as it was


def test_busy_database_retries_then_says_so(data_dir, monkeypatch):
    db = data_dir / "notes.sqlite3"
    store = NoteStore(db)
    monkeypatch.setattr(notes_module, "BUSY_RETRIES", 2)
    with store._lock:
        store._connection.execute("PRAGMA busy_timeout=50")
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another copy holding the write lock
    try:
        with pytest.raises(NotesBusy, match="nothing was lost"):
            store.add(COLLECTION, DOC, HASH, _anchor("strike"), "waits its turn")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "saved once free")
    assert [n.id for n in store.all()] == [note.id]
    store.close()


def test_full_disk_fails_the_write_clearly_and_keeps_earlier_notes(data_dir):
    db = data_dir / "notes.sqlite3"
    store = NoteStore(db)
    kept = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "saved before the disk filled")
    with store._lock:  # simulate a full disk: the database may not grow any more
        pages = store._connection.execute("PRAGMA page_count").fetchone()[0]
        store._connection.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(NotesError, match="full"):
        store.add(COLLECTION, DOC, HASH, _anchor("turnaround"), "y" * 200_000)
    assert store.all() == [kept]
    store.close()
    assert NoteStore(db).all() == [kept]


def test_changed_elsewhere_sees_other_connections_only(data_dir):
    db = data_dir / "notes.sqlite3"
    one, two = NoteStore(db), NoteStore(db)
    assert not one.changed_elsewhere()
    one.add(COLLECTION, DOC, HASH, _anchor("strike"), "my own write")
    assert not one.changed_elsewhere()  # its own commit is not news
    two.add(COLLECTION, DOC, HASH, _anchor("turnaround"), "the other copy")
    assert one.changed_elsewhere()
    assert not one.changed_elsewhere()  # reported once
    one.close()
    two.close()


# -- documents that vanish or move ---------------------------------------------------


def test_renamed_document_takes_its_notes_along(make_docs, data_dir):
    content = "Strike Bulletin\n\nThe strike vote passed with 98 percent in favour.\n"
    root = make_docs({"old-name.txt": content, "other.txt": "Another Document\n\nunrelated\n"})
    workspace = Workspace(Collection(root=root, key=str(root)), DataLayout(data_dir))
    document = workspace.read("old-name.txt")
    start = document.text.index("98 percent")
    note = workspace.add_note(document, start, start + len("98 percent"), "huge mandate", tags="#vote")
    whole = workspace.add_note(document, None, None, "read this first")

    (root / "old-name.txt").rename(root / "renamed.txt")
    notes = {n.id: n for n in workspace.all_notes()}
    assert notes[note.id].doc_path == "renamed.txt"
    assert notes[note.id].state == AnchorState.OK
    assert notes[whole.id].doc_path == "renamed.txt"
    # Saved: the notes now live with the renamed file.
    assert {n.id for n in workspace.notes.for_document(str(root), "renamed.txt")} == {note.id, whole.id}

    (root / "renamed.txt").unlink()
    states = {n.id: n.state for n in workspace.all_notes()}
    assert states == {note.id: AnchorState.MISSING, whole.id: AnchorState.MISSING}
    assert workspace.notes.get(note.id).body == "huge mandate"  # never dropped


def test_kind_cannot_switch_between_document_and_passage(store):
    whole = store.add(COLLECTION, DOC, HASH, None, "about the text")
    passage = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "a passage")
    with pytest.raises(NotesError, match="cannot change"):
        store.update(whole, kind=NoteKind.PASSAGE)
    with pytest.raises(NotesError, match="cannot change"):
        store.update(passage, kind=NoteKind.DOCUMENT)
    with pytest.raises(NotesError, match="empty"):
        store.update(whole, body="")  # a whole-document note never turns into a highlight
    assert store.get(whole.id) == whole and store.get(passage.id) == passage


def test_opening_a_renamed_document_brings_its_notes(make_docs, data_dir):
    content = "Strike Bulletin\n\nThe strike vote passed with 98 percent in favour.\n"
    root = make_docs({"old.txt": content})
    workspace = Workspace(Collection(root=root, key=str(root)), DataLayout(data_dir))
    document = workspace.read("old.txt")
    start = document.text.index("98 percent")
    note = workspace.add_note(document, start, start + len("98 percent"), "huge mandate")
    (root / "old.txt").rename(root / "new.txt")
    (found,) = workspace.notes_for(workspace.read("new.txt"))
    assert (found.id, found.doc_path, found.state) == (note.id, "new.txt", AnchorState.OK)
    # A copy (the old path still exists) does not steal the original's notes.
    (root / "old.txt").write_text(content)
    assert workspace.notes_for(workspace.read("old.txt")) == []


def test_the_workspace_opens_one_note_store_and_one_index_however_many_threads_ask(tmp_path):
    import threading

    from reader.paths import Collection, DataLayout
    from reader.workspace import Workspace

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("A title line\n\nturnaround\n", encoding="utf-8")
    workspace = Workspace(Collection(docs, "key"), DataLayout(tmp_path / "data"))
    seen: list[tuple[int, int]] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        seen.append((id(workspace.notes), id(workspace.index)))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1
    workspace.index.close()
