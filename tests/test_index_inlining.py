"""Issue 13, point 9: a text of many distinct words indexed slowly because Whoosh
wrote every one-posting term as a block of its own (its ``inlinelimit`` option
was broken by a misspelt method).  The index now keeps such terms inline in the
term table; these tests check that it does, in both build paths, and that the
index answers every kind of query exactly as one written without inlining."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.index.document_index as index_core
import reader.index.parallel_build as parallel_build
from reader.index import DocumentIndex

QUERIES = ["turnaround", "strike vote", '"rest periods"', "negotiat*", "hutchens~", "title:strike",
           "safety OR walkout", "strike -vote", "turnaroond"]


def _inlined_share(document_index: DocumentIndex, fieldname: str) -> tuple[int, int]:
    """(inlined terms, all terms) of *fieldname* in the index."""
    reader = document_index.searcher().reader()
    inlined = total = 0
    for term in reader.lexicon(fieldname):
        total += 1
        inlined += reader.term_info(fieldname, term).is_inlined()
    return inlined, total


def _answers(document_index: DocumentIndex) -> list[object]:
    answers = []
    for query in QUERIES:
        results = document_index.search(query, limit=None)
        answers.append((query, results.total, results.suggestion, [
            (hit.rel_path, round(hit.score, 6), hit.hits, hit.spans, hit.snippet) for hit in results.hits
        ]))
    return answers


def test_one_posting_terms_are_inlined_and_answers_are_unchanged(tmp_path, bundled_root, monkeypatch):
    inlining = DocumentIndex(tmp_path / "inlining", bundled_root, "bundled")
    inlining.update()
    inlined, total = _inlined_share(inlining, "content_exact")
    assert total > 500 and inlined > total // 4  # words found in one document only
    assert inlined < total  # terms in several documents still get blocks

    from whoosh.codec.whoosh3 import W3Codec

    monkeypatch.setattr(index_core, "_codec", lambda: W3Codec())  # Whoosh's default: no inlining
    plain = DocumentIndex(tmp_path / "plain", bundled_root, "bundled")
    plain.update()
    assert _inlined_share(plain, "content_exact")[0] == 0
    try:
        assert _answers(inlining) == _answers(plain)
        for rel_path in ("000_e3ada0fd6d1921fa.txt", "003_a46e3e2d94785f42.txt"):
            spans = inlining.hit_spans("turnaround OR hutchens OR strike", rel_path)
            assert spans and spans == plain.hit_spans("turnaround OR hutchens OR strike", rel_path)
    finally:
        inlining.close()
        plain.close()


def test_the_parallel_build_inlines_too(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(12):
        (docs / f"{number:02}.txt").write_text(f"Common words here\n\nunique{number}word and shared text\n",
                                               encoding="utf-8")
    monkeypatch.setattr(parallel_build, "PARALLEL_MIN_FILES", 4)
    monkeypatch.setattr(parallel_build, "_worker_count", lambda: 2)
    document_index = DocumentIndex(tmp_path / "index", docs, "k")
    try:
        report = document_index.update()
        assert len(report.added) == 12
        segments = [leaf for leaf, _base in document_index.searcher().reader().leaf_readers()]
        assert len(segments) > 1  # written by the workers

        def inlined(term: str) -> list[bool]:
            return [leaf.term_info("content_exact", term).is_inlined()
                    for leaf in segments if ("content_exact", term) in leaf]

        assert inlined("unique7word") == [True]
        assert not any(inlined("shared"))  # in every document of each segment
        assert [hit.rel_path for hit in document_index.search("unique7word").hits] == ["07.txt"]
    finally:
        document_index.close()


@pytest.mark.parametrize("words", [20_000])
def test_a_text_of_distinct_words_writes_no_block_per_word(tmp_path, words):
    """The case from the issue, small: every word distinct, on one line."""
    docs = tmp_path / "docs"
    docs.mkdir()
    vocabulary = [f"w{number:06x}q" for number in range(words)]
    (docs / "words.txt").write_text(" ".join(vocabulary), encoding="utf-8")
    document_index = DocumentIndex(tmp_path / "index", docs, "k")
    try:
        document_index.update()
        inlined, total = _inlined_share(document_index, "content_exact")
        assert total == words and inlined == words
        assert [hit.rel_path for hit in document_index.search(vocabulary[12345]).hits] == ["words.txt"]
        postings = sum(path.stat().st_size for path in Path(tmp_path / "index").glob("*.pst"))
        assert postings < 10 * 1024  # the positions live in the term table, not a block per word
    finally:
        document_index.close()
