"""What a document becomes in the index: the Whoosh schema, its version, the
fields a document fills, and the writing codec.

Kept together because they change together: a new field or analyzer means a new
:data:`SCHEMA_VERSION` (an index of another version is rebuilt), and the shared
analysis of the content fields must give exactly what the fields' own analyzers
give.  Each text field has a stemmed version (words, phrases) and an unstemmed
twin (wildcards, fuzzy terms, spelling suggestions); see :mod:`reader.query`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from whoosh import fields
from whoosh.codec.whoosh3 import W3Codec

from reader.corpus import Document
from reader.manifest import ManifestEntry
from reader.query import exact_analyzer, pair_text, pairs_analyzer, stemming_analyzer

# 3: plain segment files (a v2 index, compound, held a copy of itself per searcher;
# it is rebuilt once, in the background, searchable from its first commit).
# 4: every word indexed (stop words and one-letter words: phrases need them);
# terminal escape sequences are not words (see reader.query.WordTokenizer).
SCHEMA_VERSION = 4
# Where a match is a hit in the document's text, and where in its notes (see
# DocumentIndex._hits).
_CONTENT_FIELDS = {"content", "content_exact", "content_pairs"}
_NOTE_FIELDS = {"note", "note_exact"}


def make_schema() -> fields.Schema:
    stemmed, exact = stemming_analyzer(), exact_analyzer()
    return fields.Schema(
        path=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        title_exact=fields.TEXT(analyzer=exact, field_boost=2.0),
        content=fields.TEXT(analyzer=stemmed, phrase=True, chars=True),
        content_exact=fields.TEXT(analyzer=exact, phrase=False, chars=True),
        # Adjacent stemmed words as one term: phrases look up pairs (see query_forms._with_pairs).
        content_pairs=fields.TEXT(analyzer=pairs_analyzer(), phrase=True, chars=True),
        source=fields.TEXT(analyzer=exact, stored=True),
        note=fields.TEXT(analyzer=stemmed, stored=True, phrase=True, chars=True),
        note_exact=fields.TEXT(analyzer=exact, phrase=False, chars=True),
        date=fields.STORED(),
        size=fields.STORED(),
        mtime_ns=fields.STORED(),
        content_hash=fields.STORED(),
        notes_digest=fields.STORED(),
    )


def notes_digest(note_text: str) -> str:
    return hashlib.sha1(note_text.encode("utf-8")).hexdigest() if note_text else ""


def _document_fields(document: Document, notes: dict[str, str]) -> tuple[dict[str, object], ManifestEntry]:
    """The index fields of *document* and its manifest entry."""
    note_text = notes.get(document.rel_path, "")
    digest = notes_digest(note_text)
    fields_ = {
        "path": document.rel_path, "title": document.title, "title_exact": document.title,
        "content": document.text, "content_exact": document.text, "content_pairs": document.text,
        "source": document.source,
        "note": note_text, "note_exact": note_text, "date": document.date, "size": document.size,
        "mtime_ns": document.mtime_ns, "content_hash": document.content_hash, "notes_digest": digest,
    }
    entry = ManifestEntry(document.size, document.mtime_ns, digest, document.title, document.source,
                          document.date, document.content_hash)
    return fields_, entry


def _share_content_analysis(schema: fields.Schema) -> None:
    """In a worker's writer schema: analyse each document's text once for
    ``content``, ``content_exact`` and ``content_pairs``, whose analyzers differ
    only after the tokenizer (see :mod:`reader.query`), instead of three times.
    The postings are exactly what the two fields' own ``index()`` give (a test
    compares them); only the work is shared."""
    from whoosh.analysis import unstopped

    stemmed_field, exact_field = schema["content"], schema["content_exact"]
    analyze = exact_field.analyzer
    stem = stemmed_field.analyzer.items[-1]._stem  # the StemFilter's cached stemmer
    last: dict[str, object] = {}

    def postings(found: dict[str, list[tuple[int, int, int]]], field_: fields.FieldType) -> list[tuple]:
        encode, boost = field_.format.encode, field_.format.field_boost
        return [(text.encode("utf-8"), len(places), len(places) * boost, encode(places))
                for text, places in found.items()]

    pairs_field = schema["content_pairs"]

    def index_stemmed(value: object, **kwargs: object) -> list[tuple]:
        exact: dict[str, list[tuple[int, int, int]]] = {}
        stemmed: dict[str, list[tuple[int, int, int]]] = {}
        pairs: dict[str, list[tuple[int, int, int]]] = {}
        previous: tuple[str, int, int] | None = None  # the last word's stem, position, start
        for token in unstopped(analyze(value, mode="index", positions=True, chars=True, boosts=True)):
            place = (token.pos, token.startchar, token.endchar)
            exact.setdefault(token.text, []).append(place)
            stemmed_text = stem(token.text)
            stemmed.setdefault(stemmed_text, []).append(place)
            if previous is not None:
                pairs.setdefault(pair_text(previous[0], stemmed_text), []).append(
                    (previous[1], previous[2], token.endchar))
            previous = (stemmed_text, token.pos, token.startchar)
        last.clear()
        last[id(value)] = (value, {"content_exact": postings(exact, exact_field),
                                   "content_pairs": postings(pairs, pairs_field)})
        return postings(stemmed, stemmed_field)

    def sharing(field_name: str, field_: fields.FieldType) -> Callable[..., object]:
        def index_shared(value: object, **kwargs: object) -> object:
            shared = last.get(id(value))
            if shared is not None and shared[0] is value:  # type: ignore[index]
                return shared[1][field_name]  # type: ignore[index]
            return type(field_).index(field_, value, **kwargs)

        return index_shared

    stemmed_field.index = index_stemmed  # type: ignore[method-assign]
    exact_field.index = sharing("content_exact", exact_field)  # type: ignore[method-assign]
    pairs_field.index = sharing("content_pairs", pairs_field)  # type: ignore[method-assign]


def _codec() -> W3Codec:
    """Whoosh's codec, keeping the postings of a term found in one document of a
    segment in the term table ("inlined") instead of a block of their own.

    A profile of a 2.2 MB text of 300,000 distinct words (14.6 s to index) showed
    the time going to writing 600,000 one-posting blocks (content and
    content_exact), each pickled, zlib-compressed and indexed on its own; in
    ordinary text about half the terms occur in one document too.  Whoosh has the
    option (``inlinelimit``) and its readers read inlined terms, but its writer
    calls ``set_inline`` where the method is ``W3TermInfo.set_inlined``, so the
    option could not be used; the alias below is that missing name."""
    from whoosh.codec.whoosh3 import W3Codec, W3TermInfo

    if not hasattr(W3TermInfo, "set_inline"):
        W3TermInfo.set_inline = W3TermInfo.set_inlined  # type: ignore[attr-defined]
    if not hasattr(W3TermInfo, "_reader_values_as_bytes"):
        # An inlined term of a field without values (``path``) keeps no values, and
        # Whoosh's ListMatcher then gives "" (a str) for each posting; merging
        # segments (the background merge, Whoosh's own at a commit) asserts bytes
        # and failed.  Read such values back as b"".
        inlined_postings = W3TermInfo.inlined_postings

        def inlined_postings_as_bytes(self: W3TermInfo) -> tuple | None:
            found = inlined_postings(self)
            if found is None:
                return None
            ids, weights, values = found
            if len(values) != len(ids):
                values = tuple(b"" for _ in ids)
            elif any(isinstance(value, str) for value in values):
                values = tuple(value.encode("latin-1") if isinstance(value, str) else value for value in values)
            return ids, weights, values

        W3TermInfo.inlined_postings = inlined_postings_as_bytes  # type: ignore[method-assign]
        W3TermInfo._reader_values_as_bytes = True  # type: ignore[attr-defined]
    return W3Codec(inlinelimit=2)  # fewer than 2 postings: inlined
