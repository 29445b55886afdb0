"""Finding, decoding and cleaning documents; titles and the catalog.

The *clean text* returned by :func:`read_document` is the one text every other
part of the reader agrees on: the index stores character offsets into it, the
reading view shows it, and notes anchor to it.  Cleaning keeps offsets simple by
replacing characters one for one:

* line endings (``\\r\\n``, ``\\r``, and the Unicode line and paragraph
  separators) are normalised to ``\\n``, so lines split the same way everywhere;
* terminal control characters (C0 except tab and newline, DEL, C1) are replaced
  by their visible Unicode "control picture" (ESC becomes ``␛``), so an escape
  sequence in a document is shown literally and can never drive the terminal;
* in plain text, a form feed (``\\f``, a page break as ``pdftotext`` writes it)
  becomes a newline and marks where a page starts (``Document.pages``).

Text is never treated as markup here or anywhere else: ``[bold]`` stays ``[bold]``.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import os
import re
import stat as stat_module
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
#: The largest file read as a document, in MB (10**6 bytes); files above it are
#: skipped with the reason.  A limit, because a document is read whole into
#: memory (and a link to /dev/zero would never end).
MAX_FILE_MB_ENV = "IATSE_READER_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 64.0
#: The table of catalog.toml that sets the encoding of the non-UTF-8 files of a
#: folder: ``[encodings]`` then ``"." = "cp1252"`` (the whole collection) or
#: ``"letters/prague" = "cp1250"`` (that folder and those under it).
CATALOG_ENCODINGS_TABLE = "encodings"


class UnreadableDocument(Exception):
    """A file that is not text we can show; the message is the reason, for users."""


@dataclass(frozen=True)
class CatalogEntry:
    title: str = ""
    source: str = ""
    date: str = ""
    #: The file's encoding when it is not UTF-8 (overrides detection and [encodings]).
    encoding: str = ""


class Catalog(dict[str, CatalogEntry]):
    """catalog.toml: an entry per document path, plus :attr:`folder_encodings`,
    the ``[encodings]`` table (folder path -> encoding; ``""`` is the root)."""

    def __init__(self, entries: dict[str, CatalogEntry] | None = None,
                 folder_encodings: dict[str, str] | None = None) -> None:
        super().__init__(entries or {})
        self.folder_encodings: dict[str, str] = dict(folder_encodings or {})


def encoding_override(catalog: dict[str, CatalogEntry] | None, rel_path: str) -> str | None:
    """The encoding catalog.toml sets for *rel_path*: its own entry's, else that of
    the deepest folder in ``[encodings]`` holding it; None to detect it."""
    if catalog is None:
        return None
    entry = catalog.get(rel_path)
    if entry is not None and entry.encoding:
        return entry.encoding
    folders: dict[str, str] = getattr(catalog, "folder_encodings", {})
    folder = rel_path
    while folders and folder:
        folder = folder.rpartition("/")[0]
        if folder in folders:
            return folders[folder]
    return None


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
    #: The character encoding a text file was decoded from (``utf-8``, ``cp1252``…);
    #: empty for a format whose text is extracted (PDF, web page, book, Word…).
    encoding: str
    source: str = ""
    date: str = ""
    author: str = ""
    #: Paginated formats (PDF): the offset in ``text`` where each page starts, in
    #: page order (``pages[0] == 0``).  Empty for text that has no pages.
    pages: tuple[int, ...] = field(default=(), repr=False)
    #: What the file was read as: ``text`` (.txt, .md), else the format its text
    #: was extracted from (``pdf``, ``html``, ``epub``, ``docx``, ``odt``, ``rtf``).
    kind: str = "text"

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


def max_file_bytes() -> int:
    """The size limit for a document, from ``IATSE_READER_MAX_FILE_MB`` (a positive
    number of MB), else :data:`DEFAULT_MAX_FILE_MB`."""
    value = os.environ.get(MAX_FILE_MB_ENV, "").strip()
    try:
        megabytes = float(value) if value else DEFAULT_MAX_FILE_MB
    except ValueError:
        megabytes = DEFAULT_MAX_FILE_MB
    if not megabytes > 0 or megabytes == float("inf"):
        megabytes = DEFAULT_MAX_FILE_MB
    return int(megabytes * 1_000_000)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.3g} MB"


def too_large_reason(size: int, limit: int) -> str:
    return (f"too large: {_megabytes(size)}, over the {_megabytes(limit)} limit "
            f"(set {MAX_FILE_MB_ENV} to change it)")


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, kind in ((stat_module.S_ISFIFO, "a named pipe"), (stat_module.S_ISSOCK, "a socket"),
                       (stat_module.S_ISCHR, "a character device"), (stat_module.S_ISBLK, "a block device"),
                       (stat_module.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a regular file"


def not_a_file_reason(mode: int) -> str:
    return f"{file_kind(mode)}, not a regular file"


def _inside(path: str, root_real: str) -> bool:
    return path == root_real or path.startswith(root_real.rstrip(os.sep) + os.sep)


def accepted_documents(
    root: Path, problems: list[SkippedFile], sort: bool = True,
) -> Iterator[tuple[str, os.DirEntry[str], os.stat_result]]:
    """(relative path, directory entry, stat after following a link) of every
    document under *root*: :func:`walk_documents`' files that are regular files
    (after following a symlink) within the size limit, and whose links stay in
    the folder.  The others go to *problems* with the reason, so nothing is ever
    opened that could block (a named pipe) or never end (a link to /dev/zero)."""
    limit = max_file_bytes()
    root_real: str | None = None
    for rel_path, entry in walk_documents(root, problems, sort):
        try:
            stat = entry.stat()  # follows a symlink
        except OSError as error:
            reason = "a broken link" if entry.is_symlink() else f"cannot read: {error.strerror}"
            problems.append(SkippedFile(rel_path, reason))
            continue
        if not stat_module.S_ISREG(stat.st_mode):
            problems.append(SkippedFile(rel_path, not_a_file_reason(stat.st_mode)))
            continue
        if stat.st_size > limit:
            problems.append(SkippedFile(rel_path, too_large_reason(stat.st_size, limit)))
            continue
        if entry.is_symlink():
            root_real = root_real or os.path.realpath(root)
            if not _inside(os.path.realpath(entry.path), root_real):
                problems.append(SkippedFile(rel_path, "a link to a file outside the documents folder"))
                continue
        yield rel_path, entry, stat


def scan(root: Path) -> ScanResult:
    """List the ``.txt``/``.md`` files under *root*, recursively, sorted by path.

    Hidden files and folders (``.git``, editor swap files) are ignored, and so
    are notes exported beside a document (``*.notes.md``).  Named pipes,
    devices, sockets, files over the size limit and links to files outside
    *root* are skipped with the reason (see :func:`accepted_documents`).  A missing
    root or an empty folder is not an error here; callers say so to the user.
    """
    result = ScanResult()
    if not root.is_dir():
        result.problems.append(SkippedFile(str(root), "not a folder"))
        return result
    for rel_path, entry, stat in accepted_documents(root, result.problems):
        result.files.append(FileEntry(rel_path, entry.path, stat.st_size, stat.st_mtime_ns))
    result.files.sort(key=lambda entry: entry.rel_path)
    result.problems.sort(key=lambda problem: problem.rel_path)
    return result


def load_catalog(root: Path) -> Catalog:
    """Read ``catalog.toml`` beside the documents, if any; a broken one is ignored
    (titles then come from the documents themselves)."""
    catalog_path = root / CATALOG_FILE
    try:
        raw = tomllib.loads(catalog_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Catalog()
    catalog = Catalog()
    for rel_path, entry in raw.items():
        if rel_path == CATALOG_ENCODINGS_TABLE and isinstance(entry, dict):
            catalog.folder_encodings = {
                "" if folder.strip("/") in ("", ".") else folder.strip("/"): str(encoding)
                for folder, encoding in entry.items()
            }
        elif isinstance(entry, dict):
            catalog[rel_path] = CatalogEntry(
                title=str(entry.get("title", "")),
                source=str(entry.get("source", "")),
                date=str(entry.get("date", "")),
                encoding=str(entry.get("encoding", "")),
            )
    return catalog


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16/32 with a BOM; else
    *encoding* (from catalog.toml) when given, else the detected one (see
    :mod:`reader.encodings`: Western European code pages first).

    Raises :class:`UnreadableDocument` for binary or undecodable data.
    """
    if not data:
        raise UnreadableDocument("empty file")
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise UnreadableDocument(f"not valid {codec}, though it starts like it") from None
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise UnreadableDocument("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if encoding:
        from reader.encodings import codec_name

        codec = codec_name(encoding)
        if codec is None:
            raise UnreadableDocument(f"catalog.toml names an unknown encoding: {encoding!r}")
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as error:
            raise UnreadableDocument(
                f"not valid {codec} (the encoding catalog.toml sets for it) at byte {error.start}"
            ) from None
    from reader.encodings import detect_legacy_encoding

    decoded = detect_legacy_encoding(data)
    if decoded is None:
        raise UnreadableDocument("not text in any encoding we can detect")
    text, detected = decoded
    return text.removeprefix("\ufeff"), detected


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


def form_feed_pages(text: str) -> tuple[str, tuple[int, ...]]:
    """Plain text paginated with form feeds (what ``pdftotext`` writes): *text* with
    each ``\\f`` made a ``\\n``, one for one, and the offset where each page starts;
    ``()`` for text without form feeds.  Line endings are normalised first, as
    :func:`clean_text` would, so the offsets hold in the clean text.

    A form feed ends a page, so the text after the last one is a page only if it
    holds more than white space (``pdftotext`` ends every page, the last one too,
    with a form feed); blank pages between form feeds are pages.
    """
    if "\f" not in text:
        return text, ()
    text = _NEWLINES.sub("\n", text)
    pages = [0]
    position = text.find("\f")
    while position != -1:
        pages.append(position + 1)
        position = text.find("\f", position + 1)
    if not text[pages[-1]:].strip():
        pages.pop()
    return text.replace("\f", "\n"), tuple(pages)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_file_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at *path* (a link is followed), at most
    *limit* (default :func:`max_file_bytes`).  Never blocks: the file is opened
    with ``O_NONBLOCK`` and checked with ``fstat`` before a byte is read, so a
    named pipe or a device put where a document was is refused, not waited on.
    Raises :class:`UnreadableDocument` with the reason."""
    limit = max_file_bytes() if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise UnreadableDocument(f"cannot read: {error.strerror or error}") from error
    with os.fdopen(descriptor, "rb") as handle:
        try:
            status = os.fstat(descriptor)
            if not stat_module.S_ISREG(status.st_mode):
                raise UnreadableDocument(not_a_file_reason(status.st_mode))
            if status.st_size > limit:
                raise UnreadableDocument(too_large_reason(status.st_size, limit))
            data = handle.read(limit + 1)
        except OSError as error:
            raise UnreadableDocument(f"cannot read: {error.strerror or error}") from error
    if len(data) > limit:  # it grew since the stat
        raise UnreadableDocument(too_large_reason(len(data), limit))
    return data


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
    data = read_file_bytes(entry.location)
    raw_text, encoding = decode(data, encoding_override(catalog, entry.rel_path))
    raw_text, pages = form_feed_pages(raw_text)
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
        pages=pages,
    )


def resolve_inside(root: Path, rel_path: str) -> Path:
    """*root* / *rel_path*, refused (:class:`UnreadableDocument`) unless it is in
    the documents folder once ``..`` and links are resolved: a path a user typed
    (``notes add --doc ../other/a.txt``), or a link in the folder to a file
    elsewhere, never reaches a file outside the collection."""
    path = root / rel_path
    root_real = os.path.realpath(root)
    if Path(rel_path).is_absolute() or not _inside(os.path.realpath(path), root_real):
        raise UnreadableDocument("outside the documents folder")
    return path


_catalogs: dict[Path, tuple[int, Catalog]] = {}


def _current_catalog(root: Path) -> Catalog:
    """load_catalog(root), read again only when catalog.toml changes: readers that
    pass no catalog must still decode with its encodings (a snippet's offsets are
    those of the indexed text)."""
    try:
        stamp = (root / CATALOG_FILE).stat().st_mtime_ns
    except OSError:
        stamp = -1
    cached = _catalogs.get(root)
    if cached is None or cached[0] != stamp:
        cached = (stamp, load_catalog(root) if stamp != -1 else Catalog())
        _catalogs[root] = cached
    return cached[1]


def read_document_at(
    root: Path, rel_path: str, catalog: dict[str, CatalogEntry] | None = None,
    extraction_cache: Path | None = None,
) -> Document:
    """Read a document by its path relative to *root* (for the reading view); a
    path outside *root*, or anything but a regular file, is refused."""
    path = resolve_inside(root, rel_path)
    try:
        stat = path.stat()
    except OSError as error:
        raise UnreadableDocument(f"cannot read: {error.strerror or error}") from error
    if not stat_module.S_ISREG(stat.st_mode):
        raise UnreadableDocument(not_a_file_reason(stat.st_mode))
    if catalog is None:
        catalog = _current_catalog(root)
    return read_document(FileEntry(rel_path, path, stat.st_size, stat.st_mtime_ns), catalog, extraction_cache)
