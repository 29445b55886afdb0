"""Command palette: "View: …" entries for the layout keys (``[``, ``]``, ``z``) and
"Document: …" entries for finding in the open document and its outline
(``ctrl+f``, ``t``)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

VIEW_COMMANDS: list[tuple[str, str, str]] = [
    # (command, app action, help)
    ("View: fold / unfold the document list", "toggle_list", "the list of documents or results ([)"),
    ("View: fold / unfold the notes panel", "toggle_notes", "the open document's notes (])"),
    ("View: focus mode", "focus_mode", "only the text, until z or Escape (z)"),
    ("Document: find in the text…", "find_in_document", "matches lit, n / N walk them (ctrl+f)"),
    ("Document: outline…", "outline", "the open document's headings, Enter jumps there (t)"),
]


class ViewCommands(Provider):
    def _run(self, action: str) -> None:
        # Called after the palette closes, on the main screen.
        self.app.call_later(getattr(self.app, f"action_{action}"))

    async def discover(self) -> Hits:
        for command, action, help_text in VIEW_COMMANDS:
            yield DiscoveryHit(Content(command), partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, action, help_text in VIEW_COMMANDS:
            score = matcher.match(command)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(command)), partial(self._run, action), help=help_text)
