"""What the reader remembers between runs: where each document was left, the last
open document, the list's sort order and last query (per collection), the theme and
the pane choices.  One small JSON file in the data dir, ``reading-state.json``.

It is a convenience, not the user's work (notes live in SQLite), so:

* it is written whole and atomically (a temporary file in the same folder, then
  ``os.replace``): a crash leaves the old file or the new one, never half of one;
* a file that cannot be read or parsed is set aside as
  ``reading-state.damaged.json`` (kept for a look, never read again) and the reader
  starts afresh, saying why in :attr:`ReadingState.problem`: never a crash;
* an entry that makes no sense (a negative offset, a wrong type) is dropped alone;
* a read-only data dir keeps the state in memory for the run
  (:attr:`ReadingState.save_error` says why).

Positions are character offsets into the document text, as notes are, so they
do not depend on the terminal's width: the cursor and the first character on
screen.  ``progress`` (0 to 1, the bottom of the screen) is kept too, so the list
can show how far each document was read without opening it.

Plain Python: no Textual here.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 1
STATE_FILE_NAME = "reading-state.json"
DAMAGED_FILE_NAME = "reading-state.damaged.json"
MAX_POSITIONS = 5_000  # per collection; the least recently read are forgotten first
MAX_QUERY_CHARS = 1_000
SORT_ORDERS = ("rank", "title", "date")


@dataclass(frozen=True)
class PaneChoices:
    """What the user chose for the side panes (``[``, ``]``, ``z``)."""

    list_open: bool = True
    notes_open: bool = True
    focus_mode: bool = False


@dataclass(frozen=True)
class DocumentPosition:
    cursor: int  # offset of the cursor
    top: int  # offset of the first character on screen
    progress: float  # 0..1: how far down the document the screen's bottom was
    read_at: float = 0.0  # time.time() when it was recorded (for forgetting the oldest)


@dataclass
class CollectionState:
    last_document: str | None = None
    sort_order: str = "rank"
    last_query: str = ""
    positions: dict[str, DocumentPosition] = field(default_factory=dict)

    def remember(self, rel_path: str, cursor: int, top: int, progress: float) -> None:
        self.positions[rel_path] = DocumentPosition(
            max(cursor, 0), max(top, 0), min(max(progress, 0.0), 1.0), time.time()
        )
        if len(self.positions) > MAX_POSITIONS:
            oldest = sorted(self.positions, key=lambda path: self.positions[path].read_at)
            for path in oldest[: len(self.positions) - MAX_POSITIONS]:
                del self.positions[path]

    def progress_by_document(self) -> dict[str, float]:
        return {path: position.progress for path, position in self.positions.items()}


@dataclass
class ReadingState:
    path: Path | None = None
    collections: dict[str, CollectionState] = field(default_factory=dict)
    theme: str | None = None
    panes: PaneChoices = field(default_factory=PaneChoices)
    problem: str | None = None  # why the file on disk was not used, for the user
    save_error: str | None = None

    def collection(self, key: str) -> CollectionState:
        return self.collections.setdefault(key, CollectionState())

    # -- reading -------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> ReadingState:
        """The state kept at *path*; a fresh one if there is none or it is damaged."""
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as error:
            return cls._damaged(path, f"{type(error).__name__}: {error}")
        try:
            data = json.loads(raw)
        except ValueError as error:
            return cls._damaged(path, f"not valid JSON ({error})")
        if not isinstance(data, dict) or not isinstance(data.get("collections", {}), dict):
            return cls._damaged(path, "not a reading-state object")
        version = data.get("version")
        if not isinstance(version, int) or version > STATE_VERSION:
            return cls._damaged(path, f"unknown version {version!r}")
        return cls.from_dict(path, data)

    @classmethod
    def _damaged(cls, path: Path, reason: str) -> ReadingState:
        aside = path.with_name(DAMAGED_FILE_NAME)
        try:
            os.replace(path, aside)
            kept = f"; the damaged file is kept as {aside.name}"
        except OSError:
            kept = ""
        return cls(path, problem=f"The saved reading state could not be read ({reason}){kept}. "
                                 "Starting afresh.")

    @classmethod
    def from_dict(cls, path: Path | None, data: dict[str, Any]) -> ReadingState:
        state = cls(path)
        theme = data.get("theme")
        state.theme = theme if isinstance(theme, str) and theme else None
        panes = data.get("panes")
        if isinstance(panes, dict):
            state.panes = PaneChoices(
                list_open=_bool(panes.get("list_open"), True),
                notes_open=_bool(panes.get("notes_open"), True),
                focus_mode=_bool(panes.get("focus_mode"), False),
            )
        for key, value in data.get("collections", {}).items():
            if isinstance(key, str) and isinstance(value, dict):
                state.collections[key] = _collection_from(value)
        return state

    # -- writing -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "theme": self.theme,
            "panes": {"list_open": self.panes.list_open, "notes_open": self.panes.notes_open,
                      "focus_mode": self.panes.focus_mode},
            "collections": {
                key: {
                    "last_document": collection.last_document,
                    "sort_order": collection.sort_order,
                    "last_query": collection.last_query,
                    "positions": {
                        path: {"cursor": position.cursor, "top": position.top,
                               "progress": round(position.progress, 4), "read_at": round(position.read_at, 1)}
                        for path, position in collection.positions.items()
                    },
                }
                for key, collection in self.collections.items()
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def save(self, text: str | None = None) -> bool:
        """Write the state (or *text*, a :meth:`to_json` made earlier) atomically."""
        if self.path is None:
            return False
        try:
            write_atomically(self.path, self.to_json() if text is None else text)
        except OSError as error:
            self.save_error = f"{type(error).__name__}: {error}"
            return False
        self.save_error = None
        return True


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _bool(value: object, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _offset(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _collection_from(data: dict[str, Any]) -> CollectionState:
    collection = CollectionState()
    last = data.get("last_document")
    collection.last_document = last if isinstance(last, str) and last else None
    order = data.get("sort_order")
    collection.sort_order = order if order in SORT_ORDERS else "rank"
    query = data.get("last_query")
    collection.last_query = query if isinstance(query, str) and len(query) <= MAX_QUERY_CHARS else ""
    positions = data.get("positions")
    if isinstance(positions, dict):
        for path, value in positions.items():
            if not isinstance(path, str) or not isinstance(value, dict):
                continue
            cursor, top = _offset(value.get("cursor")), _offset(value.get("top"))
            progress, read_at = value.get("progress"), value.get("read_at", 0.0)
            if cursor is None or top is None or not isinstance(progress, (int, float)):
                continue  # one bad entry is dropped, the rest kept
            read_at = read_at if isinstance(read_at, (int, float)) else 0.0
            collection.positions[path] = DocumentPosition(cursor, top, min(max(float(progress), 0.0), 1.0),
                                                          float(read_at))
    return collection
