"""Shared fixtures for the core tests (and reusable by tests/ui/).

Every fixture that writes anything writes under pytest's ``tmp_path``: the real
user data directory is never touched.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.paths import DATA_DIR_ENV, DOCS_DIR_ENV, bundled_documents_dir


def pytest_configure(config: pytest.Config) -> None:
    """Keep Hypothesis' example database and caches out of the repository."""
    try:
        from hypothesis.configuration import set_hypothesis_home_dir
    except ImportError:
        return
    set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "iatse-reader-hypothesis"))


@pytest.fixture(autouse=True)
def _isolate_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may fall back to the user's real data dir or docs folder."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env-data"))
    monkeypatch.delenv(DOCS_DIR_ENV, raising=False)


@pytest.fixture
def bundled_root() -> Path:
    root = bundled_documents_dir()
    assert root.is_dir(), f"bundled documents missing: {root}"
    return root


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


DocsFactory = Callable[..., Path]


@pytest.fixture
def make_docs(tmp_path: Path) -> DocsFactory:
    """``make_docs({"a.txt": "text", "sub/b.md": b"bytes"}, name="docs")`` writes the
    files under ``tmp_path/name`` and returns that folder."""

    def factory(files: dict[str, bytes | str], name: str = "docs") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        for rel_path, content in files.items():
            path = root / rel_path
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                path.write_bytes(content.encode("utf-8"))
            else:
                path.write_bytes(content)
        return root

    return factory


@pytest.fixture
def bundled_copy(tmp_path: Path, bundled_root: Path) -> Path:
    """A writable copy of the bundled documents (catalog included)."""
    target = tmp_path / "bundled-copy"
    shutil.copytree(bundled_root, target)
    return target


@pytest.fixture(scope="module")
def module_index(tmp_path_factory: pytest.TempPathFactory):
    """One index over the bundled documents per test module, for tests that only search."""
    from reader.index import DocumentIndex
    from reader.paths import bundled_documents_dir

    document_index = DocumentIndex(tmp_path_factory.mktemp("index") / "index", bundled_documents_dir(), "bundled")
    document_index.update()
    yield document_index
    document_index.close()


@pytest.fixture
def built_index(tmp_path: Path, bundled_root: Path):
    """A DocumentIndex over the bundled documents, in tmp, already updated."""
    from reader.index import DocumentIndex

    document_index = DocumentIndex(tmp_path / "index", bundled_root, "bundled")
    report = document_index.update()
    assert len(report.added) == 5, report.summary()
    yield document_index
    document_index.close()
