"""The screen's width rules (reader/ui/pane_layout.py), without a screen."""

from __future__ import annotations

import pytest

from reader.reading_state import PaneChoices
from reader.ui.pane_layout import (
    LIST_MIN,
    NOTES_MIN,
    READER_CHROME,
    READER_MIN,
    PaneState,
    list_width_for,
    plan_panes,
    text_padding,
)

ALL_CHOICES = [PaneChoices(list_open, notes_open, False) for list_open in (True, False) for notes_open in (True, False)]


@pytest.mark.parametrize("choices", ALL_CHOICES)
def test_the_reader_gets_at_least_60_columns_from_70_wide(choices):
    for width in range(70, 260):
        plan = plan_panes(PaneState(width, 30, document_open=True, list_want=60), choices)
        assert plan.reader_width >= READER_MIN, (width, plan)
        assert plan.reader_width + (0 if plan.list_overlay else plan.list_width) + (
            0 if plan.notes_overlay else plan.notes_width) == width  # nothing cut, nothing overflowing


@pytest.mark.parametrize("choices", ALL_CHOICES)
def test_docked_panes_are_never_slivers(choices):
    for width in range(40, 260):
        for document_open in (True, False):
            plan = plan_panes(PaneState(width, 30, document_open=document_open, list_want=60), choices)
            if plan.list_shown:
                assert plan.list_width >= LIST_MIN, (width, plan)
            if plan.notes_shown:
                assert plan.notes_width >= NOTES_MIN, (width, plan)


def test_about_two_thirds_on_wide_terminals_with_both_panes():
    for width in (140, 160, 200, 250):
        plan = plan_panes(PaneState(width, 45, document_open=True, list_want=60), PaneChoices())
        assert plan.list_shown and plan.notes_shown and not plan.list_overlay and not plan.notes_overlay
        assert 0.58 <= plan.reader_width / width <= 0.7, (width, plan)


def test_at_80_columns_the_panes_fold_and_show_over_the_reader_when_focused():
    state = PaneState(80, 24, document_open=True, list_want=60)
    plan = plan_panes(state, PaneChoices())
    assert (plan.list_width, plan.notes_width, plan.reader_width) == (0, 0, 80)
    focused_list = plan_panes(PaneState(80, 24, document_open=True, list_focused=True, list_want=60), PaneChoices())
    assert focused_list.list_overlay and focused_list.list_width >= LIST_MIN and focused_list.reader_width == 80
    focused_notes = plan_panes(PaneState(80, 24, document_open=True, notes_focused=True), PaneChoices())
    assert focused_notes.notes_overlay and focused_notes.notes_width >= NOTES_MIN and focused_notes.reader_width == 80


def test_with_no_document_open_the_list_always_shows():
    for width in range(40, 200, 7):
        plan = plan_panes(PaneState(width, 24, document_open=False, list_want=60), PaneChoices(list_open=False))
        assert plan.list_shown and not plan.list_overlay, (width, plan)


def test_folding_gives_the_room_back_to_the_reader():
    state = PaneState(200, 60, document_open=True, list_want=60)
    both = plan_panes(state, PaneChoices())
    no_list = plan_panes(state, PaneChoices(list_open=False))
    nothing = plan_panes(state, PaneChoices(list_open=False, notes_open=False))
    assert both.reader_width < no_list.reader_width < nothing.reader_width == 200
    assert not no_list.list_shown and no_list.notes_shown


def test_focus_mode_and_the_tiny_terminal():
    focus = plan_panes(PaneState(120, 40, document_open=True), PaneChoices(focus_mode=True))
    assert focus.focus_mode and focus.reader_width == 120 and not focus.list_shown and not focus.notes_shown
    nothing_open = plan_panes(PaneState(120, 40, document_open=False), PaneChoices(focus_mode=True))
    assert not nothing_open.focus_mode and nothing_open.list_shown  # remembered, but the list is needed
    for width, height in ((39, 24), (80, 9), (20, 5)):
        assert plan_panes(PaneState(width, height), PaneChoices()).too_small
    assert not plan_panes(PaneState(40, 10), PaneChoices()).too_small


def test_the_list_sizes_to_its_longest_title():
    assert list_width_for(10) == LIST_MIN
    assert list_width_for(30) == 30 + 15
    assert list_width_for(500) == 60


def test_the_text_is_centred_at_most_a_measure_wide():
    assert text_padding(80, 100) == (1, 1)
    left, right = text_padding(200, 100)
    assert 200 - READER_CHROME - (left - 1) - (right - 1) == 100
    assert abs(left - right) <= 1
    assert text_padding(120, 60)[0] >= 28
