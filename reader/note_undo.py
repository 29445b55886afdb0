"""The session's undo stack for note changes: every create, edit (text, tags,
colour), re-attach and delete made in this run of the reader can be taken back,
newest first.

A change keeps the note as it was before (None for a new note) and as the change
left it.  Undoing goes through the note store like any edit, with its version
check: if another copy of the app changed the note after us, the store refuses
(:class:`reader.notes.NoteConflict`) and the other copy's change stands.

Plain Python (no Textual): the app records changes and calls :func:`undo`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from reader.notes import Note, NoteKind, NoteStore


class ChangeKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    REATTACHED = "re-attached"
    DELETED = "deleted"


@dataclass(frozen=True)
class NoteChange:
    """One change to one note: *before* is None when the change created it; *after*
    is the note as the change left it (a tombstone after a delete)."""

    kind: ChangeKind
    before: Note | None
    after: Note

    @property
    def noun(self) -> str:
        note = self.after
        if note.kind == NoteKind.DOCUMENT:
            return "note on the whole document"
        return "highlight" if note.kind == NoteKind.HIGHLIGHT else "note"

    @property
    def undone_message(self) -> str:
        """What undoing it did, for the status line."""
        return {
            ChangeKind.CREATED: f"New {self.noun} removed",
            ChangeKind.EDITED: f"Edit of the {self.noun} undone",
            ChangeKind.REATTACHED: f"The {self.noun} is back on its old passage",
            ChangeKind.DELETED: f"Deleted {self.noun} restored",
        }[self.kind]


@dataclass
class UndoStack:
    """Changes of this session, newest last."""

    changes: list[NoteChange] = field(default_factory=list)

    def record(self, change: NoteChange) -> None:
        self.changes.append(change)

    def pop(self) -> NoteChange | None:
        return self.changes.pop() if self.changes else None

    def put_back(self, change: NoteChange) -> None:
        """An undo that failed for a passing reason (busy): it stays the next one."""
        self.changes.append(change)

    def undone(self, note: Note) -> None:
        """An undo left *note* as it is now (a new version): the change before it on
        the same note now starts from this version, so it can be undone in turn."""
        for number in range(len(self.changes) - 1, -1, -1):
            change = self.changes[number]
            if change.after.id == note.id:
                self.changes[number] = replace(change, after=note)
                return

    def __len__(self) -> int:
        return len(self.changes)


def undo(store: NoteStore, change: NoteChange) -> Note:
    """Take *change* back in *store*; returns the note as it is now (a tombstone
    when the change created it).  Raises the store's errors (a conflict when
    another copy changed the note since)."""
    if change.before is None:
        return store.delete(change.after)
    if change.kind == ChangeKind.DELETED and change.after.deleted is not None:
        return store.restore(change.after)
    return store.revert(change.after, change.before)
