"""Copying text to the system clipboard through the platform's own command, when
one is on PATH: ``wl-copy`` (Wayland), ``xclip`` or ``xsel`` (X11), ``pbcopy``
(macOS), ``clip.exe`` (Windows, and WSL).

Why commands and no library: pyperclip and friends do exactly this (they shell
out to the same tools), and a dependency for thirty lines is not worth it.  The
TUI also sends the text to the terminal's clipboard (OSC 52), which many
terminals, and tmux by default, silently ignore; the system clipboard is what
makes `y` work there.  Nothing here blocks the UI: the app calls
:func:`copy_text` from a thread worker.

Plain Python (no Textual).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

COPY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ClipboardTool:
    """A command that reads text on stdin and puts it on the clipboard."""

    name: str  # as said to the user: "wl-copy"
    command: tuple[str, ...]
    encoding: str = "utf-8"


class ClipboardError(Exception):
    """The tool was found but failed (its message is for the user)."""


def find_clipboard_tool(
    environment: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    platform: str = sys.platform,
) -> ClipboardTool | None:
    """The clipboard command for this session, or None when there is none (a
    plain SSH session, a container): the session's display decides between the
    Wayland and X11 tools, since both may be installed."""
    environment = os.environ if environment is None else environment
    candidates: list[ClipboardTool] = []
    if platform == "darwin":
        candidates.append(ClipboardTool("pbcopy", ("pbcopy",)))
    if platform == "win32" or "WSL_DISTRO_NAME" in environment:
        candidates.append(ClipboardTool("clip.exe", ("clip.exe",), encoding="utf-16"))
    if environment.get("WAYLAND_DISPLAY"):
        candidates.append(ClipboardTool("wl-copy", ("wl-copy",)))
    if environment.get("DISPLAY"):
        candidates.append(ClipboardTool("xclip", ("xclip", "-selection", "clipboard")))
        candidates.append(ClipboardTool("xsel", ("xsel", "--clipboard", "--input")))
    for tool in candidates:
        path = which(tool.command[0])
        if path is not None:
            return ClipboardTool(tool.name, (path, *tool.command[1:]), tool.encoding)
    return None


def copy_text(tool: ClipboardTool, text: str, timeout: float = COPY_TIMEOUT_SECONDS) -> None:
    """Put *text* on the clipboard with *tool*; raises :class:`ClipboardError`.

    Its output goes to /dev/null, not to a pipe: xclip and wl-copy stay in the
    background to serve the clipboard, and a pipe they keep open would make us
    wait for them."""
    try:
        completed = subprocess.run(
            tool.command, input=text.encode(tool.encoding), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ClipboardError(f"{tool.name} did not finish within {timeout:g} s") from error
    except OSError as error:
        raise ClipboardError(f"{tool.name} could not be run: {error.strerror or error}") from error
    if completed.returncode != 0:
        raise ClipboardError(f"{tool.name} failed (exit status {completed.returncode})")
