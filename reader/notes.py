"""The note store: SQLite in the data directory, the only home of the user's notes.

Notes are the one thing in this tool that cannot be rebuilt, so:

* WAL journal, ``synchronous=FULL``: a note is on disk when :meth:`NoteStore.add`
  returns, and survives a crash or ``kill -9`` of the app.  There is no delayed
  save anywhere.
* Every change is one ``BEGIN IMMEDIATE … COMMIT`` transaction.  A second copy of
  the app writing at the same moment makes SQLite wait (busy timeout), then we
  retry a few times, then raise :class:`NotesBusy` with a message for the user;
  the caller keeps the unsaved text (the editor stays open).
* Edits carry the version they were made on (``UPDATE … WHERE id=? AND
  version=?``); an edit of a note another copy changed meanwhile raises
  :class:`NoteConflict` instead of silently overwriting it.
* Deletes are tombstones (``deleted`` set), so ``u`` can undo them; tombstones
  older than :data:`TOMBSTONE_DAYS` are purged when the store opens.
* ``PRAGMA integrity_check`` when the store opens; a damaged database is opened
  read-only (never recreated: it holds the user's work) with a message naming
  the backups folder.
* Rolling backups with SQLite's online backup API (:meth:`NoteStore.backup`):
  before every schema migration and once a day, the last :data:`DAILY_BACKUPS`
  daily copies kept, in ``backups/`` beside the database.
* If the data directory cannot be written (read-only, or the database is
  locked or damaged) the store opens read-only and says why
  (:attr:`NoteStore.read_only_reason`); writes raise :class:`NotesReadOnly`.  A full
  disk makes the one write fail with a clear :class:`NotesError`.
* Another copy's commits are noticed with ``PRAGMA data_version``
  (:meth:`NoteStore.changed_elsewhere`), which the UI polls.

Notes are filed by collection key and the document's path inside the collection
(see :mod:`reader.paths`).  A note keeps the W3C selectors it was made with
(quote, prefix, suffix and the original offsets); re-anchoring only updates its
current ``start``/``end`` and ``state``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from reader.anchoring import Anchor, AnchorState, reanchor

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000
BUSY_RETRIES = 3  # after the busy timeout, before telling the user
TOMBSTONE_DAYS = 30
DAILY_BACKUPS = 7
MAX_NOTE_CHARS = 1_000_000  # a 100 KB note is fine; a pasted book is a mistake

#: The highlight colours offered, in the order the editor shows them.
COLOURS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOUR = "yellow"


class NoteKind(StrEnum):
    PASSAGE = "passage"  # a quote with a note
    HIGHLIGHT = "highlight"  # a quote, marked, with no text
    DOCUMENT = "document"  # about the whole document: no quote


_CREATE_TABLES = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS notes (
    id TEXT PRIMARY KEY,
    collection TEXT NOT NULL,
    doc_path TEXT NOT NULL,
    doc_hash TEXT NOT NULL,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'ok',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    kind TEXT NOT NULL DEFAULT 'passage',
    tags TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT 'yellow',
    orig_start INTEGER NOT NULL DEFAULT 0,
    orig_end INTEGER NOT NULL DEFAULT 0,
    deleted TEXT
);
CREATE INDEX IF NOT EXISTS notes_by_document ON notes (collection, doc_path);
CREATE INDEX IF NOT EXISTS notes_by_hash ON notes (collection, doc_hash);
"""

# Schema 1 -> 2: kinds, tags, colours, the original position selector, tombstones.
_MIGRATE_1_TO_2 = """
ALTER TABLE notes ADD COLUMN kind TEXT NOT NULL DEFAULT 'passage';
ALTER TABLE notes ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE notes ADD COLUMN colour TEXT NOT NULL DEFAULT 'yellow';
ALTER TABLE notes ADD COLUMN orig_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notes ADD COLUMN orig_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notes ADD COLUMN deleted TEXT;
UPDATE notes SET kind = 'highlight' WHERE body = '';
UPDATE notes SET orig_start = start, orig_end = "end";
"""

_COLUMNS = (
    'id, collection, doc_path, doc_hash, quote, prefix, suffix, start, "end", '
    "body, state, created, updated, version, kind, tags, colour, orig_start, orig_end, deleted"
)
_PLACEHOLDERS = ",".join("?" * len(_COLUMNS.split(",")))
_LIVE = "deleted IS NULL"


class NotesError(Exception):
    """A note could not be saved; the message is for users."""


class NotesReadOnly(NotesError):
    pass


class NoteConflict(NotesError):
    pass


class NotesBusy(NotesError):
    pass


def normalise_tags(tags: Iterable[str] | str) -> tuple[str, ...]:
    """``"#Strike safety #strike"`` → ``("strike", "safety")``: lower case, no ``#``,
    no duplicates, in the order first given."""
    words = tags.replace(",", " ").split() if isinstance(tags, str) else tags
    seen: dict[str, None] = {}
    for word in words:
        tag = word.strip().lstrip("#").strip().lower()
        if tag and not any(character.isspace() for character in tag):
            seen.setdefault(tag, None)
    return tuple(seen)


@dataclass(frozen=True)
class Note:
    id: str
    collection: str
    doc_path: str
    doc_hash: str  # the content hash of the document the current offsets refer to
    quote: str  # TextQuoteSelector exact/prefix/suffix, as made (never rewritten)
    prefix: str
    suffix: str
    start: int  # current TextPositionSelector
    end: int
    body: str
    state: AnchorState
    created: str
    updated: str
    version: int
    kind: NoteKind = NoteKind.PASSAGE
    tags: tuple[str, ...] = ()
    colour: str = DEFAULT_COLOUR
    orig_start: int = 0  # TextPositionSelector as made
    orig_end: int = 0
    deleted: str | None = None  # tombstone time

    @property
    def anchor(self) -> Anchor:
        return Anchor(self.start, self.end, self.quote, self.prefix, self.suffix)

    @property
    def is_orphaned(self) -> bool:
        return self.state == AnchorState.ORPHANED

    @property
    def is_placed(self) -> bool:
        """Whether the note marks a passage of the document as it is now."""
        return self.kind != NoteKind.DOCUMENT and self.state in (
            AnchorState.OK, AnchorState.MOVED, AnchorState.CHANGED
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _note_from_row(row: sqlite3.Row | tuple) -> Note:
    (id_, collection, doc_path, doc_hash, quote, prefix, suffix, start, end, body, state,
     created, updated, version, kind, tags, colour, orig_start, orig_end, deleted) = row
    return Note(id_, collection, doc_path, doc_hash, quote, prefix, suffix, start, end, body,
                AnchorState(state), created, updated, version, NoteKind(kind),
                tuple(tags.split()), colour, orig_start, orig_end, deleted)


def _row_from_note(note: Note) -> tuple:
    return (note.id, note.collection, note.doc_path, note.doc_hash, note.quote, note.prefix,
            note.suffix, note.start, note.end, note.body, note.state.value, note.created,
            note.updated, note.version, note.kind.value, " ".join(note.tags), note.colour,
            note.orig_start, note.orig_end, note.deleted)


def validate_note(kind: NoteKind, body: str, anchor: Anchor | None, colour: str) -> None:
    """Raise :class:`NotesError` for a note that must not be saved."""
    if kind == NoteKind.HIGHLIGHT:
        if body.strip():
            raise NotesError("A highlight has no text; save it as a passage note instead.")
    elif not body.strip():
        raise NotesError("The note is empty; write something, or save the passage as a highlight.")
    if len(body) > MAX_NOTE_CHARS:
        raise NotesError(f"The note is {len(body):,} characters; the limit is {MAX_NOTE_CHARS:,}.")
    if (kind == NoteKind.DOCUMENT) != (anchor is None):
        raise NotesError("A whole-document note has no passage; a passage note needs one.")
    if anchor is not None and not (anchor.exact and 0 <= anchor.start < anchor.end):
        raise NotesError("A passage note needs a passage: a quote with start before end.")
    if colour not in COLOURS:
        raise NotesError(f"Unknown colour {colour!r}; choose one of {', '.join(COLOURS)}.")


def _is_busy(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


class NoteStore:
    def __init__(self, db_path: Path, *, check_integrity: bool = True) -> None:
        self.db_path = db_path
        self.backup_dir = db_path.parent / "backups"
        self.read_only_reason: str | None = None
        self._lock = threading.RLock()  # one connection, shared by UI and worker threads
        self._connection = self._connect(check_integrity)
        self._data_version = self._read_data_version()

    # -- connection ------------------------------------------------------------

    def _connect(self, check_integrity: bool) -> sqlite3.Connection:
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            writable = os.access(self.db_path.parent, os.W_OK) and (
                not self.db_path.exists() or os.access(self.db_path, os.W_OK)
            )
        except OSError as error:
            writable = False
            self.read_only_reason = f"cannot create {self.db_path.parent}: {error.strerror}"
        if writable:
            try:
                connection = sqlite3.connect(
                    self.db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                    check_same_thread=False,
                )
                connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                if check_integrity:
                    self._check_integrity(connection)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=FULL")
                self._migrate(connection)
                self._purge_tombstones(connection)
                return connection
            except (sqlite3.DatabaseError, NotesError) as error:
                # Damaged, locked or full: never recreate the file (it holds the
                # user's work); open what can be read, read-only, and say why.
                self.read_only_reason = f"cannot open {self.db_path} for writing: {error}"
        self.read_only_reason = self.read_only_reason or (
            f"the data directory {self.db_path.parent} is read-only"
        )
        connection = None
        if self.db_path.exists():
            try:
                connection = self._connect_read_only()
            except NotesError as error:
                self.read_only_reason = f"{self.read_only_reason}; {error}"
        if connection is None:  # nothing readable and nowhere to save: an empty, read-only view
            connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            connection.executescript(_CREATE_TABLES)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return connection

    def _check_integrity(self, connection: sqlite3.Connection) -> None:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            detail = "; ".join(str(row) for row in rows[:3])
            raise NotesError(
                f"the notes database is damaged ({detail}); it is kept untouched, and daily "
                f"copies are in {self.backup_dir}"
            )

    def _connect_read_only(self) -> sqlite3.Connection:
        # A WAL database in a read-only folder may lack its -shm file; SQLite can
        # then still read it as "immutable" (nobody can be writing it anyway).
        for options in ("mode=ro", "mode=ro&immutable=1"):
            connection = sqlite3.connect(
                f"{self.db_path.as_uri()}?{options}", uri=True, isolation_level=None,
                check_same_thread=False,
            )
            try:
                columns = {row[1] for row in connection.execute("PRAGMA table_info(notes)")}
                if "kind" not in columns:  # schema 1, which we may not migrate here
                    connection.close()
                    connection = self._upgraded_copy_in_memory(options)
                connection.execute("SELECT count(*) FROM notes").fetchone()
                return connection
            except sqlite3.DatabaseError:
                connection.close()
        raise NotesError(f"cannot read the notes database {self.db_path}")

    def _upgraded_copy_in_memory(self, options: str) -> sqlite3.Connection:
        """An old-schema database we cannot write, migrated in memory to be read."""
        source = sqlite3.connect(f"{self.db_path.as_uri()}?{options}", uri=True)
        memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        try:
            source.backup(memory)
        finally:
            source.close()
        memory.executescript(_MIGRATE_1_TO_2)
        return memory

    def _migrate(self, connection: sqlite3.Connection) -> None:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        row = (
            connection.execute("SELECT version FROM schema_version").fetchone()
            if "schema_version" in tables else None
        )
        found = row[0] if row else (1 if "notes" in tables else None)
        if found is not None and found > SCHEMA_VERSION:
            raise NotesError(
                f"{self.db_path} was written by a newer iatse-reader (schema {found}); upgrade to use it"
            )
        if found == SCHEMA_VERSION:
            return  # nothing to write: opening a store must not look like a change to others
        if found is not None:
            self._backup_with(connection, f"before-schema-{SCHEMA_VERSION}")
        connection.execute("BEGIN IMMEDIATE")
        try:
            if found == 1:
                for statement in _MIGRATE_1_TO_2.split(";"):
                    if statement.strip():
                        connection.execute(statement)
            for statement in _CREATE_TABLES.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute("DELETE FROM schema_version")
            connection.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    @staticmethod
    def _purge_tombstones(connection: sqlite3.Connection) -> None:
        cutoff = (datetime.now(UTC) - timedelta(days=TOMBSTONE_DAYS)).isoformat(timespec="seconds")
        expired = "FROM notes WHERE deleted IS NOT NULL AND deleted < ?"
        if connection.execute(f"SELECT count(*) {expired}", (cutoff,)).fetchone()[0]:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(f"DELETE {expired}", (cutoff,))
            connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    # -- backups ---------------------------------------------------------------

    def _backup_with(self, connection: sqlite3.Connection, label: str) -> Path:
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        target = self.backup_dir / f"notes-{label}.sqlite3"
        partial = target.with_suffix(".partial")
        destination = sqlite3.connect(partial)
        try:
            connection.backup(destination)  # a consistent snapshot, even while others write
        finally:
            destination.close()
        os.replace(partial, target)  # a backup is either complete or absent
        return target

    def backup_daily(self) -> Path | None:
        """Today's backup, made if there is none yet; older daily copies beyond the
        last :data:`DAILY_BACKUPS` are removed.  Never raises: a backup that cannot
        be made must not stop anyone from reading or writing notes."""
        if self.read_only:
            return None
        target = self.backup_dir / f"notes-{datetime.now(UTC):%Y-%m-%d}.sqlite3"
        try:
            if not target.exists():
                with self._lock:
                    self._backup_with(self._connection, target.stem.removeprefix("notes-"))
            daily = sorted(
                path for path in self.backup_dir.glob("notes-????-??-??.sqlite3")
            )
            for old in daily[:-DAILY_BACKUPS]:
                old.unlink(missing_ok=True)
        except (OSError, sqlite3.Error):
            return None
        return target

    # -- transactions ----------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only_reason:
            raise NotesReadOnly(f"Notes are read-only: {self.read_only_reason}.")
        with self._lock:
            connection = self._connection
            self._begin(connection)
            try:
                yield connection
            except BaseException:
                # SQLite has already rolled back after some errors (a full disk).
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            try:
                connection.execute("COMMIT")
            except sqlite3.OperationalError as error:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise NotesError(f"Could not save the note: {self._explain(error)}.") from error
            # No data_version reset here: our own commits never change it, and a
            # reset would swallow another copy's commit made since the last poll.

    def _begin(self, connection: sqlite3.Connection) -> None:
        # SQLite already waited BUSY_TIMEOUT_MS inside each attempt.
        for attempt in range(BUSY_RETRIES):
            try:
                connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise NotesError(f"Could not save the note: {self._explain(error)}.") from error
                time.sleep(0.05 * (attempt + 1))
        raise NotesBusy(
            "Another copy of iatse-reader is holding the notes database; nothing was lost — "
            "try saving again in a moment."
        )

    def _explain(self, error: sqlite3.Error) -> str:
        message = str(error)
        if "full" in message.lower():
            return f"the disk holding {self.db_path.parent} is full"
        return message

    def _execute_write(self, sql: str, parameters: tuple) -> int:
        try:
            with self._write() as connection:
                return connection.execute(sql, parameters).rowcount
        except sqlite3.OperationalError as error:
            raise NotesError(f"Could not save the note: {self._explain(error)}.") from error

    def _query(self, sql: str, parameters: tuple = ()) -> list[Note]:
        with self._lock:
            rows = self._connection.execute(sql, parameters).fetchall()
        return [_note_from_row(row) for row in rows]

    # -- other copies of the app -----------------------------------------------

    def _read_data_version(self) -> int:
        with self._lock:
            return self._connection.execute("PRAGMA data_version").fetchone()[0]

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another copy of the app, the CLI) committed
        since the last call.  Cheap: one pragma, no table read."""
        try:
            current = self._read_data_version()
        except sqlite3.Error:
            return False
        changed = current != self._data_version
        self._data_version = current
        return changed

    # -- reading ---------------------------------------------------------------

    def get(self, note_id: str, *, include_deleted: bool = False) -> Note | None:
        condition = "" if include_deleted else f" AND {_LIVE}"
        found = self._query(f"SELECT {_COLUMNS} FROM notes WHERE id = ?{condition}", (note_id,))
        return found[0] if found else None

    def for_document(self, collection: str, doc_path: str) -> list[Note]:
        return self._query(
            f"SELECT {_COLUMNS} FROM notes WHERE collection = ? AND doc_path = ? AND {_LIVE} "
            "ORDER BY start, created",
            (collection, doc_path),
        )

    def with_hash(self, collection: str, doc_hash: str) -> list[Note]:
        """Notes last placed on a document with this content (to follow renames)."""
        return self._query(
            f"SELECT {_COLUMNS} FROM notes WHERE collection = ? AND doc_hash = ? AND {_LIVE}",
            (collection, doc_hash),
        )

    def all(self, collection: str | None = None) -> list[Note]:
        if collection is None:
            return self._query(
                f"SELECT {_COLUMNS} FROM notes WHERE {_LIVE} ORDER BY collection, doc_path, start"
            )
        return self._query(
            f"SELECT {_COLUMNS} FROM notes WHERE collection = ? AND {_LIVE} ORDER BY doc_path, start",
            (collection,),
        )

    def deleted(self, collection: str | None = None) -> list[Note]:
        """Tombstones, most recently deleted first."""
        where = "deleted IS NOT NULL" + (" AND collection = ?" if collection else "")
        return self._query(
            f"SELECT {_COLUMNS} FROM notes WHERE {where} ORDER BY deleted DESC",
            (collection,) if collection else (),
        )

    # -- writing ---------------------------------------------------------------

    def add(
        self, collection: str, doc_path: str, doc_hash: str, anchor: Anchor | None, body: str,
        *, kind: NoteKind | None = None, tags: Iterable[str] | str = (),
        colour: str = DEFAULT_COLOUR,
    ) -> Note:
        """Save a new note and return it.  *kind* defaults to a highlight for an
        empty body and a passage note otherwise; *anchor* is None only for a
        whole-document note."""
        if kind is None:
            kind = NoteKind.DOCUMENT if anchor is None else (
                NoteKind.PASSAGE if body.strip() else NoteKind.HIGHLIGHT
            )
        validate_note(kind, body, anchor, colour)
        now = _now()
        anchor = anchor or Anchor(0, 0, "", "", "")
        note = Note(
            id=str(uuid.uuid4()), collection=collection, doc_path=doc_path, doc_hash=doc_hash,
            quote=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix,
            start=anchor.start, end=anchor.end, body=body, state=AnchorState.OK,
            created=now, updated=now, version=1, kind=kind, tags=normalise_tags(tags),
            colour=colour, orig_start=anchor.start, orig_end=anchor.end,
        )
        self._execute_write(f"INSERT INTO notes ({_COLUMNS}) VALUES ({_PLACEHOLDERS})",
                            _row_from_note(note))
        return note

    def _versioned_update(self, note: Note, changed: Note, assignments: str, values: tuple) -> Note:
        count = self._execute_write(
            f"UPDATE notes SET {assignments}, updated = ?, version = version + 1 "
            "WHERE id = ? AND version = ?",
            (*values, changed.updated, note.id, note.version),
        )
        if count != 1:
            raise NoteConflict(
                "This note was changed or deleted in another copy of iatse-reader meanwhile; "
                "your text is kept — reopen the note and edit again."
            )
        return replace(changed, version=note.version + 1)

    def update(
        self, note: Note, *, body: str | None = None, tags: Iterable[str] | str | None = None,
        colour: str | None = None, kind: NoteKind | None = None,
    ) -> Note:
        """Change a note's text, tags, colour or kind (passage ↔ highlight); refuses
        if another copy of the app changed it since *note* was read.  A whole-document
        note stays one (it has no passage to become a highlight of), and a passage
        note cannot become a whole-document note (its quote would be lost)."""
        if kind is not None and (kind == NoteKind.DOCUMENT) != (note.kind == NoteKind.DOCUMENT):
            raise NotesError("A note cannot change between whole-document and passage kinds.")
        changed = replace(
            note,
            body=note.body if body is None else body,
            tags=note.tags if tags is None else normalise_tags(tags),
            colour=note.colour if colour is None else colour,
            kind=note.kind if kind is None else kind,
            updated=_now(),
        )
        if kind is None and note.kind != NoteKind.DOCUMENT:  # text decides passage vs highlight
            changed = replace(
                changed, kind=NoteKind.PASSAGE if changed.body.strip() else NoteKind.HIGHLIGHT
            )
        validate_note(changed.kind, changed.body, None if changed.kind == NoteKind.DOCUMENT
                      else changed.anchor, changed.colour)
        return self._versioned_update(
            note, changed, "body = ?, tags = ?, colour = ?, kind = ?",
            (changed.body, " ".join(changed.tags), changed.colour, changed.kind.value),
        )

    def delete(self, note: Note) -> Note:
        """Tombstone *note* (undo with :meth:`restore`); returns the tombstone."""
        now = _now()
        return self._versioned_update(note, replace(note, deleted=now, updated=now),
                                      "deleted = ?", (now,))

    def restore(self, tombstone: Note) -> Note:
        """Undo a delete."""
        return self._versioned_update(tombstone, replace(tombstone, deleted=None, updated=_now()),
                                      "deleted = ?", (None,))

    def revert(self, current: Note, earlier: Note) -> Note:
        """Put *current* back as it was in *earlier* (the same note before a change
        made in this session: an undo).  Everything the user changed comes back:
        text, tags, colour, kind, passage and selectors, deletion.  Refuses, like
        every edit, if another copy of the app changed the note since *current*."""
        if earlier.id != current.id:
            raise NotesError("Cannot undo: that is a different note.")
        changed = replace(earlier, version=current.version, created=current.created, updated=_now())
        return self._versioned_update(
            current, changed,
            'body = ?, tags = ?, colour = ?, kind = ?, doc_path = ?, doc_hash = ?, quote = ?, '
            'prefix = ?, suffix = ?, start = ?, "end" = ?, orig_start = ?, orig_end = ?, '
            "state = ?, deleted = ?",
            (earlier.body, " ".join(earlier.tags), earlier.colour, earlier.kind.value,
             earlier.doc_path, earlier.doc_hash, earlier.quote, earlier.prefix, earlier.suffix,
             earlier.start, earlier.end, earlier.orig_start, earlier.orig_end, earlier.state.value,
             earlier.deleted),
        )

    def reattach(self, note: Note, doc_path: str, doc_hash: str, anchor: Anchor) -> Note:
        """Attach *note* (typically an orphan) to a new passage the user chose: its
        selectors become the new passage's, as if made there."""
        changed = replace(
            note, doc_path=doc_path, doc_hash=doc_hash, quote=anchor.exact, prefix=anchor.prefix,
            suffix=anchor.suffix, start=anchor.start, end=anchor.end, orig_start=anchor.start,
            orig_end=anchor.end, state=AnchorState.OK, updated=_now(),
            kind=NoteKind.PASSAGE if note.body.strip() else NoteKind.HIGHLIGHT,
        )
        return self._versioned_update(
            note, changed,
            'doc_path = ?, doc_hash = ?, quote = ?, prefix = ?, suffix = ?, start = ?, "end" = ?, '
            "orig_start = ?, orig_end = ?, state = ?, kind = ?",
            (doc_path, doc_hash, anchor.exact, anchor.prefix, anchor.suffix, anchor.start,
             anchor.end, anchor.start, anchor.end, AnchorState.OK.value, changed.kind.value),
        )

    def merge(self, incoming: Iterable[Note]) -> tuple[int, int, int]:
        """Import notes, all or nothing: a new id is inserted; a known id is replaced
        only when the incoming copy is newer (``updated``, then ``version``);
        otherwise it is skipped.  Returns (added, updated, unchanged)."""
        added = updated = unchanged = 0
        try:
            with self._write() as connection:
                for note in incoming:
                    row = connection.execute(
                        "SELECT updated, version FROM notes WHERE id = ?", (note.id,)
                    ).fetchone()
                    if row is None:
                        added += 1
                    elif (note.updated, note.version) > (row[0], row[1]):
                        updated += 1
                    else:
                        unchanged += 1
                        continue
                    connection.execute(
                        f"INSERT OR REPLACE INTO notes ({_COLUMNS}) VALUES ({_PLACEHOLDERS})",
                        _row_from_note(note),
                    )
        except sqlite3.Error as error:
            raise NotesError(f"Could not import the notes: {self._explain(error)}.") from error
        return added, updated, unchanged

    def save_placement(self, notes: Iterable[Note]) -> None:
        """Record re-anchoring results (current offsets, state, document path and
        hash); best effort: they are recomputed next time if this cannot be saved.
        Guarded by version, so a concurrent edit is never overwritten."""
        notes = list(notes)
        if not notes or self.read_only:
            return
        try:
            with self._write() as connection:
                for note in notes:
                    connection.execute(
                        'UPDATE notes SET start = ?, "end" = ?, state = ?, doc_hash = ?, '
                        "doc_path = ? WHERE id = ? AND version = ?",
                        (note.start, note.end, note.state.value, note.doc_hash, note.doc_path,
                         note.id, note.version),
                    )
        except (NotesError, sqlite3.Error):
            pass

    def reanchor_document(self, collection: str, doc_path: str, text: str, doc_hash: str) -> list[Note]:
        """The document's notes, re-attached to *text* when it changed since they
        were made.  New offsets and states are saved (when writable); quotes and
        note text are never changed, and orphans are kept (and re-tried each time
        the document changes)."""
        notes = self.for_document(collection, doc_path)
        result: list[Note] = []
        changes: list[Note] = []
        for note in notes:
            placed = _place_note(note, text, doc_hash)
            result.append(placed)
            if placed != note:
                changes.append(placed)
        self.save_placement(changes)
        return sorted(result, key=lambda note: (note.kind != NoteKind.DOCUMENT, note.start, note.created))


def _place_note(note: Note, text: str, doc_hash: str) -> Note:
    """*note* placed in the document *text* (whose hash is *doc_hash*)."""
    if note.kind == NoteKind.DOCUMENT:
        return replace(note, state=AnchorState.OK, doc_hash=doc_hash)
    if note.doc_hash == doc_hash and note.state != AnchorState.MISSING:
        return note
    # The selectors as made (never rewritten), with the current offsets as the
    # position hint: re-anchoring after several edits never drifts.
    resolution = reanchor(text, note.anchor)
    if resolution.state == AnchorState.ORPHANED:
        return replace(note, state=resolution.state)  # doc_hash kept: re-tried when the text changes
    return replace(note, start=resolution.start, end=resolution.end, state=resolution.state,
                   doc_hash=doc_hash)
