"""The help screen: every key, and the query syntax."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.dismiss_once import DismissOnce

KEYS: list[tuple[str, str]] = [
    ("/", "focus the search bar (from anywhere)"),
    ("typing (search bar)", "results follow as you type"),
    ("Enter (search bar)", "run the search; focus moves to the results"),
    ("↑ ↓ (search bar)", "older / newer searches (kept across runs)"),
    ("Escape (search bar)", "clear the search and list all documents"),
    ("↑ ↓, Enter (list)", "choose a document and open it"),
    ("s (list)", "sort by relevance (or path) → title → date"),
    ("n / N", "next / previous hit in the reader (shows “hit k of n”)"),
    ("arrows, PgUp/PgDn, Home/End", "move and scroll in the reader"),
    ("shift+arrows, mouse drag", "select a passage"),
    ("space / b (reader)", "page down / up"),
    ("g / G (reader)", "top / bottom of the document"),
    ("ctrl+←/→ (reader)", "move by word; with shift: select by word"),
    ("Escape (reader)", "clear the selection (then: end the find)"),
    ("mouse wheel", "scroll the reader; the status line shows “42% · line 120”"),
    ("ctrl+f", "find in the open document: as you type, any case; n/N walk the matches"),
    ("Enter / Escape (find bar)", "back to the text, find still on / end the find (n/N: hits again)"),
    ("t", "outline of the open document: type to filter, Enter jumps there"),
    ("y or ctrl+c (reader)", "copy the selection"),
    ("ctrl+g (reader)", "go to a page (PDFs; text with form feeds)"),
    ("a (reader)", "note on the selection (or the hit n/N went to)"),
    ("h (reader)", "highlight the selection, at once"),
    ("A (reader)", "a note on the whole document"),
    ("tab / ctrl+s / Escape", "note editor: next field (tags, colour ←/→) / save / cancel"),
    ("Enter (notes panel)", "jump to the note's passage"),
    ("e / d (notes panel)", "edit / delete the note (delete asks first)"),
    ("r (notes panel)", "re-attach the note to the passage selected in the reader (asks unless orphaned)"),
    ("u or ctrl+z", "undo the last note change (new, edit, colour, tags, re-attach, delete)"),
    ("o", "overview of all notes: type to filter (#tag), Enter opens"),
    ("[ / ]", "fold / unfold the document list / the notes panel (narrow terminal: over the text)"),
    ("z", "focus mode: only the text, until z or Escape"),
    ("tab / shift+tab", "move between the panes"),
    ("ctrl+p", "command palette: open document…, go to page…, sort, notes, view, theme, help, quit"),
    ("config.toml", "rebind keys by id, set the reading measure (README: Layout, memory and configuration)"),
    ("? or F1", "this help"),
    ("q or ctrl+q", "quit"),
]

QUERY_SYNTAX: list[tuple[str, str]] = [
    ("strike vote", "documents with both words (stemmed: strikes, striking)"),
    ("strike OR walkout", "either word"),
    ("strike NOT vote, strike -vote", "strike, but not vote (the same, wherever they stand)"),
    ('"rest periods"', "the exact phrase (also across line breaks)"),
    ('"is not"', "every word counts in a phrase, stop words too"),
    ('"rest periods"~3', "the words within three positions"),
    ("low-paid, e-mail", "a hyphenated word: low-paid, low paid or lowpaid"),
    ("negotiat*", "wildcard, on the words as written"),
    ("hutchens~", "fuzzy: within one edit (hutchens~2: two), as written"),
    ("title:strike  source:variety", "search titles or sources only"),
    ("note:safety", "search your notes only (✎ in the list: found through notes)"),
    ("(nothing found)", "“Did you mean” row in the list: Enter runs it"),
]


def _table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, meaning in rows:
        table.add_row(Text(key), Text(meaning))
    return table


class HelpScreen(DismissOnce, ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "iatse-reader help (Escape closes)"
            yield Static(_table("Keys", KEYS))
            yield Static(_table("\nQuery syntax", QUERY_SYNTAX))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
