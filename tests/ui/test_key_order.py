"""Keys that arrive in one burst (a fast typist, a paste of keys over SSH, a busy
UI) are handled in the order they arrived, in every text field.

The burst is delivered as Textual's terminal driver delivers it: the driver's
input thread parses everything the terminal sent and hands each key event to the
app with ``driver.send_message`` without waiting for the app to handle the one
before.  ``Pilot.press`` waits for the app to go idle between keys, so it can
never show this bug; ``post_burst`` does not wait.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from textual import events
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.widgets import Input, TextArea

from reader.ui.note_editor import NoteEditor

from .conftest import (
    WaitTimeout, make_app, open_doc, open_note_editor, run_app, select_text, wait_for, wait_ready,
)

TURNAROUND_DOC = "004_d8284c93e39c396c.txt"


def key_event(key: str) -> events.Key:
    """A key event as the driver makes it (the same rules as ``App._press_keys``)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        character: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


def post_burst(app, *keys: str) -> None:
    """Hand every key to the app at once, as the driver's input thread does."""
    driver = app._driver
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        driver.send_message(event)


async def settled(pilot, handled) -> None:
    """Wait until *handled()* (every key of the burst had its effect); when a key
    went astray it never becomes true, and the caller's assertion shows how."""
    try:
        await wait_for(pilot, handled, timeout=5, what="the burst handled")
    except WaitTimeout:
        pass
    await pilot.pause()


async def type_into_search_bar(pilot, text: str) -> None:
    app = pilot.app
    await pilot.press("slash")
    await pilot.press(*text)
    await wait_for(pilot, lambda: app.search_bar.value == text, what="the typed query")


def search_bar_scenario(initial: str, burst: tuple[str, ...], expected: str, app) -> None:
    async def scenario(pilot):
        await wait_ready(pilot)
        await type_into_search_bar(pilot, initial)
        post_burst(app, *burst)
        await settled(pilot, lambda: app.search_bar.value == expected)
        assert app.search_bar.value == expected

    run_app(app, scenario)


def test_home_then_letters_in_one_burst_go_to_the_start(app):
    search_bar_scenario("strike", ("home", "X", "Y", "Z"), "XYZstrike", app)


def test_ctrl_a_then_letters_in_one_burst_go_to_the_start(app):
    search_bar_scenario("strike", ("ctrl+a", *"work"), "workstrike", app)


def test_ctrl_w_then_a_word_in_one_burst_replaces_the_last_word(app):
    search_bar_scenario("rest strike", ("ctrl+w", *"work"), "rest work", app)


def test_ctrl_u_then_a_query_in_one_burst_with_a_big_document_open(tmp_path: Path):
    """The reported case: a 5 MB document open, ctrl+u, then a whole query."""
    docs = tmp_path / "docs"
    docs.mkdir()
    line = "The crew and the workers agreed to the terms of the contract today. "
    (docs / "big.txt").write_text("Big contract\n\n" + (line * 20 + "\n") * 3800, encoding="utf-8")
    app = make_app(tmp_path / "data", docs)
    expected = "workers OR crew"

    async def scenario(pilot):
        # Not wait_ready: indexing 5 MB on a loaded machine can take long, and the
        # search bar's text does not depend on it.
        await wait_for(pilot, lambda: app.document_list.row_count == 1, timeout=30, what="the list")
        await open_doc(pilot, "big.txt")
        await type_into_search_bar(pilot, "strike")
        post_burst(app, "ctrl+u", *expected)
        await settled(pilot, lambda: app.search_bar.value == expected)
        assert app.search_bar.value == expected

    run_app(app, scenario)


def test_tab_in_a_burst_moves_to_the_tags_before_the_next_keys(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        text, tags = editor.query_one("#note-text", TextArea), editor.query_one("#note-tags", Input)
        post_burst(app, *"hello", "tab", *"#x")
        await settled(pilot, lambda: (text.text, tags.value) == ("hello", "#x"))
        assert (text.text, tags.value) == ("hello", "#x")
        assert app.focused is tags

    run_app(app, scenario)


def test_a_burst_with_ctrl_s_saves_everything_typed_before_it(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        post_burst(app, *"fast note", "tab", *"#quick", "ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the saved note")
        [note] = app.notes_panel.notes
        assert (note.body, note.tags) == ("fast note", ("quick",))

    run_app(app, scenario)


def test_enter_and_ctrl_s_in_one_burst_save_the_note_once(app):
    """Enter in the tags posts Input.Submitted (handled later) and ctrl+s saves at
    once: the editor must not be dismissed twice (that popped the main screen)."""

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await open_note_editor(pilot)
        await pilot.press(*"once", "tab", *"#x")
        post_burst(app, "enter", "ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the saved note")
        await pilot.pause()
        assert app._exception is None
        assert app.screen is app.screen_stack[0] and len(app.screen_stack) == 1
        assert [note.body for note in app.workspace.notes.all(app.workspace.collection.key)] == ["once"]

    run_app(app, scenario)


def test_y_and_enter_in_one_burst_answer_a_question_once(app):
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await pilot.press("h")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="the highlight")
        app.notes_panel.focus()
        await pilot.press("d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog", what="the question")
        post_burst(app, "enter", "y")  # Enter presses the focused Cancel button, y answers yes
        await wait_for(pilot, lambda: app.screen is app.screen_stack[0], what="the question closed")
        await pilot.pause()
        assert app._exception is None
        assert len(app.screen_stack) == 1

    run_app(app, scenario)


def test_a_burst_with_two_enters_closes_the_command_palette_once(app):
    """Found by the fuzz test: each Enter posts Input.Submitted, and each Submitted
    ran the chosen command and dismissed the palette; the second dismiss popped the
    main screen (a crash)."""
    from textual.command import CommandPalette

    async def scenario(pilot):
        await wait_ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        post_burst(app, *"sort list by title", "enter", "left", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette), what="the palette closed")
        await pilot.pause()
        assert app._exception is None
        # Which command ran depends on how far the palette had matched when Enter
        # came (it may have opened a screen); the main screen must still be there.
        assert app.screen_stack[0].id == "_default"
        assert not any(isinstance(screen, CommandPalette) for screen in app.screen_stack)

    run_app(app, scenario)
