"""Find in the document (reader.find_text): any case, exact offsets, a cap."""

from __future__ import annotations

from reader.find_text import find_all


def test_matches_ignore_case_and_keep_exact_offsets():
    text = "İİ Strike! the STRIKE vote; a strike."  # İ lower-cases to two characters
    result = find_all(text, "sTrIkE")
    assert [text[start:end] for start, end in result.spans] == ["Strike", "STRIKE", "strike"]
    assert result.spans[0] == (3, 9) and not result.truncated


def test_the_needle_is_plain_text_not_a_pattern():
    text = "rest (10 hours) or rest.*"
    assert find_all(text, "(10 hours)").spans == [(5, 15)]
    assert find_all(text, ".*").spans == [(len(text) - 2, len(text))]
    assert find_all(text, "[bold]").spans == []


def test_an_empty_needle_finds_nothing_and_many_matches_are_capped():
    assert find_all("anything", "").spans == []
    result = find_all("a" * 50, "a", limit=10)
    assert result.spans == [(number, number + 1) for number in range(10)] and result.truncated
    assert not find_all("a" * 10, "a", limit=10).truncated
