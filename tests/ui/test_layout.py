"""The layout that serves the text, the keys that fold it, what is remembered across
runs, and the config file (Pilot, headless)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Footer, Header

from reader.config import Config
from reader.reading_state import DAMAGED_FILE_NAME
from reader.ui.keymap import load_app_config
from reader.ui.notes_panel import NO_DOCUMENT_HELP
from reader.ui.pane_layout import LIST_MIN, NOTES_MIN, READER_MIN

from .conftest import make_app, open_doc, screen_text, search, select_text, wait_for, wait_ready, write_note

TURNAROUND_DOC = "004_d8284c93e39c396c.txt"
LONG_DOC = "001_525fc1980ab55192.txt"
SIZES = [(80, 24), (100, 30), (140, 45), (200, 60)]


def run_at(app, size: tuple[int, int], scenario) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await scenario(pilot)

    asyncio.run(main())


def notified(app, text: str) -> bool:
    return any(text in str(notification.message) for notification in app._notifications)


def shown_width(widget) -> int:
    """Columns *widget* takes on screen (0 if hidden)."""
    return widget.outer_size.width if widget.display else 0


def assert_nothing_cut(app, width: int) -> None:
    """The docked panes tile the terminal's width; every row of text fits its view."""
    reader, document_list, notes = app.reader, app.document_list, app.notes_panel
    docked = [pane for pane in (document_list, reader, notes) if pane.display and not pane.has_class("-overlay")]
    assert sum(pane.outer_size.width for pane in docked) == width
    for pane in docked:
        assert pane.region.x >= 0 and pane.region.right <= width, pane
    text_width = reader.scrollable_content_region.width
    for row in range(min(reader._layout.row_count, 200)):
        assert reader.row_text(row, marks=False).cell_len <= text_width, row


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_reading_view_gets_its_promised_width(data_dir, size):
    width, height = size
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, LONG_DOC)
        await pilot.pause()
        reader = app.reader
        assert shown_width(reader) >= READER_MIN
        text_width = reader.scrollable_content_region.width
        assert text_width <= 100  # the default measure: no 190-character lines
        if width >= 140:
            assert 0.58 <= shown_width(reader) / width <= 0.7  # about two thirds
            assert text_width == 100 or shown_width(reader) < 105
        for pane, minimum in ((app.document_list, LIST_MIN), (app.notes_panel, NOTES_MIN)):
            assert shown_width(pane) == 0 or shown_width(pane) >= minimum  # never a sliver
        if width == 80:  # both panes folded: the text has the screen
            assert (shown_width(app.document_list), shown_width(app.notes_panel)) == (0, 0)
            assert shown_width(reader) == 80
        if width == 200:
            assert app.document_list.display and app.notes_panel.display
        assert_nothing_cut(app, width)

    run_at(app, size, scenario)


def test_brackets_fold_and_unfold_the_docked_panes_on_a_wide_terminal(data_dir):
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, LONG_DOC)
        reader = app.reader
        both = shown_width(reader)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: not app.document_list.display, what="list folded")
        assert shown_width(reader) > both
        assert app.focused is reader
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: not app.notes_panel.display, what="notes folded")
        await pilot.pause()
        assert shown_width(reader) == 200
        assert reader.scrollable_content_region.width == 100  # still the measure, centred
        assert_nothing_cut(app, 200)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.document_list.display and app.focused is app.document_list,
                       what="list back, with focus")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.notes_panel.display, what="notes back")
        await pilot.pause()
        assert shown_width(reader) == both
        assert_nothing_cut(app, 200)

    run_at(app, (200, 60), scenario)


def test_at_80_columns_folded_panes_show_over_the_text_and_leave_it_alone(data_dir):
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, LONG_DOC)
        reader = app.reader
        assert not app.document_list.display and not app.notes_panel.display
        rows_before = reader._layout.row_starts[:40]
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.document_list.display and app.focused is app.document_list,
                       what="the list as an overlay")
        assert app.document_list.has_class("-overlay")
        assert shown_width(app.document_list) >= LIST_MIN
        assert shown_width(reader) == 80 and reader._layout.row_starts[:40] == rows_before  # not re-wrapped
        assert "Documents (5)" in screen_text(app)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: not app.document_list.display and app.focused is reader, what="list gone")

        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.notes_panel.display and app.focused is app.notes_panel,
                       what="the notes as an overlay")
        assert app.notes_panel.has_class("-overlay") and shown_width(app.notes_panel) >= NOTES_MIN
        assert app.notes_panel.region.right == 80
        await pilot.press("tab")  # focus leaves the overlay: it folds away again
        await wait_for(pilot, lambda: not app.notes_panel.display, what="notes folded on blur")

        await pilot.press("slash")  # the list comes back over the text with its results
        await pilot.press(*"strike", "enter")
        await wait_for(pilot, lambda: app.document_list.showing_results and app.document_list.display
                       and app.focused is app.document_list, what="results over the text")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.focused is reader and not app.document_list.display, what="reading again")

    run_at(app, (80, 24), scenario)


def test_z_is_focus_mode_until_z_or_escape(data_dir):
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, LONG_DOC)
        chrome = [app.query_one(Header), app.query_one(Footer), app.search_bar, app.document_list, app.notes_panel]
        assert all(widget.display for widget in chrome)
        for leave in ("z", "escape"):
            await pilot.press("z")
            await wait_for(pilot, lambda: app.screen.has_class("-focus-mode"), what="focus mode")
            await pilot.pause()
            assert not any(widget.display and widget.region.width for widget in chrome)
            assert shown_width(app.reader) == 140 and app.focused is app.reader
            assert app.reader.scrollable_content_region.width == 100
            await pilot.press(leave)
            await wait_for(pilot, lambda: not app.screen.has_class("-focus-mode"), what=f"{leave} leaves it")
            await pilot.pause()
            assert all(widget.display for widget in chrome)
        await pilot.press("z", "slash")  # `/` needs the search bar: out of focus mode
        await wait_for(pilot, lambda: app.focused is app.search_bar and app.search_bar.display, what="search")
        await pilot.press("escape")  # in the search bar Escape clears the search, as before
        assert not app.pane_choices.focus_mode

    run_at(app, (140, 45), scenario)


def test_a_tiny_terminal_gets_one_line_instead_of_a_broken_screen(data_dir):
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, LONG_DOC)
        await pilot.press("ctrl+f", *"union")  # a find bar on screen too
        await wait_for(pilot, lambda: app.find_bar is not None and app.find_bar.shown and app.find_bar.region.height,
                       what="the find bar")
        for size in ((39, 20), (60, 9), (30, 6)):
            await pilot.resize_terminal(*size)
            await wait_for(pilot, lambda: app.too_small_label.display and app.too_small_label.region.height == 1,
                           what=f"the message at {size}")
            await pilot.pause()
            assert not app.reader.region.width and not app.search_bar.region.width
            assert not app.find_bar.region.height
            lines = [line for line in screen_text(app).splitlines() if line.strip()]
            assert any("Too small" in line and "40×10" in line for line in lines), lines
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not app.too_small_label.display and app.reader.region.width == 80,
                       what="back to the text")
        assert app.reader.open_document.rel_path == LONG_DOC
        await wait_for(pilot, lambda: app.find_bar.region.height == 1 and app.focused is app.find_bar.query_one("Input"),
                       what="the find bar back, with the focus it had")
        await pilot.press("escape")  # the find ends: its bar hides by its own CSS again
        await wait_for(pilot, lambda: not app.find_bar.shown and not app.find_bar.region.height, what="find closed")


    run_at(app, (80, 24), scenario)


def test_no_document_open_welcomes_and_says_so_in_the_notes_panel(data_dir):
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        text = screen_text(app)
        assert "Welcome to iatse-reader." in text
        assert "focus mode" in text and "fold list / notes" in text
        assert "No document is open." in text and NO_DOCUMENT_HELP.startswith("No document is open.")
        assert "No notes on this document yet" not in text

    run_at(app, (200, 60), scenario)


# -- remembered across runs ---------------------------------------------------------------


def test_the_last_document_reopens_where_it_was_left(data_dir):
    first = make_app(data_dir)
    left_at: dict[str, int] = {}

    async def read_a_page_on(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, LONG_DOC)
        await pilot.press("pagedown", "pagedown", "down")
        await pilot.pause()
        cursor, top, progress = first.reader.reading_position()
        assert top > 0 and 0 < progress < 1
        left_at.update(cursor=cursor, top=top)
        await pilot.press("q")

    run_at(first, (80, 24), read_a_page_on)
    state = json.loads((data_dir / "reading-state.json").read_text(encoding="utf-8"))
    assert state["collections"]["bundled"]["last_document"] == LONG_DOC

    second = make_app(data_dir)

    async def relaunch(pilot):
        await wait_for(pilot, lambda: second.reader.open_document is not None, what="the last document reopened")
        await pilot.pause()
        reader = second.reader
        assert reader.open_document.rel_path == LONG_DOC
        cursor, top, _progress = reader.reading_position()
        assert (cursor, top) == (left_at["cursor"], left_at["top"])
        assert second.focused is reader

    run_at(second, (80, 24), relaunch)


def test_every_document_remembers_its_place_and_the_list_shows_how_far(data_dir):
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, LONG_DOC)
        await select_text(pilot, "solidarity")
        await write_note(pilot, "a note to count")
        await pilot.press("end")
        await pilot.pause()
        end_top = app.reader.reading_position()[1]
        await open_doc(pilot, TURNAROUND_DOC)  # leaving the first one records its place
        assert app.document_list.progress[LONG_DOC] == 1.0
        await wait_for(pilot, lambda: "✎1 100%" in screen_text(app), what="notes and 100% beside its title")
        await open_doc(pilot, LONG_DOC)
        await pilot.pause()
        assert app.reader.reading_position()[1] == end_top  # back where it was

    run_at(app, (200, 60), scenario)


def test_sort_order_query_theme_and_panes_are_restored(data_dir):
    first = make_app(data_dir)

    async def choose(pilot):
        await wait_ready(pilot)
        first.document_list.focus()
        await pilot.press("s")  # by title
        await search(pilot, "strike")
        first.theme = "nord"
        await pilot.press("right_square_bracket")  # fold the notes panel
        await wait_for(pilot, lambda: not first.notes_panel.display, what="notes folded")

    run_at(first, (200, 60), choose)

    second = make_app(data_dir)

    async def relaunch(pilot):
        await wait_for(pilot, lambda: second.document_list.showing_results, what="the last query's results")
        await pilot.pause()
        assert second.search_bar.value == "strike"
        assert second.query_text == "strike"
        assert second.document_list.sort_order == "title"
        assert second.theme == "nord"
        assert not second.notes_panel.display and not second.pane_choices.notes_open

    run_at(second, (200, 60), relaunch)


def test_a_damaged_state_file_is_set_aside_with_a_message(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "reading-state.json").write_text('{"version": 1, "collections": {"bundled": ', encoding="utf-8")
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await wait_for(pilot, lambda: notified(app, "could not be read"), what="the message")
        assert app.reader.open_document is None
        assert (data_dir / DAMAGED_FILE_NAME).exists()
        await open_doc(pilot, LONG_DOC)  # and reading goes on
        await pilot.press("q")

    run_at(app, (80, 24), scenario)
    state = json.loads((data_dir / "reading-state.json").read_text(encoding="utf-8"))
    assert state["collections"]["bundled"]["last_document"] == LONG_DOC


# -- config ---------------------------------------------------------------------------------


def test_the_config_rebinds_keys_and_sets_the_measure(data_dir, tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text('[keys]\n"reader.next_hit" = "j"\n"app.focus_mode" = "f6"\n[reading]\nmeasure = 64\n',
                           encoding="utf-8")
    config = load_app_config(config_file)
    assert config.problem is None
    app = make_app(data_dir, config=config)

    async def scenario(pilot):
        await wait_ready(pilot)
        await search(pilot, "turnaround")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.open_document is not None, what="open")
        await pilot.press("n")  # no longer bound
        await pilot.pause()
        assert app.reader.current_hit is None
        await pilot.press("j")
        await wait_for(pilot, lambda: app.status.hits_text == "hit 1 of 1", what="j walks the hits")
        assert app.reader.scrollable_content_region.width == 64
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.pane_choices.focus_mode, what="f6: focus mode")
        assert app.reader.scrollable_content_region.width == 64

    run_at(app, (200, 60), scenario)


def test_a_bad_config_file_gets_one_line_and_the_defaults(data_dir, tmp_path, monkeypatch):
    config_file = tmp_path / "config.toml"
    config_file.write_text("[keys\n= broken", encoding="utf-8")
    monkeypatch.setenv("IATSE_READER_CONFIG", str(config_file))
    app = make_app(data_dir, config=load_app_config(None))  # found through the environment

    async def scenario(pilot):
        await wait_ready(pilot)
        await wait_for(pilot, lambda: notified(app, "is not valid TOML"), what="the message")
        assert app.config.measure == 100 and app.config.keymap == {}
        await open_doc(pilot, LONG_DOC)
        assert app.reader.scrollable_content_region.width == 100

    run_at(app, (200, 60), scenario)


def test_the_palette_offers_the_view_commands(data_dir):
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, LONG_DOC)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"focus mode")
        await wait_for(pilot, lambda: "View: focus" in screen_text(app), what="the entry")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.pane_choices.focus_mode and not isinstance(app.screen, CommandPalette),
                       what="focus mode from the palette")

    run_at(app, (140, 45), scenario)


def test_every_binding_has_an_id():
    from reader.ui.keymap import our_bindings

    bindings = our_bindings()
    assert len(bindings) > 40
    missing = [binding for binding in bindings if not binding.id]
    assert missing == []
    ids = [binding.id for binding in bindings]
    assert len(ids) == len(set(ids))


def test_config_default_is_used_by_make_app(data_dir):
    assert make_app(data_dir).config == Config()


def test_the_last_document_is_reopened_only_after_the_list_is_painted(data_dir):
    from reader.reading_state import ReadingState
    from reader.ui.messages import DocumentLoaded, DocumentsListed

    state = ReadingState.load(data_dir / "reading-state.json")
    collection = state.collection("bundled")
    collection.remember(LONG_DOC, cursor=10, top=0, progress=0.1)
    collection.last_document = LONG_DOC
    assert state.save()
    app = make_app(data_dir)
    calls: list[tuple[str, int, bool]] = []
    original = app.open_document

    def spy(rel_path: str) -> None:
        calls.append((rel_path, app.document_list.row_count, app._background_started))
        original(rel_path)

    app.open_document = spy  # type: ignore[method-assign]
    seen: list[object] = []

    async def main() -> None:
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await wait_for(pilot, lambda: app.reader.open_document is not None, what="reopened")
            await pilot.pause()
            assert app.reader.cursor_offset == 10

    asyncio.run(main())
    # Called once, from the work that starts after the first list was painted.
    assert calls == [(LONG_DOC, 5, True)]
    kinds = [type(message) for message in seen if isinstance(message, (DocumentsListed, DocumentLoaded))]
    assert issubclass(kinds[0], DocumentsListed) and DocumentLoaded in kinds


def test_a_widget_blurred_after_its_dialog_closed_is_no_crash(data_dir):
    """The note editor's text area can blur after its screen was dismissed (typing
    fast, then ctrl+s): it has no screen then, which must not take the app down."""
    from textual import events
    from textual.widgets import TextArea

    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        orphan = TextArea()  # never mounted: asking for its screen raises NoScreen
        app.on_descendant_blur(events.DescendantBlur(orphan))
        app.on_descendant_focus(events.DescendantFocus(orphan))
        await pilot.pause()
        assert app.is_running

    run_at(app, (80, 24), scenario)


def test_the_reopened_document_does_not_take_the_keys_of_a_query_typed_meanwhile(data_dir):
    """Start, press / and type while the last document is still being reopened:
    when it arrives it is shown, but focus stays in the search bar, so the rest of
    the query is not taken as reader keys (t, u, a, n …)."""
    import threading

    from reader.reading_state import ReadingState

    state = ReadingState.load(data_dir / "reading-state.json")
    collection = state.collection("bundled")
    collection.remember(LONG_DOC, cursor=10, top=0, progress=0.1)
    collection.last_document = LONG_DOC
    assert state.save()
    app = make_app(data_dir)
    release = threading.Event()
    asked = threading.Event()
    original_read = app.workspace.read

    def held_read(rel_path: str):
        if rel_path == LONG_DOC and not release.is_set():
            asked.set()
            release.wait(30)
        return original_read(rel_path)

    app.workspace.read = held_read  # type: ignore[method-assign]

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, asked.is_set, what="the last document being reopened")
            await pilot.press("slash", *"tur")
            release.set()
            await wait_for(pilot, lambda: app.reader.open_document is not None, what="reopened")
            await pilot.press(*"naround")
            await pilot.pause()
            assert app.focused is app.search_bar
            assert app.search_bar.value == "turnaround"
            assert app.reader.open_document.rel_path == LONG_DOC

    asyncio.run(main())


def test_the_restored_querys_results_keep_the_cursor_of_a_user_who_moved_meanwhile(data_dir):
    """The last query is searched again once the index is ready; a user already
    moving down the list of documents keeps their document under the cursor."""
    import threading

    first = make_app(data_dir)

    async def choose(pilot):
        await wait_ready(pilot)
        await search(pilot, "strike")
        await pilot.press("q")

    run_at(first, (120, 40), choose)

    second = make_app(data_dir)
    release = threading.Event()
    index = second.workspace.index
    original = index.search

    def held_search(*args, **kwargs):  # the restored search waits until the user has moved
        release.wait(10)
        return original(*args, **kwargs)

    index.search = held_search

    async def relaunch(pilot):
        listing = second.document_list
        await wait_for(pilot, lambda: second.index_ready and listing.row_count == 5 and not listing.showing_results,
                       what="the documents listed, the results still coming")
        listing.focus()
        await pilot.press("end")
        await wait_for(pilot, lambda: listing.cursor_row == 4, what="the cursor on the last document")
        chosen = listing.selected_rel_path
        release.set()
        await wait_for(pilot, lambda: listing.showing_results, what="the restored query's results")
        assert second.query_text == "strike"
        assert chosen in listing.rel_paths  # all five documents mention the strike
        assert listing.selected_rel_path == chosen and listing.cursor_row == listing.rel_paths.index(chosen)

    run_at(second, (120, 40), relaunch)
