"""What the index holds, per file, in one small JSON file beside it.

Reading 10,000 documents' stored fields out of Whoosh costs far more than one
JSON file, and needs Whoosh imported; the manifest answers the two questions
asked at every start — "which files changed since they were indexed?" and "what
are the titles?" — without either.  It is derived from the index and written
(atomically) after each commit.  It can only lag the index, never lead it: a
stale entry makes a file look changed, which costs one re-index, never a miss.

Beside it, the *folder state* (:class:`FolderState`) answers the first question
for the whole folder at once: a digest of every file's path, size and mtime and
of the notes, as they were when the index was last fully in step with them, and
the index generation and the manifest file's size and mtime then.  When today's
listing digests the same, the index is still at that generation and the manifest
untouched, nothing changed, and neither the manifest nor Whoosh has to be read.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, field
from pathlib import Path

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1
FOLDER_STATE_FILE = "folder-state.json"
FOLDER_STATE_VERSION = 1


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
    _write_atomically(
        index_dir / MANIFEST_FILE,
        {"version": MANIFEST_VERSION,
         "files": {path: astuple(entry) for path, entry in sorted(entries.items())}},
    )


@dataclass(frozen=True)
class FolderState:
    """The folder and notes as the index last matched them in full."""

    generation: int  # the Whoosh index generation (TOC number) at that moment
    digest: str  # listing_digest() of the files and notes then
    documents: int  # documents in the index
    manifest_stamp: tuple[int, int]  # the manifest's (size, mtime_ns) then: if it changed, check it
    skipped: list[tuple[str, str]] = field(default_factory=list)  # unreadable files: (path, reason)


def listing_digest(files: Iterable[tuple[str, int, int]], notes: Mapping[str, str]) -> str:
    """One digest of (path, size, mtime_ns) for every file, in any order, and of
    each document's note text: equal digests, same folder and notes."""
    lines = sorted(f"{path}\0{size}\0{mtime_ns}" for path, size, mtime_ns in files)
    lines.append(json.dumps(sorted(notes.items()), ensure_ascii=False))
    return hashlib.sha1("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def read_folder_state(index_dir: Path) -> FolderState | None:
    """The folder state, or None when missing or unreadable."""
    try:
        payload = json.loads((index_dir / FOLDER_STATE_FILE).read_text(encoding="utf-8"))
        if payload.get("version") != FOLDER_STATE_VERSION:
            return None
        size, mtime_ns = payload["manifest"]
        return FolderState(
            int(payload["generation"]), str(payload["digest"]), int(payload["documents"]),
            (int(size), int(mtime_ns)), [(str(path), str(reason)) for path, reason in payload["skipped"]],
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def manifest_stamp(index_dir: Path) -> tuple[int, int] | None:
    """The manifest file's (size, mtime_ns), or None without one."""
    try:
        stat = (index_dir / MANIFEST_FILE).stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def write_folder_state(index_dir: Path, state: FolderState) -> None:
    _write_atomically(
        index_dir / FOLDER_STATE_FILE,
        {"version": FOLDER_STATE_VERSION, "generation": state.generation, "digest": state.digest,
         "documents": state.documents, "manifest": state.manifest_stamp, "skipped": state.skipped},
    )


def _write_atomically(target: Path, payload: object) -> None:
    partial = target.with_suffix(".partial")
    try:
        partial.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        try:
            target.unlink(missing_ok=True)  # never leave a stale one claiming more than is true
        except OSError:
            pass
