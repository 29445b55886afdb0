"""No note change without a way back: undo of every change (u, ctrl+z), `r` on a
healthy note asks first, Escape asks before dropping typed text, an unsaved
draft survives a crash, and tabbing into the tags does not select them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from reader.anchoring import AnchorState
from reader.note_drafts import DraftFile
from reader.notes import NoteStore
from reader.ui.colour_picker import ColourPicker
from reader.ui.confirm_dialog import ConfirmDialog
from reader.ui.note_editor import NoteEditor

from .conftest import make_app, open_doc, open_note_editor, run_app, select_text, wait_for, wait_ready
from .test_notes_ui import TURNAROUND_DOC, focus_note, notified, stored


def question(app) -> str:
    screen = app.screen
    return screen.question if isinstance(screen, ConfirmDialog) else ""


def draft_file(app) -> DraftFile:
    return DraftFile(app.workspace.layout.data_dir, app.workspace.collection.key)


def test_u_and_ctrl_z_take_back_an_edit_of_text_tags_and_colour_then_the_creation(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        await pilot.press(*"first", "tab", *"#a", "ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the new note")
        [note] = stored(app)

        await focus_note(pilot, note.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="the editor")
        await pilot.press("backspace", "backspace", *"ST", "tab", *" #b", "tab", "right", "ctrl+s")
        await wait_for(pilot, lambda: stored(app)[0].version == note.version + 1, what="the edit")
        edited = stored(app)[0]
        assert (edited.body, edited.tags) == ("firST", ("a", "b"))
        assert edited.colour != note.colour

        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: stored(app)[0].body == "first", what="the edit undone")
        back = stored(app)[0]
        assert (back.body, back.tags, back.colour) == (note.body, note.tags, note.colour)
        await wait_for(pilot, lambda: app.notes_panel.notes[0].body == "first", what="the panel")

        await pilot.press("u")
        await wait_for(pilot, lambda: stored(app) == [], what="the creation undone")
        await wait_for(pilot, lambda: app.notes_panel.notes == [], what="the panel emptied")

    run_app(app, scenario)


def test_undo_does_not_overwrite_a_change_made_in_another_copy(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await pilot.press("h")
        await wait_for(pilot, lambda: len(stored(app)) == 1, what="the highlight")
        [note] = stored(app)
        other_copy = NoteStore(app.workspace.layout.notes_db)
        try:
            other_copy.update(other_copy.get(note.id), body="written in the other copy")
        finally:
            other_copy.close()

        await pilot.press("u")
        await wait_for(pilot, lambda: notified(app, "another copy"), what="the refusal")
        [kept] = stored(app)
        assert kept.body == "written in the other copy" and kept.deleted is None

    run_app(app, scenario)


def test_r_on_a_note_that_is_not_orphaned_asks_first_and_u_moves_it_back(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        old_span = await select_text(pilot, "rest periods")
        await pilot.press("h")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the highlight")
        [note] = stored(app)
        assert note.state == AnchorState.OK

        await select_text(pilot, "Costume Designers Guild")
        await focus_note(pilot, note.id)
        await pilot.press("r")
        await wait_for(pilot, lambda: "Move the note" in question(app), what="the question")
        assert "rest periods" in question(app) and "Costume Designers Guild" in question(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog), what="the answer")
        await pilot.pause()
        assert stored(app)[0].version == note.version  # nothing written

        await select_text(pilot, "Costume Designers Guild")
        await focus_note(pilot, note.id)
        await pilot.press("r")
        await wait_for(pilot, lambda: "Move the note" in question(app), what="the question again")
        await pilot.press("y")
        await wait_for(pilot, lambda: stored(app)[0].quote == "Costume Designers Guild", what="moved")

        await pilot.press("u")
        await wait_for(pilot, lambda: stored(app)[0].quote == "rest periods", what="moved back")
        back = stored(app)[0]
        assert (back.start, back.end) == old_span
        assert (back.orig_start, back.orig_end) == (note.orig_start, note.orig_end)

    run_app(app, scenario)


def test_escape_with_typed_text_asks_before_discarding_it(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        editor = app.screen
        await pilot.press(*"do not lose me", "escape")
        await wait_for(pilot, lambda: question(app) == "Discard this note?", what="the question")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is editor, what="back in the editor")
        assert editor.query_one("#note-text", TextArea).text == "do not lose me"

        await pilot.press("escape")
        await wait_for(pilot, lambda: question(app) == "Discard this note?", what="asked again")
        await pilot.press("y")
        await wait_for(pilot, lambda: not isinstance(app.screen, (NoteEditor, ConfirmDialog)), what="closed")
        assert stored(app) == []

        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)  # nothing typed: Escape closes at once
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NoteEditor), what="closed at once")
        assert not isinstance(app.screen, ConfirmDialog)

    run_app(app, scenario)


def test_tab_into_the_tags_keeps_them_and_typing_adds_a_tag(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        await pilot.press(*"note", "tab", *"#safety", "ctrl+s")
        await wait_for(pilot, lambda: len(stored(app)) == 1, what="the note")
        [note] = stored(app)

        await focus_note(pilot, note.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="the editor")
        await pilot.press("tab")
        tags = app.screen.query_one("#note-tags", Input)
        await wait_for(pilot, lambda: app.focused is tags, what="the tags focused")
        await pilot.pause()
        assert tags.selection.is_empty
        await pilot.press(*" #rest", "ctrl+s")
        await wait_for(pilot, lambda: stored(app)[0].version == note.version + 1, what="saved")
        assert stored(app)[0].tags == ("safety", "rest")

    run_app(app, scenario)


def test_an_unsaved_draft_survives_a_crash_and_comes_back_at_the_next_start(tmp_path: Path):
    data_dir = tmp_path / "data"
    first_run = make_app(data_dir)

    async def crash(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        await pilot.press(*"half a thought", "tab", *"#later", "tab", "right")
        await wait_for(pilot, lambda: (draft := draft_file(first_run).load()) is not None
                       and draft.tags == "#later" and draft.colour != "yellow", what="the draft on disk")
        # The run ends here with the editor open: nothing saved, nothing discarded.

    run_app(first_run, crash)
    kept = draft_file(first_run).load()
    assert kept is not None and kept.body == "half a thought"

    second_run = make_app(data_dir)

    async def restart(pilot):
        app = second_run
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="the editor reopened")
        await wait_for(pilot, lambda: notified(app, "Unsaved from last time"), what="the message")
        editor = app.screen
        await wait_for(pilot, lambda: editor.query_one("#note-text", TextArea).text == "half a thought",
                       what="the text")
        assert editor.query_one("#note-tags", Input).value == "#later"
        assert editor.query_one("#note-colour", ColourPicker).colour == kept.colour
        assert editor.quote == "rest periods"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(stored(app)) == 1, what="the note saved")
        [note] = stored(app)
        assert (note.body, note.tags, note.quote, note.colour) == ("half a thought", ("later",),
                                                                   "rest periods", kept.colour)
        await wait_for(pilot, lambda: draft_file(app).load() is None, what="the draft forgotten")

    run_app(second_run, restart)


def test_ctrl_z_while_typing_a_query_leaves_the_notes_alone(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        await pilot.press(*"kept", "ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the new note")

        await pilot.press("/", *"rest", "ctrl+z")
        assert isinstance(app.focused, Input) and app.focused.value == "rest"
        app.reader.focus()  # out of the search bar: now ctrl+z is the notes' undo
        await wait_for(pilot, lambda: not isinstance(app.focused, Input), what="focus out of the search bar")
        assert [note.body for note in stored(app)] == ["kept"]
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: stored(app) == [], what="the creation undone")

    run_app(app, scenario)
