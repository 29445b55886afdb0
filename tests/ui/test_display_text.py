"""Screen damage: every row the UI draws must be as wide on the terminal as Rich
measured it.  Tabs, control characters and emoji joiners or modifiers in titles,
snippets, notes and text are what broke that (a tab pushed the list's border
right and cut the notes panel; skin tones and ZWJ families shifted borders)."""

from __future__ import annotations

import asyncio
import unicodedata

import pytest

from reader.ui.display_text import DRAW_NOTHING, display_line, display_line_spans
from reader.ui.notes_overview import NotesOverview
from reader.ui.text_layout import display_row

from .conftest import make_app, open_doc, search, wait_for, wait_ready

ODD_FILES = {
    "tab.txt": "col1\tcol2 turnaround table\n\nTurnaround\trules\tin\tcolumns.\n",
    "family.txt": "Family 👨‍👩‍👧 turnaround day 👍🏽\n\nThe 👨‍👩‍👧‍👦 turnaround picnic ❤️ was fun 👍🏽👍🏿.\n",
    "escape.txt": "Escape \x1b[31mred\x1b[0m turnaround\n\nA \x1b[2J turnaround body \u202eevil.\n",
}
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def undrawable(text: str) -> list[str]:
    """Characters a terminal may measure differently from Rich."""
    return [repr(character) for character in text
            if unicodedata.category(character) == "Cc" or DRAW_NOTHING.match(character) or character in BIDI]


def check_rows(widget, height: int | None = None) -> None:
    width = widget.scrollable_content_region.width if hasattr(widget, "scrollable_content_region") else None
    for y in range(height or widget.size.height):
        strip = widget.render_line(y)
        assert undrawable(strip.text) == [], (type(widget).__name__, y, strip.text)
        if width:
            assert strip.cell_length == width, (type(widget).__name__, y, strip.text)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_odd_titles_snippets_notes_and_text_draw_rows_of_their_measured_width(make_docs, tmp_path, size):
    root = make_docs(ODD_FILES)
    app = make_app(tmp_path / "data", root)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await wait_ready(pilot, min_rows=3)
            check_rows(app.document_list)
            for rel_path, text in ODD_FILES.items():
                document = app.workspace.read(rel_path)
                start = document.text.index("turnaround")
                app.workspace.add_note(document, 0, start + 10, f"note on {document.title}\twith a tab 👍🏽")
            for rel_path in ODD_FILES:
                await open_doc(pilot, rel_path)
                await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the note shown")
                check_rows(app.reader)
                check_rows(app.notes_panel)
                assert undrawable(str(app.reader.border_title)) == []
                assert undrawable(app.status.message) == []
            await search(pilot, "turnaround")
            assert len(app.document_list.rel_paths) == 3
            check_rows(app.document_list)
            await pilot.press("o")
            await wait_for(pilot, lambda: isinstance(app.screen, NotesOverview) and len(app.screen.shown) == 3,
                           what="the overview")
            await pilot.pause()
            check_rows(app.screen.table)

    asyncio.run(main())


def test_display_line_replaces_one_for_one_and_drops_emoji_joiners():
    assert display_line("col1\tcol2") == "col1 col2"
    assert display_line("a\x1b[31mb") == "a␛[31mb"
    assert display_line("x\u202ey") == "x\ufffdy"
    assert display_line("👨‍👩‍👧 👍🏽 ❤️") == "👨👩👧 👍 ❤"
    assert display_line("plain title") == "plain title"


def test_snippet_spans_follow_the_dropped_characters():
    text = "👍🏽 strike\tvote 👨‍👩‍👧 rest"
    shown, spans = display_line_spans(text, [(text.index("strike"), text.index("strike") + 6),
                                             (text.index("rest"), text.index("rest") + 4)])
    assert [shown[start:end] for start, end in spans] == ["strike", "rest"]
    assert "\t" not in shown


def test_the_reader_draws_emoji_sequences_without_joiners_and_keeps_offsets():
    row = "a 👨‍👩‍👧 b👍🏽c"
    display = display_row(row)
    assert display.text == "a 👨👩👧 b👍c"
    # the character after the family still maps to the cell after its three emoji
    b = row.index("b")
    assert display.text[display.position(b)] == "b"
    assert display.column(b) == 2 + 6 + 1
