"""The search history: committed queries, kept across runs in ``history.json``.

Decisions:

* Only queries the user commits (Enter) are recorded, not every prefix typed
  while searching as you type.  Malformed queries are recorded too, like a
  shell's history: recalling one is the quickest way to fix a typo.
* A repeated query moves to the newest position instead of appearing twice;
  the oldest entries are dropped beyond :data:`MAX_ENTRIES`.
* History is a convenience, never a reason to fail: a missing or corrupt file
  loads as an empty history, and a file that cannot be written (read-only data
  dir, full disk) leaves the history in memory for this run and records why in
  :attr:`QueryHistory.save_error`.
* Saving is atomic: a temporary file in the same directory, then ``os.replace``,
  so a crash mid-write never leaves half a file.  Saves are serialised by a lock
  and each writes the entries as they are when it runs, so the last save to
  finish always holds the newest state (saves may run in worker threads).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

MAX_ENTRIES = 200
FORMAT_VERSION = 1


class QueryHistory:
    def __init__(self, path: Path | None = None, entries: list[str] | None = None) -> None:
        self.path = path
        self._entries: list[str] = []
        self.save_error: str | None = None
        self._lock = threading.Lock()
        for query in entries or []:
            self.add(query)

    @classmethod
    def load(cls, path: Path) -> QueryHistory:
        """The history stored at ``path``; empty if the file is missing or unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON
            return cls(path)
        queries = data.get("queries") if isinstance(data, dict) else None
        if not isinstance(queries, list):
            return cls(path)
        return cls(path, [query for query in queries if isinstance(query, str)])

    @property
    def entries(self) -> list[str]:
        """Oldest first (a copy)."""
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, query: str) -> None:
        query = query.strip()
        if not query:
            return
        entries = [entry for entry in self._entries if entry != query]
        entries.append(query)
        # Replace the list in one assignment: a save running in a thread copies
        # either the old list or the new one, never a half-updated one.
        self._entries = entries[-MAX_ENTRIES:]

    def save(self) -> bool:
        """Write the history atomically; False (and ``save_error`` set) if it could not."""
        if self.path is None:
            return False
        with self._lock:
            payload = json.dumps({"version": FORMAT_VERSION, "queries": self._entries}, ensure_ascii=False)
            temp_name: str | None = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, temp_name = tempfile.mkstemp(prefix=".history-", suffix=".tmp", dir=self.path.parent)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp_name, self.path)
                temp_name = None
            except OSError as error:
                self.save_error = f"{type(error).__name__}: {error}"
                return False
            finally:
                if temp_name is not None:
                    try:
                        os.unlink(temp_name)
                    except OSError:
                        pass
        self.save_error = None
        return True


__all__ = ["MAX_ENTRIES", "QueryHistory"]
