"""Go to page: a small dialog that asks for a page of the open document.

Enter goes there; anything that is not a page of this document (empty, ``abc``,
``0``, past the last page) leaves the dialog open with one line saying why, so
the user corrects it without starting again.  Escape cancels.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reader.page_maps import parse_page_number


class GoToPageDialog(ModalScreen[int | None]):
    """Dismissed with the page (1-based), or None when cancelled."""

    DEFAULT_CSS = """
    GoToPageDialog { align: center middle; }
    GoToPageDialog > Vertical {
        width: 48; max-width: 95%; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    GoToPageDialog Input { margin-top: 1; }
    GoToPageDialog #page-error { color: $error; text-style: bold; width: 1fr; height: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="go_to_page.cancel")]

    def __init__(self, total: int, current: int | None = None) -> None:
        super().__init__()
        self.total = total
        self.current = current
        self.error = ""  # the one line shown under the input, "" when none

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Go to page"
            where = f" (now on p. {self.current})" if self.current is not None else ""
            yield Label(Text(f"Page, 1–{self.total}{where}; Enter goes, Escape cancels"), id="page-prompt")
            yield Input(placeholder=str(self.current or 1), id="page-input")
            yield Label("", id="page-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def go(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            page = parse_page_number(event.value, self.total)
        except ValueError as error:
            self._show_error(str(error))
            return
        self.dismiss(page)

    @on(Input.Changed)
    def forget_error(self) -> None:
        self._show_error("")

    def _show_error(self, message: str) -> None:
        self.error = message
        self.query_one("#page-error", Label).update(Text(message))  # quotes what was typed: not markup

    def action_cancel(self) -> None:
        self.dismiss(None)
