"""Which format module reads a file: by what its bytes say, the suffix breaking ties.

A file named ``.pdf`` that is really a saved web page is read as the web page it
is; one that is nothing we know is skipped with the reason.  Never a crash.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath
from types import ModuleType

from reader.corpus import UnreadableDocument
from reader.formats import Extraction
from reader.formats.limits import Deadline

#: Suffix -> the format it names.  ``reader.corpus`` lists these as documents.
SUFFIX_KINDS = {
    ".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html", ".epub": "epub",
    ".docx": "docx", ".odt": "odt", ".rtf": "rtf",
}
_KIND_NAMES = {"pdf": "a PDF", "html": "a web page", "epub": "an EPUB book", "docx": "a Word document",
               "odt": "an OpenDocument text", "rtf": "an RTF document"}
_SNIFF = 4096
_ZIP_KINDS = {"application/epub+zip": "epub", "application/vnd.oasis.opendocument.text": "odt"}


def sniff(data: bytes) -> str | None:
    """The format *data* is in, told from its first bytes, or None."""
    head = data[:_SNIFF]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    lowered = stripped.lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<!--", b"<head", b"<body", b"<meta")) \
            and (b"<html" in lowered or b"<body" in lowered or b"<p" in lowered or b"<div" in lowered):
        return "html"
    return None


def _zip_kind(data: bytes) -> str | None:
    # The zip's mimetype member comes first, stored: its name and value sit in the first bytes.
    if data[30:38] == b"mimetype":
        value = data[38:38 + 64]
        for mimetype, kind in _ZIP_KINDS.items():
            if value.startswith(mimetype.encode()):
                return kind
    import io

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "META-INF/container.xml" in names:
        return "epub"
    if "content.xml" in names:
        return "odt"
    return None


def suffix_kind(name: str) -> str | None:
    """The format a file called *name* claims by its suffix, or None."""
    return SUFFIX_KINDS.get(PurePosixPath(name).suffix.lower())


def kind_of(data: bytes, name: str) -> str | None:
    """The format *data* (the file called *name*) is read as: what its content says,
    else its suffix (the choice :func:`extract` makes for a readable file)."""
    return sniff(data) or suffix_kind(name)


def _module(kind: str) -> ModuleType:
    from importlib import import_module

    return import_module(f"reader.formats.{kind}")


def extract(data: bytes, name: str, deadline: Deadline) -> Extraction:
    """Read *data* (the file called *name*). Raises :class:`UnreadableDocument`."""
    if not data:
        raise UnreadableDocument("empty file")
    named = suffix_kind(name)
    found = sniff(data)
    kind = found or named
    if found is None and named in ("pdf", "docx", "odt", "epub"):
        # These have a signature; without it the file is something else.
        if data.startswith(b"PK\x03\x04"):
            raise UnreadableDocument(f"a zip archive, but not {_KIND_NAMES[named]}")
        raise UnreadableDocument(f"not {_KIND_NAMES[named]} (its content is not in that format)")
    if kind is None:
        raise UnreadableDocument("not a format the reader knows")
    extractor: Callable[[bytes, Deadline], Extraction] = _module(kind).extract
    return extractor(data, deadline)
