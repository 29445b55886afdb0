"""Find in the open document (ctrl+f) in the whole app: incremental, any case,
matches lit, n/N walk them with "match k of n" in the status line, Escape gives
n/N back to the search hits; the list keeps its results.  And the status line's
position."""

from __future__ import annotations

import re

from reader.ui.reading_view import CURRENT_HIT_STYLE, FIND_STYLE
from tests.ui.conftest import run_app, search, wait_for, wait_ready


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(re.escape(needle), text, re.IGNORECASE)]


async def open_first_result(pilot) -> None:
    app = pilot.app
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.reader.open_document is not None and app.reader.hit_spans
                   and app.focused is app.reader, what="the first result open, its hits lit")


def test_find_is_incremental_and_n_walks_the_matches_then_escape_returns_to_hits(app):
    async def scenario(pilot) -> None:
        await wait_ready(pilot)
        await search(pilot, "strike")
        rows_before = app.document_list.row_count
        await open_first_result(pilot)
        reader, status = app.reader, app.status
        text = reader.text
        hits = list(reader.hit_spans)

        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: app.find_bar is not None and app.focused is app.find_bar.input,
                       what="the find bar focused")
        await pilot.press("U")
        await wait_for(pilot, lambda: reader.find_spans == occurrences(text, "u"), what="matches of 'u'")
        await pilot.press("n", "i", "o", "n")  # typed into the bar, not taken as n/N
        expected = occurrences(text, "union")
        assert len(expected) >= 3
        await wait_for(pilot, lambda: reader.find_spans == expected, what="matches of 'Union', any case")
        assert reader.current_match is not None
        assert status.find_text == f"match {reader.current_match + 1} of {len(expected)}"
        first = expected[reader.current_match]
        assert reader.cursor_offset == first[0] and CURRENT_HIT_STYLE in reader.styles_at(first[0])
        other = expected[(reader.current_match + 1) % len(expected)]
        assert FIND_STYLE in reader.styles_at(other[0])  # every match is lit

        await pilot.press("enter")  # back to the text, the find still on
        await wait_for(pilot, lambda: app.focused is reader, what="focus back in the reader")
        current = reader.current_match
        await pilot.press("n")
        assert reader.current_match == (current + 1) % len(expected)
        assert reader.cursor_offset == expected[reader.current_match][0]
        assert status.find_text == f"match {reader.current_match + 1} of {len(expected)}"
        await pilot.press("N", "N")
        assert reader.current_match == (current - 1) % len(expected)
        assert app.document_list.showing_results and app.document_list.row_count == rows_before
        assert app.query_text == "strike"

        await pilot.press("escape")  # ends the find: n/N walk the search hits again
        await wait_for(pilot, lambda: reader.find_query is None and not app.find_bar.shown,
                       what="the find ended")
        assert reader.find_spans == [] and status.find_text == ""
        assert FIND_STYLE not in reader.styles_at(other[0])
        await pilot.press("n")
        assert reader.current_hit is not None and reader.hit_spans == hits
        assert reader.cursor_offset == hits[reader.current_hit][0]
        assert status.hits_text == f"hit {reader.current_hit + 1} of {len(hits)}"

    run_app(app, scenario)


def test_escape_in_the_find_bar_ends_the_find_and_no_match_is_said(app):
    async def scenario(pilot) -> None:
        await wait_ready(pilot)
        await search(pilot, "strike")
        await open_first_result(pilot)
        reader = app.reader
        await pilot.press("ctrl+f", *"zzqx")
        await wait_for(pilot, lambda: app.status.find_text == "no match", what="no match")
        assert reader.find_spans == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: reader.find_query is None and app.focused is reader, what="find ended")
        assert not app.find_bar.shown
        await pilot.press("ctrl+f")  # again: a fresh, empty find
        await wait_for(pilot, lambda: app.find_bar.shown and app.focused is app.find_bar.input,
                       what="the find bar again")
        assert app.find_bar.input.value == ""

    run_app(app, scenario)


def test_the_status_line_shows_the_position(app):
    async def scenario(pilot) -> None:
        await wait_ready(pilot)
        await search(pilot, "strike")
        await open_first_result(pilot)
        reader = app.reader
        await pilot.press("g")
        await wait_for(pilot, lambda: app.status.position_text.endswith("line 1"), what="line 1 at the top")
        assert re.fullmatch(r"\d{1,3}% · line 1", app.status.position_text)
        await pilot.press("G")
        await wait_for(pilot, lambda: app.status.position_text.startswith("100% · line "), what="100% at the end")
        percent, line = reader.position
        assert app.status.position_text == f"100% · line {line:,}" and line > 1

    run_app(app, scenario)


def test_ctrl_f_and_t_work_from_the_list_and_the_palette_offers_them(app):
    """Find and the outline are the open document's, wherever the focus is."""
    from reader.ui.outline_screen import OutlineScreen

    async def scenario(pilot) -> None:
        await wait_ready(pilot)
        await search(pilot, "strike")
        await open_first_result(pilot)
        app.document_list.focus()
        await wait_for(pilot, lambda: app.focused is app.document_list, what="the list focused")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: app.find_bar is not None and app.focused is app.find_bar.input,
                       what="the find bar focused from the list")
        await pilot.press(*"union", "escape")
        await wait_for(pilot, lambda: app.reader.find_query is None, what="the find ended")

        app.document_list.focus()
        await wait_for(pilot, lambda: app.focused is app.document_list, what="the list focused")
        await pilot.press("t")  # the outline, or word that the document has no headings

        def outline_answered() -> bool:
            return isinstance(app.screen, OutlineScreen) or any(
                notification.message.startswith("No headings") for notification in app._notifications)

        await wait_for(pilot, outline_answered, what="the outline from the list")
        if isinstance(app.screen, OutlineScreen):
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, OutlineScreen), what="the outline closed")

        app.document_list.focus()
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: app.screen.__class__.__name__.endswith("CommandPalette"), what="the palette")
        await pilot.press(*"find in the text", "enter")
        await wait_for(pilot, lambda: app.find_bar is not None and app.focused is app.find_bar.input,
                       what="the find bar from the palette")

    run_app(app, scenario)
