"""Keys in the order they arrive, in every text field.

The mechanism of the bug (Textual issue #6605): the terminal driver hands the
app every key it parsed at once, and the app forwards each one to the focused
widget's message queue.  An ``Input`` or ``TextArea`` inserts a printable key
as soon as it takes it from that queue, but a *bound* key (Home, ctrl+w,
ctrl+u, Tab, ctrl+s, ...) is not handled there: it bubbles up the DOM, one
message queue per ancestor, and its binding runs only when it reaches the app.
Keys queued behind it are typed meanwhile, so ``Home X Y Z`` in a burst gave
``strikeXYZ``, and the ``#x`` typed after Tab went into the note text because
Tab's focus change came after them.  Priority bindings have the opposite fault
(they run in the app before keys queued ahead of them reach the widget).

The fix: while a text field has focus, the app handles each key itself, in the
order the keys reached it, before taking the next one: priority bindings, then
the field's own typing (its ``_on_key``: printable characters, Enter in a text
area), then the bindings from the focused widget up (the same chain, in the
same order, that Textual checks when the key has bubbled up).  A focus change
made by a binding (Tab) therefore applies to the very next key.  A key that
nothing handles takes Textual's ordinary route, so ``key_`` methods and
``on_key`` handlers up the DOM still see it.

Limits: ``on_key`` handlers written on a *subclass* of a text field, or on its
ancestors, are not called for keys the field types or a binding handles (the
app has none).  Widgets that are not text fields keep Textual's routing: they
type nothing, so nothing can overtake their bindings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from reader.ui.dismiss_once import OnceCommandPalette

if TYPE_CHECKING:
    from textual.app import App

TEXT_FIELDS = (Input, TextArea)


async def handle_key_in_order(app: App, event: events.Key) -> bool:
    """Handle *event* now, in the app's task, if a text field has focus.

    Returns False (nothing done) when Textual's own routing should take it."""
    field = app.focused
    if not isinstance(field, TEXT_FIELDS) or app.screen.maximized is not None:
        return False  # maximized widgets: Textual's Escape-to-minimise comes first
    if not app.app_focus:
        app.app_focus = True
    if await app._check_bindings(event.key, priority=True):
        return True
    event._set_forwarded()  # as the field would receive it from the app
    await field._on_key(event)  # its own typing; it stops the keys it used
    if event._stop_propagation:
        return True
    if await app._check_bindings(event.key):
        return True
    event.prevent_default(False)
    field.post_message(event)  # unbound: Textual's ordinary route up the DOM
    return True


class KeysInArrivalOrder:
    """Mixed into the App (before ``App``) to route keys with :func:`handle_key_in_order`,
    and to make every command palette close once (see :mod:`reader.ui.dismiss_once`)."""

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if type(screen) is CommandPalette:
            # Textual makes its palettes itself (ctrl+p, the theme picker): same
            # class plus the guard, no state of its own, so the swap is safe.
            screen.__class__ = OnceCommandPalette
        return super().push_screen(screen, *args, **kwargs)  # type: ignore[misc]

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if await handle_key_in_order(self, event):  # type: ignore[arg-type]
                return
        await super().on_event(event)  # type: ignore[misc]
