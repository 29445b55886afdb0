"""Drive the Textual app with Pilot: search, read, walk hits, write notes."""

from __future__ import annotations

import html
import io
import re

from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Static

from reader.ui.confirm_dialog import ConfirmDialog
from reader.ui.document_list import DocumentList
from reader.ui.help_screen import HelpScreen
from reader.ui.note_editor import NoteEditor
from reader.ui.reading_view import ReadingView
from reader.ui.search_bar import SearchBar

from .conftest import BUNDLED_COUNT, make_app, open_doc, run_app, search, wait_for, wait_ready

TURNAROUND_DOC = "004_d8284c93e39c396c.txt"
KOB_DOC = "002_536f3595c117d20e.txt"


def visible_reader_text(app) -> str:
    reader = app.reader
    return "\n".join(reader.get_line(i).plain for i in range(reader.document.line_count))


def screen_text(app) -> str:
    """What is painted on screen, from the SVG export (one string, lines concatenated)."""
    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(parts)).replace("\xa0", " ")


def status_is_error(app) -> bool:
    return app.status.query_one("#status-message").has_class("error")


# 1 -----------------------------------------------------------------------------------


def test_full_flow_search_open_walk_and_note(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, SearchBar)
        await pilot.press(*"turnaround")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.document_list.showing_results)
        await pilot.pause()
        assert app.document_list.rel_paths == [TURNAROUND_DOC]
        assert isinstance(app.focused, DocumentList)
        assert app.document_list.cursor_row == 0

        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.open_document is not None)
        await pilot.pause()
        reader = app.reader
        assert reader.open_document.rel_path == TURNAROUND_DOC
        assert isinstance(app.focused, ReadingView)
        text = reader.open_document.text
        assert reader.hit_spans
        assert all(text[s:e].lower() == "turnaround" for s, e in reader.hit_spans)
        assert reader.styles_at(reader.hit_spans[0][0]), "the hit is not highlighted"

        await pilot.press("n")
        await pilot.pause()
        assert reader.current_hit == 0
        assert app.status.hits_text == f"hit 1 of {len(reader.hit_spans)}"
        assert app.status.hits_text == "hit 1 of 1"

        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"Rest matters [bold]")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="note saved")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        note = app.notes_panel.notes[0]
        assert note.body == "Rest matters [bold]"
        assert note.quote.lower() == "turnaround"
        stored = app.workspace.notes.all(app.workspace.collection.key)
        assert [(n.id, n.body, n.quote) for n in stored] == [(note.id, note.body, note.quote)]
        assert reader.styles_at(note.start), "the note's passage is not marked"

    run_app(app, scenario)


# 2 -----------------------------------------------------------------------------------


def test_escape_in_search_bar_clears_results_and_hits(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await search(pilot, "strike")
        assert app.document_list.rel_paths
        await pilot.press("enter")  # open the first result so there are hits to clear
        await wait_for(pilot, lambda: app.reader.open_document is not None)
        await wait_for(pilot, lambda: app.reader.hit_spans != [])

        await pilot.press("slash")
        assert isinstance(app.focused, SearchBar)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.document_list.showing_results)
        await pilot.pause()
        assert app.document_list.row_count == BUNDLED_COUNT
        assert len(app.document_list.rel_paths) == BUNDLED_COUNT
        assert app.reader.hit_spans == []
        assert app.status.hits_text == ""
        assert app.query_one(SearchBar).value == ""
        assert app.query_text is None

    run_app(app, scenario)


# 3 -----------------------------------------------------------------------------------


def test_malformed_queries_report_errors_and_keep_the_list(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        bar = app.query_one(SearchBar)
        before = list(app.document_list.rel_paths)
        assert len(before) == BUNDLED_COUNT
        for query in ['"unclosed', "AND", "(((", "strike " * 1500]:
            await pilot.press("slash")
            bar.value = query
            app.status.show_message("…")  # so an error class below comes from this query
            await pilot.press("enter")
            await wait_for(pilot, lambda: status_is_error(app) or app.document_list.showing_results,
                           what=f"an outcome for {query[:20]!r}")
            await pilot.pause()
            assert app.is_running
            assert status_is_error(app), f"no error shown for {query[:20]!r}: {app.status.message!r}"
            assert app.status.message.strip()
            assert not app.document_list.showing_results
            assert app.document_list.rel_paths == before

    run_app(app, scenario)


# 4 -----------------------------------------------------------------------------------


def test_n_and_N_walk_hits_in_document_order(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await search(pilot, "strike")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.open_document is not None and app.reader.hit_spans)
        await pilot.pause()
        reader = app.reader
        spans = reader.hit_spans
        total = len(spans)
        assert total >= 3, spans
        assert spans == sorted(spans)
        assert all(s < e for s, e in spans)
        # start from the top so that `n` walks from the first hit
        reader.action_document_start()
        await pilot.pause()
        seen = []
        for key in ["n", "n", "n", "N"]:
            await pilot.press(key)
            await pilot.pause()
            seen.append(reader.current_hit)
            assert app.status.hits_text == f"hit {reader.current_hit + 1} of {total}"
            assert reader.offset_of(reader.cursor_location) == spans[reader.current_hit][0]
        assert seen == [0, 1, 2, 1]

    run_app(app, scenario)


# 5 -----------------------------------------------------------------------------------


def test_keyboard_selection_becomes_the_note_quote(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "001_525fc1980ab55192.txt")
        reader = app.reader
        reader.focus()
        await pilot.pause()
        text = reader.open_document.text
        # move to a line with at least 10 characters, a few lines down
        await pilot.press("down", "down", "down")
        while len(text.split("\n")[reader.cursor_location[0]]) < 12:
            await pilot.press("down")
        await pilot.press("home")
        await pilot.press(*["shift+right"] * 10)
        await pilot.pause()
        span = reader.selected_span()
        assert span is not None
        start, end = span
        assert end - start == 10
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"selected")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1)
        note = app.notes_panel.notes[0]
        assert note.quote == text[start:end]
        assert (note.start, note.end) == (start, end)
        assert note.body == "selected"

    run_app(app, scenario)


# 6 -----------------------------------------------------------------------------------


def test_escape_cancels_the_note_editor(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        app.reader.focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"never saved")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NoteEditor))
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        assert app.notes_panel.notes == []
        assert app.workspace.notes.all() == []

    run_app(app, scenario)


# 7 -----------------------------------------------------------------------------------


def test_notes_panel_edit_go_to_and_delete(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await search(pilot, "turnaround")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.open_document is not None)
        await pilot.press("n")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"first")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1)
        note = app.notes_panel.notes[0]

        # edit
        panel = app.notes_panel
        panel.focus()
        panel.highlighted = 0
        await pilot.pause()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*" more")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: panel.notes and panel.notes[0].body == "first more",
                       what="edited body")
        assert [n.body for n in app.workspace.notes.all()] == ["first more"]

        # Enter on a note selects its passage in the reader
        app.reader.move_cursor((0, 0))
        panel.focus()
        panel.highlighted = 0
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.selected_span() is not None)
        assert app.reader.selected_span() == (note.start, note.end)
        assert isinstance(app.focused, ReadingView)

        # delete, after confirming
        panel.focus()
        panel.highlighted = 0
        await pilot.pause()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: panel.notes == [], what="note deleted")
        assert app.workspace.notes.all() == []
        assert app.reader.styles_at(note.start) == [] or app.reader.hit_spans

    run_app(app, scenario)


def test_delete_answered_no_keeps_the_note(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        app.reader.focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1)
        app.notes_panel.focus()
        app.notes_panel.highlighted = 0
        await pilot.pause()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        await pilot.pause(0.2)
        assert len(app.workspace.notes.all()) == 1
        assert len(app.notes_panel.notes) == 1

    run_app(app, scenario)


# 8 -----------------------------------------------------------------------------------


def test_help_screen_opens_and_closes(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        console = Console(width=120, record=True, file=io.StringIO())
        for static in app.screen.query(Static):
            console.print(static.content)
        texts = console.export_text()
        assert "next / previous hit" in texts
        assert "next / previous hit" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))

    run_app(app, scenario)


# 9 -----------------------------------------------------------------------------------


def test_document_text_is_shown_literally_not_as_markup(app):
    literal = "[anvplayer video=”5063786″ station=”998127″]"

    async def scenario(pilot):
        await wait_ready(pilot)
        assert literal in app.workspace.read(KOB_DOC).text
        await open_doc(pilot, KOB_DOC)
        assert literal in visible_reader_text(app)
        # bring the line on screen and check what is actually painted
        row, _column = app.reader.location_of(app.reader.open_document.text.index(literal))
        app.reader.move_cursor((row, 0), center=True)
        await pilot.pause()
        svg = app.export_screenshot()
        assert "anvplayer" in svg
        assert "5063786" in svg
        assert literal in screen_text(app)

    run_app(app, scenario)


def test_markup_and_escape_sequences_in_a_file_are_data(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tricky.txt").write_bytes(
        "Tricky title\n\n[bold]not bold[/bold] and \x1b[31mred\x1b[0m\n".encode("utf-8")
    )
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "tricky.txt")
        shown = visible_reader_text(app)
        assert "[bold]not bold[/bold]" in shown
        assert "␛[31mred" in shown
        assert "\x1b" not in shown
        painted = screen_text(app)
        assert "[bold]not bold[/bold] and ␛[31mred␛[0m" in painted

    run_app(app, scenario)


# 10 ----------------------------------------------------------------------------------


def test_empty_folder_says_so(tmp_path):
    docs = tmp_path / "empty"
    docs.mkdir()
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        await wait_for(pilot, lambda: app.index_ready)
        await wait_for(pilot, lambda: "No readable" in app.status.message, what="empty message")
        assert app.is_running
        assert app.document_list.row_count == 0
        assert status_is_error(app)

    run_app(app, scenario)


def test_odd_folder_lists_good_files_and_warns_about_binary(tmp_path):
    docs = tmp_path / "odd"
    docs.mkdir()
    (docs / "good.txt").write_text("Good document\n\nPlain words about rest periods.\n", encoding="utf-8")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02PK\x00\x00\xff\xfe" * 64)
    (docs / "legacy.txt").write_bytes("Caf\xe9 workers\n\nThey said \x93enough\x94.\n".encode("latin-1"))
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await wait_for(pilot, lambda: "skipped" in app.status.message or app.index_ready and
                       app.document_list.row_count == 2, what="listing")
        await pilot.pause()
        assert sorted(app.document_list.rel_paths) == ["good.txt", "legacy.txt"]
        await open_doc(pilot, "legacy.txt")
        assert "Café workers" in app.reader.open_document.text
        assert "“enough”" in app.reader.open_document.text

    async def check_warning(pilot):
        # the listing reports skipped files in the status bar and as a warning toast
        await wait_for(pilot, lambda: "skipped" in app.status.message, what="skipped message")
        assert "binary.txt" in app.status.message
        assert not status_is_error(app)
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert any("binary.txt" in n.message for n in warnings)
        await scenario(pilot)

    run_app(app, check_warning)


# 11 ----------------------------------------------------------------------------------


def test_open_document_by_path_and_command_palette_provider(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "001_525fc1980ab55192.txt")
        assert app.reader.open_document.rel_path == "001_525fc1980ab55192.txt"
        assert app.reader.text == app.reader.open_document.text

        # the palette's provider offers every document
        from reader.ui.commands import OpenDocumentCommands

        provider = OpenDocumentCommands(app.screen)
        hits = [hit async for hit in provider.discover()]
        assert len(hits) == BUNDLED_COUNT
        title = app.documents[3].title
        found = [hit async for hit in provider.search(title[:12])]
        assert found


    run_app(app, scenario)


def test_command_palette_opens_a_document(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        target = app.documents[3]
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*f"Open document: {target.title[:15]}")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.open_document is not None, what="palette open")
        assert app.reader.open_document.rel_path == target.rel_path

    run_app(app, scenario)


def test_app_keys_are_plain_text_in_the_search_bar_and_editor(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await pilot.press("slash")
        await pilot.press(*"q?/ n a")
        await pilot.pause()
        assert app.is_running
        assert not isinstance(app.screen, HelpScreen)
        assert app.query_one(SearchBar).value == "q?/ n a"
        await open_doc(pilot, TURNAROUND_DOC)
        app.reader.focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"q?/ nNa d e")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-text").text == "q?/ nNa d e"

    run_app(app, scenario)


def test_N_from_the_top_goes_to_the_last_hit(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await search(pilot, "strike")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.reader.open_document is not None and app.reader.hit_spans)
        app.reader.action_document_start()
        await pilot.pause()
        await pilot.press("N")
        await pilot.pause()
        total = len(app.reader.hit_spans)
        assert app.reader.current_hit == total - 1
        assert app.status.hits_text == f"hit {total} of {total}"

    run_app(app, scenario)


def test_search_typed_before_the_index_is_ready_still_runs(app):
    async def scenario(pilot):
        await pilot.pause()
        await pilot.press("slash", *"turnaround", "enter")
        await wait_for(pilot, lambda: app.document_list.showing_results, what="deferred search")
        assert app.document_list.rel_paths == [TURNAROUND_DOC]

    run_app(app, scenario)


def test_keys_typed_in_a_burst_before_ctrl_s_are_all_saved(app):
    """A terminal delivers a fast typist's keys in one burst. ctrl+s must not
    overtake characters still queued for the editor (it did, as a priority binding)."""
    from textual import events

    typed = "Rest between shifts: the core demand"

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        app.reader.focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        # Post every key at once, as the driver does, without waiting between them.
        for character in typed:
            app.post_message(events.Key(character, character))
        app.post_message(events.Key("ctrl+s", None))
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the saved note")
        assert app.notes_panel.notes[0].body == typed
        assert [note.body for note in app.workspace.notes.all()] == [typed]

    run_app(app, scenario)


def test_worker_results_arriving_under_a_dialog_update_the_main_screen(app):
    """Indexing progress or a search result can arrive while help or the note
    editor is the current screen; the main screen's widgets still update."""
    from reader.ui.messages import IndexProgress, SearchFailed

    async def scenario(pilot):
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        app.post_message(IndexProgress(3, 7))
        await pilot.pause(0.1)
        assert app.status.message == "Indexing 3/7…"
        app.post_message(SearchFailed("(((", "Unbalanced parentheses"))
        await pilot.pause(0.1)
        assert app.status.message == "Unbalanced parentheses"
        assert status_is_error(app)
        assert isinstance(app.screen, HelpScreen)  # still running, dialog untouched

    run_app(app, scenario)
