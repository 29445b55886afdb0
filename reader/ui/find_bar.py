"""The find bar (``ctrl+f`` in the reader): a one-line field under the panes that
finds plain text, any case, in the open document as you type.

It drives the reading view it was given (the view keeps the matches and walks
them with ``n``/``N``); it is not the search bar, so the document list keeps its
results.  Enter goes back to the reader with the find still on (``n``/``N`` walk
its matches); Escape ends the find (``n``/``N`` walk the search hits again) and
hides the bar.  The app mounts it the first time ``ctrl+f`` is pressed and hides it
when the view reports that the find ended.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label

from reader.ui.reading_view import ReadingView


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar { height: 1; background: $boost; display: none; }
    FindBar.-shown { display: block; }
    FindBar > Label { width: auto; padding: 0 1; color: $text-primary; text-style: bold; }
    FindBar > Input, FindBar > Input:focus { width: 1fr; height: 1; border: none; padding: 0; background: $boost; }
    """

    BINDINGS = [
        Binding("escape", "close", "End find", id="find.close"),
        Binding("enter", "accept", "Back to the text", id="find.accept", priority=True),
    ]

    def __init__(self, reader: ReadingView) -> None:
        super().__init__(id="find-bar")
        self.reader = reader
        self.input = Input(placeholder="plain text, any case · Enter: back to the text (n/N) · Escape: end find",
                           id="find-input")

    def compose(self) -> ComposeResult:
        yield Label("Find")
        yield self.input

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def open(self, query: str) -> None:
        """Show the bar with *query* selected (typing replaces it) and focus it."""
        self.add_class("-shown")
        with self.input.prevent(Input.Changed):
            self.input.value = query
        self.input.select_all()
        self.screen.set_focus(self.input)  # now: the keys typed next must land here
        if self.reader.find_query is None:
            self.reader.find(query)

    def hide(self) -> None:
        self.remove_class("-shown")

    @on(Input.Changed, "#find-input")
    def query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.reader.find(event.value)

    def action_accept(self) -> None:
        self.screen.set_focus(self.reader)  # now: an `n` typed right after goes to the reader

    def action_close(self) -> None:
        self.reader.end_find()
        self.hide()
        self.screen.set_focus(self.reader)
