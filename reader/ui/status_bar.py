"""The status line: what the reader is doing, the hit counter, indexing progress."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; padding: 0 1; }
    StatusBar #status-message { width: 1fr; }
    StatusBar #status-message.error { color: $error; text-style: bold; }
    StatusBar #hit-counter { width: auto; min-width: 16; text-align: right; color: $accent; text-style: bold; }
    StatusBar ProgressBar { width: 36; display: none; }
    StatusBar ProgressBar.busy { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield Label("Starting…", id="status-message")
        yield ProgressBar(id="index-progress", show_eta=False)
        yield Label("", id="hit-counter")

    def show_message(self, message: str, error: bool = False) -> None:
        label = self.query_one("#status-message", Label)
        label.update(Text(message))  # messages quote queries and file names: not markup
        label.set_class(error, "error")

    @property
    def message(self) -> str:
        return str(self.query_one("#status-message", Label).render())

    def show_hits(self, current: int | None, total: int) -> None:
        if total == 0:
            text = ""
        elif current is None:
            text = f"{total} hit{'s' if total != 1 else ''} (n: next)"
        else:
            text = f"hit {current + 1} of {total}"
        self.query_one("#hit-counter", Label).update(text)

    @property
    def hits_text(self) -> str:
        return str(self.query_one("#hit-counter", Label).render())

    def show_progress(self, done: int, total: int) -> None:
        bar = self.query_one("#index-progress", ProgressBar)
        bar.add_class("busy")
        bar.update(total=total, progress=done)

    def hide_progress(self) -> None:
        self.query_one("#index-progress", ProgressBar).remove_class("busy")
