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

#: Bump when any extractor's output changes: the documents' content hashes change
#: with it, so cached extractions are redone and notes re-anchor to the new text.
EXTRACTOR_VERSION = 2


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
