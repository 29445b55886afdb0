"""Pages in the TUI: the status line's "p. 57 / 311", ctrl+g and the palette's
"Go to page…" (good and bad input), a note's page in the panel and the hits'
pages in the results list, on a form-feed text the tests write."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from reader.ui.go_to_page_dialog import GoToPageDialog
from tests.paginated import PAGES, paginated_text

from .conftest import make_app, open_doc, screen_text, search, select_text, wait_for, wait_ready, write_note


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "contract.txt").write_text(paginated_text(), encoding="utf-8")
    (root / "plain.txt").write_text("A plain text without pages.\nMembers shall have rest periods.\n",
                                    encoding="utf-8")
    return root


def run_sized(app, scenario, size: tuple[int, int] = (140, 45)) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await scenario(pilot)

    asyncio.run(main())


async def page_shown(pilot, text: str) -> None:
    await wait_for(pilot, lambda: pilot.app.status.page_text == text, what=f"status page {text!r}")


async def open_dialog(pilot) -> GoToPageDialog:
    await pilot.press("ctrl+g")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, GoToPageDialog), what="the go-to-page dialog")
    return pilot.app.screen


def test_status_line_shows_the_page_and_follows_the_reader(docs, data_dir):
    app = make_app(data_dir, docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "contract.txt")
        await page_shown(pilot, f"p. 1 / {PAGES}")
        assert f"p. 1 / {PAGES}" in screen_text(app)
        reader = app.reader
        reader.focus()
        await pilot.press("pagedown", "pagedown")
        expected = reader.open_document.page_at(reader.cursor_offset)
        assert expected > 1  # two screens: past the lines of page 1
        await page_shown(pilot, f"p. {expected} / {PAGES}")
        await pilot.press("end")
        await page_shown(pilot, f"p. {PAGES} / {PAGES}")
        # Scrolled away from the cursor (mouse wheel): the page at the top of the screen.
        reader.scroll_to(y=0, animate=False, immediate=True)
        await page_shown(pilot, f"p. 1 / {PAGES}")

        await open_doc(pilot, "plain.txt")  # no pages: nothing shown
        await page_shown(pilot, "")

    run_sized(app, scenario)


def test_search_across_a_page_break_lights_the_hit_and_shows_its_page(docs, data_dir):
    app = make_app(data_dir, docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await search(pilot, '"rest periods"')
        hit = next(hit for hit in app.document_list._ordered if hit.rel_path == "contract.txt")
        assert hit.pages == [4]
        entry = app.document_list.entry(app.document_list.rel_paths.index("contract.txt"))
        assert entry.detail_lead.plain == "p. 4 · "
        # On screen, before the snippet, though the snippet is cut to keep the hit in view.
        assert "p. 4 · …" in screen_text(app)
        plain = app.document_list.entry(app.document_list.rel_paths.index("plain.txt"))
        assert plain.detail_lead is None
        app.document_list.move_cursor(app.document_list.rel_paths.index("contract.txt"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.open_document is not None
                       and app.reader.open_document.rel_path == "contract.txt", what="the document")
        reader = app.reader
        ((start, end),) = reader.hit_spans
        assert reader.text[start:end] == "rest\n\nperiods"  # the page break is a newline (the ␌ is gone)
        assert reader.styles_at(start) and reader.styles_at(end - 1)  # lit on both pages
        await page_shown(pilot, f"p. 4 / {PAGES}")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.status.hits_text == "hit 1 of 1")
        assert app.status.page_text == f"p. 4 / {PAGES}"

    run_sized(app, scenario)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_ctrl_g_goes_to_the_page(docs, data_dir, size):
    app = make_app(data_dir, docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "contract.txt")
        app.reader.focus()
        dialog = await open_dialog(pilot)
        assert f"1–{PAGES} (now on p. 1)" in screen_text(app)  # the dialog fits the screen
        await pilot.press("7", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, GoToPageDialog), what="the dialog to close")
        assert dialog.error == ""
        reader = app.reader
        assert reader.cursor_offset == reader.open_document.pages[6]
        assert reader.scroll_y == reader._layout.row_of(reader.cursor_offset)  # that line on top
        assert app.focused is reader
        await page_shown(pilot, f"p. 7 / {PAGES}")
        assert reader.row_text(round(reader.scroll_y), marks=False).plain == "Page 7 of the agreement."
        assert f"p. 7 / {PAGES}" in screen_text(app)
        if size[0] >= 140:  # at 80x24 the side panes leave the reader no columns (the layout work, issue 10)
            assert "Page 7 of the agreement." in screen_text(app)

    run_sized(app, scenario, size)


def test_ctrl_g_bad_input_gets_one_line_and_loses_nothing(docs, data_dir):
    app = make_app(data_dir, docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "contract.txt")
        reader = app.reader
        reader.focus()
        dialog = await open_dialog(pilot)
        for typed, message in [
            ("abc", f"“abc” is not a page number: type 1–{PAGES}."),
            ("99", f"No page 99: this document has pages 1–{PAGES}."),
            ("", f"Type a page number, 1–{PAGES}."),
        ]:
            dialog.query_one("#page-input").value = typed
            await pilot.press("enter")
            await wait_for(pilot, lambda: dialog.error == message, what=message)
            assert app.screen is dialog  # still open, to correct
            assert "\n" not in dialog.error and message in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not dialog, what="the dialog to close")
        assert reader.cursor_offset == 0  # nowhere
        assert app.status.page_text == f"p. 1 / {PAGES}"
        assert app.is_running

        await open_doc(pilot, "plain.txt")
        reader.focus()
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: any("has no pages" in n.message for n in app._notifications),
                       what="the no-pages message")
        assert not isinstance(app.screen, GoToPageDialog)

    run_sized(app, scenario, (80, 24))


def test_palette_go_to_page(docs, data_dir):
    app = make_app(data_dir, docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "contract.txt")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Go to page")
        await wait_for(pilot, lambda: "Go to page…" in str(
            app.screen.query_one(CommandList).get_option_at_index(0).prompt), what="the command listed")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, GoToPageDialog), what="the dialog")
        await pilot.press("1", "2", "enter")
        await page_shown(pilot, f"p. 12 / {PAGES}")
        assert app.reader.cursor_offset == app.reader.open_document.pages[11]

    run_sized(app, scenario)


def test_notes_panel_shows_the_page(docs, data_dir):
    app = make_app(data_dir, docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "contract.txt")
        await select_text(pilot, "Clause 9.3")
        await write_note(pilot, "ninth")
        await select_text(pilot, "rest\n\nperiods")
        await write_note(pilot, "across")
        await wait_for(pilot, lambda: "p. 9 “Clause 9.3”" in screen_text(app), what="p. 9 in the panel")
        assert "pp. 4–5 “rest periods”" in screen_text(app)

        await open_doc(pilot, "plain.txt")  # a document without pages: no page
        await select_text(pilot, "rest periods")
        await write_note(pilot, "plain")
        text = screen_text(app)
        assert "“rest periods”" in text and "p. " not in text.split("Notes (1)")[1]

    run_sized(app, scenario, (200, 60))  # the notes panel is 24 columns at 140, 32 at 200: one line a quote


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_notes_overview_shows_the_page_and_the_note_at_any_width(docs, data_dir, size):
    from reader.ui.notes_overview import NotesOverview

    app = make_app(data_dir, docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "contract.txt")
        await select_text(pilot, "Clause 9.3")
        await write_note(pilot, "ninth")
        await open_doc(pilot, "plain.txt")
        await select_text(pilot, "rest periods")
        await write_note(pilot, "plain")
        app.reader.focus()
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesOverview) and app.screen.notes is not None
                       and len(app.screen.shown) == 2, what="the overview with both notes")
        await pilot.pause()
        text = screen_text(app)
        assert "■p. 9 Claus" in text  # the page before the quote, as in the notes panel
        assert "ninth" in text and "plain" in text  # the note column is on screen, even at 80
        plain_row = next(line for line in text.splitlines() if "plain" in line and "rest perio" in line)
        assert "p. " not in plain_row  # a document without pages: no page

    run_sized(app, scenario, size)
