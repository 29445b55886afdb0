"""The reading view as a reader: paging and word keys, Escape, the mouse wheel, the
position it reports, Markdown styled in place (with hits and notes at exactly
their offsets on a styled line), and the outline (``t``)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding

from reader.anchoring import AnchorState
from reader.corpus import Document
from reader.notes import Note, NoteKind
from reader.ui.colours import note_style
from reader.ui.outline_screen import OutlineScreen
from reader.ui.reading_view import CURRENT_HIT_STYLE, HIT_STYLE, ReadingView
from tests.ui.conftest import screen_text, wait_for

PARAGRAPH = "Members voted to authorize a strike over rest periods and meal breaks."


def make_document(text: str, rel_path: str = "book.txt") -> Document:
    return Document(
        rel_path=rel_path, path=Path(rel_path), title="A book", text=text,
        content_hash="0" * 64, size=len(text), mtime_ns=0, encoding="utf-8",
    )


def lines(count: int) -> str:
    return "\n".join(f"{number}. {PARAGRAPH}" for number in range(count))


class ReaderOnly(App[None]):
    BINDINGS = [Binding("escape", "app_escape", "escape at the app")]

    def __init__(self) -> None:
        super().__init__()
        self.escapes_at_app = 0
        self.positions: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield ReadingView()

    def action_app_escape(self) -> None:
        self.escapes_at_app += 1

    def on_reading_view_position_changed(self, message: ReadingView.PositionChanged) -> None:
        self.positions.append((message.percent, message.line))


def run(scenario, size: tuple[int, int] = (80, 24)) -> None:
    async def main() -> None:
        app = ReaderOnly()
        async with app.run_test(size=size) as pilot:
            await scenario(app, app.query_one(ReadingView), pilot)

    asyncio.run(main())


def style_at(view: ReadingView, line: Text, index: int) -> Style:
    return line.get_style_at_offset(view.app.console, index)


# -- moving ---------------------------------------------------------------------------


def test_space_and_b_page_down_and_up():
    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(lines(200)), [], [])
        view.focus()
        await pilot.pause()
        page = view.scrollable_content_region.height - 1
        await pilot.press("space")
        assert view.scroll_y == page
        assert view._layout.row_of(view.cursor_offset) == page
        await pilot.press("space")
        assert view.scroll_y == 2 * page
        await pilot.press("b")
        assert view.scroll_y == page
        await pilot.press("b")
        assert view.scroll_y == 0 and view.cursor_offset == 0

    run(scenario)


def test_g_and_shift_g_go_to_the_top_and_the_bottom():
    text = lines(300)

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        view.focus()
        await pilot.press("G")
        await pilot.pause()
        assert view.cursor_offset == len(text)
        assert view.scroll_y == view.max_scroll_y > 0
        assert "299. Members" in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        assert view.cursor_offset == 0 and view.scroll_y == 0
        assert "0. Members" in screen_text(app)

    run(scenario)


def test_ctrl_shift_arrows_select_by_word_and_escape_clears_the_selection():
    text = "Turnaround of ten hours, between shifts."

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        view.focus()
        await pilot.press("ctrl+shift+right")
        assert view.selected_text() == "Turnaround"
        await pilot.press("ctrl+shift+right", "ctrl+shift+right")
        assert view.selected_text() == "Turnaround of ten"
        await pilot.press("ctrl+shift+left")
        assert view.selected_text() == "Turnaround of "
        await pilot.press("escape")
        assert view.selected_span() is None
        assert view.cursor_offset == len("Turnaround of ")  # the cursor stays where it was
        assert app.escapes_at_app == 0  # the reader used the key
        await pilot.press("ctrl+right", "ctrl+right")  # moving by word, no selection
        assert view.cursor_offset == text.index(",") and view.selected_span() is None
        await pilot.press("ctrl+left")
        assert view.cursor_offset == text.index("hours")

    run(scenario)


def test_escape_with_nothing_to_clear_is_left_to_the_screen():
    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document("Just a line."), [], [])
        view.focus()
        await pilot.press("escape")
        assert app.escapes_at_app == 1

    run(scenario)


def test_the_mouse_wheel_scrolls_the_reader():
    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(lines(200)), [], [])
        await pilot.pause()
        assert view.scroll_y == 0
        # The events the terminal driver sends, routed to the widget under the pointer.
        await pilot._post_mouse_events([events.MouseScrollDown], widget=view, offset=(10, 5))
        await pilot._post_mouse_events([events.MouseScrollDown], widget=view, offset=(10, 5))
        await wait_for(pilot, lambda: view.scroll_y > 0, what="scrolled down by the wheel")
        down = view.scroll_y
        await pilot._post_mouse_events([events.MouseScrollUp], widget=view, offset=(10, 5))
        await wait_for(pilot, lambda: view.scroll_y < down, what="scrolled up by the wheel")

    run(scenario)


def test_the_position_is_reported_as_percent_and_line():
    text = lines(400)

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        view.focus()
        await pilot.pause()
        percent, line = view.position
        assert line == 1 and 0 < percent < 15
        await pilot.press("space")
        await pilot.pause()
        top_offset = view._layout.row_starts[round(view.scroll_y)]
        assert view.position[1] == text.count("\n", 0, top_offset) + 1 > 1
        await pilot.press("G")
        await pilot.pause()
        assert view.position[0] == 100
        assert app.positions[-1] == view.position  # what the status line is told

    run(scenario)


# -- Markdown -----------------------------------------------------------------------

MARKDOWN = (
    "# Rest periods\n\n"
    "The union wants **ten hours of rest** and *meal breaks*, see `Article 12` and [the deal](https://x.org).\n\n"
    "[bold]not markup[/bold]\n"
)


def test_markdown_is_styled_in_place_with_the_markers_dimmed():
    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(MARKDOWN, "guide.md"), [], [])
        await pilot.pause()
        assert view.rendered_text() == MARKDOWN  # the text, character for character
        heading = view.row_text(0)
        assert heading.plain == "# Rest periods"
        marker, title = style_at(view, heading, 0), style_at(view, heading, 2)
        assert title.bold and title.underline and not marker.bold
        assert marker.color != title.color
        row = view._layout.row_of(MARKDOWN.index("The union"))
        line = view.row_text(row)
        row_start = view._layout.row_span(row)[0]
        plain_style = style_at(view, line, MARKDOWN.index("union") - row_start)
        for word, check in (("ten hours", lambda s: s.bold), ("meal", lambda s: s.italic),
                            ("the deal", lambda s: s.underline)):
            assert check(style_at(view, line, MARKDOWN.index(word) - row_start)), word
        stars = style_at(view, line, MARKDOWN.index("**") - row_start)
        assert stars.color != plain_style.color and not stars.bold  # dimmed marker
        code = style_at(view, line, MARKDOWN.index("Article") - row_start)
        assert code.color != plain_style.color
        literal = view.row_text(view._layout.row_of(MARKDOWN.index("[bold]")))
        assert literal.plain == "[bold]not markup[/bold]" and not style_at(view, literal, 7).bold
        assert "[bold]not markup[/bold]" in screen_text(app)

    run(scenario, size=(140, 12))


def test_a_plain_text_document_is_not_styled():
    text = "A letter with one *star* and a list:\n- one\n- two\n"

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        await pilot.pause()
        assert view.markdown is None
        assert [(span.start, span.end) for span in view.row_text(0).spans] == [(0, 1)]  # the cursor only
        assert view.row_text(1).spans == [] and view.row_text(2).spans == []

    run(scenario)


def test_hits_and_notes_keep_their_exact_offsets_on_a_styled_line():
    text = "Intro line.\n\nWe demand **rest periods now** for all crews.\n"
    hit_start = text.index("periods")
    hit = (hit_start, hit_start + len("periods"))
    note_start = text.index("**rest")  # from the marker into the bold text
    note = Note(
        id="n1", collection="c", doc_path="book.md", doc_hash="0" * 64, quote=text[note_start:note_start + 8],
        prefix="", suffix="", start=note_start, end=note_start + 8, body="", state=AnchorState.OK,
        created="", updated="", version=1, kind=NoteKind.PASSAGE, colour="green",
    )

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text, "book.md"), [hit], [note])
        await pilot.pause()
        row = view._layout.row_of(hit_start)
        row_start = view._layout.row_span(row)[0]
        line = view.row_text(row)
        hit_bg = HIT_STYLE.bgcolor
        lit = [index + row_start for index in range(len(line.plain))
               if style_at(view, line, index).bgcolor == hit_bg]
        assert lit == list(range(*hit))  # exactly "periods", inside the bold
        assert all(style_at(view, line, offset - row_start).bold for offset in lit)  # still bold under the hit
        note_bg = note_style("green").bgcolor
        tinted = [index + row_start for index in range(len(line.plain))
                  if style_at(view, line, index).bgcolor == note_bg]
        # The note's span as saved, marker included, up to where the hit is drawn over it.
        assert tinted == list(range(note_start, hit_start)) and hit_start < note_start + 8
        await pilot.press("n")
        assert view.cursor_offset == hit_start and CURRENT_HIT_STYLE in view.styles_at(hit_start)
        await pilot.press("shift+right", "shift+right")
        assert view.selected_text() == "pe"

    run(scenario, size=(120, 10))


def test_text_that_looks_like_markdown_is_styled():
    text = "Do they have *our* interests in mind? We call this the **class union.**\n"

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text, "leaflet.txt"), [], [])
        await pilot.pause()
        line = view.row_text(0)
        assert style_at(view, line, text.index("our")).italic
        assert style_at(view, line, text.index("class")).bold
        assert view.rendered_text() == text

    run(scenario)


# -- outline --------------------------------------------------------------------------


def sections(count: int) -> str:
    return "".join(f"## Article {number}: Wages and hours\n\n{lines(30)}\n\n" for number in range(1, count + 1))


def test_outline_lists_headings_filters_and_enter_jumps_there():
    text = "# The agreement\n\n" + sections(12)

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text, "agreement.md"), [], [])
        view.focus()
        await pilot.pause()
        assert str(view.border_subtitle) == "The agreement"
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, OutlineScreen), what="the outline")
        outline = app.screen
        assert [heading.title for heading in outline.shown][:3] == [
            "The agreement", "Article 1: Wages and hours", "Article 2: Wages and hours",
        ]
        assert len(outline.shown) == 13
        await pilot.press(*"article 1")
        await wait_for(pilot, lambda: len(outline.shown) == 4, what="filtered to 1, 10, 11, 12")
        await pilot.press("down", "enter")  # "Article 10"
        await wait_for(pilot, lambda: not isinstance(app.screen, OutlineScreen), what="the outline closed")
        target = text.index("## Article 10:")
        assert view.cursor_offset == target
        assert view._layout.row_starts[round(view.scroll_y)] == target  # at the top of the screen
        await pilot.pause()
        assert str(view.border_subtitle) == "Article 10: Wages and hours"
        await pilot.press("b")
        await pilot.pause()
        assert str(view.border_subtitle) == "Article 9: Wages and hours"  # the section the top is in
        await pilot.press("t")  # opens on the section being read
        await wait_for(pilot, lambda: isinstance(app.screen, OutlineScreen), what="the outline again")
        await pilot.pause()
        outline = app.screen
        assert outline.shown[outline.option_list.highlighted].title == "Article 9: Wages and hours"

    run(scenario)


def test_outline_escape_closes_without_moving_and_a_plain_text_outline():
    text = "GENERAL PROVISIONS\n\n" + lines(60) + "\n\nARTICLE 2 WAGES\n\n" + lines(60)

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text), [], [])
        view.focus()
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, OutlineScreen), what="the outline")
        assert [heading.title for heading in app.screen.shown] == ["GENERAL PROVISIONS", "ARTICLE 2 WAGES"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, OutlineScreen), what="the outline closed")
        assert view.cursor_offset == 0 and view.scroll_y == 0

    run(scenario)


def test_outline_of_a_document_without_headings_says_so():
    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(lines(5)), [], [])
        view.focus()
        await pilot.press("t")
        await wait_for(pilot, lambda: any("No headings" in str(n.message) for n in app._notifications),
                       what="the no-headings message")
        assert not isinstance(app.screen, OutlineScreen)

    run(scenario)


def test_outline_at_80x24_shows_the_filter_and_headings():
    text = sections(40)

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text, "a.md"), [], [])
        view.focus()
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, OutlineScreen), what="the outline")
        await pilot.pause()
        shown = screen_text(app)
        assert "Outline: A book" in shown and "Article 1: Wages and hours" in shown
        assert len(re.findall(r"Article \d+: Wages", shown)) >= 15  # most of the screen is the list

    run(scenario, size=(80, 24))


# -- find, in the view ----------------------------------------------------------------


def test_a_find_stays_on_for_the_next_document_and_ignores_case_at_exact_offsets():
    first = "Strike! The STRIKE vote, a strike."
    second = "İstanbul crews: no strike here, but a Strike there."  # İ lower-cases to two characters

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(first), [], [])
        view.focus()
        view.find("strike")
        await wait_for(pilot, lambda: len(view.find_spans) == 3, what="three matches")
        assert [first[start:end] for start, end in view.find_spans] == ["Strike", "STRIKE", "strike"]
        view.show_document(make_document(second, "other.txt"), [], [])
        expected = [(second.index("strike"), second.index("strike") + 6),
                    (second.index("Strike"), second.index("Strike") + 6)]
        await wait_for(pilot, lambda: view.find_spans == expected, what="the matches in the next document")
        await pilot.press("n")
        assert view.current_match == 1 and view.cursor_offset == expected[1][0]
        await pilot.press("escape")  # no selection: ends the find
        assert view.find_query is None and view.find_spans == []
        assert app.escapes_at_app == 0

    run(scenario)


def test_a_long_outline_lists_the_first_thousand_and_says_how_many_more():
    from reader.ui.outline_screen import MAX_SHOWN, MORE_ID

    text = "".join(f"# Heading {number}\n\nText.\n\n" for number in range(MAX_SHOWN + 250))

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document(text, "long.md"), [], [])
        view.focus()
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, OutlineScreen), what="the outline")
        outline = app.screen
        assert len(outline.shown) == MAX_SHOWN
        last = outline.option_list.get_option_at_index(outline.option_list.option_count - 1)
        assert last.id == MORE_ID and "250 more" in str(last.prompt)
        await pilot.press(*"heading 1249")
        await wait_for(pilot, lambda: [h.title for h in outline.shown] == ["Heading 1249"], what="narrowed")
        assert outline.option_list.option_count == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.cursor_offset == text.index("# Heading 1249"), what="the jump")

    run(scenario)


def test_the_border_heading_goes_with_its_document():
    """The next document, which has no headings, does not show the last one's."""

    async def scenario(app, view: ReadingView, pilot) -> None:
        view.show_document(make_document("# The agreement\n\n" + sections(2), "agreement.md"), [], [])
        await pilot.pause()
        assert str(view.border_subtitle) == "The agreement"
        view.show_document(make_document("Members voted yes on Friday.\nThe rule holds.\n", "news.txt"), [], [])
        await pilot.pause()
        assert str(view.border_subtitle) == ""

    run(scenario)
