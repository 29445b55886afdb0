"""PDF through PDFium (pypdfium2): the fastest text extraction measured, by far
(see docs/formats.md), and a permissive licence.

Text comes page by page and goes through :mod:`reader.formats.textflow`; the page
starts are kept so the reader can cite pages.  Metadata: the document info
dictionary's Title, Author and CreationDate.
"""

from __future__ import annotations

import re

from reader.corpus import UnreadableDocument
from reader.formats import Extraction
from reader.formats.limits import Deadline
from reader.formats.textflow import pages_to_text

#: Fewer letters and digits than this in a whole PDF: its pages are pictures.
_MIN_TEXT_CHARACTERS = 16
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


def extract(data: bytes, deadline: Deadline) -> Extraction:
    import pypdfium2 as pdfium  # imported on first use: start-up never needs it

    try:
        # No password means PDFium tries the empty one: a PDF "protected" only by
        # an owner password (no printing, no copying) opens and reads.
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == _PASSWORD_ERROR:
            raise UnreadableDocument("password-protected") from error
        raise UnreadableDocument("damaged or not a PDF (PDFium cannot open it)") from error
    try:
        raw_pages: list[str] = []
        for index in range(len(document)):
            deadline.check()
            page = document[index]
            try:
                text_page = page.get_textpage()
                try:
                    raw_pages.append(text_page.get_text_range())
                finally:
                    text_page.close()
            except pdfium.PdfiumError:
                raw_pages.append("")  # one unreadable page loses that page, not the document
            finally:
                page.close()
        metadata = _metadata(document)
    finally:
        document.close()
    if not raw_pages:
        raise UnreadableDocument("a PDF with no pages")
    if sum(character.isalnum() for page in raw_pages for character in page) < _MIN_TEXT_CHARACTERS:
        raise UnreadableDocument("no text layer (scanned?)")
    text, pages = pages_to_text(raw_pages, deadline.check)
    return Extraction("pdf", text, pages, **metadata)


def _metadata(document: object) -> dict[str, str]:
    try:
        info = document.get_metadata_dict(skip_empty=True)  # type: ignore[attr-defined]
    except Exception:  # a broken info dictionary costs the metadata, not the text
        return {}
    date = ""
    if match := _PDF_DATE.match(info.get("CreationDate", "").strip()):
        year, month, day = match.groups()
        date = "-".join(part for part in (year, month, day) if part)
    return {"title": info.get("Title", "").strip(), "author": info.get("Author", "").strip(), "date": date}
