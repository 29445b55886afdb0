"""Finding and running the system clipboard command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reader.system_clipboard import ClipboardError, ClipboardTool, copy_text, find_clipboard_tool


def on_path(*names: str):
    return lambda name: f"/usr/bin/{name}" if name in names else None


def test_wayland_session_uses_wl_copy_even_with_xclip_installed():
    tool = find_clipboard_tool({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
                               on_path("wl-copy", "xclip"), "linux")
    assert tool is not None and tool.name == "wl-copy" and tool.command == ("/usr/bin/wl-copy",)


def test_x11_session_uses_xclip_then_xsel():
    assert find_clipboard_tool({"DISPLAY": ":0"}, on_path("xclip", "xsel"), "linux").command == (
        "/usr/bin/xclip", "-selection", "clipboard")
    assert find_clipboard_tool({"DISPLAY": ":0"}, on_path("xsel"), "linux").name == "xsel"


def test_macos_and_windows_and_wsl():
    assert find_clipboard_tool({}, on_path("pbcopy"), "darwin").name == "pbcopy"
    assert find_clipboard_tool({}, on_path("clip.exe"), "win32").encoding == "utf-16"
    assert find_clipboard_tool({"WSL_DISTRO_NAME": "Ubuntu"}, on_path("clip.exe"), "linux").name == "clip.exe"


def test_no_display_no_clipboard_even_when_the_tools_are_installed():
    # Over plain SSH xclip is installed but has no display to talk to.
    assert find_clipboard_tool({}, on_path("xclip", "xsel", "wl-copy"), "linux") is None


def test_copy_text_feeds_the_text_to_the_command(tmp_path: Path):
    target = tmp_path / "out.txt"
    script = f"import sys; open({str(target)!r}, 'wb').write(sys.stdin.buffer.read())"
    copy_text(ClipboardTool("fake", (sys.executable, "-c", script)), "grève ✎")
    assert target.read_text(encoding="utf-8") == "grève ✎"


def test_copy_text_reports_failures_clearly(tmp_path: Path):
    with pytest.raises(ClipboardError, match="exit status 2"):
        copy_text(ClipboardTool("fake", (sys.executable, "-c", "import sys; sys.exit(2)")), "x")
    with pytest.raises(ClipboardError, match="could not be run"):
        copy_text(ClipboardTool("missing", (str(tmp_path / "no-such-command"),)), "x")
    with pytest.raises(ClipboardError, match="did not finish"):
        copy_text(ClipboardTool("slow", (sys.executable, "-c", "import time; time.sleep(5)")), "x", timeout=0.2)
