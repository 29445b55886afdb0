"""A paginated document for the tests, as lines per page: written as plain text
with form feeds (what ``pdftotext`` makes of a PDF) or as a PDF, with a phrase
that runs across a page break."""

from __future__ import annotations

PAGES = 12
LINES_PER_PAGE = 30
#: "rest periods" runs from the last line of page 4 onto the first line of page 5.
PHRASE_PAGE = 4


def paginated_lines(pages: int = PAGES) -> list[list[str]]:
    """*pages* pages of LINES_PER_PAGE lines: "Page 7 of the agreement.", then
    "Clause 7.1: …" to "Clause 7.29: …"."""
    result = []
    for number in range(1, pages + 1):
        lines = [f"Page {number} of the agreement."]
        lines += [f"Clause {number}.{line}: the parties agree to the terms below." for line in range(1, LINES_PER_PAGE)]
        if number == PHRASE_PAGE:
            lines.append("Members shall have rest")
        if number == PHRASE_PAGE + 1:
            lines.insert(0, "periods of ten hours between shifts.")
        result.append(lines)
    return result


def paginated_text(pages: int = PAGES) -> str:
    """The pages as plain text, each ended by a form feed."""
    return "\f".join("\n".join(lines) + "\n" for lines in paginated_lines(pages)) + "\f"
