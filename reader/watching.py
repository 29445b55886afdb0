"""Watching the documents folder while the reader is open.

Uses ``watchfiles`` (inotify/FSEvents/ReadDirectoryChangesW through Rust's
``notify``; it polls by itself where the OS offers nothing), so an idle reader
costs nothing: no busy loop, no periodic rescans of 10,000 files.  Changes are
batched (:data:`DEBOUNCE_MS`) so that a ``git pull`` or an unzip arrives as one
batch rather than hundreds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from reader.corpus import is_document_name

DEBOUNCE_MS = 400  # how long a burst of changes is gathered into one batch


def _is_watched(root: Path, path: str) -> bool:
    relative = Path(path).relative_to(root) if Path(path).is_relative_to(root) else Path(path)
    if any(part.startswith(".") for part in relative.parts[:-1]):  # hidden folders, as scan()
        return False
    return is_document_name(relative.name) or "." not in relative.name  # a folder moved as a whole


def watch_documents(root: Path, stop: threading.Event) -> Iterator[set[str]]:
    """Yield, until *stop* is set, each batch of changed document paths (relative
    to *root*, POSIX style): added, modified, removed or renamed files."""
    from watchfiles import watch  # imported in the watching thread, after the first paint

    root = root.resolve()
    for changes in watch(root, stop_event=stop, debounce=DEBOUNCE_MS, raise_interrupt=False,
                         watch_filter=lambda _change, path: _is_watched(root, path)):
        paths = {
            Path(path).resolve().relative_to(root).as_posix()
            for _change, path in changes if Path(path).is_relative_to(root)
        }
        if paths:
            yield paths
