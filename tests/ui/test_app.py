"""Drive the Textual app with Pilot: search, read, walk hits, write notes."""

from __future__ import annotations

import io

from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Static

from reader.ui.confirm_dialog import ConfirmDialog
from reader.ui.document_list import DocumentList
from reader.ui.help_screen import HelpScreen
from reader.ui.note_editor import NoteEditor
from reader.ui.reading_view import ReadingView
from reader.ui.search_bar import SearchBar

from .conftest import (
    BUNDLED_COUNT,
    make_app,
    open_doc,
    open_note_editor,
    run_app,
    screen_text,
    search,
    select_text,
    wait_for,
    wait_ready,
    write_note,
)

TURNAROUND_DOC = "004_d8284c93e39c396c.txt"
KOB_DOC = "002_536f3595c117d20e.txt"


def visible_reader_text(app) -> str:
    reader = app.reader
    return reader.rendered_text()


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

        await write_note(pilot, "Rest matters [bold]")
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
            assert reader.cursor_offset == spans[reader.current_hit][0]
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
        while len(text.split("\n")[text.count("\n", 0, reader.cursor_offset)]) < 12:
            await pilot.press("down")
        await pilot.press("home")
        await pilot.press(*["shift+right"] * 10)
        await pilot.pause()
        span = reader.selected_span()
        assert span is not None
        start, end = span
        assert end - start == 10
        await write_note(pilot, "selected")
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
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
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
        await write_note(pilot, "first")
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
        app.reader.move_cursor(0)
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
        await select_text(pilot, "rest periods")
        await write_note(pilot, "")
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
        app.reader.move_cursor(app.reader.open_document.text.index(literal), center=True)
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
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
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
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
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


# 12: search as you type ---------------------------------------------------------------

CATALOG_DATES = {  # documents/catalog.toml
    "000_e3ada0fd6d1921fa.txt": "c. Oct 2021",
    "001_525fc1980ab55192.txt": "2024-03-14",
    "002_536f3595c117d20e.txt": "c. Oct 2021",
    "003_a46e3e2d94785f42.txt": "",
    "004_d8284c93e39c396c.txt": "c. Oct 2021",
}
TECH_DOC = "003_a46e3e2d94785f42.txt"


async def settled(pilot) -> None:
    """Wait until no debounce is pending and no search or re-light is running."""
    app = pilot.app

    def idle() -> bool:
        busy = [w for w in app.workers if w.group in ("search", "open") and w.is_running]
        return not app.search_bar.debounce_pending and not busy

    await wait_for(pilot, idle, what="searches settled")
    await pilot.pause(0.1)
    await wait_for(pilot, idle, what="searches settled")
    await pilot.pause()


def count_searches(app) -> list[str]:
    """Record every query the index is asked (wrapping the index instance's method)."""
    index = app.workspace.index
    original = index.search
    queries: list[str] = []

    def search(query, *args, **kwargs):
        queries.append(query)
        return original(query, *args, **kwargs)

    index.search = search
    return queries


def test_typing_searches_as_you_type_and_keeps_focus_and_text(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        expected = [hit.rel_path for hit in app.workspace.index.search("strike vote").hits]
        assert expected and len(expected) < BUNDLED_COUNT
        queries = count_searches(app)
        await pilot.press("slash")
        await pilot.press(*"strike vote")
        await wait_for(pilot, lambda: app.document_list.rel_paths == expected, what="results as typed")
        await settled(pilot)
        assert app.document_list.showing_results
        assert app.document_list.rel_paths == expected
        assert app.search_bar.value == "strike vote"
        assert isinstance(app.focused, SearchBar), app.focused
        assert app.query_text == "strike vote"
        # debounced: not one search per keystroke, and the last one is the full query
        assert queries and queries[-1] == "strike vote"
        assert len(queries) < len("strike vote"), queries
        assert not app._notifications

        # emptying the bar by typing lists every document again, focus stays put
        await pilot.press(*["backspace"] * len("strike vote"))
        await wait_for(pilot, lambda: not app.document_list.showing_results, what="all documents")
        await settled(pilot)
        assert app.document_list.row_count == BUNDLED_COUNT
        assert isinstance(app.focused, SearchBar)
        assert app.query_text is None

    run_app(app, scenario)


def test_enter_commits_at_once_and_moves_focus_to_the_first_result(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        queries = count_searches(app)
        await pilot.press("slash", *"turnaround")
        await pilot.press("enter")  # before the debounce fires: the commit cancels it
        assert not app.search_bar.debounce_pending
        await wait_for(pilot, lambda: isinstance(app.focused, DocumentList), what="focus on the list")
        await settled(pilot)
        assert app.document_list.rel_paths == [TURNAROUND_DOC]
        assert app.document_list.cursor_row == 0
        assert queries == ["turnaround"], queries

    run_app(app, scenario)


def test_an_older_result_arriving_late_is_dropped(app):
    from reader.ui.messages import SearchFinished

    async def scenario(pilot):
        await wait_ready(pilot)
        await pilot.press("slash", *"strike vote")
        await wait_for(pilot, lambda: app.query_text == "strike vote", what="results")
        await settled(pilot)
        shown = list(app.document_list.rel_paths)
        stale = app.workspace.index.search("turnaround")
        assert [hit.rel_path for hit in stale.hits] != shown

        app.post_message(SearchFinished(stale, generation=app._search_generation - 1, commit=True))
        await pilot.pause(0.2)
        assert app.document_list.rel_paths == shown
        assert app.query_text == "strike vote"
        assert isinstance(app.focused, SearchBar)

        # the same message from the current generation is shown: the guard is what dropped it
        app.post_message(SearchFinished(stale, generation=app._search_generation, commit=False))
        await wait_for(pilot, lambda: app.document_list.rel_paths == [TURNAROUND_DOC], what="current result")

    run_app(app, scenario)


def test_a_slow_search_finishing_after_a_newer_one_does_not_win(app):
    import threading

    async def scenario(pilot):
        await wait_ready(pilot)
        index = app.workspace.index
        original = index.search
        release = threading.Event()

        def search(query, *args, **kwargs):
            results = original(query, *args, **kwargs)
            if query == "turnaround":
                release.wait(5)  # finishes only after the newer search was shown
            return results

        index.search = search
        app.search("turnaround", commit=False)
        await pilot.pause(0.1)
        app.search("strike vote", commit=False)
        expected = [hit.rel_path for hit in original("strike vote").hits]
        await wait_for(pilot, lambda: app.query_text == "strike vote", what="the newer results")
        release.set()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.document_list.rel_paths == expected
        assert app.query_text == "strike vote"

    run_app(app, scenario)


def test_typing_keeps_the_open_document_and_its_scroll_position(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TECH_DOC)
        reader = app.reader
        reader.focus()
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        offset = reader.scroll_offset
        assert offset.y > 0, "the document does not scroll: pick a longer one"
        assert reader.hit_spans == []

        await pilot.press("slash", *"strike")
        await wait_for(pilot, lambda: reader.hit_spans != [], what="the open document re-lit")
        await settled(pilot)
        assert app.document_list.showing_results
        assert reader.open_document.rel_path == TECH_DOC
        assert reader.scroll_offset == offset
        assert isinstance(app.focused, SearchBar)
        assert app.search_bar.value == "strike"

    run_app(app, scenario)


def test_a_malformed_query_while_typing_is_quiet_until_enter(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await pilot.press("slash", *"strike")
        await wait_for(pilot, lambda: app.query_text == "strike", what="results for strike")
        await settled(pilot)
        shown = list(app.document_list.rel_paths)
        toasts = len(app._notifications)

        await pilot.press(*' "rest per')
        await wait_for(pilot, lambda: "Unbalanced quotes" in app.status.message, what="the quiet message")
        await settled(pilot)
        assert len(app._notifications) == toasts, "a toast for a half-typed query"
        assert not status_is_error(app)
        assert app.document_list.rel_paths == shown
        assert app.document_list.showing_results
        assert app.search_bar.value == 'strike "rest per'
        assert isinstance(app.focused, SearchBar)

        await pilot.press("enter")  # committed: loud, as before
        await wait_for(pilot, lambda: len(app._notifications) == toasts + 1, what="the error toast")
        assert status_is_error(app)
        assert app.document_list.rel_paths == shown

    run_app(app, scenario)


# 13: history ---------------------------------------------------------------------------


async def commit(pilot, query: str) -> None:
    app = pilot.app
    await pilot.press("slash", "escape", *query, "enter")
    await wait_for(pilot, lambda: app.query_text == query and isinstance(app.focused, DocumentList),
                   what=f"committed {query}")


def test_up_and_down_walk_the_committed_queries_and_persist(data_dir):
    app = make_app(data_dir)
    history_file = data_dir / "history.json"

    async def scenario(pilot):
        await wait_ready(pilot)
        bar = app.search_bar
        await commit(pilot, "strike")
        await commit(pilot, "turnaround")
        await pilot.press("slash", "escape", *"dra")
        await pilot.press("up")
        assert bar.value == "turnaround"
        await pilot.press("up")
        assert bar.value == "strike"
        await pilot.press("up")  # the oldest stays
        assert bar.value == "strike"
        await pilot.press("down")
        assert bar.value == "turnaround"
        await pilot.press("down")  # past the newest: what was being typed
        assert bar.value == "dra"
        await pilot.press("down")
        assert bar.value == "dra"
        assert bar.cursor_position == 3
        await settled(pilot)
        # only committed queries, not the prefixes searched while typing
        assert app.history.entries == ["strike", "turnaround"]
        await app.workers.wait_for_complete()
        await wait_for(pilot, history_file.exists, what="history saved")

    run_app(app, scenario)
    assert '"turnaround"' in history_file.read_text(encoding="utf-8")

    second = make_app(data_dir)

    async def later(pilot):
        # The query shown at quit ("dra", no results) is restored with its results:
        # an empty list, so no rows to wait for.
        await wait_ready(pilot, min_rows=0)
        assert second.search_bar.value == "dra"
        await pilot.press("slash", "up")
        assert second.search_bar.value == "turnaround"
        await pilot.press("up")
        assert second.search_bar.value == "strike"

    run_app(second, later)


def test_editing_a_recalled_query_starts_a_new_walk(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        bar = app.search_bar
        await commit(pilot, "strike")
        await commit(pilot, "vote")
        await pilot.press("slash", "escape", "up", "up")
        assert bar.value == "strike"
        await pilot.press(*"s")  # edit it: "strikes" becomes the draft
        await pilot.press("up")
        assert bar.value == "vote"
        await pilot.press("down")
        assert bar.value == "strikes"

    run_app(app, scenario)


# 14: sorting ---------------------------------------------------------------------------


def expected_by_date(rel_paths: list[str]) -> list[str]:
    """Newest first, undated last, ties in the given order (dates from catalog.toml)."""
    rank = {"2024-03-14": 0, "c. Oct 2021": 1, "": 2}
    return sorted(rel_paths, key=lambda path: rank[CATALOG_DATES[path]])


def test_s_sorts_the_results_by_title_then_date_keeping_the_selection(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await commit(pilot, "iatse")
        results = app.workspace.index.search("iatse")
        by_relevance = [hit.rel_path for hit in results.hits]
        titles = {hit.rel_path: hit.title for hit in results.hits}
        assert len(by_relevance) >= 3 and "001_525fc1980ab55192.txt" in by_relevance
        table = app.document_list
        assert table.rel_paths == by_relevance
        assert str(table.border_title) == f"Results ({len(by_relevance)}) for iatse"  # the default goes unsaid

        await pilot.press("down", "down")
        selected = table.selected_rel_path
        assert selected == by_relevance[2]

        await pilot.press("s")
        by_title = sorted(by_relevance, key=lambda path: titles[path].casefold())
        assert by_title != by_relevance
        assert table.rel_paths == by_title
        assert str(table.border_title) == f"Results ({len(by_title)}) for iatse · by title"
        assert table.selected_rel_path == selected

        await pilot.press("s")
        by_date = expected_by_date(by_relevance)
        assert by_date[0] == "001_525fc1980ab55192.txt"  # 2024-03-14, the only dated one
        assert table.rel_paths == by_date
        assert str(table.border_title).endswith("· by date")
        assert table.selected_rel_path == selected

        await pilot.press("s")
        assert table.rel_paths == by_relevance
        assert table.selected_rel_path == selected
        assert str(table.border_title) == f"Results ({len(by_relevance)}) for iatse"
        assert isinstance(app.focused, DocumentList)
        assert "Sort" in screen_text(app)  # the footer shows the key

    run_app(app, scenario)


def test_sorting_all_documents_and_from_the_command_palette(app):
    async def scenario(pilot):
        await wait_ready(pilot, min_rows=BUNDLED_COUNT)
        table = app.document_list
        in_path_order = sorted(CATALOG_DATES)
        assert table.rel_paths == in_path_order
        assert str(table.border_title) == f"Documents ({BUNDLED_COUNT})"
        table.focus()
        await pilot.press("s")
        assert str(table.border_title) == f"Documents ({BUNDLED_COUNT}) · by title"
        titles = {document.rel_path: document.title for document in app.documents}
        assert table.rel_paths == sorted(in_path_order, key=lambda path: titles[path].casefold())

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Sort list by date")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: table.sort_order == "date", what="sorted from the palette")
        assert table.rel_paths == expected_by_date(in_path_order)
        assert table.rel_paths[-1] == TECH_DOC  # undated: last
        assert str(table.border_title).endswith("· by date")

        # the provider offers the three orders
        from reader.ui.commands import SortListCommands

        hits = [hit async for hit in SortListCommands(app.screen).discover()]
        assert [str(hit.display) for hit in hits] == [
            "Sort list by relevance", "Sort list by title", "Sort list by date",
        ]

    run_app(app, scenario)


def test_date_sort_keys():
    from reader.ui.document_list import date_sort_key, parse_date

    assert parse_date("2024-03-14") == (2024, 3, 14)
    assert parse_date("c. Oct 2021") == (2021, 10, 0)
    assert parse_date("14 March 2024") == (2024, 3, 14)
    assert parse_date("") is None and parse_date("undated") is None
    dates = ["", "c. Oct 2021", "2024-03-14", "2021", "2021-10-05", "unknown"]
    assert sorted(dates, key=date_sort_key) == ["2024-03-14", "2021-10-05", "c. Oct 2021", "2021", "", "unknown"]


def test_did_you_mean_row_runs_the_corrected_query(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await pilot.press("slash", *"negotation", "enter")
        await wait_for(pilot, lambda: app.document_list.showing_results and app.document_list.row_count == 1,
                       what="the did-you-mean row")
        assert app.document_list.rel_paths == []
        assert "Did you mean" in app.status.message
        assert app.focused is app.document_list
        await pilot.press("enter")  # one key runs the suggestion
        expected = [hit.rel_path for hit in app.workspace.index.search("negotiations", limit=200).hits]
        await wait_for(pilot, lambda: app.document_list.rel_paths == expected, what="the corrected results")
        assert expected
        assert app.search_bar.value == "negotiations"
        await pilot.pause(0.3)  # past the debounce: no second search replaces the list
        assert app.document_list.rel_paths == expected
        assert app.history.entries[-1] == "negotiations"

    run_app(app, scenario)


def test_a_new_note_is_searchable_and_marked_as_found_through_notes(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await write_note(pilot, "deepfake clause")
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"deepfake", "enter")
        await wait_for(pilot, lambda: app.document_list.rel_paths == [TURNAROUND_DOC],
                       what="the document found through its note")
        assert app.document_list.entry(0).marker.plain == "✎"

    run_app(app, scenario)


def test_a_result_snippet_cut_to_the_list_width_keeps_its_hit_in_view(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await search(pilot, "turnaround")
        listing = app.document_list
        await wait_for(pilot, lambda: listing.showing_results and listing.row_count == 1, what="results")
        snippet = listing.entry(0).detail.plain
        text_width = listing.scrollable_content_region.width - 7  # after the marker column
        assert snippet.index("turnaround") + len("turnaround") > text_width  # cut at the end, it is lost
        shown = listing.render_line(2).text  # the header, the title, then the snippet
        assert "turnaround" in shown
        assert shown.strip().startswith("…")

    run_app(app, scenario)


def test_hit_counts_beyond_the_first_results_come_when_shown(app, monkeypatch):
    """The search computes hit spans for its first results only; the list asks
    for the others' when it draws them, and shows their counts once they come."""
    import reader.ui.app as app_module

    monkeypatch.setattr(app_module, "SPANS_FIRST", 1)

    async def scenario(pilot):
        await wait_ready(pilot)
        await search(pilot, "union")
        shown = app.document_list._shown
        assert len(shown.hits) >= 3
        await wait_for(pilot, lambda: not any(hit.spans_pending for hit in app.document_list._shown.hits),
                       what="pending hit counts filled in")
        hits = app.document_list._shown.hits
        assert [hit.rel_path for hit in hits] == [hit.rel_path for hit in shown.hits]  # same order
        assert all(hit.hits > 0 for hit in hits)
        expected = app.workspace.index.search("union", limit=200)
        assert [(hit.rel_path, hit.hits, hit.spans) for hit in hits] == \
            [(hit.rel_path, hit.hits, hit.spans) for hit in expected.hits]
        await pilot.pause()
        markers = [app.document_list.entry(row).marker.plain for row in range(len(hits))]
        assert markers == [str(hit.hits) for hit in hits]  # counts, not the pending "…"

    run_app(app, scenario)


def test_a_search_the_index_cannot_answer_says_so(app, monkeypatch):
    """An error reading the index is reported, not swallowed by the worker (the
    list then kept the last results with no word of why)."""
    async def scenario(pilot):
        await wait_ready(pilot)
        index = app.workspace.index

        def broken(*_args, **_kwargs):
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(index, "search", broken)
        await pilot.press("slash", *"strike", "enter")
        await wait_for(pilot, lambda: app.status.message.startswith("Search failed (OSError"),
                       what="the failure in the status line")
        assert "index --rebuild" in app.status.message

    run_app(app, scenario)
