"""The folder watcher reports document changes in batches, and nothing else."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from reader.watching import watch_documents


def _start(root: Path) -> tuple[threading.Event, queue.Queue[set[str]], threading.Thread]:
    stop = threading.Event()
    batches: queue.Queue[set[str]] = queue.Queue()

    def run() -> None:
        for batch in watch_documents(root, stop):
            batches.put(batch)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(0.3)  # let the OS watch be set up before changing anything
    return stop, batches, thread


def _collect(batches: queue.Queue[set[str]], done: Callable[[set[str]], bool], timeout: float = 10) -> set[str]:
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while not done(seen) and time.monotonic() < deadline:
        try:
            seen |= batches.get(timeout=0.1)
        except queue.Empty:
            pass
    return seen


def test_document_changes_are_reported_and_other_files_are_not(make_docs):
    root = make_docs({"kept.txt": "Kept Document\n\ntext\n", "old.txt": "Old Name\n\ntext\n"})
    stop, batches, thread = _start(root)
    try:
        # Ignored files first: they happen before the reported ones, so their
        # absence below is not just a matter of timing.
        (root / ".hidden.txt").write_text("hidden")
        (root / "kept.txt.notes.md").write_text("exported notes")
        (root / "image.png").write_bytes(b"\x89PNG")
        (root / "sub").mkdir()
        (root / "sub" / "new.md").write_text("# New\n\nstrike\n")
        (root / "kept.txt").write_text("Kept Document\n\nchanged text\n")
        (root / "old.txt").rename(root / "renamed.txt")
        expected = {"kept.txt", "old.txt", "renamed.txt"}
        seen = _collect(batches, lambda seen: expected <= seen and bool({"sub", "sub/new.md"} & seen))
        assert expected <= seen
        # A new folder may arrive as the folder alone (its files were written before
        # the OS watched it); either way the app rescans.
        assert "sub/new.md" in seen or "sub" in seen
        assert not seen & {".hidden.txt", "kept.txt.notes.md", "image.png"}
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive(), "the watcher did not stop when asked"
