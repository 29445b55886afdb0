"""The notes overview: every note of the collection in one table, filtered as you type.

The app loads the notes in a thread worker (``workspace.all_notes()`` reads and
re-anchors every annotated document) and hands them over with
:meth:`NotesOverview.show_notes`; until then the table shows it is loading.
Filter words match the document title, quote, note text and tags (case does not
matter); ``#tag`` requires that tag.  Enter (on a row, or in the filter) returns
the chosen note; Escape returns None.  A DataTable draws only the visible rows.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from reader.anchoring import AnchorState
from reader.notes import Note, NoteKind, normalise_tags
from reader.page_maps import PageRange, page_label
from reader.ui.colours import swatch
from reader.ui.dismiss_once import DismissOnce
from reader.ui.display_text import display_line
from reader.ui.notes_panel import KIND_MARKERS, one_line

# Fixed columns; the quote and the note share what is left (at least MIN_TEXT_WIDTH each).
TITLE_WIDTH = 26
STATE_WIDTH = 16  # "document missing"
TAGS_WIDTH = 18
MIN_TEXT_WIDTH = 20
CELL_PADDING = 2  # DataTable's cell_padding on both sides of each of the 5 columns
# Below this table width the fixed columns narrow, so that at 80 columns the note
# text is on screen too (the state then reads "document…" for a missing one).
NARROW_TABLE = 120
NARROW_WIDTHS = (16, 9, 10, 12)  # title, state, tags, least quote or note


def parse_filter(text: str) -> tuple[list[str], tuple[str, ...]]:
    """``"safety #Strike"`` → (["safety"], ("strike",)): plain words and required tags."""
    words = [word.casefold() for word in text.split() if not word.startswith("#")]
    tags = normalise_tags([word for word in text.split() if word.startswith("#")])
    return words, tags


def note_matches(note: Note, title: str, words: list[str], tags: tuple[str, ...]) -> bool:
    if any(tag not in note.tags for tag in tags):
        return False
    haystack = "\n".join((title, note.doc_path, note.quote, note.body, " ".join(note.tags))).casefold()
    return all(word in haystack for word in words)


def _cell(text: str | Text, width: int, style: str = "") -> Text:
    cell = text if isinstance(text, Text) else Text(text, style=style)
    cell.no_wrap = True
    cell.truncate(width, overflow="ellipsis")
    return cell


STATE_STYLES = {
    AnchorState.OK: "dim",
    AnchorState.MOVED: "yellow",
    AnchorState.CHANGED: "yellow",
    AnchorState.ORPHANED: "bold red",
    AnchorState.MISSING: "bold red",
}


class NotesOverview(DismissOnce, Screen[Note | None]):
    TITLE = "Notes overview"

    DEFAULT_CSS = """
    NotesOverview #overview-filter { margin: 0 0; }
    NotesOverview #overview-count { padding: 0 1; color: $accent; text-style: bold; }
    NotesOverview #overview-table { height: 1fr; border: round $accent; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="overview.close"),
        Binding("down", "focus_table", "Notes", show=False, id="overview.to_table"),
    ]

    def __init__(self, titles: dict[str, str]) -> None:
        super().__init__()
        self.titles = titles  # rel_path -> document title
        self.notes: list[Note] | None = None  # None while loading
        self.pages: dict[str, PageRange] = {}  # note id -> its pages, in a paginated document
        self.shown: list[Note] = []
        self.filter_input = Input(
            placeholder="Filter: words match title, quote, note, tags; #tag requires the tag "
                        "(Enter opens, ↓ to the list, Escape closes)",
            id="overview-filter",
        )
        # "renderable": the cursor row keeps its swatches' and tags' colours.
        self.table: DataTable[Text] = DataTable(
            id="overview-table", cursor_type="row", zebra_stripes=True, cursor_foreground_priority="renderable",
        )
        self.count_label = Static(self.count_text, id="overview-count", markup=False)
        self._drawn_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.filter_input
        yield self.count_label
        yield self.table
        yield Footer()

    def on_mount(self) -> None:
        self.table.loading = True  # until the app's worker hands the notes over
        self.filter_input.focus()

    # -- content -----------------------------------------------------------------

    def show_notes(self, notes: list[Note], titles: dict[str, str] | None = None,
                   pages: dict[str, PageRange] | None = None) -> None:
        """Show *notes* (again, after a change), keeping the filter and the cursor's note;
        *pages*: the pages of the notes in paginated documents, by note id."""
        self.notes = list(notes)
        if titles is not None:
            self.titles = titles
        if pages is not None:
            self.pages = pages
        self.table.loading = False
        self._redraw()

    def title_of(self, note: Note) -> str:
        return self.titles.get(note.doc_path, note.doc_path)

    @property
    def count_text(self) -> str:
        if self.notes is None:
            return "Loading notes…"
        total = len(self.notes)
        return f"{len(self.shown)} of {total} note{'' if total == 1 else 's'}"

    def column_widths(self) -> tuple[int, int, int, int, int]:
        """Title, state, tags, quote and note widths for the table as wide as it is."""
        width = self.table.size.width or self.size.width or 140
        if width < NARROW_TABLE:
            title, state, tags, least = NARROW_WIDTHS
        else:
            title, state, tags, least = TITLE_WIDTH, STATE_WIDTH, TAGS_WIDTH, MIN_TEXT_WIDTH
        fixed = title + state + tags + 5 * CELL_PADDING + 4  # border, scrollbar
        left = max(2 * least, width - fixed)
        return title, state, tags, left // 2, left - left // 2

    def _redraw(self) -> None:
        table = self.table
        keep = self.selected_note.id if self.selected_note is not None else None
        title_width, state_width, tags_width, quote_width, note_width = self.column_widths()
        self._drawn_width = self.table.size.width
        table.clear(columns=True)
        table.add_column("Document", key="document", width=title_width)
        table.add_column("State", key="state", width=state_width)
        table.add_column("Tags", key="tags", width=tags_width)
        table.add_column("Quote", key="quote", width=quote_width)
        table.add_column("Note", key="note", width=note_width)
        words, tags = parse_filter(self.filter_input.value)
        self.shown = [note for note in self.notes or [] if note_matches(note, self.title_of(note), words, tags)]
        for note in self.shown:
            if note.kind == NoteKind.DOCUMENT:
                quote = Text("(whole document)", style="dim italic")
            else:
                quote = Text(one_line(note.quote, quote_width), style="italic" if note.is_placed else "dim strike")
            head = Text.assemble(KIND_MARKERS.get(note.kind, "✎"), " ", swatch(note.colour), " ")
            if note.id in self.pages:  # a steward cites the page
                head.append(page_label(self.pages[note.id]) + " ", style="bold")
            head.append_text(quote)
            body = note.body or ("(highlight)" if note.kind == NoteKind.HIGHLIGHT else "")
            table.add_row(
                _cell(display_line(self.title_of(note)), title_width, "bold"),
                _cell(note.state.label, state_width, STATE_STYLES.get(note.state, "")),
                _cell(display_line(" ".join(f"#{tag}" for tag in note.tags)), tags_width, "cyan"),
                _cell(head, quote_width),
                _cell(one_line(body, note_width), note_width, "" if note.body else "dim"),
                key=note.id,
            )
        self.count_label.update(self.count_text)
        ids = [note.id for note in self.shown]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))

    def on_resize(self) -> None:
        if self.notes is not None and self.table.size.width != self._drawn_width:
            self._redraw()

    @property
    def selected_note(self) -> Note | None:
        row = self.table.cursor_row
        return self.shown[row] if self.shown and 0 <= row < len(self.shown) else None

    # -- events ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.notes is not None:
            self._redraw()
            if self.shown:
                self.table.move_cursor(row=0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if (note := self.selected_note) is not None:
            self.dismiss(note)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if (note := self.selected_note) is not None:
            self.dismiss(note)

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
