"""Screens that close once, however many keys and messages ask them to.

``Screen.dismiss`` pops whatever screen is on top, not necessarily its own: when
a key closes a screen (Escape, ``y``) and a message posted just before it also
closes it (``Input.Submitted`` from Enter, ``Button.Pressed``), the second
dismiss popped the screen *below* (the main screen: a crash, "Can't pop screen").
Keys handled in arrival order (:mod:`reader.ui.key_order`) made the pair likely
in a burst such as Enter + Escape in the command palette; the seeded fuzz test
found it.  A screen that is no longer the active one has nothing to dismiss.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette


def _dismiss_once(screen: Any, result: Any, dismiss: Callable[[Any], AwaitComplete]) -> AwaitComplete:
    if not screen.is_active:  # already dismissed: the screen on top is another one
        return AwaitComplete.nothing()
    return dismiss(result)


class DismissOnce:
    """Mixed into a ``Screen`` (before it): ``dismiss`` does nothing once the
    screen is no longer the active one."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        return _dismiss_once(self, result, super().dismiss)  # type: ignore[misc]


class OnceCommandPalette(CommandPalette):
    """Textual's command palette, closing once.  A plain subclass (no mixin), so
    the app can give a palette Textual made itself this class (see
    :class:`reader.ui.key_order.KeysInArrivalOrder`): same layout, no new state."""

    def dismiss(self, result: None = None) -> AwaitComplete:
        return _dismiss_once(self, result, super().dismiss)
