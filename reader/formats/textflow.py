"""Page text as a PDF gives it, made readable: paragraphs, whole words, no running heads.

PDFium returns each page as lines (``\\r\\n``-separated) in reading order, with
nothing to say where a paragraph ends.  This module:

* normalises characters: ligatures (``ﬁ``) to letters, soft hyphens dropped;
* drops running headers and footers, told by repeating on many pages at the top
  or the bottom once digits are ignored (``User Manual 2.1    57``), and bare
  page numbers (``12``, ``- 12 -``, ``Page 12 of 40``);
* reflows lines into paragraphs: a line well short of the page's measure, or a
  line before a list item or a heading, ends a paragraph; other lines join with a
  space;
* joins a word hyphenated across a line end (``nego-`` / ``tiation``) when the
  joined form is a word: one the document uses elsewhere, or not one of the
  prefixes that keep their hyphen (``self-``, ``non-``) unless the document
  writes them joined;
* joins a sentence that runs across a page break into one paragraph, so a phrase
  across the break reads, and is found, as one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

#: PDFium marks a hyphen it found at a line end with U+FFFE (older builds: U+0002)
#: and puts the next line on the same line, even when that next line is the page
#: number at the foot: the line break is put back, and the hyphen decided here.
_SOFT_BREAK = "\ufffe"
_LIGATURES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\x02": "-\n", _SOFT_BREAK: "-\n",
    "\xad": None,  # a soft hyphen inside a line is an invisible break opportunity
})
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—(\[]*(?:page\s+|p\.\s*)?(?:\d{1,5}|[ivxlc]{1,7})(?:\s*(?:of|/)\s*\d{1,5})?[\s\-–—)\]]*$",
    re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_LIST_START = re.compile(
    r"^(?:[•◦▪‣●○■□–—*-]\s|\(?[0-9]{1,3}[.)]\s|\(?[a-zA-Z][.)]\s|\([ivxlc]{1,5}\)\s"
    r"|(?:ARTICLE|Article|SECTION|Section|Schedule|SCHEDULE|Appendix|APPENDIX)\b)")
_TERMINAL = tuple(".!?:;\"”’)]")
_HEAD_LINES = 2  # lines at the top and the bottom of a page looked at for running heads
_SHORT_LINE = 0.72  # a line shorter than this share of the measure ends its paragraph
#: Prefixes that keep their hyphen at a line end unless the document writes the word joined.
_HYPHEN_PREFIXES = frozenset({"self", "non", "well", "ex", "cross", "half", "all", "so", "anti", "multi", "post"})
_HYPHENATED = re.compile(r"(\w+)-\n(\w+)")
_WORD = re.compile(r"\w+")


def normalise_characters(text: str) -> str:
    """Line ends to ``\\n``, ligatures to letters, soft hyphens out."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_LIGATURES)


def _head_key(line: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", line.strip().lower()))


def _running_keys(pages: list[list[str]]) -> set[str]:
    """The header and footer lines (digits ignored) repeating on many pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        nonblank = [line for line in lines if line.strip()]
        ends = nonblank[:_HEAD_LINES] + nonblank[-_HEAD_LINES:]
        counts.update({_head_key(line) for line in ends})
    needed = max(2, (len(pages) + 1) // 2)
    return {key for key, count in counts.items() if count >= needed and key}


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Each page's lines without its running header, footer and page number."""
    running = _running_keys(pages)
    paginated = len(pages) >= 2
    cleaned: list[list[str]] = []

    def is_running(line: str) -> bool:
        return _head_key(line) in running or (paginated and bool(_PAGE_NUMBER.match(line)))

    for lines in pages:
        kept = [line for line in lines if line.strip()]
        for _ in range(_HEAD_LINES):
            if kept and is_running(kept[0]):
                kept.pop(0)
        for _ in range(_HEAD_LINES):
            if kept and is_running(kept[-1]):
                kept.pop()
        cleaned.append(kept)
    return cleaned


def _measure(pages: list[list[str]]) -> int:
    """The usual length of a full line (the 80th percentile), in characters."""
    lengths = sorted(len(line) for lines in pages for line in lines)
    if not lengths:
        return 0
    return lengths[(len(lengths) * 4) // 5]


def _reflow(lines: list[str], measure: int) -> list[str]:
    """*lines* of one page as paragraphs."""
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        line = line.strip()
        current = f"{current} {line}" if current and not current.endswith("\n") else current + line
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if current.endswith("-") and following[:1].islower() and current[-2:-1].isalpha():
            current = current[:-1] + "-\n"  # decided later, with the whole document's words
            continue
        if not following or _ends_paragraph(line, following, measure):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _ends_paragraph(line: str, following: str, measure: int) -> bool:
    if _LIST_START.match(following):
        return True
    return len(line) < _SHORT_LINE * measure


def _joins_across_pages(before: str, after: str) -> bool:
    """Whether the last paragraph of a page goes on at the top of the next."""
    return bool(before) and bool(after) and not before.endswith(_TERMINAL) and after[0].islower()


def join_hyphenated(text: str) -> tuple[str, list[tuple[int, int]]]:
    """*text* with every hyphen left at a line end decided (see module docstring),
    and where characters went: (position in *text*, characters removed there)."""
    if "-\n" not in text:
        return text, []
    words = {word.lower() for word in _WORD.findall(text.replace("-\n", " "))}
    pieces: list[str] = []
    removed: list[tuple[int, int]] = []
    position = 0
    for match in _HYPHENATED.finditer(text):
        left, right = match.group(1), match.group(2)
        keeps_hyphen = (left + right).lower() not in words and (
            left.lower() in _HYPHEN_PREFIXES or f"{left}-{right}".lower() in words)
        marker = "-" if keeps_hyphen else ""
        pieces.append(text[position:match.end(1)])
        pieces.append(marker)
        removed.append((match.start(2), match.start(2) - match.end(1) - len(marker)))
        position = match.start(2)
    pieces.append(text[position:])
    return "".join(pieces), removed


def pages_to_text(
    raw_pages: list[str], check: Callable[[], None] = lambda: None,
) -> tuple[str, tuple[int, ...]]:
    """The readable text of a document's pages, and where each page starts in it."""
    pages = drop_running_lines([normalise_characters(page).split("\n") for page in raw_pages])
    measure = _measure(pages)
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    previous = ""
    for lines in pages:
        check()
        paragraphs = _reflow(lines, measure)
        page_text = "\n\n".join(paragraphs)
        if not parts:
            separator = ""
        elif previous.endswith("-") and previous[-2:-1].isalpha() and page_text[:1].islower():
            separator = "\n"  # a word hyphenated across the break: settled with the others
        elif _joins_across_pages(previous, page_text):
            separator = " "
        else:
            separator = "\n\n" if page_text else ""
        parts.append(separator)
        length += len(separator)
        starts.append(length)
        parts.append(page_text)
        length += len(page_text)
        if page_text:
            previous = page_text
    text, removed = join_hyphenated("".join(parts))
    if removed:
        starts = [start - sum(count for position, count in removed if position <= start) for start in starts]
    return text, tuple(starts)
