"""End to end: drive the installed ``iatse-reader`` command in a real terminal (tmux).

At 80x24, the most common default terminal: search, open a document, step to a
hit, write a note, read a page on, quit; then start again on the same data
directory and check that the document reopens by itself at the same place, and
the note is still there, on screen and in the note store (``iatse-reader notes
list --json``).

The test runs on its own tmux server (``tmux -L <unique socket> -f <own config>``)
so it never touches the user's tmux.  tmux is required: if it is missing the
test fails (CI installs it) rather than skipping silently.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.format_files import make_pdf
from tests.paginated import PAGES, paginated_lines

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 80, 24
POLL_SECONDS = 0.1
START_TIMEOUT = 40  # first start builds the index; CI machines are small and noisy
STEP_TIMEOUT = 20

DOCUMENT_TITLE = "IATSE and AMPTP Negotiations Expected to Continue"  # only the reader's border shows it whole
NOTE_TEXT = "Rest between shifts e2e"
# What is typed: the short text above (checked on screen) and a tail typed straight
# into ctrl+s without waiting, as a fast typist would: every character must be saved.
TYPED_NOTE = NOTE_TEXT + " typed fast then saved at once"

# Variables that would change how the app or tmux behaves if inherited from the caller.
_DROPPED_ENV = ("TMUX", "TMUX_PANE", "COLUMNS", "LINES", "NO_COLOR", "IATSE_READER_DOCS", "IATSE_READER_DATA_DIR")


def reader_command() -> Path:
    """The installed console script: the sibling of this Python (CI runs the venv's
    python without activating the venv), else whatever is on PATH."""
    sibling = Path(sys.executable).parent / "iatse-reader"
    if sibling.exists():
        return sibling
    found = shutil.which("iatse-reader")
    if found is None:
        pytest.fail(
            f"the iatse-reader command is not installed (looked beside {sys.executable} and on PATH); "
            "install the project (pip install -e .) into the environment running pytest"
        )
    return Path(found)


def tmux_executable() -> str:
    found = shutil.which("tmux")
    if found is None:
        pytest.fail("tmux is required for the end-to-end tests but is not installed (apt-get install tmux)")
    return found


class Tmux:
    """A private tmux server on its own socket, with a config of our own."""

    def __init__(self, workdir: Path, size: tuple[int, int] = (WIDTH, HEIGHT)) -> None:
        self.executable = tmux_executable()
        self.width, self.height = size
        self.socket = f"iatse-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.config = workdir / "tmux.conf"
        # remain-on-exit keeps a pane (and its last screen) after its process ends,
        # so a crash's traceback shows up in the failure message.
        self.config.write_text(
            "set -g remain-on-exit on\n"
            "set -g status off\n"
            "set -g history-limit 0\n"
            "set -sg escape-time 0\n",
            encoding="utf-8",
        )
        self.env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
        # Never the user's own config.toml (key bindings would change what the keys do).
        self.env["IATSE_READER_CONFIG"] = str(workdir / "no-config.toml")
        self.screen = ""

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.executable, "-u", "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True, text=True, encoding="utf-8", errors="replace",
            env=self.env, timeout=30,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result

    def start(self, session: str, argv: list[str]) -> Path:
        """Run ``argv`` in a new session; returns the file its exit status will be
        written to.  (The shell records it: tmux 3.3 sometimes never reaps a pane's
        process, leaving ``#{pane_dead_status}`` empty.)"""
        status_file = self.config.parent / f"{session}.status"
        status_file.unlink(missing_ok=True)
        inner = shlex.join(["env", "TERM=xterm-256color", "COLORTERM=truecolor", *argv])
        target, partial = shlex.quote(str(status_file)), shlex.quote(f"{status_file}.partial")
        script = f"{inner}; echo $? > {partial} && mv {partial} {target}"
        self.run("new-session", "-d", "-x", str(self.width), "-y", str(self.height), "-s", session, script)
        return status_file

    def send_keys(self, session: str, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", session, *(["-l"] if literal else []), *keys)

    def capture(self, session: str) -> str:
        result = self.run("capture-pane", "-p", "-t", session, check=False)
        if result.returncode == 0:
            self.screen = result.stdout
        return self.screen

    def wait_for_screen(
        self, session: str, predicate: Callable[[str], bool] | str, what: str = "", timeout: float = STEP_TIMEOUT,
    ) -> str:
        """Poll the pane until ``predicate(screen)`` holds (a string means "is on
        screen"); on timeout fail with the last screen in the message."""
        if isinstance(predicate, str):
            needle = predicate
            what = what or repr(needle)
            predicate = lambda screen: needle in screen  # noqa: E731
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture(session)
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                status_file = self.config.parent / f"{session}.status"
                process = (
                    f"the command exited with status {status_file.read_text().strip()}"
                    if status_file.exists() else "the command is still running"
                )
                pytest.fail(
                    f"timed out after {timeout:.0f}s waiting for {what or predicate} ({process}); "
                    f"last screen:\n{screen}",
                    pytrace=False,
                )
            time.sleep(POLL_SECONDS)

    def wait_for_exit(self, session: str, status_file: Path, timeout: float = STEP_TIMEOUT) -> int:
        """Wait for the command started by :meth:`start` to end; return its exit status."""
        deadline = time.monotonic() + timeout
        while not status_file.exists():
            if time.monotonic() > deadline:
                pytest.fail(
                    f"iatse-reader did not exit within {timeout:.0f}s of q; last screen:\n{self.capture(session)}",
                    pytrace=False,
                )
            time.sleep(POLL_SECONDS)
        return int(status_file.read_text().strip())

    def kill_server(self) -> None:
        """Stop the private server and remove its socket (tmux leaves it behind)."""
        try:
            socket_path = self.run("display-message", "-p", "#{socket_path}", check=False).stdout.strip()
            self.run("kill-server", check=False)
        except subprocess.TimeoutExpired:
            return
        if socket_path.endswith(self.socket):
            Path(socket_path).unlink(missing_ok=True)


def _all_on_screen(*needles: str) -> Callable[[str], bool]:
    return lambda screen: all(needle in screen for needle in needles)


def _list_is_showing(screen: str) -> bool:
    return "Press / to search" in screen or "IATSE and AMPTP Negotiations" in screen


def _settled(polls: int = 3) -> Callable[[str], bool]:
    """True once the screen has looked the same for *polls* captures in a row (a
    repaint in flight has landed)."""
    seen: list[str] = []

    def check(screen: str) -> bool:
        seen.append(screen)
        return len(seen) >= polls and len(set(seen[-polls:])) == 1

    return check


def _reader_rows(screen: str) -> list[str]:
    """The lines inside the reading view's border (the document open at 80x24 has
    the whole width: the list and notes panel are folded)."""
    lines = screen.splitlines()
    top = next((number for number, line in enumerate(lines) if line.startswith("╭─ " + DOCUMENT_TITLE[:30])), None)
    if top is None:
        return []  # not open (yet)
    bottom = next((number for number in range(top + 1, len(lines)) if lines[number].startswith("╰")), len(lines))
    return lines[top + 1:bottom]


def _search_and_open(tmux: Tmux, session: str) -> str:
    tmux.send_keys(session, "/")
    # `/` moves the focus on the app's next turn (Widget.focus defers it), so keys
    # sent in the same burst would still go to the list: wait until the footer
    # shows the search bar's own binding, i.e. the search bar has the focus.
    tmux.wait_for_screen(session, "Clear search", what="the search bar to take the focus")
    tmux.send_keys(session, "turnaround", literal=True)
    tmux.send_keys(session, "Enter")
    tmux.wait_for_screen(session, "Results (1)")
    tmux.send_keys(session, "Enter")
    # The passage wraps inside the reader, so look for the quoted word plus the
    # document title in the reader's border (the list truncates the title).
    return tmux.wait_for_screen(
        session, _all_on_screen("“turnaround”", DOCUMENT_TITLE), what="the document open in the reader"
    )


def test_search_annotate_quit_and_reopen(tmp_path: Path) -> None:
    command = reader_command()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    argv = [str(command), "--data-dir", str(data_dir)]
    tmux = Tmux(tmp_path)
    try:
        # -- first run: search, open, step to the hit, write a note, quit ------------
        first_status = tmux.start("first", argv)
        tmux.wait_for_screen("first", _list_is_showing, what="the document list", timeout=START_TIMEOUT)
        _search_and_open(tmux, "first")

        tmux.send_keys("first", "n")
        tmux.wait_for_screen("first", "hit 1 of 1")

        tmux.send_keys("first", "a")
        tmux.wait_for_screen("first", "ctrl+s save", what="the note editor")
        tmux.send_keys("first", TYPED_NOTE, literal=True)
        tmux.send_keys("first", "C-s")
        tmux.wait_for_screen(
            "first", lambda screen: "ctrl+s save" not in screen and "Note saved" in screen,
            what="the note saved",
        )
        # At 80 columns the notes panel is folded: `]` shows it over the text.
        tmux.send_keys("first", "]")
        tmux.wait_for_screen("first", _all_on_screen("Notes (1)", NOTE_TEXT), what="the note in the notes panel")
        tmux.send_keys("first", "]")  # folded again, the focus back in the reader
        tmux.wait_for_screen("first", lambda screen: "Notes (1)" not in screen, what="the notes panel folded")

        # -- read a page on, and remember what the reader shows --------------------------
        before = _reader_rows(tmux.capture("first"))
        tmux.send_keys("first", "PageDown")
        tmux.wait_for_screen("first", lambda screen: _reader_rows(screen) != before, what="a page on")
        left_at = _reader_rows(tmux.wait_for_screen("first", _settled(), what="the page to settle"))
        assert left_at[0].strip() and left_at != before

        tmux.send_keys("first", "q")
        status = tmux.wait_for_exit("first", first_status)
        assert status == 0, f"iatse-reader exited with status {status}; last screen:\n{tmux.capture('first')}"

        # -- second run on the same data dir: the note is still there ----------------
        second_status = tmux.start("second", argv)
        # The document reopens by itself, at the place it was left.
        tmux.wait_for_screen(
            "second", lambda screen: DOCUMENT_TITLE in screen and _reader_rows(screen) == left_at,
            what="the document reopened at the same place", timeout=START_TIMEOUT,
        )
        tmux.send_keys("second", "]")
        tmux.wait_for_screen("second", _all_on_screen("Notes (1)", NOTE_TEXT), what="the note from the first run")
        tmux.send_keys("second", "q")
        status = tmux.wait_for_exit("second", second_status)
        assert status == 0, f"iatse-reader exited with status {status}; last screen:\n{tmux.capture('second')}"
    finally:
        tmux.kill_server()

    # -- and in the note store ------------------------------------------------------------
    listed = subprocess.run(
        [str(command), "notes", "list", "--json", "--data-dir", str(data_dir)],
        capture_output=True, text=True, encoding="utf-8", env=tmux.env, timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    notes = json.loads(listed.stdout)
    assert len(notes) == 1, notes
    (note,) = notes
    assert note["body"] == TYPED_NOTE
    assert note["quote"] == "turnaround"
    assert note["title"].startswith(DOCUMENT_TITLE)
    assert note["state"] == "ok"


# -- pages: a PDF, a phrase across a page break ------------------------------------------

_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _background_runs(styled_screen: str) -> list[tuple[tuple[int, ...] | None, str]]:
    """The screen as (background colour, text) runs, from tmux ``capture-pane -e``
    output: the colour as its SGR parameters (``(48, 2, r, g, b)``, ``(43,)``), None
    for the terminal's default; a new run wherever the background changes."""
    runs: list[tuple[tuple[int, ...] | None, str]] = []
    background: tuple[int, ...] | None = None
    position = 0
    for match in [*_SGR.finditer(styled_screen), None]:
        text = styled_screen[position:match.start() if match else len(styled_screen)]
        if text:
            if runs and runs[-1][0] == background:
                runs[-1] = (background, runs[-1][1] + text)
            else:
                runs.append((background, text))
        if match is None:
            break
        position = match.end()
        values = [int(value) if value else 0 for value in match.group(1).split(";")]
        index = 0
        while index < len(values):
            value = values[index]
            if value in (38, 48):  # an extended colour and its arguments
                size = 3 if index + 1 < len(values) and values[index + 1] == 5 else 5
                if value == 48:
                    background = tuple(values[index:index + size])
                index += size
                continue
            if 40 <= value <= 47 or 100 <= value <= 107:
                background = (value,)
            elif value in (0, 49):
                background = None
            index += 1
    return runs


def _lit_runs(styled_screen: str, first: str) -> list[str]:
    """The text drawn in the colour of the run that starts with *first* (the hit's
    colour), run by run; empty if no run starts with *first*."""
    runs = _background_runs(styled_screen)
    colour = next((background for background, text in runs if text.startswith(first)), None)
    return [text for background, text in runs if colour is not None and background == colour]


def test_a_phrase_across_a_page_break_is_lit_and_its_page_shown(tmp_path: Path) -> None:
    command = reader_command()
    docs = tmp_path / "docs"
    docs.mkdir()
    # A PDF with a running header and page numbers, as the formats layer reads it:
    # the header and numbers dropped, the lines reflowed, "rest periods" one phrase.
    make_pdf(docs / "agreement.pdf", paginated_lines(), title="The Agreement")
    data_dir = tmp_path / "data"
    argv = [str(command), "--docs", str(docs), "--data-dir", str(data_dir)]
    # The checks below read "periods of ten hours" on one row of the reader, as it
    # wraps at 140 columns (the test above is the one at 80x24).
    tmux = Tmux(tmp_path, size=(140, 45))
    try:
        status_file = tmux.start("pages", argv)
        tmux.wait_for_screen("pages", "Press / to search", what="the document list", timeout=START_TIMEOUT)
        tmux.send_keys("pages", "/")
        tmux.wait_for_screen("pages", "Clear search", what="the search bar to take the focus")
        tmux.send_keys("pages", '"rest periods"', literal=True)
        tmux.send_keys("pages", "Enter")
        tmux.wait_for_screen("pages", _all_on_screen("Results (1)", "p. 4 · "), what="the result and its page")
        tmux.send_keys("pages", "Enter")
        screen = tmux.wait_for_screen(
            "pages", _all_on_screen("Members shall have", "periods of ten hours", f"p. 4 / {PAGES}"),
            what="the hit on screen and its page in the status line",
        )
        assert "Basic Agreement 2024" not in screen  # the running header is gone
        styled = tmux.run("capture-pane", "-p", "-e", "-t", "pages").stdout
        # The hit's colour: "rest" has it from its second letter (the cursor, in
        # reverse video, is on the first), and so has "periods", over the page break;
        # nothing else on screen has it.
        lit = _lit_runs(styled, "est")
        assert lit and any("periods" in text for text in lit), f"the hit is not lit:\n{styled!r}"
        assert not any("Members" in text or "Clause" in text for text in lit), f"more than the hit is lit: {lit}"

        tmux.send_keys("pages", "C-g")
        tmux.wait_for_screen("pages", "Go to page", what="the go-to-page dialog")
        tmux.send_keys("pages", "9", "Enter")
        tmux.wait_for_screen("pages", _all_on_screen(f"p. 9 / {PAGES}", "Clause 9.1:"),
                             what="page 9")
        tmux.send_keys("pages", "q")
        status = tmux.wait_for_exit("pages", status_file)
        assert status == 0, f"iatse-reader exited with status {status}; last screen:\n{tmux.capture('pages')}"
    finally:
        tmux.kill_server()
