"""Notes in the TUI: kinds, tags, colours, delete and undo, orphans and re-attaching,
the overview, failures that must not lose text, and a second copy of the app."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from reader.anchoring import AnchorState, make_anchor
from reader.notes import NoteKind, NotesBusy, NoteStore
from reader.ui.app import NOTES_POLL_SECONDS
from reader.ui.colour_picker import ColourPicker
from reader.ui.colours import note_style
from reader.ui.confirm_dialog import ConfirmDialog
from reader.ui.note_editor import NoteEditor
from reader.ui.notes_overview import NotesOverview
from reader.ui.notes_panel import ORPHAN_HELP
from reader.ui.reading_view import NO_PASSAGE_MESSAGE

from .conftest import (
    WIDE,
    make_app,
    open_doc,
    open_note_editor,
    run_app,
    screen_text,
    select_text,
    wait_for,
    wait_ready,
    write_note,
)

TURNAROUND_DOC = "004_d8284c93e39c396c.txt"
KILL_DOC = "000_e3ada0fd6d1921fa.txt"


def notified(app, text: str) -> bool:
    return any(text in notification.message for notification in app._notifications)


def stored(app):
    return app.workspace.notes.all(app.workspace.collection.key)


async def focus_note(pilot, note_id: str) -> None:
    """Focus the notes panel with the cursor on *note_id*."""
    panel = pilot.app.notes_panel
    panel.focus()
    panel.highlighted = [note.id for note in panel.notes].index(note_id)
    await pilot.pause()


def editor_fields(app) -> tuple[str, str, str]:
    screen = app.screen
    assert isinstance(screen, NoteEditor)
    return (screen.query_one("#note-text", TextArea).text, screen.query_one("#note-tags", Input).value,
            screen.query_one("#note-colour", ColourPicker).colour)


# -- kinds, tags, colours -------------------------------------------------------------


def test_h_highlights_the_selection_and_a_colour_edit_restyles_it(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        start, end = await select_text(pilot, "rest periods")
        await pilot.press("h")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the highlight")
        assert not isinstance(app.screen, NoteEditor)  # no dialog
        [note] = stored(app)
        assert (note.kind, note.body, note.colour) == (NoteKind.HIGHLIGHT, "", "yellow")
        assert (note.start, note.end) == (start, end)
        reader = app.reader
        assert reader.selected_span() is None  # dropped, so the colour shows
        assert note_style("yellow", focused=True) in reader.styles_at(start)
        assert note_style("yellow", focused=True) in reader.styles_at(end - 1)
        assert reader.styles_at(end) == []

        await focus_note(pilot, note.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert editor_fields(app) == ("", "", "yellow")
        await pilot.press("tab", "tab", "right", "right", "ctrl+s")  # text → tags → colour: blue
        await wait_for(pilot, lambda: stored(app)[0].colour == "blue", what="the colour saved")
        await wait_for(pilot, lambda: note_style("blue", focused=True) in reader.styles_at(start),
                       what="the passage restyled")
        assert note_style("yellow", focused=True) not in reader.styles_at(start)
        assert stored(app)[0].kind == NoteKind.HIGHLIGHT and stored(app)[0].id == note.id

        # another note's passage, not focused, gets the plain tint of its colour
        other_start, _ = await select_text(pilot, "Zoom")
        await pilot.press("h")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 2, what="a second highlight")
        assert note_style("blue") in reader.styles_at(start)
        assert note_style("yellow", focused=True) in reader.styles_at(other_start)

    run_app(app, scenario)


def test_a_and_h_without_a_selection_ask_for_one(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        app.reader.focus()
        await pilot.press("h")
        await wait_for(pilot, lambda: notified(app, NO_PASSAGE_MESSAGE), what="the hint")
        app.clear_notifications()
        await pilot.press("a")
        await wait_for(pilot, lambda: notified(app, NO_PASSAGE_MESSAGE), what="the hint")
        assert not isinstance(app.screen, NoteEditor)
        await app.workers.wait_for_complete()
        assert stored(app) == []

    run_app(app, scenario)


def test_a_saves_the_tags_and_colour_typed_in_the_editor(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        await pilot.press(*"Rest is safety", "tab", *"#Strike, safety", "tab", "4")  # 4: pink
        assert editor_fields(app) == ("Rest is safety", "#Strike, safety", "pink")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the note")
        [note] = stored(app)
        assert note.tags == ("strike", "safety")
        assert note.colour == "pink"
        assert note.kind == NoteKind.PASSAGE and note.body == "Rest is safety"
        assert "#strike #safety" in screen_text(app)
        assert note_style("pink", focused=True) in app.reader.styles_at(note.start)

        # editing shows every field as saved
        await focus_note(pilot, note.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert editor_fields(app) == ("Rest is safety", "#strike #safety", "pink")
        await pilot.press("escape")

    run_app(app, scenario)


def test_A_writes_a_whole_document_note_listed_first(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await write_note(pilot, "on a passage")

        app.reader.focus()
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="the editor")
        assert "About the whole document" in screen_text(app)
        await pilot.press("ctrl+s")  # empty: refused, the editor stays
        await wait_for(pilot, lambda: notified(app, "needs text"), what="the refusal")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"about it all", "ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 2, what="the document note")
        first = app.notes_panel.notes[0]
        assert (first.kind, first.body, first.quote) == (NoteKind.DOCUMENT, "about it all", "")
        assert {note.kind for note in stored(app)} == {NoteKind.DOCUMENT, NoteKind.PASSAGE}
        assert "Whole document" in screen_text(app)
        assert app.reader.styles_at(0) == []  # nothing to mark in the text

    run_app(app, scenario)


# -- delete and undo ------------------------------------------------------------------


def test_delete_asks_then_u_brings_the_note_back(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        await pilot.press(*"keep me", "tab", *"#rest", "ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1)
        note = app.notes_panel.notes[0]

        await focus_note(pilot, note.id)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.notes_panel.notes == [], what="the note gone")
        assert stored(app) == []
        assert "keep me" not in screen_text(app)
        assert app.reader.styles_at(note.start) == []

        await pilot.press("u")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the note back")
        [back] = stored(app)
        assert back.id == note.id
        assert back.deleted is None
        assert (back.body, back.tags) == ("keep me", ("rest",))
        assert app.workspace.notes.get(note.id) is not None
        assert "keep me" in screen_text(app)

        await pilot.press("u")  # the next change back: the note's creation
        await wait_for(pilot, lambda: app.notes_panel.notes == [], what="the new note taken back")
        assert stored(app) == []

        await pilot.press("u")
        await wait_for(pilot, lambda: notified(app, "Nothing to undo"), what="nothing to undo")

    run_app(app, scenario)


# -- orphans --------------------------------------------------------------------------


def test_a_note_whose_passage_was_deleted_is_orphaned_and_r_reattaches_it(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    document_file = docs / "contract.txt"
    document_file.write_text(
        "Contract summary\n\nMeal breaks every six hours.\nTen hours of rest between shifts.\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        document = app.workspace.read("contract.txt")
        passage = "Meal breaks every six hours."
        start = document.text.index(passage)
        note = app.workspace.add_note(document, start, start + len(passage), "was article 12")
        document_file.write_text("Contract summary\n\nTen hours of rest between shifts.\n", encoding="utf-8")
        # The folder watcher reacts to that write: wait until it has (the list and the
        # index updated), so its reload cannot land between selecting and pressing r.
        await wait_for(pilot, lambda: "changed on disk" in app.status.message, what="the watcher's update")

        await open_doc(pilot, "contract.txt")
        panel = app.notes_panel
        [shown] = panel.notes
        assert shown.id == note.id and shown.state == AnchorState.ORPHANED
        # (The panel is narrow at 140 columns: the message wraps after "orphaned:".)
        assert "orphaned:" in screen_text(app)
        head, details = panel.get_option_at_index(0).prompt.renderables
        assert details.renderable.renderables[0].plain == ORPHAN_HELP
        quote_styles = [str(span.style) for span in head.spans if "Meal breaks" in head.plain[span.start:span.end]]
        assert any("strike" in style for style in quote_styles), quote_styles
        assert app.reader.note_spans == []  # no passage to mark

        new_start, new_end = await select_text(pilot, "Ten hours of rest")
        await focus_note(pilot, note.id)
        await pilot.press("r")
        await wait_for(pilot, lambda: panel.notes and panel.notes[0].state == AnchorState.OK,
                       what="re-attached")
        [again] = app.workspace.notes.all(app.workspace.collection.key)
        assert (again.id, again.quote, again.state) == (note.id, "Ten hours of rest", AnchorState.OK)
        assert (again.start, again.end) == (new_start, new_end)
        assert again.body == "was article 12"
        assert note_style("yellow", focused=True) in app.reader.styles_at(new_start)
        assert "orphaned:" not in screen_text(app)

    run_app(app, scenario)


def test_r_without_a_selection_says_what_to_do(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await pilot.press("h")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1)
        note = app.notes_panel.notes[0]
        await focus_note(pilot, note.id)
        await pilot.press("r")
        await wait_for(pilot, lambda: notified(app, "Select the new passage"), what="the hint")
        assert stored(app)[0].version == note.version  # nothing written

    run_app(app, scenario)


# -- the overview ---------------------------------------------------------------------


def add_notes_on_two_documents(app):
    workspace = app.workspace
    notes = []
    for rel_path, phrase, body, tags in [
        (TURNAROUND_DOC, "rest periods", "ten hours between shifts", "rest safety"),
        (TURNAROUND_DOC, "Costume Designers Guild", "Salvador Perez quote", "people"),
        (KILL_DOC, "Kill the Proposal", "vote no", "strike"),
    ]:
        document = workspace.read(rel_path)
        start = document.text.index(phrase)
        notes.append(workspace.add_note(document, start, start + len(phrase), body, tags=tags))
    return notes


def test_overview_lists_filters_and_opens_a_note(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        rest, perez, kill = add_notes_on_two_documents(app)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesOverview), what="the overview")
        overview = app.screen
        await wait_for(pilot, lambda: overview.notes is not None, what="notes loaded")
        assert overview.table.row_count == 3
        assert overview.count_text == "3 of 3 notes"
        assert {note.doc_path for note in overview.shown} == {TURNAROUND_DOC, KILL_DOC}
        assert "Kill the Proposal" in screen_text(app)
        assert isinstance(app.focused, Input)

        await pilot.press(*"SALVADOR")  # a word of a note's text, in any case
        await wait_for(pilot, lambda: overview.table.row_count == 1, what="filtered")
        assert [note.id for note in overview.shown] == [perez.id]
        assert overview.count_text == "1 of 3 notes"
        assert "1 of 3 notes" in screen_text(app)

        overview.filter_input.value = "#strike"
        await wait_for(pilot, lambda: [note.id for note in overview.shown] == [kill.id], what="#strike")
        overview.filter_input.value = "#rest ten"
        await wait_for(pilot, lambda: [note.id for note in overview.shown] == [rest.id], what="#rest ten")
        overview.filter_input.value = "#rest vote"
        await wait_for(pilot, lambda: overview.shown == [], what="no match")
        assert overview.count_text == "0 of 3 notes"

        overview.filter_input.value = "guild"  # the quote
        await wait_for(pilot, lambda: [note.id for note in overview.shown] == [perez.id], what="by quote")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, NotesOverview), what="closed")
        reader = app.reader
        await wait_for(pilot, lambda: reader.open_document is not None
                       and reader.open_document.rel_path == TURNAROUND_DOC, what="the document")
        await wait_for(pilot, lambda: app.notes_panel.current_note_id == perez.id, what="the note in the panel")
        assert app.focused is app.notes_panel
        assert reader.cursor_offset == perez.start
        assert reader.focused_note_id == perez.id
        await pilot.pause()
        assert reader.scroll_offset.y > 0  # far down the document: scrolled to it
        row = reader._layout.row_of(perez.start)  # the passage is on screen
        assert reader.scroll_offset.y <= row < reader.scroll_offset.y + reader.scrollable_content_region.height
        assert reader.row_text(row, marks=False).plain in screen_text(app)
        assert note_style("yellow", focused=True) in reader.styles_at(perez.start)

    run_app(app, scenario)


def test_overview_from_the_palette_escape_closes_and_missing_documents(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kept.txt").write_text("Kept\n\nA passage that stays.\n", encoding="utf-8")
    gone = docs / "gone.txt"
    gone.write_text("Gone\n\nA passage that goes away with its file.\n", encoding="utf-8")
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        await wait_ready(pilot, min_rows=2)
        document = app.workspace.read("gone.txt")
        start = document.text.index("A passage")
        app.workspace.add_note(document, start, start + 9, "about a vanished file")
        gone.unlink()
        release = threading.Event()
        all_notes = app.workspace.all_notes

        def slow_all_notes():
            release.wait(5)  # the overview shows it is loading meanwhile
            return all_notes()

        app.workspace.all_notes = slow_all_notes

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Notes: overview")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesOverview), what="the overview")
        overview = app.screen
        await pilot.pause()
        assert overview.notes is None and overview.table.loading
        assert overview.count_text == "Loading notes…"
        assert "Loading notes…" in screen_text(app)
        release.set()
        await wait_for(pilot, lambda: overview.notes is not None, what="notes loaded")
        assert not overview.table.loading
        assert overview.count_text == "1 of 1 note"
        [note] = overview.shown
        assert note.state == AnchorState.MISSING
        assert "document missing" in screen_text(app)

        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, "is gone"), what="the document is gone")
        assert not isinstance(app.screen, NotesOverview)
        assert app.reader.open_document is None

        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesOverview))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NotesOverview), what="closed by Escape")

    run_app(app, scenario)


# -- failures keep the user's text ----------------------------------------------------


def test_a_failed_save_reopens_the_editor_with_the_text_then_saving_works(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        store = app.workspace.notes
        original_add = store.add
        calls = []

        def add_busy_once(*args, **kwargs):
            calls.append(args)
            if len(calls) == 1:
                raise NotesBusy("Another copy of iatse-reader is holding the notes database (test).")
            return original_add(*args, **kwargs)

        store.add = add_busy_once
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        await pilot.press(*"Every word I typed", "tab", *"#keep, safe", "tab", "right")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: notified(app, "holding the notes database (test)"), what="the error")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="the editor again")
        assert editor_fields(app) == ("Every word I typed", "#keep, safe", "green")
        assert stored(app) == []

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="saved the second time")
        [note] = stored(app)
        assert (note.body, note.tags, note.colour) == ("Every word I typed", ("keep", "safe"), "green")
        assert len(calls) == 2

    run_app(app, scenario)


def test_an_edit_conflict_keeps_the_draft_and_saves_over_the_reloaded_note(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await write_note(pilot, "first")
        note = app.notes_panel.notes[0]

        await focus_note(pilot, note.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        other = NoteStore(app.workspace.layout.notes_db)  # another copy edits it meanwhile
        try:
            other.update(other.get(note.id), body="changed elsewhere")
        finally:
            other.close()
        await pilot.press(*" and mine", "ctrl+s")
        await wait_for(pilot, lambda: notified(app, "changed or deleted in another copy"), what="the conflict")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="the editor again")
        assert editor_fields(app)[0] == "first and mine"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.workspace.notes.get(note.id).body == "first and mine",
                       what="saved over the reloaded note")
        assert app.workspace.notes.get(note.id).version == note.version + 2

    run_app(app, scenario)


def test_read_only_notes_are_shown_but_changes_say_why(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await pilot.press("h")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1)
        note = app.notes_panel.notes[0]
        app.workspace.notes.read_only_reason = "the data directory /x is read-only"

        await select_text(pilot, "Zoom")
        for key in ("h", "a", "A"):
            app.clear_notifications()
            await pilot.press(key)
            await wait_for(pilot, lambda: notified(app, "the data directory /x is read-only"), what=key)
            assert not isinstance(app.screen, NoteEditor)
        await focus_note(pilot, note.id)
        for key in ("e", "d", "r", "u"):
            app.clear_notifications()
            await pilot.press(key)
            await wait_for(pilot, lambda: notified(app, "read-only"), what=key)
            assert not isinstance(app.screen, (NoteEditor, ConfirmDialog))
        await app.workers.wait_for_complete()
        assert [n.id for n in stored(app)] == [note.id]
        assert len(app.notes_panel.notes) == 1

    run_app(app, scenario)


# -- another copy of the app ----------------------------------------------------------


def test_a_note_added_by_another_copy_appears_in_the_panel(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        document = app.reader.open_document
        start = document.text.index("rest periods")
        other = NoteStore(app.workspace.layout.notes_db)
        try:
            other.add(app.workspace.collection.key, document.rel_path, document.content_hash,
                      make_anchor(document.text, start, start + len("rest periods")), "from the other copy",
                      tags="elsewhere")
        finally:
            other.close()
        await wait_for(pilot, lambda: [n.body for n in app.notes_panel.notes] == ["from the other copy"],
                       timeout=NOTES_POLL_SECONDS * 4, what="the other copy's note")
        assert "from the other copy" in screen_text(app)
        assert "#elsewhere" in screen_text(app)
        assert note_style("yellow") in app.reader.styles_at(start)

    run_app(app, scenario, WIDE)  # the note's words on one line


# -- note text is data ----------------------------------------------------------------


def test_markup_escapes_and_newlines_in_a_note_are_shown_literally(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        document = app.workspace.read(TURNAROUND_DOC)
        start = document.text.index("rest periods")
        app.workspace.add_note(document, start, start + 12, "[bold]not bold[/bold]\n\x1b[31mred\nthird line",
                               tags="[red]x")
        await open_doc(pilot, TURNAROUND_DOC)
        painted = screen_text(app)
        assert "[bold]not bold[/bold]" in painted
        assert "␛[31mred" in painted
        assert "third line" in painted
        assert "#[red]x" in painted
        assert "\x1b" not in app.export_screenshot()
        # the body keeps its line breaks, as plain Text with no style from the markup
        _head, details = app.notes_panel.get_option_at_index(0).prompt.renderables
        body = details.renderable.renderables[-1]
        assert body.plain == "[bold]not bold[/bold]\n␛[31mred\nthird line"
        assert body.spans == []

    run_app(app, scenario, WIDE)  # the note's words on one line


def test_start_up_makes_todays_notes_backup(tmp_path):
    from datetime import UTC, datetime

    data_dir = tmp_path / "data"
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)

    run_app(app, scenario)
    backup = data_dir / "backups" / f"notes-{datetime.now(UTC):%Y-%m-%d}.sqlite3"
    assert backup.exists()


def test_a_read_only_data_dir_is_announced_once_at_start(tmp_path, monkeypatch):
    import os

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    real_access = os.access
    # Tests may run as root, which ignores permission bits: make the folder look read-only.
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False
                        if mode & os.W_OK and os.path.realpath(path) == os.path.realpath(data_dir)
                        else real_access(path, mode, *a, **k))
    app = make_app(data_dir)

    async def scenario(pilot):
        await wait_ready(pilot)
        await wait_for(pilot, lambda: notified(app, "Notes are read-only"), what="the read-only notice")
        app.list_documents()  # as after a file change on disk
        await app.workers.wait_for_complete()
        await pilot.pause()
        notices = [n for n in app._notifications if "Notes are read-only" in n.message]
        assert len(notices) == 1

    run_app(app, scenario)
