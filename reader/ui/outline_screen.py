"""The outline (``t`` in the reader): the open document's headings in a list that
filters as you type; Enter jumps to the chosen one, Escape closes.

An overlay rather than a pane, so it works at 80x24 and takes nothing from the
text the rest of the time.  Focus stays in the filter field; ``↑``/``↓`` and
``PgUp``/``PgDn`` move in the list from there, so typing and choosing need no
tab.  ``OptionList`` slows down past a few thousand entries, so at most
:data:`MAX_SHOWN` are listed at once (a last row says how many more match:
typing narrows them).  Headings are document text: each row is built as
``Content`` from the plain title, never markup.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from reader.outline import Heading, filter_headings

MAX_SHOWN = 1_000
MORE_ID = "more"


class OutlineScreen(ModalScreen[Heading | None]):
    DEFAULT_CSS = """
    OutlineScreen { align: center middle; }
    OutlineScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    OutlineScreen #outline-filter, OutlineScreen #outline-filter:focus {
        border: none; height: 1; padding: 0 1; margin-bottom: 1; background: $boost;
    }
    OutlineScreen OptionList { height: auto; max-height: 1fr; border: none; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="outline.close"),
        Binding("enter", "jump", "Go to heading", id="outline.jump", priority=True),
        Binding("down", "move('cursor_down')", show=False, id="outline.down", priority=True),
        Binding("up", "move('cursor_up')", show=False, id="outline.up", priority=True),
        Binding("pagedown", "move('page_down')", show=False, id="outline.page_down", priority=True),
        Binding("pageup", "move('page_up')", show=False, id="outline.page_up", priority=True),
    ]

    def __init__(self, headings: list[Heading], current: Heading | None, title: str) -> None:
        super().__init__()
        self.headings = headings
        self.current = current
        self.document_title = title
        self.shown: list[Heading] = []
        self.filter_input = Input(placeholder="type to filter the headings", id="outline-filter")
        self.option_list = OptionList(id="outline-list")

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Outline: {self.document_title}")
            box.border_subtitle = "Enter: go · Escape: close"
            yield self.filter_input
            yield self.option_list

    def on_mount(self) -> None:
        self._show(self.headings)
        if self.current is not None and self.current in self.shown:
            self.option_list.highlighted = self.shown.index(self.current)
        self.filter_input.focus()

    def _show(self, headings: list[Heading]) -> None:
        self.shown = headings[:MAX_SHOWN]
        options = [Option(Content("  " * (heading.level - 1) + heading.title)) for heading in self.shown]
        if len(headings) > MAX_SHOWN:
            more = len(headings) - MAX_SHOWN
            options.append(Option(Content(f"… {more:,} more: type to narrow"), id=MORE_ID, disabled=True))
        self.option_list.clear_options()
        self.option_list.add_options(options)
        self.option_list.highlighted = 0 if self.shown else None

    @on(Input.Changed, "#outline-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self._show(filter_headings(self.headings, event.value))

    def action_move(self, action: str) -> None:
        getattr(self.option_list, f"action_{action}")()

    @on(OptionList.OptionSelected, "#outline-list")
    def option_selected(self, event: OptionList.OptionSelected) -> None:  # a click
        self._jump_to(event.option_index)

    def action_jump(self) -> None:
        self._jump_to(self.option_list.highlighted)

    def _jump_to(self, index: int | None) -> None:
        if index is None or index >= len(self.shown):
            self.app.bell()
            return
        self.dismiss(self.shown[index])

    def action_close(self) -> None:
        self.dismiss(None)
