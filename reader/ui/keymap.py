"""Every key binding's id, for the config file's ``[keys]`` table.

Textual's keymap (``App.set_keymap``) rebinds a binding by its id; every binding
in the UI has one (``<widget>.<what it does>``, e.g. ``reader.next_hit``).  The
ids are gathered from the classes here so a config that names an unknown id gets
a clear message instead of doing nothing in silence.
"""

from __future__ import annotations

import os

from textual.binding import Binding
from textual.dom import DOMNode

from reader.config import Config, load_config, resolve_config_path


def _binding_classes() -> list[type[DOMNode]]:
    from reader.ui.app import ReaderApp
    from reader.ui.colour_picker import ColourPicker
    from reader.ui.confirm_dialog import ConfirmDialog
    from reader.ui.document_list import DocumentList
    from reader.ui.find_bar import FindBar
    from reader.ui.go_to_page_dialog import GoToPageDialog
    from reader.ui.help_screen import HelpScreen
    from reader.ui.note_editor import NoteEditor
    from reader.ui.notes_overview import NotesOverview
    from reader.ui.notes_panel import NotesPanel
    from reader.ui.outline_screen import OutlineScreen
    from reader.ui.reading_view import ReadingView
    from reader.ui.search_bar import SearchBar

    return [ReaderApp, SearchBar, DocumentList, ReadingView, NotesPanel, NoteEditor, ColourPicker,
            NotesOverview, ConfirmDialog, HelpScreen, FindBar, OutlineScreen,
            GoToPageDialog]


def our_bindings() -> list[Binding]:
    """Every binding the reader's own classes declare (not Textual's built-ins)."""
    bindings: list[Binding] = []
    for cls in _binding_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                bindings.append(binding)
    return bindings


def known_binding_ids() -> frozenset[str]:
    return frozenset(binding.id for binding in our_bindings() if binding.id)


def load_app_config(cli_value: str | os.PathLike[str] | None = None) -> Config:
    """The user's config (``--config``, ``IATSE_READER_CONFIG`` or the platform's
    config dir), checked against the bindings there are."""
    return load_config(resolve_config_path(cli_value), known_binding_ids)
