"""Content for the format tests: a contract whose sentences run across pages."""

from __future__ import annotations

from pathlib import Path

from bench.format_files import make_pdf
from reader import corpus
from reader.corpus import Document, FileEntry

CROSSING_PHRASE = "grievance shall be filed within thirty days"

# Lines as a PDF page has them (full lines of ~75 columns, a short last line to a
# paragraph, blank lines that PDFium does not report).  Page 1 ends inside the
# crossing phrase; page 2 ends in "nego-" and page 3 goes on with "tiation"; the
# ﬁ ligature is in the font; "self-" / "employed" keeps its hyphen.
PAGES = [
    [
        "ARTICLE 1. RECOGNITION",
        "",
        "The Producer recognises the Union as the exclusive bargaining representative",
        "of all employees covered by this Agreement, and agrees that the ﬁrst call of",
        "every day is paid at the scale rate.",
        "",
        "Any dispute under this Article or about the scale rate is a grievance. Every",
        "grievance shall be",
    ],
    [
        "filed within thirty days of the event that gave rise to it, in writing, to",
        "the Producer and to the Local.",
        "",
        "ARTICLE 2. WAGES",
        "",
        "Wages are set out in Schedule A. The parties agree that any change to the",
        "wage scale follows the procedure of this Article, and the committee shall",
        "meet each month during the term of this Agreement and continue its nego-",
    ],
    [
        "tiation of the overtime rules until both parties sign the memorandum. Every",
        "negotiation is in good faith.",
        "",
        "ARTICLE 3. HOURS",
        "",
        "Meal periods are taken after six hours of work; a contractor who is self-",
        "employed is not an employee for the purposes of this Article or of any",
        "other Article of this Agreement.",
    ],
]


def contract_pdf(path: Path, **options: object) -> Path:
    return make_pdf(path, PAGES, title="Basic Agreement 2024", author="IATSE Local 600", **options)


def read(path: Path, rel_path: str | None = None, cache: Path | None = None) -> Document:
    stat = path.stat()
    entry = FileEntry(rel_path or path.name, path, stat.st_size, stat.st_mtime_ns)
    return corpus.read_document(entry, extraction_cache=cache)
