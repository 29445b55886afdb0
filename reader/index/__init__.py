"""The Whoosh index: schema, incremental build, search, hit spans and snippets.

One index per documents folder, under the data directory.  The index is derived
data: whenever it is missing, unreadable, or built with another schema it is
deleted and rebuilt, and the caller is told why.  Document text is *not* stored
in the index (it is read from disk when shown); the ``content`` fields keep
positions and character offsets so hits are located from the postings, without
re-tokenising the text.

Each text field has a stemmed version (words, phrases) and an unstemmed twin
(wildcards, fuzzy terms, spelling suggestions); see :mod:`reader.query`.
A document's notes are indexed with it, in the ``note`` fields, from the notes
database (which stays their only home): a digest of the note texts is stored,
and a document whose notes changed is re-indexed at the next update.

Many files to index (a first build, a big batch) are indexed by worker
processes, each writing whole segments that are then adopted into the index;
a few are indexed in process.  An update that finds nothing changed is told so
by the folder state (:mod:`reader.manifest`) without opening Whoosh, which
opens on first use.

The modules, one idea each:

- :mod:`.schema`: the schema and its version, a document's fields, the codec;
- :mod:`.document_index`: :class:`DocumentIndex` (open, update, merge, search);
- :mod:`.query_forms`: the faster equivalent forms of a query it searches with;
- :mod:`.spans`: hit spans from the postings, and snippets;
- :mod:`.parallel_build`: batches, worker processes and their segments;
- :mod:`.folder_state`: the start-up check's view of the index and the folder.

This package re-exports the public names; tuning knobs (``PARALLEL_MIN_FILES``,
``MERGE_MIN_SEGMENTS``, ``UNION_MIN_WORDS``...) are not, so that a test patches
them in the module that reads them (patching a re-exported copy would change
nothing, and would not fail).
"""

from reader.index.document_index import DocumentIndex, IndexUnavailable, open_index
from reader.index.schema import SCHEMA_VERSION, make_schema
from reader.index.spans import make_snippet, merge_spans
from reader.query import MAX_QUERY_LENGTH, QueryError
from reader.results import IndexReport, SearchHit, SearchResults, Span

__all__ = [
    "MAX_QUERY_LENGTH", "DocumentIndex", "IndexUnavailable", "QueryError", "SearchHit",
    "SearchResults", "IndexReport", "Span", "make_schema", "make_snippet", "merge_spans",
    "open_index", "SCHEMA_VERSION",
]
