"""Anchoring notes to passages and finding them again after edits."""

from __future__ import annotations

import pytest

from reader.anchoring import CONTEXT_CHARS, AnchorState, find_occurrences, make_anchor, reanchor

TEXT = "The union met on Monday. Members voted to authorise a strike over turnaround times.\n"


def _anchor_on(text: str, quote: str, occurrence: int = 0):
    start = find_occurrences(text, quote)[occurrence]
    return make_anchor(text, start, start + len(quote))


def test_make_anchor_records_quote_and_context():
    anchor = _anchor_on(TEXT, "strike")
    assert anchor.exact == "strike"
    assert TEXT[anchor.start : anchor.end] == "strike"
    assert TEXT[: anchor.start].endswith(anchor.prefix)
    assert TEXT[anchor.end :].startswith(anchor.suffix)
    assert len(anchor.prefix) == CONTEXT_CHARS
    assert anchor.suffix == " over turnaround times.\n"


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (10, 4), (0, len(TEXT) + 1)])
def test_make_anchor_rejects_bad_ranges(start, end):
    with pytest.raises(ValueError):
        make_anchor(TEXT, start, end)


def test_unchanged_text_is_ok():
    anchor = _anchor_on(TEXT, "turnaround")
    resolution = reanchor(TEXT, anchor)
    assert resolution.state == AnchorState.OK
    assert (resolution.start, resolution.end) == (anchor.start, anchor.end)


def test_text_inserted_before_moves_the_anchor():
    anchor = _anchor_on(TEXT, "turnaround")
    inserted = "BREAKING: a new first paragraph.\n\n"
    changed = inserted + TEXT
    resolution = reanchor(changed, anchor)
    assert resolution.state == AnchorState.MOVED
    assert resolution.start == anchor.start + len(inserted)
    assert changed[resolution.start : resolution.end] == "turnaround"


def test_repeated_quote_prefix_and_suffix_decide():
    text = "alpha beta: the strike began. Later, gamma delta: the strike ended.\n"
    second = _anchor_on(text, "the strike", occurrence=1)
    first = _anchor_on(text, "the strike", occurrence=0)
    # Shift everything so neither occurrence is at its old offset, and put the
    # passages the other way round: position alone would pick the wrong one.
    changed = "Intro line that is long enough to move things.\n" + (
        "gamma delta: the strike ended. Earlier, alpha beta: the strike began.\n"
    )
    to_second = reanchor(changed, second)
    to_first = reanchor(changed, first)
    assert to_second.state == to_first.state == AnchorState.MOVED
    assert changed[to_second.start : to_second.end] == "the strike"
    assert changed[to_second.end :].startswith(" ended.")
    assert changed[to_first.end :].startswith(" began.")
    assert to_first.start != to_second.start


def test_tie_goes_to_the_nearest_occurrence():
    text = "x strike x " * 5
    anchor = _anchor_on(text, "strike", occurrence=3)
    changed = "y" + text  # every occurrence has the same context
    resolution = reanchor(changed, anchor)
    assert resolution.state == AnchorState.MOVED
    assert resolution.start == anchor.start + 1


def test_deleted_quote_is_orphaned_and_keeps_old_offsets():
    anchor = _anchor_on(TEXT, "turnaround")
    changed = TEXT.replace("turnaround", "rest")
    resolution = reanchor(changed, anchor)
    assert resolution.state == AnchorState.ORPHANED
    assert (resolution.start, resolution.end) == (anchor.start, anchor.end)


def test_find_occurrences_overlapping():
    assert find_occurrences("aaaa", "aa") == [0, 1, 2]
    assert find_occurrences("abc", "z") == []
