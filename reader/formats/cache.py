"""The extraction cache: what a PDF, web page or book was read as, kept in the data dir.

``<data dir>/extracted/<content hash>.txt`` holds the clean text and
``<content hash>.json`` its page starts and metadata (or why the file could not be
read); the content hash covers the file's bytes and the extractor version, so a
new extractor reads every file again and the notes re-anchor to its text.
``files/<key>`` remembers which content hash a file had at a given path, size and
modification time, so reopening an unchanged 300-page PDF reads three small files
and its text: no hashing of the PDF, no PDFium.

Everything here is derived data: a cache that cannot be written or read is
skipped, never an error.  Files are written to a temporary name and renamed, so a
reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from reader import formats
from reader.formats import Extraction

_FILES = "files"


class ExtractionCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    # -- which content a file has ------------------------------------------------

    def _file_key(self, location: str | os.PathLike[str], size: int, mtime_ns: int) -> Path:
        key = f"{os.path.abspath(location)}\0{size}\0{mtime_ns}\0{formats.versions_key()}"
        return self.folder / _FILES / hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()

    def content_hash_of(self, location: str | os.PathLike[str], size: int, mtime_ns: int) -> str | None:
        """The content hash last read from this file as it is now (same size and
        modification time), or None."""
        try:
            value = self._file_key(location, size, mtime_ns).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return value if len(value) == 64 else None

    def remember_file(self, location: str | os.PathLike[str], size: int, mtime_ns: int, digest: str) -> None:
        self._write(self._file_key(location, size, mtime_ns), digest.encode("ascii"))

    # -- the extractions ---------------------------------------------------------------

    def load(self, digest: str) -> Extraction | str | None:
        """The extraction stored under *digest*, the reason it could not be read, or
        None when there is none (or it is damaged)."""
        try:
            record = json.loads((self.folder / f"{digest}.json").read_bytes())
            if "unreadable" in record:
                return str(record["unreadable"])
            text = (self.folder / f"{digest}.txt").read_bytes().decode("utf-8")
            if len(text) != record["length"]:
                return None  # a text file from another write: read the document again
            return Extraction(
                record["kind"], text, tuple(record["pages"]), record["title"], record["author"],
                record["date"], record["source"],
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, digest: str, extraction: Extraction) -> None:
        record = {
            "kind": extraction.kind, "length": len(extraction.text), "pages": list(extraction.pages),
            "title": extraction.title, "author": extraction.author, "date": extraction.date,
            "source": extraction.source,
        }
        # The text first: the JSON, written last, says the pair is complete.
        if self._write(self.folder / f"{digest}.txt", extraction.text.encode("utf-8")):
            self._write(self.folder / f"{digest}.json", json.dumps(record).encode("utf-8"))

    def store_unreadable(self, digest: str, reason: str) -> None:
        self._write(self.folder / f"{digest}.json", json.dumps({"unreadable": reason}).encode("utf-8"))

    @staticmethod
    def _write(path: Path, data: bytes) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return False
        return True
