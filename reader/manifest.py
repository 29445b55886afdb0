"""What the index holds, per file, in one small JSON file beside it.

Reading 10,000 documents' stored fields out of Whoosh costs far more than one
JSON file, and needs Whoosh imported; the manifest answers the two questions
asked at every start — "which files changed since they were indexed?" and "what
are the titles?" — without either.  It is derived from the index and written
(atomically) after each commit.  It can only lag the index, never lead it: a
stale entry makes a file look changed, which costs one re-index, never a miss.
"""

from __future__ import annotations

import json
import os
from dataclasses import astuple, dataclass
from pathlib import Path

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class ManifestEntry:
    size: int
    mtime_ns: int
    notes_digest: str
    title: str
    source: str
    date: str
    content_hash: str


def read_manifest(index_dir: Path, expected_count: int | None = None) -> dict[str, ManifestEntry] | None:
    """The manifest, or None when missing, unreadable, or (given *expected_count*,
    the index's document count) out of step with the index."""
    try:
        payload = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        if payload.get("version") != MANIFEST_VERSION:
            return None
        entries = {path: ManifestEntry(*values) for path, values in payload["files"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if expected_count is not None and len(entries) != expected_count:
        return None
    return entries


def write_manifest(index_dir: Path, entries: dict[str, ManifestEntry]) -> None:
    """Replace the manifest atomically; a failure only costs speed next time."""
    target = index_dir / MANIFEST_FILE
    partial = target.with_suffix(".partial")
    try:
        partial.write_text(
            json.dumps({"version": MANIFEST_VERSION,
                        "files": {path: astuple(entry) for path, entry in sorted(entries.items())}},
                       ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        try:
            target.unlink(missing_ok=True)  # never leave a stale one claiming more than is true
        except OSError:
            pass
