"""Documents that are not plain text: PDF, web pages, EPUB, Word, OpenDocument, RTF.

Each format has a module that turns a file's bytes into an :class:`Extraction`:
the text (headings kept as Markdown-style ``#`` lines), the page starts of a
paginated format, and the metadata the file carries.  :mod:`reader.formats.registry`
picks the module by the file's content (its suffix only breaks ties), and
:mod:`reader.formats.reading` turns an extraction into a :class:`reader.corpus.Document`,
through the extraction cache (:mod:`reader.formats.cache`).

Plain Python, no Textual: this is part of the core.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Each format's extractor version.  Bump a format's number when its output
#: changes: the content hashes of the documents in that format change with it,
#: so their cached extractions are redone, they are indexed again and their notes
#: re-anchor to the new text; documents in the other formats keep theirs.
EXTRACTOR_VERSIONS: dict[str, int] = {"pdf": 1, "html": 2, "epub": 1, "docx": 1, "odt": 1, "rtf": 1}


def extractor_version(kind: str | None) -> int:
    """The version of *kind*'s extractor (1 for a file no extractor knows)."""
    return EXTRACTOR_VERSIONS.get(kind or "", 1)


def versions_key() -> str:
    """Every format's version in one string: what a cache entry made by one set of
    extractors is keyed on."""
    return ",".join(f"{kind}{version}" for kind, version in sorted(EXTRACTOR_VERSIONS.items()))


@dataclass(frozen=True)
class Extraction:
    """What a format module made of a file.

    ``text`` is what every offset points into once :func:`reader.corpus.clean_text`
    has run over it (the reading module does that; extractors never leave ``\\r``
    in it, so cleaning keeps the page offsets valid)."""

    kind: str  # "pdf", "html", "epub", "docx", "odt", "rtf"
    text: str = field(repr=False)
    #: Offset in ``text`` where each page starts (``pages[0] == 0``); empty when unpaginated.
    pages: tuple[int, ...] = field(default=(), repr=False)
    title: str = ""
    author: str = ""
    date: str = ""  # ISO 8601 (YYYY-MM-DD) when the file says when it was made
    source: str = ""  # site name or publisher
