"""The dialog in which a note is written: its text, tags and colour.

ctrl+s (or Enter in the tags field) saves, Escape cancels.  The result is a
:class:`NoteDraft` — exactly what the user typed, tags as written — so the app
can reopen the editor with it unchanged if saving fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from reader.notes import DEFAULT_COLOUR, Note, NoteKind, normalise_tags
from reader.ui.colour_picker import ColourPicker

QUOTE_PREVIEW_CHARS = 400


@dataclass(frozen=True)
class NoteDraft:
    """What the editor holds: the text, the tags as typed, the colour."""

    body: str = ""
    tags: str = ""  # as typed: "#strike #safety" or "strike, safety"
    colour: str = DEFAULT_COLOUR

    @property
    def tag_list(self) -> tuple[str, ...]:
        return normalise_tags(self.tags)

    @property
    def is_blank(self) -> bool:
        return not self.body.strip() and not self.tag_list

    @classmethod
    def of(cls, note: Note) -> NoteDraft:
        return cls(note.body, " ".join(f"#{tag}" for tag in note.tags), note.colour)


class NoteEditor(ModalScreen[NoteDraft | None]):
    """Returns a :class:`NoteDraft`, or None when cancelled.

    *quote* is the passage (None: a note on the whole document, *document_title*
    names it).  *body_required*: an empty text cannot be saved (a whole-document
    note); otherwise an empty text saves the passage as a highlight.
    """

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    NoteEditor #note-quote { color: $text-muted; text-style: italic; max-height: 6; margin-bottom: 1; }
    NoteEditor #note-text { height: 8; }
    NoteEditor .note-field { height: auto; margin-top: 1; }
    NoteEditor .note-field > Label { width: 8; padding-top: 1; }
    NoteEditor .note-field > ColourPicker { margin-top: 0; }
    NoteEditor #note-colour-row > Label { padding-top: 0; }
    NoteEditor #note-tags { width: 1fr; }
    NoteEditor #note-help { color: $text-muted; margin-top: 1; }
    """

    # Not priority bindings: a priority binding runs as soon as the key reaches
    # the app, before keys still queued for the text area, so a fast typist's
    # last characters would be lost.  As plain bindings, ctrl+s arrives in order.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="editor.save"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]

    def __init__(
        self, quote: str | None, draft: NoteDraft | None = None, *, title: str = "New note",
        document_title: str = "", body_required: bool | None = None,
    ) -> None:
        super().__init__()
        self.quote = quote
        self.draft = draft or NoteDraft()
        self.dialog_title = title
        self.document_title = document_title
        self.body_required = quote is None if body_required is None else body_required

    def compose(self) -> ComposeResult:
        if self.quote is None:
            subject = Text.assemble(("About the whole document: ", "bold"), self.document_title)
        else:
            quote = " ".join(self.quote.split())
            if len(quote) > QUOTE_PREVIEW_CHARS:
                quote = quote[: QUOTE_PREVIEW_CHARS - 1] + "…"
            subject = Text("“" + quote + "”")
        if self.body_required:
            help_text = "ctrl+s save · Escape cancel · tab: tags, colour (←/→)"
        else:
            help_text = ("ctrl+s save · Escape cancel · tab: tags, colour (←/→) · "
                         "no text: saved as a highlight")
        with Vertical() as dialog:
            dialog.border_title = self.dialog_title
            yield Static(subject, id="note-quote")
            yield TextArea(self.draft.body, id="note-text", soft_wrap=True)
            with Horizontal(classes="note-field"):
                yield Label("Tags")
                yield Input(self.draft.tags, placeholder="#strike #safety  or  strike, safety", id="note-tags")
            with Horizontal(classes="note-field", id="note-colour-row"):
                yield Label("Colour")
                yield ColourPicker(self.draft.colour, id="note-colour")
            yield Static(help_text, id="note-help", markup=False)

    def on_mount(self) -> None:
        editor = self.query_one("#note-text", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    @property
    def current_draft(self) -> NoteDraft:
        return NoteDraft(
            self.query_one("#note-text", TextArea).text,
            self.query_one("#note-tags", Input).value,
            self.query_one("#note-colour", ColourPicker).colour,
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        draft = self.current_draft
        if self.body_required and not draft.body.strip():
            self.notify("Write something first: a note on the whole document needs text.",
                        severity="warning")
            return
        self.dismiss(draft)

    def action_cancel(self) -> None:
        self.dismiss(None)


def editor_title(kind: NoteKind, editing: bool) -> str:
    noun = {NoteKind.DOCUMENT: "note on the whole document", NoteKind.HIGHLIGHT: "highlight"}.get(kind, "note")
    return f"Edit {noun}" if editing else f"New {noun}"
