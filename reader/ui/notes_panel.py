"""The annotation side panel: the open document's notes, whole-document notes first.

Each note shows its kind (✎ note, ▍ highlight, ≡ whole document), its colour
swatch, its page in a paginated document (``p. 57``), the quote, the state when
it is not ok, its tags and its text.  All of
it is plain ``Text`` built from strings: note text is data, never markup, and
control characters are shown as their visible pictures (ESC as ␛).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.anchoring import AnchorState
from reader.corpus import clean_text
from reader.notes import Note, NoteKind
from reader.page_maps import PageRange, note_pages, page_label
from reader.ui.colours import swatch
from reader.ui.display_text import display_line, drawable

QUOTE_PREVIEW_CHARS = 160

KIND_MARKERS: dict[NoteKind, str] = {
    NoteKind.PASSAGE: "✎",
    NoteKind.HIGHLIGHT: "▍",
    NoteKind.DOCUMENT: "≡",
}
ORPHAN_HELP = "orphaned: passage not found — select a passage and press r to re-attach"
NO_DOCUMENT_HELP = "No document is open. Open one from the list (Enter) to see and write its notes."
EMPTY_HELP = (
    "No notes on this document yet.\n"
    "Select a passage in the reader and press a (note) or h (highlight); A: a note on the whole document."
)


def one_line(text: str, limit: int) -> str:
    """*text* with its whitespace collapsed, cut to *limit* characters, safe to
    draw (see :mod:`reader.ui.display_text`)."""
    line = " ".join(display_line(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def note_prompt(note: Note, pages: PageRange | None = None) -> Group:
    """How one note reads in the panel: a head line, then the details indented;
    *pages*: where its passage is, in a paginated document."""
    head = Text.assemble(KIND_MARKERS.get(note.kind, "✎"), " ", swatch(note.colour), " ")
    if pages is not None:
        head.append(page_label(pages) + " ", style="bold")
    if note.kind == NoteKind.DOCUMENT:
        head.append("Whole document", style="bold")
    else:
        placed = note.is_placed
        quote_style = "italic" if placed else "italic dim strike"
        head.append("“" + one_line(note.quote, QUOTE_PREVIEW_CHARS) + "”", style=quote_style)
    parts: list[Text] = []
    if note.is_orphaned:
        parts.append(Text(ORPHAN_HELP, style="bold red"))
    elif note.state != AnchorState.OK:
        parts.append(Text(f"[{note.state.label}]", style="bold red" if not note.is_placed else "yellow"))
    if note.tags:
        parts.append(Text(display_line(" ".join(f"#{tag}" for tag in note.tags)), style="cyan"))
    if note.body:
        parts.append(Text(drawable(clean_text(note.body))))
    elif note.kind == NoteKind.HIGHLIGHT:
        parts.append(Text("(highlight)", style="dim"))
    return Group(head, Padding(Group(*parts), (0, 0, 0, 2))) if parts else Group(head)


class NotesPanel(OptionList):
    DEFAULT_CSS = """
    NotesPanel { height: 1fr; }
    """

    BINDINGS = [
        Binding("e", "edit_note", "Edit", id="notes.edit_note"),
        Binding("d", "delete_note", "Delete", id="notes.delete_note"),
        Binding("r", "reattach_note", "Re-attach", id="notes.reattach_note"),
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

    @dataclass
    class ReattachNote(Message):
        """Move the note to the passage selected in the reader."""

        note: Note

    def __init__(self) -> None:
        super().__init__(id="notes-panel")
        self.notes: list[Note] = []
        self.page_map: tuple[int, ...] = ()  # the open document's pages, for each note's page

    def on_mount(self) -> None:
        self.border_title = "Notes"
        self.show_no_document()

    def show_no_document(self) -> None:
        self.notes = []
        self.clear_options()
        self.add_option(Option(Text(NO_DOCUMENT_HELP, style="dim"), disabled=True))
        self.border_title = "Notes"

    def show_notes(self, notes: list[Note], highlight_id: str | None = None,
                   page_map: tuple[int, ...] | None = None) -> None:
        """Show *notes* (whole-document notes first), the cursor on *highlight_id*;
        *page_map*: their document's pages, when another document is shown (None
        keeps the last one: the same document's notes changed)."""
        if page_map is not None:
            self.page_map = page_map
        self.notes = sorted(notes, key=lambda note: note.kind != NoteKind.DOCUMENT)  # stable
        self.clear_options()
        if not self.notes:
            self.add_option(Option(Text(EMPTY_HELP, style="dim"), disabled=True))
        else:
            options: list[Option | None] = []
            for note in self.notes:  # a rule between notes (None: a divider, not an option)
                options += [Option(note_prompt(note, note_pages(note, self.page_map)), id=note.id), None]
            self.add_options(options[:-1])
        self.border_title = f"Notes ({len(self.notes)})"
        if highlight_id is not None:
            for number, note in enumerate(self.notes):
                if note.id == highlight_id:
                    self.highlighted = number

    def current_note(self) -> Note | None:
        if not self.notes or self.highlighted is None or self.highlighted >= len(self.notes):
            return None
        return self.notes[self.highlighted]

    @property
    def current_note_id(self) -> str | None:
        note = self.current_note()
        return note.id if note is not None else None

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

    def action_reattach_note(self) -> None:
        if (note := self.current_note()) is not None:
            self.post_message(self.ReattachNote(note))
