"""A seeded random walk over the keyboard: hundreds of keys across every screen
(the main screen, the note editor, the overview, help, the confirm dialogs, the
command palette), on the bundled documents and on a folder of odd files.

Checked: no exception (in the app or in a worker), the app still answers a known
key at the end, and the note store keeps its promises: no note the keys did not
delete is lost (deletes leave tombstones, so "lost" means neither live nor a
tombstone), and every live note's passage lies inside its document.

The seed is fixed, so a failure replays; ``IATSE_FUZZ_SEED`` and
``IATSE_FUZZ_KEYS`` run other walks locally.  A run stops after
``TIME_BUDGET_SECONDS`` whatever the key count, so the suite stays bounded.

The odd folder has a named pipe called ``fifo.txt`` too: the scan skips it
(with a reason) instead of blocking on it.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from pathlib import Path

from textual.command import CommandPalette

import reader.ui.app
from reader.notes import NoteKind
from reader.paths import Collection, DataLayout, resolve_collection
from reader.ui.app import ReaderApp
from reader.ui.confirm_dialog import ConfirmDialog
from reader.ui.help_screen import HelpScreen
from reader.ui.note_editor import NoteEditor
from reader.ui.notes_overview import NotesOverview
from reader.workspace import Workspace

from .conftest import wait_for, wait_ready
from .test_key_order import key_event

SEED = int(os.environ.get("IATSE_FUZZ_SEED", "1313"))
KEY_COUNT = int(os.environ.get("IATSE_FUZZ_KEYS", "600"))
TIME_BUDGET_SECONDS = 28.0  # per walk; two walks in the suite

# "q" and ctrl+q quit (typed in a text field "q" is harmless, but the walk cannot
# know where focus is): left out.  Everything else a user reaches by keyboard is in.
TYPING = list("abcdefghijklmnoprstuvwxyz") + ["A", "N", "1", "3", "5", "#", "space", "slash",
                                                "question_mark", "full_stop", "quotation_mark"]
MOVING = ["up", "down", "left", "right", "pageup", "pagedown", "home", "end",
          "shift+right", "shift+left", "shift+down", "shift+up"]
COMMANDS = ["enter", "escape", "tab", "shift+tab", "backspace", "ctrl+s", "ctrl+z", "ctrl+p", "ctrl+f",
            "ctrl+w", "ctrl+u", "ctrl+a", "ctrl+c", "f1", "o", "e", "d", "r", "u", "y", "n", "h", "a", "s",
            "t", "g", "G", "b", "ctrl+left", "ctrl+shift+right"]
SCREENS = {"main", "NoteEditor", "NotesOverview", "HelpScreen", "ConfirmDialog", "CommandPalette",
           "OutlineScreen"}


class FuzzedApp(ReaderApp):
    """The reader, minus the palette commands that leave the walk: Quit ends the
    app, Screenshot writes a file into the working directory."""

    CSS_PATH = str(Path(reader.ui.app.__file__).parent / ReaderApp.CSS_PATH)  # relative to the app's module

    def get_system_commands(self, screen):
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Screenshot"):
                yield command


def odd_folder(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (root / "huge-line.txt").write_text("Huge line\n\n" + "turnaround rest " * 40_000, encoding="utf-8")
    (root / "tab\tname.txt").write_text("col1\tcol2 a title\n\nrest\tperiods\tand\tstrike\n", encoding="utf-8")
    (root / "emoji 👨‍👩‍👧.md").write_text("# Family 👨‍👩‍👧 day 👍🏽\n\nThe picnic ❤️ rest 👍🏿 strike.\n",
                                         encoding="utf-8")
    (root / "escape\x1b[31m.txt").write_text("Escape \x1b[31mred\x1b[0m\n\n\x1b[2J rest \u202eevil strike\r\n",
                                              encoding="utf-8")
    (root / "latin1.txt").write_bytes("Grève générale\n\nLa grève des équipes.\n".encode("latin-1"))
    os.mkfifo(root / "fifo.txt")
    (root / "plain.txt").write_text("Plain notes\n\nMeal breaks every six hours.\nTen hours of rest.\n",
                                    encoding="utf-8")
    return root


def screen_name(app) -> str:
    screen = app.screen
    if isinstance(screen, CommandPalette):  # the palette of commands, or of themes
        return "CommandPalette"
    return "main" if screen is app.screen_stack[0] else type(screen).__name__


def notes_outside_their_documents(app) -> list[str]:
    """Live notes whose passage is not inside their document (as read now)."""
    problems = []
    for note in app.workspace.all_notes():
        if note.kind == NoteKind.DOCUMENT or not note.is_placed:
            continue
        text = app.workspace.read(note.doc_path).text
        if not 0 <= note.start < note.end <= len(text):
            problems.append(f"{note.id}: {note.start}-{note.end} outside 0-{len(text)}")
    return problems


async def back_to_main(pilot) -> None:
    """Close whatever is open, answering questions so nothing is kept waiting."""
    app = pilot.app
    for _ in range(12):
        name = screen_name(app)
        if name == "main":
            return
        if name == "ConfirmDialog":
            await pilot.press("y" if app.screen.question == "Discard this note?" else "n")
        else:
            await pilot.press("escape")
    raise AssertionError(f"stuck on {screen_name(app)}")


async def open_and_select(pilot, rng: random.Random, documents: list[str]) -> None:
    """Open one of *documents* (waiting until it is shown, even if it was open
    already: showing it again resets the selection) and select its start."""
    app = pilot.app
    rel_path = rng.choice(documents)
    app.open_document(rel_path)

    def shown() -> bool:
        document = app.reader.open_document
        loading = any(worker.group == "open" and worker.is_running for worker in app.workers)
        return document is not None and document.rel_path == rel_path and not loading

    await wait_for(pilot, shown, what=f"{rel_path} shown")
    await pilot.pause()
    app.reader.scroll_to_span((0, min(rng.randint(1, 12), len(app.reader.text))), select=True)
    app.reader.focus()
    await pilot.pause()


async def macro(pilot, number: int, rng: random.Random, documents: list[str], outlined: list[str]) -> None:
    """Steps a user takes on purpose, in turn, so that every screen is reached:
    write a note, the overview, help, the palette, delete a note (a question),
    the outline, a find."""
    app = pilot.app
    await back_to_main(pilot)
    step = number % 7
    if step == 0:
        await open_and_select(pilot, rng, documents)
        await pilot.press(rng.choice(["a", "A"]))
    elif step == 1:
        await pilot.press("o")
    elif step == 2:
        await pilot.press("question_mark")
    elif step == 3:
        await pilot.press("ctrl+p")
    elif step == 5:  # on a document with headings, if there is one ("No headings" otherwise)
        await open_and_select(pilot, rng, outlined or documents)
        await pilot.press("t")
        if outlined:
            await wait_for(pilot, lambda: screen_name(app) == "OutlineScreen", timeout=5, what="the outline")
    elif step == 6:
        await open_and_select(pilot, rng, documents)
        await pilot.press("ctrl+f", *rng.choice(["rest", "strike", "a"]))
    else:
        if not app.notes_panel.notes:
            await open_and_select(pilot, rng, documents)
            await pilot.press("h")
            await wait_for(pilot, lambda: bool(app.notes_panel.notes), timeout=5, what="a highlight")
        app.notes_panel.focus()
        await pilot.press("d")


def walk(app: ReaderApp, documents: list[str], seed: int, outlined: list[str]) -> None:
    """*outlined*: the documents with headings (the outline screen opens on them)."""
    try:
        _walk(app, documents, seed, outlined)
    except AssertionError as error:  # say how to replay it
        raise AssertionError(
            f"{error} (walk seed {seed}: IATSE_FUZZ_SEED sets the first walk's, +1 the second's)"
        ) from error


def _walk(app: ReaderApp, documents: list[str], seed: int, outlined: list[str]) -> None:
    rng = random.Random(seed)
    store = app.workspace.notes
    key = app.workspace.collection.key

    async def main() -> None:
        async with app.run_test(size=(100, 34)) as pilot:
            await wait_ready(pilot)
            seen_ids: set[str] = {note.id for note in store.all(key)}
            screens: set[str] = set()
            started = time.monotonic()
            keys = step = 0
            while keys < KEY_COUNT and time.monotonic() - started < TIME_BUDGET_SECONDS:
                step += 1
                if step % 12 == 0:
                    await macro(pilot, step // 12, rng, documents, outlined)
                    screens.add(screen_name(app))
                elif rng.random() < 0.3:
                    await pilot.press(rng.choice(rng.choice([TYPING, MOVING, COMMANDS])))
                    keys += 1
                else:  # a burst, as a fast typist or a paste over SSH sends it
                    burst = [rng.choice(rng.choice([TYPING, MOVING, COMMANDS])) for _ in range(rng.randint(2, 8))]
                    for name in burst:
                        event = key_event(name)
                        event.set_sender(app)
                        app._driver.send_message(event)
                    keys += len(burst)
                    await pilot.pause()
                screens.add(screen_name(app))
                assert app._exception is None, app._exception
                assert app.is_running, f"the app stopped at step {step}"
                if step % 10 == 0:
                    seen_ids |= {note.id for note in store.all(key)}

            print(f"{keys} keys in {time.monotonic() - started:.1f} s; screens: {sorted(screens)}")
            await back_to_main(pilot)
            await app.workers.wait_for_complete()
            await pilot.pause()
            failures = [n.message for n in app._notifications if n.title == "Something went wrong"]
            assert failures == [], failures

            # Still answering: `/` puts the focus in the search bar, and typing lands there
            # (from the list: in a text field, such as the find bar, `/` is typed).
            app.document_list.focus()
            await pilot.pause()
            await pilot.press("slash")
            await wait_for(pilot, lambda: app.focused is app.search_bar, what="the search bar focused")
            await pilot.press("ctrl+u", *"alive")
            await wait_for(pilot, lambda: app.search_bar.value == "alive", what="typing in the search bar")

            seen_ids |= {note.id for note in store.all(key)}
            kept = {note.id for note in store.all(key)} | {note.id for note in store.deleted(key)}
            assert seen_ids <= kept, f"notes lost: {seen_ids - kept}"
            assert notes_outside_their_documents(app) == []
            expected = SCREENS if outlined else SCREENS - {"OutlineScreen"}
            assert screens == expected, f"screens not reached: {expected - screens}"

    asyncio.run(main())


def test_random_keys_on_the_bundled_documents(tmp_path: Path):
    collection = resolve_collection(None)
    app = FuzzedApp(Workspace(collection, DataLayout(tmp_path / "data")))
    documents = sorted(path.name for path in collection.root.glob("*.txt"))
    walk(app, documents, SEED, outlined=[])  # its news items have no headings


def test_random_keys_on_a_folder_of_odd_files(tmp_path: Path):
    root = odd_folder(tmp_path / "odd")
    app = FuzzedApp(Workspace(Collection(root=root, key=str(root)), DataLayout(tmp_path / "data")))
    readable = ["plain.txt", "tab\tname.txt", "emoji 👨‍👩‍👧.md", "escape\x1b[31m.txt", "latin1.txt",
                "huge-line.txt"]
    walk(app, readable, SEED + 1, outlined=["emoji 👨‍👩‍👧.md"])  # its own walk, replayed with IATSE_FUZZ_SEED=SEED+1
