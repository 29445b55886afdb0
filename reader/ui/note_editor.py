"""The small dialog in which a note is written: ctrl+s saves, Escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

QUOTE_PREVIEW_CHARS = 400


class NoteEditor(ModalScreen[str | None]):
    """Returns the note text, or None when cancelled."""

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    NoteEditor #note-quote { color: $text-muted; text-style: italic; max-height: 6; margin-bottom: 1; }
    NoteEditor #note-text { height: 8; }
    NoteEditor #note-help { color: $text-muted; }
    """

    # Not priority bindings: a priority binding runs as soon as the key reaches
    # the app, before keys still queued for the text area, so a fast typist's
    # last characters would be lost.  As plain bindings, ctrl+s arrives in order.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, quote: str, text: str = "", title: str = "New note") -> None:
        super().__init__()
        self.quote = quote
        self.initial_text = text
        self.dialog_title = title

    def compose(self) -> ComposeResult:
        quote = " ".join(self.quote.split())
        if len(quote) > QUOTE_PREVIEW_CHARS:
            quote = quote[: QUOTE_PREVIEW_CHARS - 1] + "…"
        with Vertical() as dialog:
            dialog.border_title = self.dialog_title
            yield Static(Text("“" + quote + "”"), id="note-quote")
            yield TextArea(self.initial_text, id="note-text", soft_wrap=True)
            yield Label("ctrl+s save · Escape cancel", id="note-help")

    def on_mount(self) -> None:
        editor = self.query_one("#note-text", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#note-text", TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
