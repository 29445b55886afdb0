"""The dialog in which a note is written: its text, tags and colour.

ctrl+s (or Enter in the tags field) saves, Escape cancels.  The result is a
:class:`NoteDraft` — exactly what the user typed, tags as written — so the app
can reopen the editor with it unchanged if saving fails.

Nothing typed is dropped silently: Escape asks "Discard this note?" when the
draft differs from what the editor opened with and is not empty, and every
change is posted (:class:`NoteEditor.DraftChanged`) so the app can keep the
draft on disk until it is saved or discarded (a crash does not take it).
Tabbing into the tags keeps the cursor after the existing tags instead of
selecting them, so typing adds a tag rather than replacing them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from reader.notes import DEFAULT_COLOUR, Note, NoteKind, normalise_tags
from reader.ui.colour_picker import ColourPicker
from reader.ui.dismiss_once import DismissOnce
from reader.ui.display_text import display_line

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


class NoteEditor(DismissOnce, ModalScreen[NoteDraft | None]):
    """Returns a :class:`NoteDraft`, or None when cancelled.

    *quote* is the passage (None: a note on the whole document, *document_title*
    names it).  *body_required*: an empty text cannot be saved (a whole-document
    note); otherwise an empty text saves the passage as a highlight.  *stored*: for
    an edit, the note as it is stored (dropping exactly that loses nothing).
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

    @dataclass
    class DraftChanged(Message):
        """The text, tags or colour changed: *draft* is what the editor holds now."""

        draft: NoteDraft

    def __init__(
        self, quote: str | None, draft: NoteDraft | None = None, *, title: str = "New note",
        document_title: str = "", body_required: bool | None = None, stored: NoteDraft | None = None,
    ) -> None:
        super().__init__()
        self.quote = quote
        self.draft = draft or NoteDraft()
        self.stored = stored
        self.dialog_title = title
        self.document_title = document_title
        self.body_required = quote is None if body_required is None else body_required

    def compose(self) -> ComposeResult:
        if self.quote is None:
            subject = Text.assemble(("About the whole document: ", "bold"), display_line(self.document_title))
        else:
            quote = " ".join(display_line(self.quote).split())
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
                # select_on_focus off: Tab into the tags must not select them (typing replaced them).
                yield Input(self.draft.tags, placeholder="#strike #safety  or  strike, safety", id="note-tags",
                            select_on_focus=False)
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

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._draft_changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._draft_changed()

    def on_colour_picker_changed(self, event: ColourPicker.Changed) -> None:
        self._draft_changed()

    def _draft_changed(self) -> None:
        if self.is_attached and self.is_mounted:
            self.post_message(self.DraftChanged(self.current_draft))

    @property
    def has_unsaved_text(self) -> bool:
        """Something typed that Escape would throw away."""
        draft = self.current_draft
        return not draft.is_blank and draft != self.stored

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
        if not self.has_unsaved_text:
            self.dismiss(None)
            return
        from reader.ui.confirm_dialog import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard this note?", confirm_label="Discard"), answered)


def editor_title(kind: NoteKind, editing: bool) -> str:
    noun = {NoteKind.DOCUMENT: "note on the whole document", NoteKind.HIGHLIGHT: "highlight"}.get(kind, "note")
    return f"Edit {noun}" if editing else f"New {noun}"
