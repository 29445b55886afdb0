"""The Whoosh index: incremental builds, recovery, search, hit spans, snippets."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import corpus
from reader.index import DocumentIndex, QueryError, make_snippet, merge_spans
from reader.paths import bundled_documents_dir
from reader.results import SearchResults

DOC_000 = "000_e3ada0fd6d1921fa.txt"
DOC_003 = "003_a46e3e2d94785f42.txt"
DOC_004 = "004_d8284c93e39c396c.txt"
META_FILE = "reader-index.json"


def _texts(root: Path) -> dict[str, str]:
    return {entry.rel_path: corpus.read_document(entry).text for entry in corpus.scan(root).files}


def _paths(results: SearchResults) -> set[str]:
    return {hit.rel_path for hit in results.hits}


# -- building and updating -----------------------------------------------------------


def test_build_then_nothing_to_do(tmp_path, bundled_root):
    document_index = DocumentIndex(tmp_path / "ix", bundled_root, "bundled")
    first = document_index.update()
    assert len(first.added) == 5
    assert first.updated == [] and first.removed == [] and first.skipped == []
    assert first.rebuilt_because  # "no index yet"
    second = document_index.update()
    assert second.added == [] and second.updated == [] and second.removed == []
    assert second.unchanged == 5
    assert not second.changed
    assert [stored["path"] for stored in document_index.titles()] == sorted(_texts(bundled_root))
    document_index.close()


def test_reopen_existing_index_does_not_rebuild(tmp_path, bundled_root):
    first = DocumentIndex(tmp_path / "ix", bundled_root, "bundled")
    first.update()
    first.close()
    again = DocumentIndex(tmp_path / "ix", bundled_root, "bundled")
    report = again.update()
    assert again.opened_because is None
    assert report.rebuilt_because is None
    assert report.unchanged == 5 and not report.changed
    again.close()


def test_incremental_update_add_modify_delete(tmp_path, bundled_copy):
    document_index = DocumentIndex(tmp_path / "ix", bundled_copy, "copy")
    assert len(document_index.update().added) == 5

    target = bundled_copy / DOC_004
    stat = target.stat()
    target.write_text("A completely rewritten document about zyxwvut rules.\n", encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    report = document_index.update()
    assert report.updated == [DOC_004]
    assert report.added == [] and report.removed == []
    assert report.unchanged == 4
    assert _paths(document_index.search("zyxwvut")) == {DOC_004}
    assert document_index.search("turnaround").hits == []

    (bundled_copy / "sub").mkdir()
    (bundled_copy / "sub" / "new.md").write_text("# Fresh arrival\nqwertyuiop story\n", encoding="utf-8")
    report = document_index.update()
    assert report.added == ["sub/new.md"]
    assert report.updated == [] and report.removed == []
    assert _paths(document_index.search("qwertyuiop")) == {"sub/new.md"}

    (bundled_copy / DOC_000).unlink()
    report = document_index.update()
    assert report.removed == [DOC_000]
    assert report.added == [] and report.updated == []
    assert report.unchanged == 5
    assert DOC_000 not in _paths(document_index.search("strike"))
    document_index.close()


def test_manifest_tracks_the_index_and_a_bad_one_is_ignored(tmp_path, bundled_copy):
    from reader.manifest import MANIFEST_FILE, read_manifest

    index_dir = tmp_path / "ix"
    document_index = DocumentIndex(index_dir, bundled_copy, "copy")
    document_index.update()
    manifest = read_manifest(index_dir)
    assert manifest is not None and sorted(manifest) == sorted(_texts(bundled_copy))
    stored = document_index.indexed_files()
    for path, entry in manifest.items():
        assert (entry.size, entry.mtime_ns, entry.title, entry.content_hash) == (
            stored[path]["size"], stored[path]["mtime_ns"], stored[path]["title"],
            stored[path]["content_hash"],
        )
    (bundled_copy / DOC_000).unlink()
    document_index.update()
    assert DOC_000 not in read_manifest(index_dir)
    document_index.close()

    # A manifest out of step with the index (or damaged) is not trusted: the next
    # update falls back to the index's stored fields, finds nothing to do, and
    # writes a good manifest again.
    (index_dir / MANIFEST_FILE).write_text('{"version": 1, "files": {"ghost.txt": [1,2,"","","","",""]}}')
    reopened = DocumentIndex(index_dir, bundled_copy, "copy")
    report = reopened.update()
    assert (report.added, report.updated, report.removed, report.unchanged) == ([], [], [], 4)
    assert sorted(read_manifest(index_dir)) == sorted(_texts(bundled_copy))
    (index_dir / MANIFEST_FILE).write_text("{not json")
    assert reopened.update().unchanged == 4
    assert read_manifest(index_dir) is not None
    reopened.close()


def test_unreadable_files_are_skipped_with_reasons(tmp_path, make_docs):
    root = make_docs(
        {"good.txt": "A readable document about pickets.\n", "binary.txt": b"\x00\x01\x02binary", "empty.md": b""}
    )
    document_index = DocumentIndex(tmp_path / "ix", root, "odd")
    report = document_index.update()
    assert report.added == ["good.txt"]
    reasons = {skipped.rel_path: skipped.reason for skipped in report.skipped}
    assert set(reasons) == {"binary.txt", "empty.md"}
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.md"]
    assert _paths(document_index.search("pickets")) == {"good.txt"}
    document_index.close()


def test_file_that_becomes_unreadable_is_removed(tmp_path, make_docs):
    root = make_docs({"a.txt": "first version with pickets\n"})
    document_index = DocumentIndex(tmp_path / "ix", root, "k")
    document_index.update()
    (root / "a.txt").write_bytes(b"\x00now binary and longer")
    report = document_index.update()
    assert report.removed == ["a.txt"]
    assert [skipped.rel_path for skipped in report.skipped] == ["a.txt"]
    assert document_index.search("pickets").hits == []
    document_index.close()


def _garble_all_but_meta(index_dir: Path) -> None:
    for path in index_dir.iterdir():
        if path.is_file() and path.name != META_FILE:
            path.write_bytes(b"\xde\xad\xbe\xef garbage " * 7)


def _garble_everything(index_dir: Path) -> None:
    for path in index_dir.iterdir():
        if path.is_file():
            path.write_bytes(b"\x00\xffnot an index\x13\x37" * 5)


def _garble_segments(index_dir: Path) -> None:
    # A segment's files: MAIN_<id>.trm, .pst, .col ... (or one compound .seg).
    segments = [path for path in index_dir.glob("MAIN_*.*")]
    assert segments, "expected Whoosh segment files"
    for path in segments:
        path.write_bytes(b"garbage" * 10)


def _delete_toc(index_dir: Path) -> None:
    tocs = list(index_dir.glob("_*.toc"))
    assert tocs, "expected a Whoosh TOC file"
    for toc in tocs:
        toc.unlink()


@pytest.mark.parametrize("damage", [_garble_all_but_meta, _garble_everything, _garble_segments, _delete_toc])
def test_damaged_index_is_rebuilt(tmp_path, bundled_root, damage):
    index_dir = tmp_path / "ix"
    first = DocumentIndex(index_dir, bundled_root, "bundled")
    first.update()
    first.close()
    damage(index_dir)

    again = DocumentIndex(index_dir, bundled_root, "bundled")
    again.open()
    assert again.opened_because
    assert "rebuild" in again.opened_because or "building" in again.opened_because
    report = again.update()
    assert len(report.added) == 5
    assert report.rebuilt_because == again.opened_because
    assert _paths(again.search("turnaround")) == {DOC_004}
    again.close()


def test_old_schema_meta_is_rebuilt(tmp_path, bundled_root):
    index_dir = tmp_path / "ix"
    first = DocumentIndex(index_dir, bundled_root, "bundled")
    first.update()
    first.close()
    meta_path = index_dir / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["schema"] >= 1
    meta["schema"] = 0
    meta_path.write_text(json.dumps(meta), encoding="utf-8")

    again = DocumentIndex(index_dir, bundled_root, "bundled")
    report = again.update()
    assert again.opened_because and "another version" in again.opened_because
    assert len(report.added) == 5
    from reader.index import SCHEMA_VERSION

    assert json.loads(meta_path.read_text(encoding="utf-8"))["schema"] == SCHEMA_VERSION
    assert _paths(again.search("turnaround")) == {DOC_004}
    again.close()


def test_rebuild_requested(built_index):
    report = built_index.update(rebuild=True)
    assert report.rebuilt_because == "rebuild requested"
    assert len(report.added) == 5
    assert _paths(built_index.search("turnaround")) == {DOC_004}


# -- search ------------------------------------------------------------------------------


def test_class_union_finds_both_spellings(built_index):
    assert {DOC_000, DOC_003} <= _paths(built_index.search("class union"))
    assert {DOC_000, DOC_003} <= _paths(built_index.search('"class union"'))


def test_running_does_not_raise(built_index):
    assert isinstance(built_index.search("running"), SearchResults)


def test_strikes_matches_every_document_mentioning_strike(built_index, bundled_root):
    expected = {
        rel_path
        for rel_path, text in _texts(bundled_root).items()
        if re.search(r"(?i)\bstrik(e|es|ing)\b", text)
    }
    assert expected  # the corpus is about a strike
    results = built_index.search("strikes")
    assert _paths(results) == expected
    assert results.total == len(expected)


def test_turnaround_only_in_004(built_index):
    results = built_index.search("turnaround")
    assert _paths(results) == {DOC_004}
    assert results.hits[0].title == "IATSE and AMPTP Negotiations Expected to Continue This Week"
    assert results.hits[0].source == "Variety"


def test_phrase_across_a_line_break(built_index, bundled_root):
    assert "labor\nmovement" in _texts(bundled_root)[DOC_003]
    assert DOC_003 in _paths(built_index.search('"labor movement"'))


def test_results_are_ranked_and_limited(built_index):
    results = built_index.search("strike", limit=2)
    assert len(results.hits) == 2
    assert results.hits[0].score >= results.hits[1].score
    assert results.total >= 2


# -- hit spans ---------------------------------------------------------------------------


def test_turnaround_spans(built_index, bundled_root):
    text = _texts(bundled_root)[DOC_004]
    spans = built_index.hit_spans("turnaround", DOC_004)
    assert spans
    assert all(text[start:end].lower() == "turnaround" for start, end in spans)
    assert len(spans) == len(list(re.finditer(r"(?i)\bturnaround\b", text)))


def test_phrase_spans_only_where_the_phrase_is(built_index, bundled_root):
    text = _texts(bundled_root)[DOC_003]
    spans = built_index.hit_spans('"class union"', DOC_003)
    assert spans
    for start, end in spans:
        assert re.fullmatch(r"(?i)class\s+union\w*", text[start:end]), text[start:end]
    assert len(spans) == len(re.findall(r"(?i)class\s+union\w*", text))
    # 'class' alone occurs elsewhere; the phrase must not light it up.
    lone_class = [m.start() for m in re.finditer(r"(?i)\bclass\b(?!\s+union)", text)]
    assert lone_class
    assert not any(start <= position < end for position in lone_class for start, end in spans)


def test_stemmed_spans_cover_strike_and_strikes(built_index, bundled_root):
    texts = _texts(bundled_root)
    for rel_path in (DOC_000, DOC_003, DOC_004):
        text = texts[rel_path]
        spans = built_index.hit_spans("strike", rel_path)
        expected = [(m.start(), m.end()) for m in re.finditer(r"(?i)\bstrik(e|es)\b", text)]
        assert spans == expected, rel_path
    words = {texts[DOC_003][start:end].lower() for start, end in built_index.hit_spans("strike", DOC_003)}
    assert words == {"strike", "strikes"}


def test_hits_count_matches_spans(built_index):
    for hit in built_index.search("strike").hits:
        assert hit.hits == len(built_index.hit_spans("strike", hit.rel_path))


def test_hit_spans_of_unknown_document(built_index):
    assert built_index.hit_spans("strike", "no-such-file.txt") == []


# -- snippets ---------------------------------------------------------------------------


def test_search_snippet_is_one_line_with_the_hit(built_index):
    (hit,) = built_index.search("turnaround").hits
    assert "\n" not in hit.snippet
    assert "turnaround" in hit.snippet.lower()
    assert hit.snippet_spans
    for start, end in hit.snippet_spans:
        assert hit.snippet[start:end].lower() == "turnaround"


def test_make_snippet_flattens_lines_and_shifts_spans(bundled_root):
    text = _texts(bundled_root)[DOC_003]
    position = text.index("labor\nmovement")
    spans = [(position, position + len("labor")), (position + 6, position + 14)]
    snippet, inside = make_snippet(text, spans)
    assert "\n" not in snippet
    assert "labor movement" in snippet
    assert [snippet[start:end] for start, end in inside] == ["labor", "movement"]


def test_make_snippet_hit_deep_in_text():
    text = ("filler words here\n" * 40) + "the NEEDLE is here\n" + ("more filler\n" * 40)
    position = text.index("NEEDLE")
    snippet, inside = make_snippet(text, [(position, position + 6)], width=60)
    assert "\n" not in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 62
    assert [snippet[start:end] for start, end in inside] == ["NEEDLE"]


def test_make_snippet_without_spans_starts_at_the_top():
    snippet, inside = make_snippet("first line\nsecond line", [])
    assert snippet == "first line second line"
    assert inside == []


def test_merge_spans():
    assert merge_spans([(5, 8), (0, 2), (1, 3), (8, 9), (20, 21)]) == [(0, 3), (5, 9), (20, 21)]
    assert merge_spans([]) == []


# -- fuzzing -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def module_index(tmp_path_factory):
    document_index = DocumentIndex(tmp_path_factory.mktemp("fuzz") / "ix", bundled_documents_dir(), "bundled")
    document_index.update()
    yield document_index
    document_index.close()


QUERY_ALPHABET = st.sampled_from(list('abcst "()*?~^:+-![]{}\\/') + ["AND", "OR", "NOT", "strike", "union"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text() | st.lists(QUERY_ALPHABET, max_size=12).map(" ".join))
def test_any_text_either_searches_or_raises_query_error(module_index, query):
    try:
        results = module_index.search(query)
    except QueryError as error:
        assert str(error)
    else:
        assert isinstance(results, SearchResults)
        assert all(isinstance(hit.snippet, str) and "\n" not in hit.snippet for hit in results.hits)


def test_phrases_rank_the_same_on_positions_only(built_index):
    # Ranking matches phrases on word positions alone; the documents, scores and
    # the highlighted spans (character offsets) are those of Whoosh's own phrase.
    from reader.index.query_forms import _ranking_form

    for text in ('"class union"', '"labor movement" strike', 'strike -"strike vote"',
                 '"rest periods"~3 OR turnaround'):
        ranking = built_index._queries.compile(text)
        assert _ranking_form(ranking) is not ranking  # it has a phrase to rewrite
        searcher = built_index.searcher()
        plain = searcher.search(ranking, limit=None)
        ranked = searcher.search(_ranking_form(ranking), limit=None)
        assert [(hit.docnum, hit.score) for hit in plain] == [(hit.docnum, hit.score) for hit in ranked], text
    spans = built_index.hit_spans('"class union"', DOC_003)
    assert spans and all(start is not None and end > start for start, end in spans)


def test_a_search_whose_segments_a_merge_deleted_runs_again_on_the_new_ones(tmp_path, make_docs):
    """A merge (in a background thread, or another copy of the reader) deletes the
    segments it replaced; a searcher opened just before it has not opened every
    file yet.  The search must not fail (in the app a failed search left the old
    results on screen): it runs again on the newest generation."""
    root = make_docs({"a.txt": "Alpha\n\nThe strike vote is on Friday.\n",
                      "b.txt": "Beta\n\nTurnaround times must be ten hours.\n"})
    first = DocumentIndex(tmp_path / "ix", root, "k")
    first.update()
    stale = first.searcher()  # opened, but no query has read a field's lengths yet
    stale.up_to_date = lambda: True  # as if checked an instant before the merge's commit

    (root / "c.txt").write_text("Gamma\n\nA strike fund for the crews.\n", encoding="utf-8")
    other = DocumentIndex(tmp_path / "ix", root, "k")  # another copy of the reader
    other.update()
    writer = other.ix.writer()
    writer.commit(optimize=True)  # one segment; the old segments' files are deleted
    other.close()

    assert _paths(first.search("strike", limit=None)) == {"a.txt", "c.txt"}
    assert first.searcher() is not stale
    first.close()
