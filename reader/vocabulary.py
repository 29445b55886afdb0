"""The words of one field of one generation of the index, for expanding patterns fast.

Whoosh expands a fuzzy term (``excepton~``), a wildcard (``con*``, ``wi?d``)
and a spelling correction by walking the field's term list: over a reader of
several segments that is a pure-Python edit distance for every word of the
vocabulary (100,000 calls on 10,000 documents of prose, ~0.45 s).  A
:class:`Vocabulary` holds the field's words once, sorted, in plain Python
strings, and answers

* a prefix by bisection,
* a wildcard by one regular expression over the words joined by newlines (the
  scan runs in C),
* words within an edit distance with RapidFuzz's C++ Levenshtein distance (a
  transposition is two edits, as in Whoosh's automata), restricted first to
  the words sharing the required prefix.

It is built once per index generation and field (see ``DocumentIndex``), on first
use: ~0.1 s for 100,000 words.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_SEPARATOR = "\n"  # never inside a word: words come from the tokenizer's \w+ runs


class Vocabulary:
    """The sorted, distinct words of one field."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words: list[str] = sorted(set(words))
        self._joined = _SEPARATOR + _SEPARATOR.join(self.words) + _SEPARATOR

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        place = bisect_left(self.words, word)
        return place < len(self.words) and self.words[place] == word

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        start = bisect_left(self.words, prefix)
        # Every word starting with *prefix* sorts before prefix + the highest code point.
        end = bisect_left(self.words, prefix + "\U0010ffff", lo=start)
        return start, end

    def with_prefix(self, prefix: str) -> list[str]:
        start, end = self._prefix_range(prefix)
        return self.words[start:end]

    def matching(self, pattern: str) -> list[str]:
        """Words matching a Whoosh wildcard (``*`` any run, ``?`` one character)."""
        literal_prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
        if literal_prefix == pattern:
            return [pattern] if pattern in self else []
        body = "".join(
            "[^\\n]*" if character == "*" else "[^\\n]" if character == "?" else re.escape(character)
            for character in pattern
        )
        expression = re.compile(f"(?<=\\n){body}(?=\\n)")
        if literal_prefix:
            start, end = self._prefix_range(literal_prefix)
            if start == end:
                return []
            # Search only the slice of the joined text holding the prefix's words.
            haystack = _SEPARATOR + _SEPARATOR.join(self.words[start:end]) + _SEPARATOR
        else:
            haystack = self._joined
        return expression.findall(haystack)

    def within(self, word: str, maxdist: int, prefix: int = 0) -> list[tuple[str, int]]:
        """Words within *maxdist* edits of *word* that share its first *prefix*
        characters, with their distances, nearest first (then in word order)."""
        choices = self.with_prefix(word[:prefix]) if prefix else self.words
        if not choices:
            return []
        found = process.extract(word, choices, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None)
        return sorted(((choice, int(distance)) for choice, distance, _index in found),
                      key=lambda pair: (pair[1], pair[0]))


def nearest(vocabulary: Vocabulary, word: str, maxdist: int, frequency: Callable[[str], int]) -> str | None:
    """The commonest known word within *maxdist* edits of *word* (the nearer
    among equally common ones), or None: what "did you mean" offers for an
    unknown word.  Frequency first, as Whoosh's corrector ranks: a typo is
    more likely of a common word than of a rare word one edit closer (the
    corpus's own misspellings among them)."""
    candidates = [(candidate, distance) for candidate, distance in vocabulary.within(word, maxdist)
                  if candidate != word]
    if not candidates:
        return None
    return max(candidates, key=lambda pair: (frequency(pair[0]), -pair[1]))[0]
