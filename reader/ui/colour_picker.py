"""A one-line colour choice for the note editor: ← / → (or 1–5, or a click) pick
at once, with no separate "select" step as a RadioSet would need."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from reader.notes import COLOURS, DEFAULT_COLOUR
from reader.ui.colours import PALETTE

GAP = "  "


class ColourPicker(Widget, can_focus=True):
    DEFAULT_CSS = """
    ColourPicker { height: 1; width: auto; padding: 0 1; }
    ColourPicker:focus { background: $boost; }
    """

    BINDINGS = [
        Binding("left", "step(-1)", "Previous colour", show=False, id="colour.previous"),
        Binding("right", "step(1)", "Next colour", show=False, id="colour.next"),
        *(Binding(str(number), f"pick({number - 1})", show=False, id=f"colour.pick_{number}")
          for number in range(1, len(COLOURS) + 1)),
    ]

    colour: reactive[str] = reactive(DEFAULT_COLOUR)

    @dataclass
    class Changed(Message):
        colour: str

    def __init__(self, colour: str = DEFAULT_COLOUR, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(ColourPicker.colour, colour if colour in COLOURS else DEFAULT_COLOUR)

    def render(self) -> Text:
        text = Text()
        for number, colour in enumerate(COLOURS):
            if number:
                text.append(GAP)
            chosen = colour == self.colour
            text.append("■", style=Style(color=PALETTE[colour][1]))
            label_style = Style(bold=True, reverse=self.has_focus) if chosen else Style(dim=True)
            text.append(f" {colour}", style=label_style)
            text.append("◂" if chosen else " ", style=Style(bold=True))
        return text

    def _item_at(self, x: int) -> int | None:
        position = 0
        for number, colour in enumerate(COLOURS):
            width = len(f"■ {colour}◂")
            if position <= x < position + width:
                return number
            position += width + len(GAP)
        return None

    def watch_colour(self, colour: str) -> None:
        self.post_message(self.Changed(colour))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and (number := self._item_at(offset.x)) is not None:
            self.colour = COLOURS[number]

    def action_step(self, delta: int) -> None:
        self.colour = COLOURS[(COLOURS.index(self.colour) + delta) % len(COLOURS)]

    def action_pick(self, number: int) -> None:
        self.colour = COLOURS[number]
