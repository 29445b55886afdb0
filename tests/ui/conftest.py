"""Helpers for the UI tests: build a ReaderApp on a throw-away data directory and
wait on conditions (never on fixed sleeps alone)."""

from __future__ import annotations

import asyncio
import html
import re
import time
from pathlib import Path
from typing import Awaitable, Callable

import pytest

from reader.config import Config
from reader.paths import Collection, DataLayout, resolve_collection
from reader.ui.app import ReaderApp
from reader.workspace import Workspace

SIZE = (140, 45)
WIDE = (200, 60)  # the notes panel 32 columns wide (24 at 140): a note's words on one line
BUNDLED_COUNT = 5


class WaitTimeout(AssertionError):
    pass


async def wait_for(pilot, predicate: Callable[[], bool], timeout: float = 10, what: str = "") -> None:
    """Let the app run until ``predicate()`` is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except Exception:  # e.g. a widget not mounted yet
            pass
        if time.monotonic() > deadline:
            raise WaitTimeout(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.05)


def screen_text(app) -> str:
    """What is painted on screen, from the SVG export (one string, lines concatenated)."""
    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(parts)).replace("\xa0", " ")


async def wait_ready(pilot, min_rows: int = 1) -> None:
    """Wait until the listing and the index workers are done."""
    app = pilot.app
    await wait_for(pilot, lambda: app.index_ready, what="index ready")
    await wait_for(pilot, lambda: app.document_list.row_count >= min_rows, what="document rows")
    await pilot.pause()


async def search(pilot, query: str) -> None:
    """Focus the search bar, type the query, press Enter and wait for the results."""
    app = pilot.app
    await pilot.press("slash")
    await pilot.press(*query)
    await pilot.press("enter")
    # The committed result, not one searched as you type: it moves focus to the list.
    await wait_for(
        pilot,
        lambda: app.document_list.showing_results and app.query_text == query
        and app.focused is app.document_list,
        what=f"results for {query}",
    )
    await pilot.pause()


async def open_doc(pilot, rel_path: str) -> None:
    app = pilot.app
    app.open_document(rel_path)
    await wait_for(
        pilot,
        lambda: app.reader.open_document is not None and app.reader.open_document.rel_path == rel_path,
        what=f"open {rel_path}",
    )
    await pilot.pause()


def make_app(data_dir: Path, docs_dir: Path | None = None, config: Config | None = None) -> ReaderApp:
    """An app on *data_dir*; the default config, never the user's config file."""
    if docs_dir is None:
        collection = resolve_collection(None)
    else:
        collection = Collection(root=docs_dir, key=str(docs_dir))
    return ReaderApp(Workspace(collection, DataLayout(data_dir)), config or Config())


def run_app(app: ReaderApp, scenario: Callable[[object], Awaitable[None]],
            size: tuple[int, int] = SIZE) -> None:
    """Run ``scenario(pilot)`` inside ``app.run_test`` (plain sync tests: no pytest-asyncio)."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await scenario(pilot)

    asyncio.run(main())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def app(data_dir: Path) -> ReaderApp:
    return make_app(data_dir)


async def select_text(pilot, phrase: str) -> tuple[int, int]:
    """Select the first occurrence of *phrase* in the open document (as shift+arrows
    would) and focus the reader; returns the span."""
    reader = pilot.app.reader
    start = reader.open_document.text.index(phrase)
    span = (start, start + len(phrase))
    reader.scroll_to_span(span, select=True)
    reader.focus()
    await pilot.pause()
    assert reader.selected_span() == span
    return span


async def open_note_editor(pilot) -> None:
    """Press `a` in the reader and wait for the note editor."""
    from reader.ui.note_editor import NoteEditor

    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, NoteEditor), what="the note editor")


async def write_note(pilot, text: str) -> None:
    """Add a note through the editor (`a`, type, ctrl+s) and wait until the panel shows it."""
    before = len(pilot.app.notes_panel.notes)
    await open_note_editor(pilot)
    await pilot.press(*text, "ctrl+s")
    await wait_for(pilot, lambda: len(pilot.app.notes_panel.notes) == before + 1, what="the saved note")


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch):
    """`y` must not write to the clipboard of whoever runs the tests: no clipboard
    command is found unless a test provides one."""
    monkeypatch.setattr("reader.ui.reading_view.find_clipboard_tool", lambda: None)
