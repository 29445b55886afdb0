"""`y` says what it did: sent to the terminal's clipboard (which may ignore it),
and copied to the system clipboard when a clipboard command is available."""

from __future__ import annotations

import sys
from pathlib import Path

from reader.system_clipboard import ClipboardTool

from .conftest import open_doc, run_app, select_text, wait_for, wait_ready

TURNAROUND_DOC = "004_d8284c93e39c396c.txt"


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def fake_tool(target: Path, exit_status: int = 0) -> ClipboardTool:
    """A clipboard command that writes what it reads to *target* (as wl-copy would
    to the clipboard)."""
    script = (f"import sys; open({str(target)!r}, 'wb').write(sys.stdin.buffer.read()); "
              f"sys.exit({exit_status})")
    return ClipboardTool("fake-copy", (sys.executable, "-c", script))


def copy_scenario(app, check) -> None:
    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, TURNAROUND_DOC)
        await select_text(pilot, "rest periods")
        await pilot.press("y")
        await wait_for(pilot, lambda: any("clipboard" in text for text in messages(app)), what="the message")
        assert app.clipboard == "rest periods"  # sent to the terminal (OSC 52) in every case
        check(messages(app))

    run_app(app, scenario)


def test_without_a_clipboard_command_y_says_it_only_asked_the_terminal(app):
    def check(said: list[str]) -> None:
        assert not any(text.startswith("Copied") for text in said), said
        assert any("Sent 12 characters to the terminal's clipboard" in text and "tmux" in text
                   for text in said), said

    copy_scenario(app, check)


def test_with_a_clipboard_command_y_copies_through_it_and_names_it(app, monkeypatch, tmp_path):
    target = tmp_path / "clipboard.txt"
    monkeypatch.setattr("reader.ui.reading_view.find_clipboard_tool", lambda: fake_tool(target))

    def check(said: list[str]) -> None:
        assert any("Copied 12 characters to the system clipboard (fake-copy)" in text for text in said), said
        assert target.read_text(encoding="utf-8") == "rest periods"

    copy_scenario(app, check)


def test_a_failing_clipboard_command_is_reported_not_claimed(app, monkeypatch, tmp_path):
    monkeypatch.setattr("reader.ui.reading_view.find_clipboard_tool",
                        lambda: fake_tool(tmp_path / "clipboard.txt", exit_status=3))

    def check(said: list[str]) -> None:
        assert not any(text.startswith("Copied") for text in said), said
        assert any("fake-copy failed (exit status 3)" in text for text in said), said

    copy_scenario(app, check)
