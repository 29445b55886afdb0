"""The session's undo stack for note changes, through the note store."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.anchoring import AnchorState, make_anchor
from reader.note_undo import ChangeKind, NoteChange, UndoStack, undo
from reader.notes import NoteConflict, NoteKind, NoteStore

from tests.test_notes import COLLECTION, DOC, HASH, TEXT


def _anchor(quote: str):
    start = TEXT.index(quote)
    return make_anchor(TEXT, start, start + len(quote))


@pytest.fixture
def store(tmp_path: Path):
    note_store = NoteStore(tmp_path / "notes.sqlite3")
    yield note_store
    note_store.close()


def test_undoing_a_create_deletes_the_note(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "why")
    gone = undo(store, NoteChange(ChangeKind.CREATED, None, note))
    assert gone.deleted is not None
    assert store.get(note.id) is None
    assert [tombstone.id for tombstone in store.deleted(COLLECTION)] == [note.id]


def test_undoing_an_edit_brings_back_text_tags_colour_and_kind(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "why", tags="a b", colour="yellow")
    edited = store.update(note, body="", tags="c", colour="blue")
    assert edited.kind == NoteKind.HIGHLIGHT
    back = undo(store, NoteChange(ChangeKind.EDITED, note, edited))
    stored = store.get(note.id)
    assert stored == back
    assert (stored.body, stored.tags, stored.colour, stored.kind) == ("why", ("a", "b"), "yellow", NoteKind.PASSAGE)
    assert stored.version == edited.version + 1


def test_undoing_a_reattach_puts_back_the_old_passage_and_selectors(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "why")
    moved = store.reattach(note, DOC, HASH, _anchor("rest periods"))
    assert moved.quote == "rest periods"
    back = undo(store, NoteChange(ChangeKind.REATTACHED, note, moved))
    stored = store.get(note.id)
    assert stored == back
    assert (stored.quote, stored.start, stored.end, stored.orig_start, stored.prefix) == (
        note.quote, note.start, note.end, note.orig_start, note.prefix)
    assert stored.state == AnchorState.OK


def test_undoing_a_delete_restores_the_note(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "why")
    tombstone = store.delete(note)
    undo(store, NoteChange(ChangeKind.DELETED, note, tombstone))
    assert store.get(note.id).body == "why"


def test_undo_is_refused_when_another_copy_changed_the_note_since(store, tmp_path: Path):
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "mine")
    edited = store.update(note, body="mine, edited")
    other_copy = NoteStore(tmp_path / "notes.sqlite3")
    try:
        other_copy.update(other_copy.get(note.id), body="theirs")
    finally:
        other_copy.close()
    with pytest.raises(NoteConflict):
        undo(store, NoteChange(ChangeKind.EDITED, note, edited))
    assert store.get(note.id).body == "theirs"


def test_the_stack_is_newest_first_and_a_busy_undo_can_be_put_back(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "why")
    stack = UndoStack()
    created = NoteChange(ChangeKind.CREATED, None, note)
    edited = NoteChange(ChangeKind.EDITED, note, store.update(note, body="new"))
    stack.record(created)
    stack.record(edited)
    assert stack.pop() is edited
    stack.put_back(edited)
    assert len(stack) == 2
    assert [stack.pop(), stack.pop(), stack.pop()] == [edited, created, None]
    assert created.undone_message == "New note removed"


def test_after_an_undo_the_change_before_it_on_the_same_note_can_be_undone(store):
    note = store.add(COLLECTION, DOC, HASH, _anchor("strike"), "why")
    stack = UndoStack()
    stack.record(NoteChange(ChangeKind.CREATED, None, note))
    stack.record(NoteChange(ChangeKind.EDITED, note, store.update(note, body="new")))
    stack.undone(undo(store, stack.pop()))
    undo(store, stack.pop())  # the creation: its version moved on with the undo
    assert store.get(note.id) is None
