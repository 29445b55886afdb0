"""Anchoring notes to passages, and finding them again after a document changes.

A note keeps its passage the way the W3C Web Annotation model does: the exact
quote with some text before and after it (a quote selector) and its character
offsets (a position selector).  When the document changes, the note is
re-attached to the occurrence of its quote whose surroundings match best,
nearest to the old offsets on a tie; a quote that no longer occurs leaves the
note *orphaned*: it is kept and listed, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CONTEXT_CHARS = 32


class AnchorState(StrEnum):
    OK = "ok"  # the quote is where it was
    MOVED = "moved"  # the quote was found elsewhere and the offsets updated
    ORPHANED = "orphaned"  # the quote is no longer in the document


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Resolution:
    state: AnchorState
    start: int
    end: int


def make_anchor(text: str, start: int, end: int) -> Anchor:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"passage {start}-{end} is outside the document (0-{len(text)})")
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def _common_suffix_length(a: str, b: str) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        count += 1
    return count


def _common_prefix_length(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def find_occurrences(text: str, quote: str) -> list[int]:
    positions: list[int] = []
    position = text.find(quote)
    while position != -1:
        positions.append(position)
        position = text.find(quote, position + 1)
    return positions


def reanchor(text: str, anchor: Anchor) -> Resolution:
    """Where *anchor*'s passage is in *text* now."""
    if not anchor.exact:
        return Resolution(AnchorState.ORPHANED, anchor.start, anchor.end)
    if text[anchor.start : anchor.end] == anchor.exact:
        return Resolution(AnchorState.OK, anchor.start, anchor.end)
    candidates = find_occurrences(text, anchor.exact)
    if not candidates:
        return Resolution(AnchorState.ORPHANED, anchor.start, anchor.end)

    def score(position: int) -> tuple[int, int]:
        before = text[max(0, position - CONTEXT_CHARS) : position]
        after_start = position + len(anchor.exact)
        after = text[after_start : after_start + CONTEXT_CHARS]
        context = _common_suffix_length(before, anchor.prefix) + _common_prefix_length(
            after, anchor.suffix
        )
        return (context, -abs(position - anchor.start))

    best = max(candidates, key=score)
    return Resolution(AnchorState.MOVED, best, best + len(anchor.exact))
