"""The app's side of the screen layout: turning a :class:`PanePlan` into styles, and
the keys that fold the panes (``[``, ``]``) and enter focus mode (``z``).

A mixin of :class:`reader.ui.app.ReaderApp` (which declares the bindings, so a
keymap can rebind them by id); the rules themselves are in
:mod:`reader.ui.pane_layout`, plain Python.

The layout is computed again when the terminal is resized, a pane is folded,
focus moves (a folded pane shows as an overlay while it has focus) and a
document opens or closes.  Overlays are docked on a layer of their own, so showing
one never re-wraps the text under it; a docked pane folding or unfolding changes
the reader's width, and the reading view then re-wraps only what is on screen.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events
from textual.dom import NoScreen
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer, Header

from reader.config import DEFAULT_MEASURE
from reader.reading_state import PaneChoices
from reader.ui.pane_layout import TINY_HEIGHT, TINY_WIDTH, PanePlan, PaneState, plan_panes, text_padding

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widgets import Static

    from reader.ui.document_list import DocumentList
    from reader.ui.notes_panel import NotesPanel
    from reader.ui.reading_view import ReadingView

OVERLAY_CLASS = "-overlay"
TOO_SMALL_CLASS = "-too-small"  # on the screen, for tests and themes; the hiding is done here
FOCUS_MODE_CLASS = "-focus-mode"


def too_small_message(width: int, height: int) -> str:
    return f"Too small ({width}×{height}): needs {TINY_WIDTH}×{TINY_HEIGHT}"


class PaneControl:
    """Mixin for the App: owns :attr:`pane_choices` and applies the layout."""

    # Provided by ReaderApp.
    document_list: DocumentList
    reader: ReadingView
    notes_panel: NotesPanel
    too_small_label: Static
    status: Widget
    screen_stack: list[Screen]

    pane_choices: PaneChoices = PaneChoices()
    measure: int = DEFAULT_MEASURE
    list_want: int = 46  # see pane_layout.list_width_for; set from the titles listed
    pane_plan: PanePlan | None = None
    _focus_before_tiny: Widget | None = None

    @property
    def main_screen(self) -> Screen:
        return self.screen_stack[0]

    def apply_layout(self, size: Size | None = None) -> None:
        """Size and show the panes for the terminal as it is now (or about to be: *size*)."""
        if not self.screen_stack:
            return  # closing
        screen = self.main_screen
        if size is None:
            size = self.size  # type: ignore[attr-defined]
        focused = screen.focused
        plan = plan_panes(
            PaneState(
                size.width, size.height,
                document_open=self.reader.open_document is not None,
                list_focused=focused is self.document_list,
                notes_focused=focused is self.notes_panel,
                list_want=self.list_want,
            ),
            self.pane_choices,
        )
        self.pane_plan = plan
        screen.set_class(plan.too_small, TOO_SMALL_CLASS)
        screen.set_class(plan.focus_mode, FOCUS_MODE_CLASS)
        label = self.too_small_label
        for widget in screen.children:
            if widget.id is not None and widget.id.startswith("textual-"):
                continue  # Textual's toast rack and tooltip keep the display Textual gives them
            if widget is label:
                self._show(widget, plan.too_small)
            elif plan.too_small:
                self._show(widget, False)
            elif isinstance(widget, (Header, Footer)) or widget.id == "search-bar":
                self._show(widget, not plan.focus_mode)  # focus mode: only the text and the status line
            elif widget.styles.inline.has_rule("display"):
                # Back from the tiny terminal: the row's own CSS decides again (the find
                # bar, say, shows only while a find is on).
                widget.styles.clear_rule("display")
                widget.refresh(layout=True)
        if plan.too_small:
            label.update(too_small_message(size.width, size.height))
            if focused is not None:  # hidden widgets lose the focus: give it back after
                self._focus_before_tiny = focused
            return
        if self._focus_before_tiny is not None:
            widget, self._focus_before_tiny = self._focus_before_tiny, None
            self.call_after_refresh(self._refocus, widget)  # type: ignore[attr-defined]
        self._place(self.document_list, plan.list_width, plan.list_overlay)
        self._place(self.notes_panel, plan.notes_width, plan.notes_overlay)
        self.reader.display = plan.reader_width > 0
        left, right = text_padding(plan.reader_width, self.measure)
        padding = self.reader.styles.padding
        if (padding.left, padding.right) != (left, right):
            self.reader.styles.padding = (0, right, 0, left)
        if focused is not None and not focused.display:
            screen.set_focus(self.reader if self.reader.display else None)

    def _refocus(self, widget: Widget) -> None:
        screen = self.main_screen
        if screen.focused is None:
            screen.set_focus(widget if widget.is_attached and widget.focusable else self.reader)

    @staticmethod
    def _show(widget: Widget, shown: bool) -> None:
        if widget.display != shown:
            widget.display = shown

    @staticmethod
    def _place(pane: Widget, width: int, overlay: bool) -> None:
        pane.display = width > 0
        if width > 0 and pane.styles.width != width:  # type: ignore[comparison-overlap]
            pane.styles.width = width
        pane.set_class(overlay, OVERLAY_CLASS)

    def _choose(self, **changes: bool) -> None:
        self.pane_choices = replace(self.pane_choices, **changes)

    def _summon(self, pane: Widget) -> None:
        """Show *pane* (as an overlay if it is folded) with the focus in it."""
        pane.display = True
        self.main_screen.set_focus(pane)
        self.apply_layout()

    def _focus_within(self, pane: Widget) -> bool:
        focused = self.main_screen.focused
        return focused is not None and (focused is pane or pane in focused.ancestors)

    # -- actions -------------------------------------------------------------------------

    def action_toggle_list(self) -> None:
        """``[``: fold or unfold the document list."""
        shown = self.document_list.display and self.pane_plan is not None and not self.pane_plan.focus_mode
        if shown:
            self._choose(list_open=False)
            if self._focus_within(self.document_list) and self.reader.open_document is not None:
                self.main_screen.set_focus(self.reader)
            self.apply_layout()
            if self.reader.open_document is None:
                self.notify("The list stays while no document is open.")  # type: ignore[attr-defined]
        else:
            self._choose(list_open=True, focus_mode=False)
            self._summon(self.document_list)

    def action_toggle_notes(self) -> None:
        """``]``: fold or unfold the notes panel."""
        shown = self.notes_panel.display and self.pane_plan is not None and not self.pane_plan.focus_mode
        if shown:
            self._choose(notes_open=False)
            if self._focus_within(self.notes_panel):
                self.main_screen.set_focus(self.reader)
            self.apply_layout()
        else:
            self._choose(notes_open=True, focus_mode=False)
            self._summon(self.notes_panel)

    def action_focus_mode(self) -> None:
        """``z``: only the text, until ``z`` or Escape."""
        entering = not self.pane_choices.focus_mode
        self._choose(focus_mode=entering)
        if entering:
            self.main_screen.set_focus(self.reader)
        self.apply_layout()

    def action_leave_focus_mode(self) -> None:
        if self.pane_choices.focus_mode:
            self.action_focus_mode()

    def leave_focus_mode_for(self, widget: Widget) -> None:
        """Before moving to *widget* (``/`` to the search bar): out of focus mode."""
        if self.pane_choices.focus_mode:
            self._choose(focus_mode=False)
            self.apply_layout()

    # -- events --------------------------------------------------------------------------

    # Handlers by name, not @on: a mixin's namespace is not scanned for @on.
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self._on_main_screen(event.widget):
            self.apply_layout()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if self._on_main_screen(event.widget):
            self.call_after_refresh(self.apply_layout)  # type: ignore[attr-defined]

    def _on_main_screen(self, widget: Widget) -> bool:
        # A dialog's widget can blur after its screen was dismissed: it has no
        # screen any more (NoScreen), and nothing to lay out.
        if not self.screen_stack:
            return False
        try:
            return widget.screen is self.main_screen
        except NoScreen:
            return False
