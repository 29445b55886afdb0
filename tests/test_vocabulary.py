"""The vocabulary behind fuzzy terms, wildcards and "did you mean": the same words
as a brute-force scan would find."""

from __future__ import annotations

import fnmatch
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from reader.vocabulary import Vocabulary, nearest

WORDS = ["exception", "exceptions", "excepted", "except", "expect", "hexadecimal", "hexadec", "con",
         "configuration", "configure", "content", "contract", "cat", "cot", "coat", "école", "über", "x1", "19"]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(WORDS + WORDS[:3])  # duplicates collapse


def test_words_are_sorted_and_distinct(vocabulary):
    assert vocabulary.words == sorted(set(WORDS))
    assert len(vocabulary) == len(set(WORDS))
    assert "cat" in vocabulary and "ca" not in vocabulary and 3 not in vocabulary


@pytest.mark.parametrize("prefix", ["con", "ex", "hexadec", "z", "", "é", "x"])
def test_with_prefix_is_every_word_starting_so(vocabulary, prefix):
    assert vocabulary.with_prefix(prefix) == sorted(w for w in set(WORDS) if w.startswith(prefix))


@pytest.mark.parametrize("pattern", ["con*", "c?t", "*tion", "*", "ex*ed", "c*t", "?", "hexadec", "nothing*",
                                     "*ü*", "x?", "1?"])
def test_matching_is_fnmatch(vocabulary, pattern):
    expected = sorted(w for w in set(WORDS) if fnmatch.fnmatchcase(w, pattern))
    assert sorted(vocabulary.matching(pattern)) == expected


@pytest.mark.parametrize(("word", "maxdist", "prefix"), [
    ("excepton", 1, 1), ("excepton", 2, 0), ("cat", 1, 0), ("cat", 1, 1), ("kat", 1, 1), ("coat", 2, 2),
])
def test_within_is_levenshtein(vocabulary, word, maxdist, prefix):
    expected = sorted(
        ((w, Levenshtein.distance(word, w)) for w in set(WORDS)
         if w.startswith(word[:prefix]) and Levenshtein.distance(word, w) <= maxdist),
        key=lambda pair: (pair[1], pair[0]),
    )
    assert vocabulary.within(word, maxdist, prefix) == expected


def test_a_transposition_is_two_edits_as_in_whoosh(vocabulary):
    assert "cat" not in [w for w, _d in vocabulary.within("act", 1)]
    assert ("cat", 2) in vocabulary.within("act", 2)


def test_nearest_prefers_frequency_then_distance(vocabulary):
    frequencies = {"cat": 1, "cot": 9, "coat": 50, "configuration": 40, "configure": 3}
    assert nearest(vocabulary, "cst", 1, lambda w: frequencies.get(w, 0)) == "cot"  # cat and cot: cot is commoner
    assert nearest(vocabulary, "cst", 2, lambda w: frequencies.get(w, 0)) == "coat"  # two edits, but commonest
    assert nearest(vocabulary, "cxt", 1, lambda w: 1) == "cat"  # equally common: nearer (cat, cot at 1), then first
    assert nearest(vocabulary, "configuratoin", 2, lambda w: frequencies.get(w, 0)) == "configuration"
    assert nearest(vocabulary, "zzzzzz", 2, lambda w: 1) is None
    assert nearest(vocabulary, "cat", 2, lambda w: frequencies.get(w, 0)) != "cat"  # never the word itself


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.text(alphabet="abcé1", min_size=1, max_size=6), max_size=40),
       word=st.text(alphabet="abcé1", min_size=1, max_size=6), maxdist=st.integers(0, 2),
       prefix=st.integers(0, 2))
def test_within_agrees_with_brute_force(words, word, maxdist, prefix):
    vocabulary = Vocabulary(words)
    expected = sorted(
        ((w, Levenshtein.distance(word, w)) for w in set(words)
         if w.startswith(word[:prefix]) and Levenshtein.distance(word, w) <= maxdist),
        key=lambda pair: (pair[1], pair[0]),
    )
    assert vocabulary.within(word, maxdist, prefix) == expected


def test_a_big_vocabulary_answers_a_prefix_without_scanning():
    generator = random.Random(3)
    words = {"".join(generator.choice("abcdefghij") for _ in range(generator.randint(2, 9))) for _ in range(20000)}
    vocabulary = Vocabulary(words)
    assert vocabulary.with_prefix("abc") == sorted(w for w in words if w.startswith("abc"))
    assert sorted(vocabulary.matching("a*c?")) == sorted(w for w in words if fnmatch.fnmatchcase(w, "a*c?"))
