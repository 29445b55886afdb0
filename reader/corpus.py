"""Finding, decoding and cleaning documents; titles and the catalog.

The *clean text* returned by :func:`read_document` is the one text every other
part of the reader agrees on: the index stores character offsets into it, the
reading view shows it, and notes anchor to it.  Cleaning keeps offsets simple by
replacing characters one for one:

* line endings (``\\r\\n``, ``\\r``, and the Unicode line and paragraph
  separators) are normalised to ``\\n``, so lines split the same way everywhere;
* terminal control characters (C0 except tab and newline, DEL, C1) are replaced
  by their visible Unicode "control picture" (ESC becomes ``␛``), so an escape
  sequence in a document is shown literally and can never drive the terminal.

Text is never treated as markup here or anywhere else: ``[bold]`` stays ``[bold]``.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Formats read through :mod:`reader.formats` (everything else is decoded as text).
EXTRACTED_SUFFIXES = (".pdf", ".html", ".htm", ".xhtml", ".epub", ".docx", ".odt", ".rtf")
DOCUMENT_SUFFIXES = (".txt", ".md", *EXTRACTED_SUFFIXES)
#: Notes exported beside a document (``notes export --doc``) are not documents.
NOTES_EXPORT_SUFFIX = ".notes.md"
CATALOG_FILE = "catalog.toml"
MAX_TITLE_LENGTH = 100
_SNIFF_BYTES = 8192


class UnreadableDocument(Exception):
    """A file that is not text we can show; the message is the reason, for users."""


@dataclass(frozen=True)
class CatalogEntry:
    title: str = ""
    source: str = ""
    date: str = ""


@dataclass(frozen=True)
class FileEntry:
    """A candidate document as found on disk (no content read yet)."""

    rel_path: str  # POSIX-style, relative to the collection root
    location: str | Path  # a plain string from scan(): building 10,000 Paths costs more than the stats
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        return Path(self.location)


@dataclass(frozen=True)
class Document:
    rel_path: str
    path: Path
    title: str
    # Clean text, see module docstring.  Not in repr: Textual's @work describes a
    # worker by repr-ing its arguments, 0.1 s on the UI thread for a 10 MB book.
    text: str = field(repr=False)
    content_hash: str
    size: int
    mtime_ns: int
    encoding: str
    source: str = ""
    date: str = ""
    author: str = ""
    #: Paginated formats (PDF): the offset in ``text`` where each page starts, in
    #: page order (``pages[0] == 0``).  Empty for text that has no pages.
    pages: tuple[int, ...] = field(default=(), repr=False)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that character *offset* of the text falls on, or None
        for a document without pages."""
        return page_at(self.pages, offset)


def page_at(pages: tuple[int, ...] | list[int], offset: int) -> int | None:
    """The 1-based page holding *offset*, given the page start offsets; None when
    there are no pages."""
    if not pages:
        return None
    return max(1, bisect.bisect_right(pages, offset))


@dataclass(frozen=True)
class SkippedFile:
    rel_path: str
    reason: str


@dataclass
class ScanResult:
    files: list[FileEntry] = field(default_factory=list)
    problems: list[SkippedFile] = field(default_factory=list)


def is_document_name(name: str) -> bool:
    """Whether a file called *name* is read as a document (see :func:`scan`)."""
    lowered = name.lower()
    return (not name.startswith(".") and lowered.endswith(DOCUMENT_SUFFIXES)
            and not lowered.endswith(NOTES_EXPORT_SUFFIX))


def walk_documents(
    root: Path, problems: list[SkippedFile], sort: bool = True,
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path, directory entry) of every file read as a document under
    *root*: the rules of :func:`scan`, in one place.  Folders that cannot be read
    go to *problems*; with *sort*, each folder's entries come in name order.

    os.scandir and string paths: the start-up check walks 10,000 files, and
    pathlib's relative_to/as_posix per file cost more than the stat calls.
    """
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name) if sort else list(entries)
        except OSError as error:
            problems.append(SkippedFile(prefix or str(root), f"cannot read: {error.strerror}"))
            continue
        for entry in listed:
            name = entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)  # as os.walk: never into linked folders
            except OSError:
                is_folder = False
            if is_folder:
                if not name.startswith("."):
                    pending.append((entry.path, f"{prefix}{name}/"))
            elif is_document_name(name):
                yield prefix + name, entry


def scan(root: Path) -> ScanResult:
    """List the ``.txt``/``.md`` files under *root*, recursively, sorted by path.

    Hidden files and folders (``.git``, editor swap files) are ignored, and so
    are notes exported beside a document (``*.notes.md``).  A missing
    root or an empty folder is not an error here; callers say so to the user.
    """
    result = ScanResult()
    if not root.is_dir():
        result.problems.append(SkippedFile(str(root), "not a folder"))
        return result
    for rel_path, entry in walk_documents(root, result.problems):
        try:
            stat = entry.stat()
        except OSError as error:
            result.problems.append(SkippedFile(rel_path, f"cannot read: {error.strerror}"))
            continue
        result.files.append(FileEntry(rel_path, entry.path, stat.st_size, stat.st_mtime_ns))
    result.files.sort(key=lambda entry: entry.rel_path)
    return result


def load_catalog(root: Path) -> dict[str, CatalogEntry]:
    """Read ``catalog.toml`` beside the documents, if any; a broken one is ignored
    (titles then come from the documents themselves)."""
    catalog_path = root / CATALOG_FILE
    try:
        raw = tomllib.loads(catalog_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    catalog: dict[str, CatalogEntry] = {}
    for rel_path, entry in raw.items():
        if isinstance(entry, dict):
            catalog[rel_path] = CatalogEntry(
                title=str(entry.get("title", "")),
                source=str(entry.get("source", "")),
                date=str(entry.get("date", "")),
            )
    return catalog


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: UTF-8 (with or without BOM), else the detected encoding.

    Raises :class:`UnreadableDocument` for binary or undecodable data.
    """
    if not data:
        raise UnreadableDocument("empty file")
    if b"\x00" in data[:_SNIFF_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only paid for non-UTF-8 files

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnreadableDocument("not text in any encoding we can detect")
    text = str(best)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, best.encoding


_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _control_picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls have no picture


# Printable ASCII plus newline and tab: what needs no cleaning (most documents).
_CLEAN_ASCII = bytes(range(0x20, 0x7F)) + b"\n\t"


def clean_text(text: str) -> str:
    """Normalise newlines and make control characters visible (see module docstring)."""
    # Fast paths: the regexes scan at ~70 ns a character (0.2 s for 10 MB), while
    # `in` and bytes.translate are C loops; most text has nothing to clean.
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = _NEWLINES.sub("\n", text)
    if text.isascii() and not text.encode("ascii").translate(None, _CLEAN_ASCII):
        return text
    return _CONTROL.sub(_control_picture, text)


_DATELINE = re.compile(r"^[\w .'-]+,\s+\d{1,2}\s+\w+\s+\d{4}$")


def _is_meaningful_title_line(line: str) -> bool:
    """Skip masthead debris such as ``media,`` / ``& arts`` and bare datelines."""
    letters = sum(character.isalpha() for character in line)
    if letters < 8 or len(line.split()) < 2:
        return False
    if line.endswith(",") or line[0] in "&-*>|":
        return False
    return not _DATELINE.match(line)


_TITLE_SEARCH_CHARS = 20_000  # a title is near the top; never split a whole book


def title_from_text(text: str, fallback: str) -> str:
    for raw_line in text[:_TITLE_SEARCH_CHARS].splitlines():
        line = raw_line.strip().lstrip("#").strip()
        if line and _is_meaningful_title_line(line):
            if len(line) > MAX_TITLE_LENGTH:
                line = line[: MAX_TITLE_LENGTH - 1].rstrip() + "…"
            return line
    return fallback


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(
    entry: FileEntry, catalog: dict[str, CatalogEntry] | None = None,
    extraction_cache: Path | None = None,
) -> Document:
    """Read, decode and clean one file. Raises :class:`UnreadableDocument`.

    PDFs, web pages, books and office files go through :mod:`reader.formats`,
    keeping what they were read as in *extraction_cache* (a folder) when given."""
    if entry.rel_path.lower().endswith(EXTRACTED_SUFFIXES):
        from reader.formats.reading import read_extracted  # the extractors load only when needed

        return read_extracted(entry, (catalog or {}).get(entry.rel_path, CatalogEntry()), extraction_cache)
    try:
        data = entry.path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(f"cannot read: {error.strerror or error}") from error
    raw_text, encoding = decode(data)
    text = clean_text(raw_text)
    if not text.strip():
        raise UnreadableDocument("no text (only white space)")
    catalog_entry = (catalog or {}).get(entry.rel_path, CatalogEntry())
    title = catalog_entry.title or title_from_text(text, fallback=Path(entry.rel_path).stem)
    return Document(
        rel_path=entry.rel_path,
        path=entry.path,
        title=clean_text(title),
        text=text,
        content_hash=content_hash(data),
        size=entry.size,
        mtime_ns=entry.mtime_ns,
        encoding=encoding,
        source=catalog_entry.source,
        date=catalog_entry.date,
    )


def read_document_at(
    root: Path, rel_path: str, catalog: dict[str, CatalogEntry] | None = None,
    extraction_cache: Path | None = None,
) -> Document:
    """Read a document by its path relative to *root* (for the reading view)."""
    path = root / rel_path
    try:
        stat = path.stat()
    except OSError as error:
        raise UnreadableDocument(f"cannot read: {error.strerror or error}") from error
    return read_document(FileEntry(rel_path, path, stat.st_size, stat.st_mtime_ns), catalog, extraction_cache)
