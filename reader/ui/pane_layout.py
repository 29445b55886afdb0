"""How the main screen shares its width: the reading view first, side panes after.

Plain Python (no Textual), so the rules are tested on their own; the app turns a
:class:`PanePlan` into styles (``ReaderApp.apply_layout``).

The rules, in order:

* Below :data:`TINY_WIDTH` x :data:`TINY_HEIGHT` nothing fits: the screen shows a
  one-line message instead.
* Focus mode (``z``): only the text (once a document is open).
* The reading view gets its share first: at least :data:`READER_MIN` columns and
  :data:`READER_SHARE` of the terminal.  What is left goes to the side panes the
  user has not folded (``[`` / ``]``), the document list before the notes panel,
  each only if it gets at least its minimum width: a pane is never a sliver.
  A pane takes what it shows (the list: its longest title) up to its maximum;
  whatever it does not take goes back to the reader.
* A pane that does not fit is *folded*: hidden, and shown as an overlay over the
  reader's edge while it has focus, so the text under it keeps its layout.
* With no document open the list always shows (there is nothing to read yet): on a
  narrow terminal it takes all but :data:`WELCOME_MIN` columns, which show the
  welcome.
* Inside the reading view, the text is set at most a *measure* of columns wide
  (:data:`reader.config.DEFAULT_MEASURE`; the config can change it) and centred,
  so lines never run 190 characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.reading_state import PaneChoices

TINY_WIDTH, TINY_HEIGHT = 40, 10  # below either, the one-line message
READER_MIN = 60  # columns the reading view gets whenever the terminal has 70 or more
READER_SHARE = 0.6  # "about two thirds" of a wide terminal, leaving the panes room
LIST_MIN, LIST_MAX = 28, 60
NOTES_MIN, NOTES_WANT = 24, 36
WELCOME_MIN = 30  # the reader's width beside the list when no document is open
OVERLAY_SHARE = 0.85  # a folded pane shown over the reader leaves a glimpse of the text
# Columns of the reading view that are not text: its round border (2), the
# scrollbar gutter (1 wide in app.tcss) and a padding of 1 either side.
READER_CHROME = 5
# Columns of the document list that are not title: border 2, scrollbar 1, the
# marker column (4), the spaces around it (3) and a progress badge (5).
LIST_CHROME = 15


@dataclass(frozen=True)
class PaneState:
    """What the app knows at the moment of laying out."""

    width: int
    height: int
    document_open: bool = False
    list_focused: bool = False
    notes_focused: bool = False
    list_want: int = 46  # the list's width showing its longest title whole (see list_width_for)
    notes_want: int = NOTES_WANT


@dataclass(frozen=True)
class PanePlan:
    """Widths in columns; 0 means hidden.  An overlay pane is drawn over the reader."""

    too_small: bool = False
    focus_mode: bool = False
    list_width: int = 0
    list_overlay: bool = False
    notes_width: int = 0
    notes_overlay: bool = False
    reader_width: int = 0

    @property
    def list_shown(self) -> bool:
        return self.list_width > 0

    @property
    def notes_shown(self) -> bool:
        return self.notes_width > 0


def list_width_for(longest_title: int) -> int:
    """The list's width that shows a title of *longest_title* cells whole (capped)."""
    return min(max(longest_title + LIST_CHROME, LIST_MIN), LIST_MAX)


def plan_panes(state: PaneState, choices: PaneChoices) -> PanePlan:
    width, height = state.width, state.height
    if width < TINY_WIDTH or height < TINY_HEIGHT:
        return PanePlan(too_small=True)
    if choices.focus_mode and state.document_open:  # with nothing to read, the list is needed
        return PanePlan(focus_mode=True, reader_width=width)
    reader_floor = max(READER_MIN, round(width * READER_SHARE))
    room = width - reader_floor
    list_width = notes_width = 0
    list_overlay = notes_overlay = False
    list_wanted = choices.list_open or not state.document_open
    if list_wanted and room >= LIST_MIN:
        notes_share = 0  # kept for the notes panel when it is open and fits beside the list
        if choices.notes_open and room - LIST_MIN >= NOTES_MIN:
            notes_share = min(max(room * 2 // 5, NOTES_MIN), state.notes_want)
        list_width = min(state.list_want, room - notes_share)
        room -= list_width
    elif list_wanted and not state.document_open:
        # Nothing to read yet: the list in the flow, the welcome beside it (or,
        # if that would leave the list a sliver, the list alone).
        room = 0
        list_width = min(state.list_want, width - WELCOME_MIN)
        if list_width < LIST_MIN:
            list_width = width
    if choices.notes_open and room >= NOTES_MIN:
        notes_width = min(state.notes_want, room)
        room -= notes_width
    overlay_max = max(round(width * OVERLAY_SHARE), LIST_MIN)
    if not list_width and state.list_focused:
        list_width, list_overlay = min(state.list_want, overlay_max), True
    if not notes_width and state.notes_focused:
        notes_width, notes_overlay = min(state.notes_want, overlay_max), True
    reader_width = width - (0 if list_overlay else list_width) - (0 if notes_overlay else notes_width)
    return PanePlan(
        list_width=list_width, list_overlay=list_overlay,
        notes_width=notes_width, notes_overlay=notes_overlay,
        reader_width=reader_width,
    )


def text_padding(reader_width: int, measure: int) -> tuple[int, int]:
    """Left and right padding inside a reading view *reader_width* wide that centres
    a text column at most *measure* wide (at least 1 each side)."""
    inner = reader_width - READER_CHROME  # text columns with the default padding of 1
    if inner <= measure:
        return 1, 1
    spare = inner - measure
    return 1 + spare // 2, 1 + spare - spare // 2
