"""The reading view's layout: rows tile the text, fit the width, wrap at spaces."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from reader.ui.text_layout import (
    TAB_SIZE,
    _wrap_cells,
    _wrap_simple,
    compute_layout,
    display_row,
)


def rows_of(text: str, width: int) -> list[str]:
    layout = compute_layout(text, width)
    return [text[slice(*layout.row_span(row))] for row in range(layout.row_count)]


def rebuilt(text: str, width: int) -> str:
    """The text again from the rows: wrapped rows joined, lines by newlines."""
    layout = compute_layout(text, width)
    parts = []
    for row in range(layout.row_count):
        parts.append(text[slice(*layout.row_span(row))])
        if layout.ends_line(row) and row + 1 < layout.row_count:
            parts.append("\n")
    return "".join(parts)


def test_wraps_after_the_last_space_that_fits():
    assert rows_of("aaa bbb ccc", 6) == ["aaa ", "bbb ", "ccc"]
    assert rows_of("aaa bbb ccc", 7) == ["aaa ", "bbb ccc"]  # exactly full
    assert rows_of("aaa bbb ccc", 8) == ["aaa bbb ", "ccc"]
    assert rows_of("short\n\nlines", 20) == ["short", "", "lines"]


def test_a_word_longer_than_the_row_is_cut():
    assert rows_of("abcdefghij kl", 4) == ["abcd", "efgh", "ij ", "kl"]


@pytest.mark.parametrize("seed", range(5))
def test_rows_tile_the_text_and_fit_the_width(seed):
    rng = random.Random(seed)
    words = ["a", "strike", "turnaround", "IATSE", "—", "組合", "e\u0301", "\t", "x" * 30, "  "]
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) for _ in range(60)]
    text = "\n".join(lines)
    for width in (1, 2, 5, 13, 40, 80):
        assert rebuilt(text, width) == text
        layout = compute_layout(text, width)
        for row in range(layout.row_count):
            shown = display_row(text[slice(*layout.row_span(row))])
            cells = cell_len(shown.text)
            # A row holds at least one character, even one wider than the row.
            assert cells <= width or len(text[slice(*layout.row_span(row))]) == 1, (width, shown.text)


def test_the_two_wrapping_paths_agree_on_plain_text():
    rng = random.Random(7)
    for _ in range(300):
        line = "".join(rng.choice("ab  c") for _ in range(rng.randint(0, 120)))
        width = rng.randint(1, 30)
        simple: list[int] = []
        cells: list[int] = []
        _wrap_simple(line, width, 0, simple)
        _wrap_cells(line, width, 0, cells)
        assert simple == cells, (line, width)


def test_offsets_map_to_rows():
    text = "aaa bbb ccc\nddd"
    layout = compute_layout(text, 6)
    assert layout.row_starts == [0, 4, 8, 12]
    assert layout.row_of(0) == 0
    assert layout.row_of(4) == 1  # where a wrapped row ends: the next row
    assert layout.row_of(11) == 2  # the end of a line: its last row
    assert layout.row_of(len(text)) == 3
    assert layout.line_end(5) == 11


def test_partial_layout_covers_a_prefix_cut_at_a_line_end():
    text = "line of text\n" * 1000
    layout = compute_layout(text, 80, limit=100)
    assert not layout.complete
    assert layout.length >= 100 and text[layout.length] == "\n"
    assert layout.row_count == layout.length // 13 + 1
    assert layout.estimated_rows() == pytest.approx(1001, rel=0.05)
    assert compute_layout(text, 80).complete


@pytest.mark.parametrize("text", [
    "word " * 50_000,  # one long line
    ("a few words on a line that wraps\n\n" * 9_000) + "last",
    "tab\tand 組合 wide\n" * 20_000 + "\n",
], ids=["one-long-line", "paragraphs", "tabs-and-wide"])
def test_extending_a_partial_layout_gives_the_whole_layout(text):
    whole = compute_layout(text, 13)
    partial = compute_layout(text, 13, limit=1_000)
    assert partial.row_of(len(text) // 2) == whole.row_of(len(text) // 2)  # extends as needed
    partial.extend_to(offset=len(text))
    assert partial.complete
    assert (partial.row_starts, partial.line_starts) == (whole.row_starts, whole.line_starts)


def test_display_expands_tabs_and_knows_wide_characters():
    shown = display_row("a\tb組c")
    assert shown.text == "a" + " " * (TAB_SIZE - 1) + "b組c"
    assert shown.columns == [0, 1, TAB_SIZE, TAB_SIZE + 1, TAB_SIZE + 3, TAB_SIZE + 4]
    assert shown.index_at_column(2, 5) == 1  # inside the tab: the tab
    assert shown.index_at_column(TAB_SIZE + 2, 5) == 3  # the second cell of 組
    assert shown.index_at_column(99, 5) == 5
    plain = display_row("plain")
    assert plain.positions is None and plain.index_at_column(3, 5) == 3
