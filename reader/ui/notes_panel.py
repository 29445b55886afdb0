"""The annotation side panel: the open document's notes, quote and text."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.notes import Note

QUOTE_PREVIEW_CHARS = 160


def note_prompt(note: Note) -> Group:
    """How one note reads in the panel. Plain Text throughout: never markup."""
    quote = " ".join(note.quote.split())
    if len(quote) > QUOTE_PREVIEW_CHARS:
        quote = quote[: QUOTE_PREVIEW_CHARS - 1] + "…"
    quote_style = "italic dim strike" if note.is_orphaned else "italic"
    parts = [Text("“" + quote + "”", style=quote_style)]
    if note.state.value != "ok":
        label = "orphaned: passage not found" if note.is_orphaned else "moved: document changed"
        parts.append(Text(f"[{label}]", style="bold red" if note.is_orphaned else "yellow"))
    parts.append(Text(note.body or "(no text)", style="" if note.body else "dim"))
    return Group(*parts)


class NotesPanel(OptionList):
    DEFAULT_CSS = """
    NotesPanel { height: 1fr; }
    NotesPanel > .option-list--option { padding: 0 0 1 0; }
    """

    BINDINGS = [
        Binding("e", "edit_note", "Edit note"),
        Binding("d", "delete_note", "Delete note"),
    ]

    @dataclass
    class GoToNote(Message):
        note: Note

    @dataclass
    class EditNote(Message):
        note: Note

    @dataclass
    class DeleteNote(Message):
        note: Note

    def __init__(self) -> None:
        super().__init__(id="notes-panel")
        self.notes: list[Note] = []

    def on_mount(self) -> None:
        self.border_title = "Notes"
        self.show_notes([])

    def show_notes(self, notes: list[Note], highlight_id: str | None = None) -> None:
        self.notes = list(notes)
        self.clear_options()
        if not notes:
            self.add_option(Option(Text("No notes on this document yet.\nSelect a passage in the reader and press a.", style="dim"), disabled=True))
        else:
            self.add_options(Option(note_prompt(note), id=note.id) for note in notes)
        self.border_title = f"Notes ({len(notes)})"
        if highlight_id is not None:
            for number, note in enumerate(notes):
                if note.id == highlight_id:
                    self.highlighted = number

    def current_note(self) -> Note | None:
        if not self.notes or self.highlighted is None or self.highlighted >= len(self.notes):
            return None
        return self.notes[self.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (note := self.current_note()) is not None:
            self.post_message(self.GoToNote(note))

    def action_edit_note(self) -> None:
        if (note := self.current_note()) is not None:
            self.post_message(self.EditNote(note))

    def action_delete_note(self) -> None:
        if (note := self.current_note()) is not None:
            self.post_message(self.DeleteNote(note))
