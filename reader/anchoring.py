"""Anchoring notes to passages, and finding them again after a document changes.

A note keeps its passage the way the W3C Web Annotation model does, with two
selectors: a TextQuoteSelector (the exact quote, with up to CONTEXT_CHARS of the
text before and after it as prefix and suffix) and a TextPositionSelector (its
character offsets, start and end).

When the document changes, `reanchor` follows the Hypothesis client's
`match-quote` algorithm:

1. If the text at the stored offsets is still the quote, the note is OK.
2. Otherwise the candidates are every exact occurrence of the quote or, when
   there is none, its approximate occurrences: those within
   ``min(256, len(quote) // 2)`` edits (found with edlib).
3. Each candidate is scored as Hypothesis does::

       (50 * quote + 20 * prefix + 20 * suffix + 2 * position) / 92

   quote is ``1 - errors / len(quote)``; prefix and suffix are the normalised
   Levenshtein similarities (rapidfuzz) of the stored context to the text now
   around the candidate; position is ``1 - distance from the old start /
   len(text)``, a tie-breaker.  The best candidate (nearest the old start on
   a tie) is taken if it scores at least MIN_SCORE: MOVED for an exact
   occurrence, CHANGED for an approximate one.  Otherwise the note is
   ORPHANED: kept and listed with its old offsets, never deleted.

The search for approximate occurrences is repeated a few times with the
matches already found hidden, because edlib reports only those at the minimum
edit distance, and the best approximate match may have its ends nudged to
where the same score is higher (edlib can start a match inside a word).

Hypothesis takes the best candidate whatever its score; we add MIN_SCORE,
because an approximate match may be half wrong, and a visibly orphaned note is
better than one silently attached to the wrong passage.  MIN_SCORE = 0.54 is
just below 50 / 92 = 0.543, the least an exact occurrence can score (no
context in common, far from the old offsets).  So, as in Hypothesis, an exact
occurrence of the quote is always accepted, and the minimum only judges
approximate ones, which need 50*q + 20*(prefix + suffix) + 2*position >= 49.7:

* unrelated context earns little: two unrelated 32-character windows of
  English are about 0.15 similar (measured on the bundled documents), some 6
  of the 40 context points.  An approximate quote with unrelated context must
  then be about 85% right (50*0.85 + 6 + 2 = 50.5);
* a half-wrong quote with unrelated context scores (25 + 6 + 2) / 92 = 0.36:
  rejected;
* a half-wrong quote whose prefix and suffix are intact scores
  (25 + 40 + 2) / 92 = 0.73: accepted, as CHANGED, so the reader can check it.

A minimum of 0.6 would be too strict for these context scores: in trials on
the bundled documents it orphaned 9% of 40-120 character quotes moved intact
into another paragraph (scores 0.57-0.62) and 75% of those moved with one word
edited; 0.54 orphaned none and 9%, and still orphaned 99% of deleted quotes
(the others matched a phrase repeated nearby).
"""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# edlib and rapidfuzz are imported where used: ~25 ms the app's first paint
# need not wait for (the reading view imports this module for its types).

CONTEXT_CHARS = 32

# Hypothesis's weights (match-quote.ts).  The position weight is small: it only
# breaks ties between candidates that the quote and context cannot separate.
QUOTE_WEIGHT = 50
PREFIX_WEIGHT = 20
SUFFIX_WEIGHT = 20
POSITION_WEIGHT = 2
_TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT

# Just below QUOTE_WEIGHT / total (0.543): see the module docstring.
MIN_SCORE = 0.54

# edlib only reports the matches at the minimum edit distance, so the search is
# repeated with what was found hidden, to see the next-best ones too.  Each round
# is one pass over the text: a few rounds bound the cost on a long document.
SEARCH_ROUNDS = 5

# How far (characters) `_refine` may move the ends of an approximate match:
# a long word's worth, to keep it to about a thousand Levenshtein calls.
REFINE_REACH = 16

# The edlib Python binding accepts at most 256 distinct symbols in query and
# target together; one is the sentinel that stands for every other character.
_MAX_QUOTE_SYMBOLS = 255
_SENTINEL_BYTE = b"\x00"  # what the general path maps the sentinel character to
# charmap_build's marker for "no character at this byte".
_UNMAPPED = "\ufffe"


class AnchorState(StrEnum):
    OK = "ok"  # the text at the stored offsets is still the quote
    MOVED = "moved"  # an exact occurrence of the quote elsewhere was chosen
    CHANGED = "changed"  # an approximate occurrence of the quote was chosen
    ORPHANED = "orphaned"  # nothing matched well enough; old offsets kept
    # The note's document is no longer in the collection.  reanchor never
    # returns this (it has no text to look in); the note store sets it.
    MISSING = "missing"

    @property
    def label(self) -> str:
        """The words shown to the reader for this state."""
        return _LABELS[self]


_LABELS: dict[AnchorState, str] = {
    AnchorState.OK: "ok",
    AnchorState.MOVED: "moved",
    AnchorState.CHANGED: "changed",
    AnchorState.ORPHANED: "orphaned",
    AnchorState.MISSING: "document missing",
}


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
    # The chosen candidate's normalised score: 1.0 for OK; for ORPHANED the best
    # rejected score, or 0.0 when there was no candidate at all.
    score: float


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    errors: int  # edit distance between the quote and text[start:end]


@dataclass(frozen=True)
class _Scored:
    start: int
    end: int
    errors: int
    score: float


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


#: Exact occurrences scored at most (each costs two short fuzzy comparisons); the
#: rest are the ones farthest from where the quote was, which rarely win anyway.
MAX_EXACT_CANDIDATES = 5000


def find_occurrences(text: str, quote: str) -> list[int]:
    """Every start of *quote* in *text*, overlapping ones included."""
    positions: list[int] = []
    position = text.find(quote)
    while position != -1:
        positions.append(position)
        position = text.find(quote, position + 1)
    return positions


def _nearby_occurrences(text: str, anchor: Anchor) -> list[int]:
    """The quote's exact occurrences; for a very common quote (one letter in a
    huge text) only those in a window around the old offset, about
    :data:`MAX_EXACT_CANDIDATES` of them."""
    total = text.count(anchor.exact)  # C speed; counts non-overlapping ones
    if total <= MAX_EXACT_CANDIDATES:
        return find_occurrences(text, anchor.exact)
    half = max(len(anchor.exact), len(text) * MAX_EXACT_CANDIDATES // (2 * total))
    low = max(0, anchor.start - half)
    high = min(len(text), anchor.start + half + len(anchor.exact))
    return [low + start for start in find_occurrences(text[low:high], anchor.exact)]


def reanchor(text: str, anchor: Anchor, *, min_score: float = MIN_SCORE) -> Resolution:
    """Where *anchor*'s passage is in *text* now (see the module docstring)."""
    quote = anchor.exact
    if not quote:  # whole-document notes have no quote and are never re-anchored
        return Resolution(AnchorState.ORPHANED, anchor.start, anchor.end, 0.0)
    if text[anchor.start : anchor.end] == quote:
        return Resolution(AnchorState.OK, anchor.start, anchor.end, 1.0)

    state = AnchorState.MOVED
    exact = [_Candidate(start, start + len(quote), 0) for start in _nearby_occurrences(text, anchor)]
    best = _best(text, anchor, exact)
    if best is None:
        state = AnchorState.CHANGED
        best = _best_approximate(text, anchor)
    if best is None:
        return Resolution(AnchorState.ORPHANED, anchor.start, anchor.end, 0.0)
    if best.score < min_score:
        return Resolution(AnchorState.ORPHANED, anchor.start, anchor.end, best.score)
    return Resolution(state, best.start, best.end, best.score)


def _similarity(found: str, stored: str) -> float:
    from rapidfuzz.distance import Levenshtein
    # No stored context (a passage at the very start or end) cannot disagree.
    return Levenshtein.normalized_similarity(found, stored) if stored else 1.0


def _score(text: str, anchor: Anchor, candidate: _Candidate) -> float:
    start, end = candidate.start, candidate.end
    quote = 1 - candidate.errors / len(anchor.exact)
    prefix = _similarity(text[max(0, start - len(anchor.prefix)) : start], anchor.prefix)
    suffix = _similarity(text[end : end + len(anchor.suffix)], anchor.suffix)
    # Clamped: old offsets far beyond a text that shrank must not score below 0.
    position = max(0.0, 1 - abs(start - anchor.start) / max(1, len(text)))
    raw = (
        QUOTE_WEIGHT * quote
        + PREFIX_WEIGHT * prefix
        + SUFFIX_WEIGHT * suffix
        + POSITION_WEIGHT * position
    )
    return raw / _TOTAL_WEIGHT


def _best(
    text: str, anchor: Anchor, candidates: Iterable[_Candidate], best: _Scored | None = None
) -> _Scored | None:
    """The highest-scoring of *candidates* (and *best*), nearest the old start on a tie."""

    def key(scored: _Scored) -> tuple[float, int]:
        return (scored.score, -abs(scored.start - anchor.start))

    for candidate in candidates:
        score = _score(text, anchor, candidate)
        scored = _Scored(candidate.start, candidate.end, candidate.errors, score)
        if best is None or key(scored) > key(best):
            best = scored
    return best


def _max_useful_errors(quote_length: int, score_to_reach: float) -> int:
    """The most errors a candidate can have and still score *score_to_reach*.

    With perfect context and position a candidate with e errors scores
    (50 * (1 - e / L) + 42) / 92, so e <= L * 92 * (1 - score) / 50.
    """
    bound = quote_length * _TOTAL_WEIGHT * (1 - score_to_reach) / QUOTE_WEIGHT
    return math.floor(bound + 1e-9)  # the epsilon keeps an exact tie in reach


def _best_approximate(text: str, anchor: Anchor) -> _Scored | None:
    """The best-scoring approximate occurrence of the quote (edlib, infix mode)."""
    import edlib
    from rapidfuzz.distance import Levenshtein
    quote = anchor.exact
    max_errors = min(256, len(quote) // 2)
    # A one-character quote has no approximate occurrences, and an empty text
    # none at all (edlib would answer a (None, -1) location, ignoring k).
    if max_errors < 1 or not text:
        return None
    encoded = _encode_for_edlib(text, quote)
    if encoded is None:
        return None
    query, target, hidden = encoded

    best: _Scored | None = None
    for _ in range(SEARCH_ROUNDS):
        result = edlib.align(query, bytes(target), mode="HW", task="locations", k=max_errors)
        distance: int = result["editDistance"]
        if distance < 0:  # nothing within max_errors
            break
        candidates: list[_Candidate] = []
        for start, last in result["locations"]:  # edlib's ends are inclusive
            end = last + 1
            # Counted on the real text: regions hidden in earlier rounds inflate
            # edlib's count for matches that overlap them.
            errors = Levenshtein.distance(quote, text[start:end])
            candidates.append(_Candidate(start, end, errors))
            target[start:end] = hidden * (end - start)
        best = _best(text, anchor, candidates, best)
        assert best is not None
        # Hiding matches only raises edit distances, so the next round finds
        # more than `distance` errors; look only for candidates that could still
        # beat the best so far, and stop when none can.
        max_errors = min(max_errors, _max_useful_errors(len(quote), best.score))
        if max_errors <= distance:
            break
    return None if best is None else _refine(text, anchor, best)


def _refine(text: str, anchor: Anchor, match: _Scored) -> _Scored:
    """*match* with its ends moved to wherever nearby the score is highest.

    edlib gives each end the start with the fewest errors, so when the edit is
    at the edge of the quote ("after a rest period" now reads "following a
    rest period") the match can begin inside a word ("owing a rest period").
    The spans around it are scored with the same formula, where the intact
    prefix outweighs the few extra errors of the whole word.  The ends move by
    at most the match's error count, and REFINE_REACH: at most 33 * 33 spans.
    """
    from rapidfuzz.distance import Levenshtein
    reach = min(match.errors, REFINE_REACH)
    starts = range(max(0, match.start - reach), min(len(text), match.start + reach) + 1)
    ends = range(max(0, match.end - reach), min(len(text), match.end + reach) + 1)
    nearby = (
        _Candidate(start, end, Levenshtein.distance(anchor.exact, text[start:end]))
        for start in starts
        for end in ends
        if start < end
    )
    best = _best(text, anchor, nearby, match)
    assert best is not None
    return best


def _encode_for_edlib(text: str, quote: str) -> tuple[bytes, bytearray, bytes] | None:
    """*quote* and *text* as bytes for edlib, and a byte that matches no quote byte.

    The edlib binding accepts at most 256 distinct symbols in query and target
    together.  So every character of the text that is not in the quote becomes
    one sentinel: such a character never matches any quote character, and
    neither does the sentinel, so no edit distance changes.  Doing this
    ourselves also keeps it at C speed; the binding maps a non-ASCII str with a
    Python loop, seconds for 10 MB.

    A Latin-1 quote (the usual case) takes a shortcut: the text's own Latin-1
    bytes are at most 256 symbols, and encoding with errors="replace" turns
    each character beyond Latin-1 into one "?", a sentinel as long as the quote
    has no "?" of its own.  Otherwise re.sub masks the text and a charmap codec
    encodes it.  A quote with more than 255 distinct characters leaves no room
    for the sentinel: it gets no approximate matching (such a quote is all but
    unheard of in prose), only exact occurrences.
    """
    alphabet = sorted(set(quote))
    if len(alphabet) > _MAX_QUOTE_SYMBOLS:
        return None
    try:
        query = quote.encode("latin-1")
        target = bytearray(text.encode("latin-1", "strict" if "?" in quote else "replace"))
    except UnicodeEncodeError:
        pass
    else:
        hidden = next(byte for byte in range(256) if byte not in query)
        return query, target, bytes([hidden])

    in_quote = set(alphabet)
    sentinel = next(chr(code) for code in range(256) if chr(code) not in in_quote)
    others = re.compile("[^" + "".join(re.escape(char) for char in alphabet) + "]")
    masked = others.sub(sentinel, text)
    # Byte 0 is the sentinel, bytes 1.. the quote's characters.  charmap_build
    # gives C-speed encoding (a plain dict is the slower fallback), but reads
    # U+FFFE as "no character here", so a quote holding it needs the dict.
    decoding = sentinel + "".join(alphabet)
    encoding = (
        {ord(char): byte for byte, char in enumerate(decoding)}
        if _UNMAPPED in in_quote
        else codecs.charmap_build(decoding + _UNMAPPED * (256 - len(decoding)))
    )
    return (
        codecs.charmap_encode(quote, "strict", encoding)[0],
        bytearray(codecs.charmap_encode(masked, "strict", encoding)[0]),
        _SENTINEL_BYTE,
    )
