"""The core stays independent of the UI, and the CLI's common paths stay light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.exists(), f"import-linter is not installed next to {sys.executable}"
    completed = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "kept" in completed.stdout.lower()


def imported_after(modules: str, candidates: tuple[str, ...]) -> set[str]:
    """Which of *candidates* a fresh interpreter has loaded after importing *modules*."""
    code = f"import sys, {modules}; print(*(name for name in {candidates!r} if name in sys.modules))"
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return set(completed.stdout.split())


def test_cli_workspace_and_notes_do_not_import_textual_or_whoosh():
    core = "reader.cli, reader.workspace, reader.notes, reader.export, reader.results"
    assert imported_after(core, ("textual", "whoosh")) == set()


def test_the_app_module_leaves_search_and_anchoring_libraries_for_later():
    # What the first paint need not wait for: Whoosh (the index opens in a worker
    # after the list is painted), edlib and rapidfuzz (re-anchoring, in workers).
    assert imported_after("reader.ui.app", ("whoosh", "edlib", "rapidfuzz")) == set()
    assert imported_after("reader.ui.app", ("textual",)) == {"textual"}  # the check itself works
