"""SVG snapshots of the main screens (pytest-textual-snapshot).

Regenerate after an intended UI change with
``python -m pytest tests/ui/test_snapshots.py --snapshot-update`` and review the SVGs.
Each test uses its own fresh data directory; cursors do not blink, so the
screenshots are stable.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from reader.ui.help_screen import HelpScreen
from reader.ui.note_editor import NoteEditor
from reader.ui.notes_overview import NotesOverview

from reader.ui.pane_layout import READER_MIN

from .conftest import SIZE, make_app, search, wait_for, wait_ready

TURNAROUND_DOC = "004_d8284c93e39c396c.txt"


def no_blink(app) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


async def search_open_and_note(pilot, note_text: str | None = "Rest matters [bold]") -> None:
    app = pilot.app
    no_blink(app)
    await wait_ready(pilot)
    await search(pilot, "turnaround")
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.reader.open_document is not None)
    await pilot.press("n")
    await wait_for(pilot, lambda: app.status.hits_text == "hit 1 of 1")
    if note_text is not None:
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        no_blink(app)
        await pilot.press(*note_text)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1)
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_main_screen_search_hit_and_note(snap_compare, tmp_path):
    app = make_app(tmp_path / "data")
    assert snap_compare(app, terminal_size=SIZE, run_before=search_open_and_note)


def test_snapshot_note_editor(snap_compare, tmp_path):
    app = make_app(tmp_path / "data")

    async def run_before(pilot):
        await search_open_and_note(pilot, note_text=None)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        no_blink(app)
        await pilot.press(*"Why 10 hours?")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_notes_overview(snap_compare, tmp_path):
    """Notes on three documents, of every kind, in several colours, with tags."""
    app = make_app(tmp_path / "data")

    async def run_before(pilot):
        no_blink(app)
        await wait_ready(pilot)
        workspace = app.workspace
        for rel_path, phrase, body, tags, colour in [
            (TURNAROUND_DOC, "turnaround", "Rest matters [bold]", "rest safety", "yellow"),
            (TURNAROUND_DOC, "rest periods", "", "rest", "green"),
            (TURNAROUND_DOC, None, "Trade press, the week of the deadline.", "timeline", "blue"),
            ("000_e3ada0fd6d1921fa.txt", "Kill the Proposal", "Vote no.", "strike", "pink"),
            ("002_536f3595c117d20e.txt", "prepared to strike", "Ready to walk out.", "strike", "purple"),
        ]:
            document = workspace.read(rel_path)
            start = None if phrase is None else document.text.index(phrase)
            end = None if phrase is None else start + len(phrase)
            workspace.add_note(document, start, end, body, tags=tags, colour=colour)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesOverview))
        await wait_for(pilot, lambda: app.screen.notes is not None)
        no_blink(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_help_screen(snap_compare, tmp_path):
    app = make_app(tmp_path / "data")

    async def run_before(pilot):
        no_blink(app)
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


LAYOUT_SIZES = [(80, 24), (100, 30), (140, 45), (200, 60)]


@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_snapshot_reading_layout(snap_compare, tmp_path, size):
    """The reading view at its promised width at each size, a hit current and a note
    made; the widths are asserted too (a snapshot alone proves nothing)."""
    app = make_app(tmp_path / "data")
    width = size[0]

    async def run_before(pilot):
        await search_open_and_note(pilot)
        reader = app.reader
        assert reader.outer_size.width >= READER_MIN
        assert reader.scrollable_content_region.width <= 100
        docked = [pane for pane in (app.document_list, reader, app.notes_panel) if pane.display]
        assert sum(pane.outer_size.width for pane in docked) == width
        assert all(pane.region.right <= width for pane in docked)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_snapshot_welcome(snap_compare, tmp_path, size):
    """No document open: the list, and a welcome with the keys that matter."""
    app = make_app(tmp_path / "data")

    async def run_before(pilot):
        no_blink(app)
        await wait_ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
