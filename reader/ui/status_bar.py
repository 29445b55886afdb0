"""The status line: what the reader is doing, the page, the hit counter, indexing progress."""

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
    StatusBar #page-number { width: auto; margin-left: 1; text-style: bold; display: none; }
    StatusBar #hit-counter { width: auto; min-width: 16; text-align: right; color: $accent; text-style: bold; }
    StatusBar ProgressBar { width: 36; display: none; }
    StatusBar ProgressBar.busy { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._message = Label("Starting…", id="status-message")
        # Mounted when indexing first reports progress: a start with an index up
        # to date never shows it, and the first screen has four widgets fewer to style.
        self._progress: ProgressBar | None = None
        self._hits = Label("", id="hit-counter")
        self._page = Label("", id="page-number")

    def compose(self) -> ComposeResult:
        yield self._message
        yield self._page
        yield self._hits

    def show_message(self, message: str, error: bool = False) -> None:
        label = self._message
        label.update(Text(message))  # messages quote queries and file names: not markup
        label.set_class(error, "error")

    @property
    def message(self) -> str:
        return str(self._message.render())

    def show_hits(self, current: int | None, total: int) -> None:
        if total == 0:
            text = ""
        elif current is None:
            text = f"{total} hit{'s' if total != 1 else ''} (n: next)"
        else:
            text = f"hit {current + 1} of {total}"
        self._hits.update(text)

    @property
    def hits_text(self) -> str:
        return str(self._hits.render())

    def show_page(self, page: int | None, total: int) -> None:
        """"p. 57 / 311" for a paginated document; nothing for one without pages."""
        self._page.update("" if page is None else f"p. {page} / {total}")
        self._page.display = page is not None  # no cell taken from the message without pages

    @property
    def page_text(self) -> str:
        return str(self._page.render())

    def show_progress(self, done: int, total: int) -> None:
        bar = self._progress
        if bar is None:
            bar = self._progress = ProgressBar(id="index-progress", show_eta=False)
            self.mount(bar, before=self._hits)
        bar.add_class("busy")
        bar.update(total=total, progress=done)

    def hide_progress(self) -> None:
        if self._progress is not None:
            self._progress.remove_class("busy")
