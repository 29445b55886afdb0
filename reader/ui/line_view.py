"""What the two Line-API widgets (the reading view and the document list) share."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LineView(ScrollView):
    """A ``ScrollView`` that draws its own lines from ``rich.text.Text``."""

    @property
    def allow_vertical_scroll(self) -> bool:
        # Textual allows it once the scrollbar is shown, after the next layout;
        # content just shown must be able to bring its cursor on screen at once.
        return not self._check_disabled() and self.max_scroll_y > 0

    def strip_of(self, line: Text, width: int, style: Style) -> Strip:
        """*line* drawn over *style* (the widget's, or a row's), cut or padded to *width*."""
        segments = [Segment(segment.text, style + segment.style if segment.style else style)
                    for segment in line.render(self.app.console)]
        return Strip(segments).crop_extend(0, width, style)
