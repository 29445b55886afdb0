"""A paginated plain text for the tests: pages split by form feeds, as
``pdftotext`` writes a PDF's text, with a phrase that runs across a page break."""

from __future__ import annotations

PAGES = 12
LINES_PER_PAGE = 30
#: "rest periods" runs from the last line of page 4 onto the first line of page 5.
PHRASE_PAGE = 4


def paginated_text(pages: int = PAGES) -> str:
    """*pages* pages of LINES_PER_PAGE lines ("Page 7 of the agreement.", then
    "Clause 7.1: …"), each ended by a form feed."""
    texts = []
    for number in range(1, pages + 1):
        lines = [f"Page {number} of the agreement."]
        lines += [f"Clause {number}.{line}: the parties agree to the terms below." for line in range(1, LINES_PER_PAGE)]
        if number == PHRASE_PAGE:
            lines.append("Members shall have rest")
        if number == PHRASE_PAGE + 1:
            lines.insert(0, "periods of ten hours between shifts.")
        texts.append("\n".join(lines) + "\n")
    return "\f".join(texts) + "\f"
