"""Markdown shown in place: which characters of a line are a heading, bold,
italic, code, a link, a list or quote marker, a rule, and which are the markers
themselves (to be dimmed).  The text is never changed: styling is spans over it,
in document offsets, exactly like search hits and notes, so their offsets stay
exact on a styled line.

Per line, on demand: the reading view asks for the lines it draws, so the cost
follows the screen, not the document.  Multi-line state is limited to what can be
known cheaply: fenced code blocks come from :class:`reader.outline.DocumentStructure`
(an incremental scan), a setext heading looks at the next line, a rule at the
line before.  Emphasis is matched within a line (a paragraph wrapped by hand with
``**bold`` on one line and ``text**`` on the next is left plain).  A line longer
than :data:`LONG_LINE` chars is styled inline only in a window around the part
drawn, so a 10 MB one-line file costs what a screen does.

**Is it Markdown?**  ``.md`` and ``.markdown`` files are.  Any other text is when
its first :data:`SNIFF_CHARS` characters hold at least :data:`SNIFF_SIGNALS`
Markdown constructs that plain text rarely has: ATX headings (``# Title``),
``**bold**`` or ``__bold__``, ``*italic*`` or ``_italic_``, ``[links](url)``,
`` `code` `` and code fences.  Lists, rules and quotes do not count (plain text
uses ``-`` and ``>`` too).  One regular-expression pass over 20 kB: ~0.1 ms.

No Textual here: plain Python.  Styles are names (:class:`MarkdownStyle`); the
reading view maps them to its theme's colours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from reader.outline import DocumentStructure

MARKDOWN_SUFFIXES = {".md", ".markdown"}
SNIFF_CHARS = 20_000
SNIFF_SIGNALS = 2
LONG_LINE = 10_000
LONG_LINE_WINDOW = 2_000  # chars either side of the drawn part of a long line


class MarkdownStyle(StrEnum):
    MARKER = "marker"  # `#`, `**`, `` ` ``, `[`, `](url)`: shown dimmed
    HEADING1 = "heading1"
    HEADING = "heading"  # levels 2 to 6
    BOLD = "bold"
    ITALIC = "italic"
    STRIKE = "strike"
    CODE = "code"
    LINK = "link"
    LIST = "list"  # the bullet or number of a list item
    QUOTE = "quote"
    RULE = "rule"


@dataclass(frozen=True)
class StyleSpan:
    start: int
    end: int
    style: MarkdownStyle


_SIGNALS = re.compile(
    r"^[ ]{0,3}#{1,6}[ \t]+\S"
    r"|\*\*(?=\S)[^*\n]+(?<=\S)\*\*|__(?=\S)[^_\n]+(?<=\S)__"
    r"|(?<![*\w])\*(?=[^\s*])[^*\n]+(?<=[^\s*])\*(?![*\w])"
    r"|(?<![_\w])_(?=[^\s_])[^_\n]+(?<=[^\s_])_(?![_\w])"
    r"|\[[^\]\n]+\]\([^)\s]+\)"
    r"|`[^`\n]+`"
    r"|^[ ]{0,3}(?:```|~~~)",
    re.MULTILINE,
)

_ATX = re.compile(r"[ ]{0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSING = re.compile(r"[ \t]+#+[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*$")
_RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"[ ]{0,3}(?:>[ ]?)+")
_LIST = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_FENCE = re.compile(r"[ ]{0,3}(?:```|~~~)")

# Inline constructs, in order of precedence: code spans first (nothing inside
# them is Markdown), then links, then emphasis.
_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_LINK = re.compile(r"(!?\[)([^\]\n]+)(\]\([^)\s]*(?:[ \t]+\"[^\"\n]*\")?\))|(<)(https?://[^>\s]+|[^@>\s]+@[^>\s]+)(>)")
_EMPHASIS = (
    (re.compile(r"(\*\*\*|___)(?=\S)(.+?)(?<=\S)\1"), (MarkdownStyle.BOLD, MarkdownStyle.ITALIC)),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), (MarkdownStyle.BOLD,)),
    (re.compile(r"(?<![*\w])(\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])"), (MarkdownStyle.ITALIC,)),
    (re.compile(r"(?<![_\w])(_)(?=[^\s_])(.+?)(?<=[^\s_])_(?![_\w])"), (MarkdownStyle.ITALIC,)),
    (re.compile(r"(~~)(?=\S)(.+?)(?<=\S)~~"), (MarkdownStyle.STRIKE,)),
)


def is_markdown_path(path: str | PurePath) -> bool:
    return PurePath(path).suffix.lower() in MARKDOWN_SUFFIXES


def looks_like_markdown(text: str) -> bool:
    """Whether plain text is Markdown after all (see the module's docstring)."""
    found = 0
    for _match in _SIGNALS.finditer(text, 0, min(len(text), SNIFF_CHARS)):
        found += 1
        if found >= SNIFF_SIGNALS:
            return True
    return False


def is_markdown(path: str | PurePath, text: str) -> bool:
    return is_markdown_path(path) or looks_like_markdown(text)


class MarkdownStyler:
    """The Markdown style spans of a document's lines, computed on demand."""

    def __init__(self, text: str, structure: DocumentStructure) -> None:
        self.text = text
        self.structure = structure

    def line_bounds(self, offset: int) -> tuple[int, int]:
        """[start, end) of the line holding *offset* (end: its newline or the text's end)."""
        text = self.text
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        return start, len(text) if end == -1 else end

    def spans_between(self, start: int, end: int) -> list[StyleSpan]:
        """The style spans over text[start:end], which lies within one line."""
        line_start, line_end = self.line_bounds(start)
        if line_end - line_start <= LONG_LINE:
            return self.line_spans(line_start, line_end)
        window = (max(start - LONG_LINE_WINDOW, line_start), min(end + LONG_LINE_WINDOW, line_end))
        return self.line_spans(line_start, line_end, window)

    def line_spans(self, start: int, end: int, window: tuple[int, int] | None = None) -> list[StyleSpan]:
        """The style spans of the line text[start:end]; inline ones only within
        *window* (a long line), block ones from the line's start."""
        text = self.text
        line = text[start:min(end, start + 200)] if window is not None else text[start:end]
        spans: list[StyleSpan] = []
        if self.structure.in_fence(start):
            fence = _FENCE.match(line)
            spans.append(StyleSpan(start, end, MarkdownStyle.MARKER if fence else MarkdownStyle.CODE))
            return spans
        if not line.strip():
            return spans
        inline_from = start  # where inline Markdown starts (after a block marker)
        body_style: MarkdownStyle | None = None
        atx = _ATX.match(line)
        if atx is not None:
            level = len(atx.group(1))
            spans.append(StyleSpan(start, start + atx.end(), MarkdownStyle.MARKER))
            closing = _ATX_CLOSING.search(line, atx.end())
            body_end = start + closing.start() if closing is not None and window is None else end
            body_style = MarkdownStyle.HEADING1 if level == 1 else MarkdownStyle.HEADING
            spans.append(StyleSpan(start + atx.end(), body_end, body_style))
            if body_end < end:
                spans.append(StyleSpan(body_end, end, MarkdownStyle.MARKER))
            inline_from = start + atx.end()
        elif _SETEXT_UNDERLINE.match(line) and self._follows_text(start):
            return [StyleSpan(start, end, MarkdownStyle.MARKER)]
        elif _RULE.match(line):
            return [StyleSpan(start, end, MarkdownStyle.RULE)]
        else:
            underline = self._setext_level(end)
            if underline:
                body_style = MarkdownStyle.HEADING1 if underline == 1 else MarkdownStyle.HEADING
                spans.append(StyleSpan(start, end, body_style))
            else:
                quote = _QUOTE.match(line)
                if quote is not None:
                    spans.append(StyleSpan(start, start + quote.end(), MarkdownStyle.MARKER))
                    spans.append(StyleSpan(start + quote.end(), end, MarkdownStyle.QUOTE))
                    inline_from = start + quote.end()
                item = _LIST.match(text, inline_from, end)
                if item is not None and item.group().strip():
                    marker_start = inline_from + len(item.group()) - len(item.group().lstrip())
                    spans.append(StyleSpan(marker_start, marker_start + len(item.group().strip()), MarkdownStyle.LIST))
                    inline_from = item.end()
        low, high = (inline_from, end) if window is None else (max(inline_from, window[0]), window[1])
        if high > low:
            spans += inline_spans(text, low, high)
        return spans

    def _follows_text(self, line_start: int) -> bool:
        """Whether the line before *line_start* holds text (so an underline under
        it makes a setext heading, not a rule)."""
        if line_start == 0:
            return False
        previous_start = self.text.rfind("\n", 0, line_start - 1) + 1
        previous = self.text[previous_start:line_start - 1]
        return bool(previous.strip()) and not _ATX.match(previous) and not _RULE.match(previous)

    def _setext_level(self, line_end: int) -> int:
        """1 or 2 when the next line underlines this one with ``===`` / ``---``."""
        text = self.text
        if line_end >= len(text):
            return 0
        next_end = text.find("\n", line_end + 1)
        next_line = text[line_end + 1:len(text) if next_end == -1 else next_end]
        if len(next_line) > 200 or not _SETEXT_UNDERLINE.match(next_line):
            return 0
        return 1 if next_line.strip()[0] == "=" else 2


def inline_spans(text: str, start: int, end: int) -> list[StyleSpan]:
    """Code, links and emphasis within text[start:end] (one line, or part of one)."""
    spans: list[StyleSpan] = []
    taken: list[tuple[int, int]] = []  # code spans and link targets: no emphasis inside

    def free(span_start: int, span_end: int) -> bool:
        return all(span_end <= low or span_start >= high for low, high in taken)

    for match in _CODE.finditer(text, start, end):
        ticks = len(match.group(1))
        spans.append(StyleSpan(match.start(), match.start() + ticks, MarkdownStyle.MARKER))
        spans.append(StyleSpan(match.start() + ticks, match.end() - ticks, MarkdownStyle.CODE))
        spans.append(StyleSpan(match.end() - ticks, match.end(), MarkdownStyle.MARKER))
        taken.append(match.span())
    for match in _LINK.finditer(text, start, end):
        if not free(*match.span()):
            continue
        if match.group(1) is not None:  # [text](target)
            opening, label, closing = 1, 2, 3
        else:  # <https://…>
            opening, label, closing = 4, 5, 6
        spans.append(StyleSpan(match.start(opening), match.end(opening), MarkdownStyle.MARKER))
        spans.append(StyleSpan(match.start(label), match.end(label), MarkdownStyle.LINK))
        spans.append(StyleSpan(match.start(closing), match.end(closing), MarkdownStyle.MARKER))
        taken.append((match.start(closing), match.end(closing)))  # the URL is not emphasis
        if opening == 4:
            taken.append(match.span())
    for pattern, styles in _EMPHASIS:
        for match in pattern.finditer(text, start, end):
            if not free(*match.span()):
                continue
            width = len(match.group(1))
            spans.append(StyleSpan(match.start(), match.start() + width, MarkdownStyle.MARKER))
            for style in styles:
                spans.append(StyleSpan(match.start(2), match.end(2), style))
            spans.append(StyleSpan(match.end() - width, match.end(), MarkdownStyle.MARKER))
            taken.append(match.span())  # `**a *b* c**`: the inner one is left as written
    return spans
