"""The status line: what the reader is doing, the hit counter, indexing progress,
the find counter ("match k of n"), the page of a paginated document ("p. 57 / 311")
and the reader's position ("42% · line 120").

The find counter, the page and the position are mounted the first time they have something
to say (as the progress bar is), so the first screen has no more widgets to style.
"""

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
    StatusBar #find-counter { width: auto; margin-left: 2; color: $text-primary; text-style: bold; }
    StatusBar #find-counter.-none { color: $text-error; }
    StatusBar #page-number { width: auto; margin-left: 2; text-style: bold; }
    StatusBar #position { width: auto; min-width: 17; margin-left: 2; text-align: right; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._message = Label("Starting…", id="status-message")
        # Mounted when indexing first reports progress: a start with an index up
        # to date never shows it, and the first screen has four widgets fewer to style.
        self._progress: ProgressBar | None = None
        self._hits = Label("", id="hit-counter")
        self._find: Label | None = None
        self._position: Label | None = None
        self._page: Label | None = None

    def compose(self) -> ComposeResult:
        yield self._message
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

    def show_find(self, query: str | None, current: int | None, total: int, truncated: bool = False) -> None:
        """The find counter: "match 3 of 17" (query None: the find ended, hidden).
        While a find is on, the hit counter steps aside: n/N walk the matches."""
        if query is None:
            if self._find is not None:
                self._find.display = False
            self._hits.display = True
            return
        label = self._find
        if label is None:
            label = self._find = Label("", id="find-counter")
            self.mount(label, before=self._hits)
        label.display = True
        self._hits.display = False
        more = "+" if truncated else ""
        if not query:
            text = "find: type to search"
        elif total == 0:
            text = "no match"
        elif current is None:
            text = f"{total:,}{more} match{'es' if total != 1 else ''}"
        else:
            text = f"match {current + 1:,} of {total:,}{more}"
        label.set_class(bool(query) and total == 0, "-none")
        label.update(text)

    @property
    def find_text(self) -> str:
        return str(self._find.render()) if self._find is not None and self._find.display else ""

    def show_position(self, percent: int, line: int) -> None:
        """Where the reader is: how far through the text, and the line at the top."""
        label = self._position
        if label is None:
            label = self._position = Label("", id="position")
            self.mount(label)
        label.update(f"{percent}% · line {line:,}")

    @property
    def position_text(self) -> str:
        return str(self._position.render()) if self._position is not None else ""

    def show_page(self, page: int | None, total: int) -> None:
        """"p. 57 / 311" for a paginated document; nothing for one without pages."""
        label = self._page
        if label is None:
            if page is None:
                return
            label = self._page = Label("", id="page-number")
            self.mount(label, after=self._hits)
        label.display = page is not None  # no cell taken from the message without pages
        label.update("" if page is None else f"p. {page} / {total}")

    @property
    def page_text(self) -> str:
        return str(self._page.render()) if self._page is not None and self._page.display else ""
