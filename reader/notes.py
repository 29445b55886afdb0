"""The note store: SQLite in the data directory, the only home of the user's notes.

Safety decisions:

* WAL journal, ``synchronous=FULL``: a note is on disk when :meth:`NoteStore.add`
  returns, and survives a crash or ``kill -9`` of the app.
* Every change is one ``BEGIN IMMEDIATE … COMMIT`` transaction with a busy
  timeout, so a second copy of the app writing at the same moment waits its
  turn instead of failing or overwriting.
* Edits carry the version they were made on; an edit of a note another copy of
  the app changed meanwhile raises :class:`NoteConflict` instead of silently
  overwriting it.
* If the data directory cannot be written, the store opens read-only and says
  why (:attr:`NoteStore.read_only_reason`); writes raise :class:`NotesReadOnly`.
* Notes are filed by collection key and the document's path inside the
  collection (see :mod:`reader.paths`), never only in the search index.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from reader.anchoring import Anchor, AnchorState, reanchor

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 5000

_SCHEMA = """
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
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS notes_by_document ON notes (collection, doc_path);
"""

_COLUMNS = (
    'id, collection, doc_path, doc_hash, quote, prefix, suffix, start, "end", '
    "body, state, created, updated, version"
)


class NotesError(Exception):
    """A note could not be saved; the message is for users."""


class NotesReadOnly(NotesError):
    pass


class NoteConflict(NotesError):
    pass


@dataclass(frozen=True)
class Note:
    id: str
    collection: str
    doc_path: str
    doc_hash: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    body: str
    state: AnchorState
    created: str
    updated: str
    version: int

    @property
    def anchor(self) -> Anchor:
        return Anchor(self.start, self.end, self.quote, self.prefix, self.suffix)

    @property
    def is_orphaned(self) -> bool:
        return self.state == AnchorState.ORPHANED


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _note_from_row(row: sqlite3.Row | tuple) -> Note:
    (id_, collection, doc_path, doc_hash, quote, prefix, suffix, start, end, body, state,
     created, updated, version) = row
    return Note(id_, collection, doc_path, doc_hash, quote, prefix, suffix, start, end, body,
                AnchorState(state), created, updated, version)


class NoteStore:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.read_only_reason: str | None = None
        self._lock = threading.Lock()  # one connection, shared by UI and worker threads
        self._connection = self._connect()

    # -- connection ------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
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
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=FULL")
                self._migrate(connection)
                return connection
            except sqlite3.DatabaseError as error:
                # Damaged or locked: never recreate the file (it holds the user's
                # work); open what can be read, read-only, and say why.
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
            connection.executescript(_SCHEMA)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return connection

    def _connect_read_only(self) -> sqlite3.Connection:
        # A WAL database in a read-only folder may lack its -shm file; SQLite can
        # then still read it as "immutable" (nobody can be writing it anyway).
        for options in ("mode=ro", "mode=ro&immutable=1"):
            connection = sqlite3.connect(
                f"{self.db_path.as_uri()}?{options}", uri=True, isolation_level=None,
                check_same_thread=False,
            )
            try:
                connection.execute("SELECT count(*) FROM notes").fetchone()
                return connection
            except sqlite3.DatabaseError:
                connection.close()
        raise NotesError(f"cannot read the notes database {self.db_path}")

    @staticmethod
    def _migrate(connection: sqlite3.Connection) -> None:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        row = connection.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            connection.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        elif row[0] > SCHEMA_VERSION:
            connection.execute("ROLLBACK")
            raise NotesError(
                f"{connection} was written by a newer iatse-reader (schema {row[0]}); upgrade to use it"
            )
        connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only_reason:
            raise NotesReadOnly(f"Notes are read-only: {self.read_only_reason}.")
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise NotesError(f"The notes database is busy or locked ({error}); try again.") from error
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            try:
                connection.execute("COMMIT")
            except sqlite3.OperationalError as error:
                connection.execute("ROLLBACK")
                raise NotesError(f"Could not save the note: {error}.") from error

    def _query(self, sql: str, parameters: tuple = ()) -> list[Note]:
        with self._lock:
            rows = self._connection.execute(sql, parameters).fetchall()
        return [_note_from_row(row) for row in rows]

    # -- reading ---------------------------------------------------------------

    def get(self, note_id: str) -> Note | None:
        found = self._query(f"SELECT {_COLUMNS} FROM notes WHERE id = ?", (note_id,))
        return found[0] if found else None

    def for_document(self, collection: str, doc_path: str) -> list[Note]:
        return self._query(
            f"SELECT {_COLUMNS} FROM notes WHERE collection = ? AND doc_path = ? "
            "ORDER BY start, created",
            (collection, doc_path),
        )

    def all(self, collection: str | None = None) -> list[Note]:
        if collection is None:
            return self._query(f"SELECT {_COLUMNS} FROM notes ORDER BY collection, doc_path, start")
        return self._query(
            f"SELECT {_COLUMNS} FROM notes WHERE collection = ? ORDER BY doc_path, start",
            (collection,),
        )

    # -- writing ---------------------------------------------------------------

    def add(self, collection: str, doc_path: str, doc_hash: str, anchor: Anchor, body: str) -> Note:
        now = _now()
        note = Note(
            id=str(uuid.uuid4()), collection=collection, doc_path=doc_path, doc_hash=doc_hash,
            quote=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix,
            start=anchor.start, end=anchor.end, body=body, state=AnchorState.OK,
            created=now, updated=now, version=1,
        )
        with self._write() as connection:
            connection.execute(
                f"INSERT INTO notes ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (note.id, note.collection, note.doc_path, note.doc_hash, note.quote, note.prefix,
                 note.suffix, note.start, note.end, note.body, note.state.value, note.created,
                 note.updated, note.version),
            )
        return note

    def update_body(self, note: Note, body: str) -> Note:
        """Change a note's text; refuses if another copy of the app changed it since
        *note* was read."""
        now = _now()
        with self._write() as connection:
            cursor = connection.execute(
                "UPDATE notes SET body = ?, updated = ?, version = version + 1 "
                "WHERE id = ? AND version = ?",
                (body, now, note.id, note.version),
            )
            if cursor.rowcount != 1:
                raise NoteConflict(
                    "This note was changed or deleted elsewhere meanwhile; reopen it and edit again."
                )
        return replace(note, body=body, updated=now, version=note.version + 1)

    def delete(self, note: Note) -> None:
        with self._write() as connection:
            connection.execute("DELETE FROM notes WHERE id = ?", (note.id,))

    def reanchor_document(self, collection: str, doc_path: str, text: str, doc_hash: str) -> list[Note]:
        """The document's notes, re-attached to *text* when it changed since they
        were made.  New offsets and states are saved (when writable); quotes and
        note text are never changed, and orphans are kept."""
        notes = self.for_document(collection, doc_path)
        result: list[Note] = []
        changes: list[Note] = []
        for note in notes:
            if note.doc_hash == doc_hash:
                result.append(note)
                continue
            resolution = reanchor(text, note.anchor)
            state = resolution.state
            updated = replace(note, start=resolution.start, end=resolution.end, state=state,
                              doc_hash=doc_hash if state != AnchorState.ORPHANED else note.doc_hash)
            result.append(updated)
            if updated != note:
                changes.append(updated)
        if changes and not self.read_only:
            try:
                with self._write() as connection:
                    for note in changes:
                        connection.execute(
                            'UPDATE notes SET start = ?, "end" = ?, state = ?, doc_hash = ? '
                            "WHERE id = ? AND version = ?",
                            (note.start, note.end, note.state.value, note.doc_hash, note.id,
                             note.version),
                        )
            except NotesError:
                pass  # re-anchoring is recomputed next time; the notes themselves are intact
        return sorted(result, key=lambda note: (note.start, note.created))
