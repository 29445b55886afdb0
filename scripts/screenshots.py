"""Save SVG screenshots of the reader for the README: ``python scripts/screenshots.py``.

Drives the app headless (``run_test``) at 140x45 (two at 80x24) on the bundled
documents with a throw-away data directory, and writes:

* screenshots/reader-80x24.svg: at 80x24, a search for "turnaround", the document
  open across the whole width (list and notes folded), the hit current (n);
* screenshots/welcome-80x24.svg: at 80x24 with no document open: the list and
  the welcome;

* screenshots/main-search-note.svg: a search for "turnaround", the document open,
  the hit current (n), a tagged note (a, focused), a green highlight (h) and a
  note on the whole document (A);
* screenshots/help.svg: the help screen;
* screenshots/note-editor.svg: the note editor open on the current hit, with
  text, tags and a colour chosen;
* screenshots/notes-overview.svg: the notes overview (o) with notes on three
  documents, filtered by a tag;
* screenshots/markdown-find.svg: the leaflet, which is Markdown (``*our*``,
  ``**class union.**``), styled in place, with a find (ctrl+f) for "our" walked
  to its second match.
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

from reader.config import Config  # noqa: E402
from reader.paths import DataLayout, resolve_collection  # noqa: E402
from reader.ui.app import ReaderApp  # noqa: E402
from reader.ui.help_screen import HelpScreen  # noqa: E402
from reader.ui.note_editor import NoteEditor  # noqa: E402
from reader.ui.notes_overview import NotesOverview  # noqa: E402
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


async def shoot(name: str, scenario, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        # The default config, never the user's config.toml.
        app = ReaderApp(Workspace(resolve_collection(None), DataLayout(Path(data_dir))), Config())
        async with app.run_test(size=size) as pilot:
            await start(pilot)
            await scenario(pilot)
            no_blink(app)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            return Path(app.save_screenshot(filename=name, path=str(OUT)))


async def select(pilot, phrase: str) -> None:
    """Select the first occurrence of *phrase* in the open document."""
    reader = pilot.app.reader
    start = reader.open_document.text.index(phrase)
    reader.scroll_to_span((start, start + len(phrase)), select=True)
    reader.focus()
    await pilot.pause()


async def write(pilot, key: str, text: str, tags: str = "", colour_steps: int = 0) -> None:
    """`key` (a or A) opens the editor; type the text, tab to the tags, tab to the colour."""
    app = pilot.app
    before = len(app.notes_panel.notes)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="editor")
    await pilot.press(*text)
    if tags:
        await pilot.press("tab", *tags)
    if colour_steps:
        await pilot.press("tab", *["right"] * colour_steps)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: len(app.notes_panel.notes) == before + 1, what="note")


async def main_screen(pilot) -> None:
    app = pilot.app
    panel = app.notes_panel
    await search_and_open(pilot)
    await select(pilot, "a resounding 99% vote to authorize a strike")
    await write(pilot, "a", "The vote was 98.68% yes on 90% turnout.", "#strike-vote")
    await select(pilot, "rest periods")
    await pilot.press("h")
    await wait_for(pilot, lambda: len(panel.notes) == 2, what="highlight")
    panel.highlighted = next(number for number, note in enumerate(panel.notes) if not note.body)
    panel.focus()
    await pilot.press("e", "tab", "tab", "right", "ctrl+s")  # the highlight turns green
    await wait_for(pilot, lambda: any(note.colour == "green" for note in panel.notes), what="green")
    app.reader.focus()
    await write(pilot, "A", "Trade press, the week of the strike deadline.", "#timeline", colour_steps=2)
    # Enter on the note focuses its passage; n then goes back to the hit.
    panel.highlighted = next(number for number, note in enumerate(panel.notes) if note.colour == "yellow")
    panel.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.focused is app.reader, what="the note's passage")
    await pilot.press("n")


async def reader_80x24(pilot) -> None:
    await search_and_open(pilot)


async def welcome_80x24(pilot) -> None:
    await pilot.pause()


async def help_screen(pilot) -> None:
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="help")


async def note_editor(pilot) -> None:
    app = pilot.app
    await search_and_open(pilot)
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor), what="editor")
    no_blink(app)
    await pilot.press(*"Why ten hours? Compare the 2021 Basic Agreement.", "tab", *"#rest, safety", "tab",
                      "right", "right")


async def notes_overview(pilot) -> None:
    app = pilot.app
    workspace = app.workspace
    for rel_path, phrase, body, tags, colour in [
        ("004_d8284c93e39c396c.txt", "turnaround", "Ten hours between shifts.", "rest safety", "yellow"),
        ("004_d8284c93e39c396c.txt", "rest periods", "", "rest", "green"),
        ("004_d8284c93e39c396c.txt", None, "Trade press, week of the strike deadline.", "timeline", "blue"),
        ("000_e3ada0fd6d1921fa.txt", "Kill the Proposal", "Rank-and-file call to vote no.", "strike vote", "pink"),
        ("002_536f3595c117d20e.txt", "prepared to strike", "Local 480 ready to walk out.", "strike", "purple"),
        ("001_525fc1980ab55192.txt", "resolute solidarity", "UNI MEI: 140 unions behind IATSE.", "solidarity",
         "blue"),
    ]:
        document = workspace.read(rel_path)
        start = None if phrase is None else document.text.index(phrase)
        end = None if phrase is None else start + len(phrase)
        workspace.add_note(document, start, end, body, tags=tags, colour=colour)
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(app.screen, NotesOverview), what="overview")
    await wait_for(pilot, lambda: app.screen.notes is not None, what="notes loaded")
    no_blink(app)
    await pilot.press(*"#strike")


async def markdown_find(pilot) -> None:
    app = pilot.app
    app.open_document("000_e3ada0fd6d1921fa.txt")
    await wait_for(pilot, lambda: app.reader.open_document is not None, what="the leaflet")
    app.reader.focus()
    await pilot.press("ctrl+f")
    await wait_for(pilot, lambda: app.find_bar is not None and app.find_bar.shown, what="the find bar")
    no_blink(app)
    await pilot.press(*"our")
    await wait_for(pilot, lambda: app.reader.current_match is not None, what="the matches")
    await pilot.press("enter", "n")
    await wait_for(pilot, lambda: app.reader.current_match == 1, what="the second match")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, scenario, size in [
        ("reader-80x24.svg", reader_80x24, (80, 24)),
        ("welcome-80x24.svg", welcome_80x24, (80, 24)),
        ("main-search-note.svg", main_screen, SIZE),
        ("help.svg", help_screen, SIZE),
        ("note-editor.svg", note_editor, SIZE),
        ("notes-overview.svg", notes_overview, SIZE),
        ("markdown-find.svg", markdown_find, SIZE),
    ]:
        path = await shoot(name, scenario, size)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    asyncio.run(main())
