"""Save SVG screenshots of the reader for the README: ``python scripts/screenshots.py``.

Drives the app headless (``run_test``) at 140x45 on the bundled documents with a
throw-away data directory, and writes:

* screenshots/main-search-note.svg: a search for "turnaround", the document open,
  the hit current (n) and one note added;
* screenshots/help.svg: the help screen;
* screenshots/note-editor.svg: the note editor open on the current hit.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.widgets import Input, TextArea  # noqa: E402

from reader.paths import DataLayout, resolve_collection  # noqa: E402
from reader.ui.app import ReaderApp  # noqa: E402
from reader.ui.help_screen import HelpScreen  # noqa: E402
from reader.ui.note_editor import NoteEditor  # noqa: E402
from reader.workspace import Workspace  # noqa: E402

SIZE = (140, 45)
OUT = ROOT / "screenshots"


async def wait_for(pilot, predicate, timeout: float = 15, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def no_blink(app: ReaderApp) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


async def start(pilot) -> None:
    app = pilot.app
    no_blink(app)
    await wait_for(pilot, lambda: app.index_ready and app.document_list.row_count > 0, what="index")
    await pilot.pause()


async def search_and_open(pilot) -> None:
    app = pilot.app
    await pilot.press("slash", *"turnaround", "enter")
    await wait_for(pilot, lambda: app.document_list.showing_results, what="results")
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.reader.open_document is not None, what="document")
    await pilot.press("n")
    await wait_for(pilot, lambda: app.reader.current_hit == 0, what="hit")


async def shoot(name: str, scenario) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        app = ReaderApp(Workspace(resolve_collection(None), DataLayout(Path(data_dir))))
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            await scenario(pilot)
            no_blink(app)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            return Path(app.save_screenshot(filename=name, path=str(OUT)))


async def main_screen(pilot) -> None:
    app = pilot.app
    await search_and_open(pilot)
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="editor")
    await pilot.press(*"Ten hours between shifts: the turnaround the strike vote was about.")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: len(app.notes_panel.notes) == 1, what="note")


async def help_screen(pilot) -> None:
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="help")


async def note_editor(pilot) -> None:
    app = pilot.app
    await search_and_open(pilot)
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="editor")
    no_blink(app)
    await pilot.press(*"Why ten hours?")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, scenario in [
        ("main-search-note.svg", main_screen),
        ("help.svg", help_screen),
        ("note-editor.svg", note_editor),
    ]:
        path = await shoot(name, scenario)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    asyncio.run(main())
