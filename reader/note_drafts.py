"""The note being written, kept on disk until it is saved or discarded, so a
crash (or a killed terminal) does not take it: the next start reopens it.

One small JSON file per collection in the data dir (``drafts/<key hash>.json``),
written atomically (a temporary file, synced, then renamed: the file is the old
draft or the new one, never half of one).  Writes come from worker threads, so
each carries a sequence number from the UI thread and a write older than the
last one applied is dropped: a slow write can never bring back a draft that was
already saved or discarded.

Plain Python (no Textual).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path

from reader.export import write_atomically

DRAFT_FORMAT = 1


@dataclass(frozen=True)
class SavedDraft:
    """What the editor held, and where it was going: a new note on
    text[start:end] of *doc_path* (start None: on the whole document), or, with
    *note_id*, an edit of that note.  *quote* helps find the passage again if the
    document changed meanwhile."""

    doc_path: str
    body: str
    tags: str
    colour: str
    start: int | None = None
    end: int | None = None
    note_id: str | None = None
    quote: str | None = None


class DraftFile:
    """The draft file of one collection in one data dir."""

    def __init__(self, data_dir: Path, collection_key: str) -> None:
        digest = hashlib.sha256(collection_key.encode("utf-8")).hexdigest()[:16]
        self.path = data_dir / "drafts" / f"{digest}.json"
        self.collection_key = collection_key
        self._lock = threading.Lock()
        self._last_sequence = -1

    def _newer(self, sequence: int) -> bool:
        if sequence < self._last_sequence:
            return False
        self._last_sequence = sequence
        return True

    def save(self, draft: SavedDraft, sequence: int) -> None:
        """Keep *draft* (unless a later save or clear already ran).  Raises OSError."""
        record = {"format": DRAFT_FORMAT, "collection": self.collection_key, "draft": asdict(draft)}
        with self._lock:
            if not self._newer(sequence):
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps(record, ensure_ascii=False, indent=1))

    def clear(self, sequence: int) -> None:
        """The draft was saved as a note or discarded: forget it."""
        with self._lock:
            if not self._newer(sequence):
                return
            with suppress(FileNotFoundError):
                os.unlink(self.path)

    def load(self) -> SavedDraft | None:
        """The draft left by an earlier run, if any.  A file that cannot be read as
        a draft is renamed aside (``.unreadable``), never deleted, and ValueError
        says where it is."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            record = json.loads(text)
            fields = record["draft"]
            draft = SavedDraft(
                doc_path=str(fields["doc_path"]), body=str(fields["body"]), tags=str(fields["tags"]),
                colour=str(fields["colour"]),
                start=None if fields.get("start") is None else int(fields["start"]),
                end=None if fields.get("end") is None else int(fields["end"]),
                note_id=None if fields.get("note_id") is None else str(fields["note_id"]),
                quote=None if fields.get("quote") is None else str(fields["quote"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            aside = self.path.with_suffix(".unreadable")
            os.replace(self.path, aside)
            raise ValueError(f"the unsaved note file could not be read ({error}); it was kept as {aside}") from error
        return draft
