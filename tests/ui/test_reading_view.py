"""The reading view on its own: a big document laid out only as far as needed,
hits far away, mouse and keyboard selection, copy, re-wrapping on resize, and
document text drawn as data."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App, ComposeResult

from reader.corpus import Document
from reader.ui.reading_view import CURRENT_HIT_STYLE, FIRST_SCREENS_CHARS, ReadingView
from tests.ui.conftest import screen_text

PARAGRAPH = (
    "The members voted to authorize a strike if the producers do not agree to "
    "reasonable rest periods, meal breaks and a living wage for the lowest paid. "
)


def make_document(text: str) -> Document:
    return Document(
        rel_path="book.txt", path=Path("book.txt"), title="A book", text=text,
        content_hash="0" * 64, size=len(text), mtime_ns=0, encoding="utf-8",
    )


def book(paragraphs: int = 12_000) -> str:
    """About 2 MB: numbered paragraphs that wrap, and a last line to look for."""
    body = "".join(f"{number}. {PARAGRAPH}\n\n" for number in range(paragraphs))
    return body + "THE LAST LINE"


class ReaderOnly(App[None]):
    def compose(self) -> ComposeResult:
        yield ReadingView()


def run(scenario, size: tuple[int, int] = (80, 24)) -> None:
    async def main() -> None:
        app = ReaderOnly()
        async with app.run_test(size=size) as pilot:
            await scenario(app, app.query_one(ReadingView), pilot)

    asyncio.run(main())


def test_a_big_document_is_laid_out_only_as_far_as_the_reader_goes():
    text = book()

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        view.focus()
        await pilot.pause()
        assert "0. The members voted" in screen_text(app)
        assert view._layout.length < 2 * FIRST_SCREENS_CHARS < len(text)
        rows_estimated = view.virtual_size.height
        await pilot.press("pagedown", "pagedown")
        assert view.scroll_y > 0
        assert not view._layout.complete

        await pilot.press("end")
        await pilot.pause()
        assert view.cursor_offset == len(text)
        assert view._layout.complete
        assert view.virtual_size.height == view._layout.row_count
        assert abs(view._layout.row_count - rows_estimated) / view._layout.row_count < 0.05
        assert "THE LAST LINE" in screen_text(app)

        await pilot.press("home")
        await pilot.pause()
        assert view.cursor_offset == 0 and view.scroll_y == 0

    run(scenario)


def test_n_goes_to_a_hit_far_beyond_what_is_laid_out():
    text = book()
    far = text.index("11990. The members")
    hits = [(text.index("strike"), text.index("strike") + 6), (far, far + 5)]

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), hits, [])
        view.focus()
        await pilot.press("n", "n")
        await pilot.pause()
        assert view.current_hit == 1
        assert view.cursor_offset == far
        assert CURRENT_HIT_STYLE in view.styles_at(far)
        assert "11990. The members" in screen_text(app)

    run(scenario)


def test_mouse_drag_selects_the_characters_under_the_pointer():
    text = "alpha beta gamma delta\nsecond line of the text\nthird"

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        await pilot.pause()
        # padding 0 1: the text starts one cell in, on the first row
        await pilot.mouse_down(view, offset=(1 + 6, 0))
        await pilot.hover(view, offset=(1 + 6, 1))
        await pilot.mouse_up(view, offset=(1 + 6, 1))
        await pilot.pause()
        start = text.index("beta")
        end = text.index("\n") + 1 + 6
        assert view.selected_span() == (start, end)
        assert view.selected_text() == "beta gamma delta\nsecond"
        # the selected line break shows as one selected cell after "delta"
        first_row = view.row_text(0)
        assert first_row.plain == "alpha beta gamma delta "
        selection_style = view.get_component_rich_style("reading-view--selection")
        assert first_row.spans[-1].style == selection_style and first_row.spans[-1].end == len(first_row.plain)

    run(scenario)


def test_keyboard_selection_is_copied_with_y():
    text = "Turnaround of ten hours between shifts."

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        view.focus()
        await pilot.press(*["shift+right"] * 10)
        assert view.selected_span() == (0, 10)
        await pilot.press("y")
        assert app.clipboard == "Turnaround"
        await pilot.press("right")  # collapses the selection at its end
        assert view.selected_span() is None and view.cursor_offset == 10

    run(scenario)


def test_down_keeps_the_column_across_a_short_line():
    text = "a long first line here\nab\nanother long line here"

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        view.focus()
        await pilot.press(*["right"] * 10, "down")
        assert view.cursor_offset == text.index("ab") + 2  # the end of the short line
        await pilot.press("down")
        assert view.cursor_offset == text.index("another") + 10  # the column again

    run(scenario)


def test_a_resize_rewraps_and_keeps_the_same_text_at_the_top():
    text = book(400)

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        view.focus()
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        top_before = view._layout.row_starts[round(view.scroll_y)]
        width_before = view._layout.width
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        assert view._layout.width < width_before
        top_row = round(view.scroll_y)
        start, end = view._layout.row_span(top_row)
        assert start <= top_before <= end
        assert all(len(view.row_text(row).plain) <= view._layout.width for row in range(top_row, top_row + 20))

    run(scenario)


def test_markup_escapes_and_wide_characters_are_drawn_as_data():
    text = "[bold]not bold[/bold] [anvplayer video=”5063786″] \u241b[31m 組合\tend"

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        await pilot.pause()
        shown = screen_text(app)
        assert "[bold]not bold[/bold]" in shown
        assert "[anvplayer video=”5063786″]" in shown
        assert "\u241b[31m" in shown
        assert "組合" in shown
        rendered = view.rendered_text()
        assert "\t" not in rendered  # expanded to spaces, never sent to the terminal
        assert rendered.split() == text.split()

    run(scenario, size=(120, 10))
