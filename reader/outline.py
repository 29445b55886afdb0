"""A document's structure: its headings (the outline) and, in Markdown, its fenced
code blocks, found lazily so a 10 MB book costs only as far as the reader goes.

What counts as a heading:

* in every text, a Markdown ATX line (``# Title`` to ``###### Title``): the
  formats that have chapters (EPUB, DOCX, HTML) put them into the text this way;
* in Markdown, also a setext heading (a line underlined with ``===`` or ``---``),
  and nothing inside a fenced code block;
* in plain text, the lines that act as headings in labour documents:
  ``ARTICLE 12``, ``Section 3.``, ``Chapter IV — Wages`` (a keyword, a number,
  at most a short title), and short all-caps lines (``GENERAL PROVISIONS``:
  3 to 60 characters, no lower-case letter, at least two capitals in a row).

The scan is incremental (:meth:`DocumentStructure.scan_to`): regular expressions
over chunks of whole lines, as far as an offset asked about, so the heading above
the top of the screen costs what the screen needs, and the full outline one pass
(done in a worker by the reading view).  A lock makes the scan safe to share
between that worker and the UI thread.

No Textual here: plain Python, tested on its own.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field

SCAN_CHARS = 256_000  # scanned at a time (~5 ms of regular expressions)
MAX_TITLE_CHARS = 120  # a heading's title as listed; the text itself is untouched

_KEYWORDS = (
    "ARTICLE|Article|SECTION|Section|CHAPTER|Chapter|PART|Part|SCHEDULE|Schedule|"
    "APPENDIX|Appendix|EXHIBIT|Exhibit|SIDELETTER|Sideletter|SIDE LETTER|Side Letter"
)
# One pass finds every kind of line that matters; the group that matched says which.
_LINE_PATTERN = re.compile(
    r"^(?:"
    r"(?P<fence>[ ]{0,3}(?:```|~~~))[^\n]*"
    r"|(?P<atx>[ ]{0,3}#{1,6})[ \t]+(?P<atx_text>[^\n]*?\S)[ \t]*$"
    r"|(?P<setext>[ ]{0,3}(?:=+|-+))[ \t]*$"
    rf"|(?P<keyword>[ \t]*(?:{_KEYWORDS})[ \t]+(?:[0-9]+(?:\.[0-9]+)*|[IVXLC]+|[ivxlc]+|[A-Z])\b[^\n]{{0,70}})$"
    r"|(?P<caps>[ \t]*(?=[^a-z\n]*[A-Z]{2})[A-Z0-9\"“(][^a-z\n]{2,59})$"
    r")",
    re.MULTILINE,
)
_ATX_CLOSING = re.compile(r"[ \t]+#+$")  # `## Title ##`: the closing hashes are not the title


@dataclass(frozen=True)
class Heading:
    offset: int  # where the heading's line starts in the document text
    level: int  # 1 (a chapter) to 6
    title: str  # as listed in the outline: one line, stripped of markers


@dataclass
class DocumentStructure:
    """The headings and fenced blocks of *text*, scanned as far as asked."""

    text: str = field(repr=False)
    markdown: bool
    headings: list[Heading] = field(default_factory=list)
    # [start, end) of each fenced block, fence lines included; the last may be open
    # (end = the scan's end) while the scan has not reached its closing fence.
    fences: list[tuple[int, int]] = field(default_factory=list)
    scanned: int = 0  # text[:scanned] is scanned (a line end, or the text's end)
    _open_fence: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def complete(self) -> bool:
        return self.scanned >= len(self.text)

    def scan_to(self, offset: int) -> None:
        """Scan at least as far as the line holding *offset*."""
        with self._lock:
            text = self.text
            while self.scanned < len(text) and self.scanned <= offset:
                end = text.find("\n", max(offset, self.scanned + SCAN_CHARS))
                end = len(text) if end == -1 else end
                self._scan(self.scanned, end)
                self.scanned = end + 1 if end < len(text) else end

    def scan_all(self) -> list[Heading]:
        self.scan_to(len(self.text))
        return self.headings

    def heading_at(self, offset: int) -> Heading | None:
        """The last heading at or before *offset* (the section it is in)."""
        self.scan_to(offset)
        index = bisect_right(self.headings, offset, key=lambda heading: heading.offset)
        return self.headings[index - 1] if index else None

    def in_fence(self, offset: int) -> bool:
        """Whether *offset* is inside a fenced code block (fence lines included)."""
        if not self.markdown:
            return False
        self.scan_to(offset)
        index = bisect_right(self.fences, offset, key=lambda fence: fence[0])
        if not index:
            return False
        start, end = self.fences[index - 1]
        return offset < end or (index == len(self.fences) and self._open_fence == start)

    def _scan(self, start: int, end: int) -> None:
        text, markdown = self.text, self.markdown
        for match in _LINE_PATTERN.finditer(text, start, end):
            kind = match.lastgroup if match.lastgroup != "atx_text" else "atx"
            line_start = match.start()
            if kind == "fence":
                if not markdown:
                    continue
                if self._open_fence is None:
                    self._open_fence = line_start
                    self.fences.append((line_start, len(text)))
                else:
                    self.fences[-1] = (self._open_fence, match.end())
                    self._open_fence = None
                continue
            if self._open_fence is not None:
                continue  # `# comment` in a code block is code
            if kind == "atx":
                level = len(match.group("atx").strip())
                title = _ATX_CLOSING.sub("", match.group("atx_text")) or match.group("atx_text")
                self._add(line_start, level, title)
            elif kind == "setext":
                if markdown:
                    self._setext(line_start, match.group("setext").strip())
            elif not markdown:
                level = 1 if kind == "keyword" and match.group(0).lstrip()[:1].isupper() else 2
                self._add(line_start, level, match.group(0))

    def _setext(self, underline_start: int, underline: str) -> None:
        """``Title`` over ``===`` (level 1) or ``---`` (level 2); a rule after a
        blank line is not a heading."""
        if underline_start == 0:
            return
        previous_start = self.text.rfind("\n", 0, underline_start - 1) + 1
        previous = self.text[previous_start:underline_start - 1]
        if not previous.strip() or previous.lstrip().startswith(("#", ">", "- ", "* ", "+ ")):
            return
        if self.headings and self.headings[-1].offset == previous_start:
            return
        self._add(previous_start, 1 if underline[0] == "=" else 2, previous)

    def _add(self, offset: int, level: int, title: str) -> None:
        title = " ".join(title.split())
        if len(title) > MAX_TITLE_CHARS:
            title = title[:MAX_TITLE_CHARS - 1] + "…"
        self.headings.append(Heading(offset, level, title))


def filter_headings(headings: list[Heading], query: str) -> list[Heading]:
    """The headings whose title holds every word of *query* (any case)."""
    words = query.casefold().split()
    return [heading for heading in headings if all(word in heading.title.casefold() for word in words)]
