"""The search bar: an Input that commits queries on Enter and clears on Escape."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    BINDINGS = [Binding("escape", "clear_search", "Clear search", show=True)]

    @dataclass
    class QueryCommitted(Message):
        query: str

    class Cleared(Message):
        pass

    def __init__(self) -> None:
        super().__init__(
            placeholder='Search: words, "phrases", wild*, fuzzy~, AND / OR / NOT  (/ to focus)',
            id="search-bar",
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value.strip()
        if query:
            self.post_message(self.QueryCommitted(query))
        else:
            self.post_message(self.Cleared())

    def action_clear_search(self) -> None:
        self.value = ""
        self.post_message(self.Cleared())
