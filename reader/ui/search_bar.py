"""The search bar: an Input that searches as you type, commits on Enter, clears
on Escape and recalls committed queries with up / down.

Decisions:

* The bar owns the debounce: every ``Input.Changed`` restarts one Textual timer,
  and only when it fires (``DEBOUNCE_SECONDS`` after the last keystroke) does the
  bar post :class:`SearchBar.QueryChanged` with the text as it is *then*.  No
  busy loop, and a burst of keys costs one search.
* The Input owns the text.  Nothing outside this widget's own key handling
  (typing, history recall, Escape) writes ``value``; results never do.
* A query is only posted when it differs from the last one posted, so a
  trailing space, or the ``Changed`` that Escape's own clearing causes, does
  not search again.  Enter always commits, even an unchanged query.
* History: up = older, down = newer, down past the newest restores what the
  user was typing.  Editing a recalled query ends the walk: the next up starts
  again from the newest entry, with the edited text as the new draft.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from reader.history import QueryHistory

DEBOUNCE_SECONDS = 0.15


class SearchBar(Input):
    BINDINGS = [
        Binding("escape", "clear_search", "Clear search", show=True, id="search.clear"),
        Binding("up", "history_older", "Older query", show=False, id="search.history_older"),
        Binding("down", "history_newer", "Newer query", show=False, id="search.history_newer"),
    ]

    @dataclass
    class QueryChanged(Message):
        """The text settled while typing (debounced); ``""`` means show everything."""

        query: str

    @dataclass
    class QueryCommitted(Message):
        """Enter on a non-empty query."""

        query: str

    class Cleared(Message):
        pass

    def __init__(self) -> None:
        super().__init__(
            placeholder='Search: words, "phrases", wild*, fuzzy~, AND / OR / NOT  (/ to focus)',
            id="search-bar",
        )
        self.history = QueryHistory()  # the app hands over the loaded one
        self._debounce: Timer | None = None
        self._last_posted = ""
        self._history_position: int | None = None  # index into history.entries while walking
        self._draft = ""  # what the user was typing before walking the history
        self._recalled: str | None = None  # the value we set, to tell it from typing

    # -- as you type -------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._recalled is not None and event.value == self._recalled:
            self._recalled = None  # our own history recall, not an edit
        else:
            self._recalled = None
            self._history_position = None
        self._cancel_debounce()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._settled, name="search-debounce")

    def _settled(self) -> None:
        self._debounce = None
        query = self.value.strip()
        if query != self._last_posted:
            self._last_posted = query
            self.post_message(self.QueryChanged(query))

    def _cancel_debounce(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None

    @property
    def debounce_pending(self) -> bool:
        return self._debounce is not None

    # -- commit and clear --------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._cancel_debounce()
        self._history_position = None
        query = event.value.strip()
        self._last_posted = query
        if query:
            self.post_message(self.QueryCommitted(query))
        else:
            self.post_message(self.Cleared())

    def show_query(self, query: str) -> None:
        """Put a query chosen elsewhere (a "did you mean" offer) in the bar,
        without it searching again as if typed."""
        self._cancel_debounce()
        self._history_position = None
        self._last_posted = query.strip()
        self.value = query
        self.cursor_position = len(query)

    def action_clear_search(self) -> None:
        self._cancel_debounce()
        self._history_position = None
        self._last_posted = ""
        self.value = ""
        self.post_message(self.Cleared())

    # -- history -----------------------------------------------------------------

    def action_history_older(self) -> None:
        entries = self.history.entries
        if not entries:
            return
        if self._history_position is None:
            self._draft = self.value
            position = len(entries) - 1
        else:
            position = max(0, min(self._history_position, len(entries)) - 1)
        self._recall(entries[position], position)

    def action_history_newer(self) -> None:
        if self._history_position is None:
            return
        entries = self.history.entries
        position = self._history_position + 1
        if position >= len(entries):
            self._recall(self._draft, None)
        else:
            self._recall(entries[position], position)

    def _recall(self, text: str, position: int | None) -> None:
        self._history_position = position
        if text != self.value:
            self._recalled = text
        self.value = text
        self.cursor_position = len(text)
