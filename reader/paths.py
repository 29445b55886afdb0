"""Where things live: the bundled documents and the user's data directory.

Decisions (see README, "Data layout"):

* One data directory holds everything the reader writes: ``--data-dir``, else
  ``$IATSE_READER_DATA_DIR``, else platformdirs' user data dir.
* ``notes.sqlite3`` holds the notes of every collection; the index of each
  documents folder lives in ``index/<collection id>/``.
* A collection is identified by a stable key: ``bundled`` for the documents
  that ship with the package (so notes survive reinstalling into another
  virtualenv), else the folder's resolved absolute path.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "iatse-reader"
DATA_DIR_ENV = "IATSE_READER_DATA_DIR"
DOCS_DIR_ENV = "IATSE_READER_DOCS"
BUNDLED_COLLECTION_KEY = "bundled"


def bundled_documents_dir() -> Path:
    """The five bundled documents: inside the installed package, or the repo's
    top-level ``documents/`` when running from a checkout or editable install."""
    packaged = Path(__file__).resolve().parent / "documents"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "documents"


def default_data_dir() -> Path:
    import platformdirs  # imported here so `--help` and tests with --data-dir skip it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env_value = os.environ.get(DATA_DIR_ENV)
    if env_value:
        return Path(env_value).expanduser()
    return default_data_dir()


@dataclass(frozen=True)
class Collection:
    """A documents folder and the stable key its notes and index are filed under."""

    root: Path
    key: str

    @property
    def is_bundled(self) -> bool:
        return self.key == BUNDLED_COLLECTION_KEY

    @property
    def index_id(self) -> str:
        return hashlib.sha1(self.key.encode("utf-8")).hexdigest()[:16]


def resolve_collection(cli_value: str | os.PathLike[str] | None) -> Collection:
    value = cli_value or os.environ.get(DOCS_DIR_ENV)
    if not value:
        return Collection(root=bundled_documents_dir(), key=BUNDLED_COLLECTION_KEY)
    root = Path(value).expanduser().resolve()
    return Collection(root=root, key=str(root))


@dataclass(frozen=True)
class DataLayout:
    """Files under the data directory."""

    data_dir: Path

    @property
    def notes_db(self) -> Path:
        return self.data_dir / "notes.sqlite3"

    @property
    def history_file(self) -> Path:
        """Committed search queries, shared by every collection."""
        return self.data_dir / "history.json"

    @property
    def reading_state_file(self) -> Path:
        """Where each document was left, the last one open, panes and theme (reader.reading_state)."""
        return self.data_dir / "reading-state.json"

    @property
    def extraction_cache(self) -> Path:
        """What PDFs, web pages and books were read as (see reader.formats.cache);
        shared by every collection, keyed by content."""
        return self.data_dir / "extracted"

    def index_dir(self, collection: Collection) -> Path:
        return self.data_dir / "index" / collection.index_id

    def catalog_cache(self, collection: Collection) -> Path:
        return self.index_dir(collection) / "titles.json"
