"""What each query means, checked against sets of documents worked out from the
texts by hand, on an index of one segment and on one of several (a parallel
build adopts a segment per worker batch): exclusions (``-word`` and ``NOT word``
agree wherever they stand), hyphenated words, stop words inside phrases, and
words touching a terminal escape sequence."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.index.document_index as index_core
import reader.index.parallel_build as parallel_build
import reader.index.query_forms as query_forms
from reader.index import DocumentIndex

# File names fix the index order: a document with "strike" but not "Hollywood"
# comes first, which is what tripped Whoosh's AndNotMatcher.
DOCUMENTS = {
    "a_strike_only.txt": "Crew meeting\n\nThe strike vote is set for Monday.\n",
    "b_hollywood_strike.txt": "Hollywood strike\n\nHollywood studios face a strike over low-paid work.\n",
    "c_hollywood_calm.txt": "Hollywood premieres\n\nHollywood premieres continue as planned.\n",
    "d_hyphens.txt": "Notice\n\nSend an e-mail about COVID-19 to every full-time grip.\n",
    "e_no_hyphens.txt": "Notice again\n\nSend an email about covid 19 to every full time grip; low paid.\n",
    "f_stop_words.txt": "Stop words\n\nThis is not a drill. We play for the world, and the world listens.\n",
    "g_scattered.txt": "Scattered\n\nFor the people of the world: is it not so? The world.\n",
    "h_escapes.txt": "Escapes\n\nplain \x1b[31mredcolour\x1b[0m text and \x1b]0;window title\x07bluecolour here\n",
    "i_vote_only.txt": "Ballot\n\nA vote on Hollywood contracts, not a walkout.\n",
}
ALL = set(DOCUMENTS)


def _found(document_index: DocumentIndex, query: str) -> set[str]:
    return {hit.rel_path for hit in document_index.search(query, limit=None).hits}


@pytest.fixture(scope="module", params=["one-segment", "several-segments"])
def document_index(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("docs")
    for name, text in DOCUMENTS.items():
        (root / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "several-segments":
            # A parallel build in batches of two files: one segment per batch.
            patch.setattr(parallel_build, "PARALLEL_MIN_FILES", 2)
            patch.setattr(parallel_build, "_FIRST_BATCH", 2)
            patch.setattr(parallel_build, "_LARGEST_BATCH", 2)
            patch.setattr(parallel_build, "_worker_count", lambda: 2)
            patch.setattr(index_core, "MERGE_MIN_SEGMENTS", 10**6)  # keep them apart
        built = DocumentIndex(tmp_path_factory.mktemp("index") / "ix", root, "k")
        report = built.update()
        built.wait_for_merge()
    assert len(report.added) == len(DOCUMENTS)
    segments = len(built.ix._segments())
    assert (segments == 1) if request.param == "one-segment" else (segments > 2), segments
    yield built
    built.close()


# -- exclusions ---------------------------------------------------------------------

HOLLYWOOD = {"b_hollywood_strike.txt", "c_hollywood_calm.txt", "i_vote_only.txt"}
STRIKE = {"a_strike_only.txt", "b_hollywood_strike.txt"}
VOTE = {"a_strike_only.txt", "i_vote_only.txt"}
PREMIERES = {"c_hollywood_calm.txt"}


@pytest.mark.parametrize(("minus", "not_", "expected"), [
    ("Hollywood -strike", "Hollywood NOT strike", HOLLYWOOD - STRIKE),
    ("-strike Hollywood", "NOT strike Hollywood", HOLLYWOOD - STRIKE),
    ("Hollywood -strike -vote", "Hollywood NOT strike NOT vote", HOLLYWOOD - STRIKE - VOTE),
    ("(Hollywood OR vote) -strike", "(Hollywood OR vote) NOT strike", (HOLLYWOOD | VOTE) - STRIKE),
    ("premieres OR (Hollywood -strike)", "premieres OR (Hollywood NOT strike)",
     PREMIERES | (HOLLYWOOD - STRIKE)),
    ("Hollywood -(strike OR vote)", "Hollywood NOT (strike OR vote)", HOLLYWOOD - STRIKE - VOTE),
    ('Hollywood -"strike over"', 'Hollywood NOT "strike over"', HOLLYWOOD - {"b_hollywood_strike.txt"}),
    ("Hollywood -content:strike", "Hollywood NOT content:strike", HOLLYWOOD - STRIKE),
    ("Hollywood -strik*", "Hollywood NOT strik*", HOLLYWOOD - STRIKE),
])
def test_minus_and_not_give_the_same_documents(document_index, minus, not_, expected):
    assert _found(document_index, minus) == expected
    assert _found(document_index, not_) == expected


def test_excluded_documents_get_no_spans(document_index):
    results = document_index.search("Hollywood -strike", limit=None)
    assert {hit.rel_path for hit in results.hits} == HOLLYWOOD - STRIKE
    assert all(hit.spans for hit in results.hits)


# -- hyphenated words ---------------------------------------------------------------

HYPHENS = {"d_hyphens.txt", "e_no_hyphens.txt"}


@pytest.mark.parametrize(("query", "expected"), [
    ("low-paid", {"b_hollywood_strike.txt", "e_no_hyphens.txt"}),
    ('"low paid"', {"b_hollywood_strike.txt", "e_no_hyphens.txt"}),
    ("COVID-19", HYPHENS),
    ("full-time", HYPHENS),
    ("e-mail", HYPHENS),  # "e-mail" and "email"
    ("content:grip e-mail", HYPHENS),
    ("full-time -covid", set()),
    ("strike -low-paid", {"a_strike_only.txt"}),
    ("notice -e-mail", set()),  # both notices have e-mail or email
    ("grip -covid-19", set()),
    ("full-tim*", HYPHENS),  # a pattern: its parts, all required
])
def test_hyphenated_word_is_the_phrase_of_its_parts(document_index, query, expected):
    assert _found(document_index, query) == expected


def test_hyphenated_word_lights_up_both_parts(document_index):
    (hit,) = [hit for hit in document_index.search("low-paid").hits if hit.rel_path == "b_hollywood_strike.txt"]
    text = DOCUMENTS["b_hollywood_strike.txt"]
    assert [text[start:end] for start, end in hit.spans] == ["low-paid"]


def test_a_hyphen_inside_a_phrase_is_a_word_break(document_index):
    assert _found(document_index, '"strike over low-paid work"') == {"b_hollywood_strike.txt"}


# -- stop words ---------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ('"is not"', {"f_stop_words.txt"}),  # not "is it not" (g)
    ('"for the world"', {"f_stop_words.txt"}),
    ('"the world"', {"f_stop_words.txt", "g_scattered.txt"}),
    ('"not a drill"', {"f_stop_words.txt"}),
    ('"a walkout"', {"i_vote_only.txt"}),
    ("world", {"f_stop_words.txt", "g_scattered.txt"}),
    ("the world", {"f_stop_words.txt", "g_scattered.txt"}),  # a loose "the" is ignored
    ("world s", {"f_stop_words.txt", "g_scattered.txt"}),  # so is a loose single letter
    ('"send an e mail"', {"d_hyphens.txt"}),  # but in a phrase it counts
])
def test_stop_words_count_inside_phrases(document_index, query, expected):
    assert _found(document_index, query) == expected


def test_phrase_of_stop_words_lights_up_only_the_phrase(document_index):
    (hit,) = document_index.search('"for the world"').hits
    text = DOCUMENTS["f_stop_words.txt"]
    assert [text[start:end] for start, end in hit.spans] == ["for the world"]  # not "the world."


# -- escape sequences ---------------------------------------------------------------


@pytest.mark.parametrize("query", ["redcolour", "bluecolour", '"plain redcolour text"', "redcol*"])
def test_words_touching_escape_sequences_are_found(document_index, query):
    assert _found(document_index, query) == {"h_escapes.txt"}


def test_escape_sequence_parameters_are_not_words(document_index):
    assert _found(document_index, "31mredcolour") == set()
    assert _found(document_index, "31m") == set()


def test_word_after_escape_is_highlighted_exactly(document_index):
    from reader import corpus

    text = corpus.clean_text(DOCUMENTS["h_escapes.txt"])
    (hit,) = document_index.search("redcolour").hits
    assert [text[start:end] for start, end in hit.spans] == ["redcolour"]


# -- patterns expanded from the vocabulary ---------------------------------------------


@pytest.mark.parametrize("query", ["hollywod~", "premiere~2", "strik*", "Holl*d", "em?il", "*colour",
                                   "redcolor~", "grip~ -strike", "title:hollywod~", "content:c?vid"])
def test_patterns_find_what_whoosh_finds(document_index, query):
    """Fuzzy terms and wildcards expanded from the index's vocabulary match the
    documents Whoosh's own expansion (over the term lists) matches."""
    compiled = document_index._queries.compile(query)
    searcher = document_index.searcher()
    whoosh_found = {searcher.stored_fields(docnum)["path"] for docnum in searcher.docs_for_query(compiled)}
    assert whoosh_found, query  # the case tests something
    assert _found(document_index, query) == whoosh_found


def test_did_you_mean_offers_the_nearest_known_word(document_index):
    results = document_index.search("hollywod premieres")
    assert results.suggestion == "hollywood premieres"
    assert document_index.search("hollywood").suggestion is None


# -- phrases through the word-pair field ---------------------------------------------


@pytest.mark.parametrize("query", ['"for the world"', '"the world"', '"is not"', '"strike vote is set"',
                                   '"hollywood studios face"', '"low paid work"', '"the strike"', '"world the"'])
def test_phrases_through_word_pairs_find_what_word_phrases_find(document_index, query):
    """A phrase is looked up as word pairs (two words: one term); it must match
    exactly the documents Whoosh's phrase of words matches."""
    from whoosh.query import Phrase, Term

    compiled = document_index._queries.compile(query)
    searcher = document_index.searcher()
    whoosh_found = {searcher.stored_fields(docnum)["path"] for docnum in searcher.docs_for_query(compiled)}
    assert _found(document_index, query) == whoosh_found
    paired = query_forms._with_pairs(compiled)
    leaves = [leaf for leaf in paired.leaves() if getattr(leaf, "fieldname", None) == "content_pairs"]
    assert leaves and all(isinstance(leaf, (Term, Phrase)) for leaf in leaves)
    assert not any(getattr(leaf, "fieldname", None) == "content" for leaf in paired.leaves())


def test_a_phrase_with_slop_stays_a_phrase_of_words(document_index):
    compiled = document_index._queries.compile('"strike set"~3')
    assert query_forms._with_pairs(compiled) == compiled
    assert _found(document_index, '"strike set"~3') == {"a_strike_only.txt"}


@pytest.mark.parametrize("query", ["*o*", "content:*e*", "title:*o* OR strike", "*e* -strike", "*r*"])
def test_broad_patterns_ranked_from_one_list_rank_as_word_by_word(document_index, query, monkeypatch):
    """A pattern of many words is ranked from the union of their documents: the
    same documents, scores and order as one matcher per word."""
    expanded = document_index._expand_patterns(document_index.searcher(), document_index._queries.compile(query))
    assert max(len(getattr(leaf, "expansion", [])) for leaf in expanded.leaves()) >= query_forms.UNION_MIN_WORDS
    results = document_index.search(query, limit=None)
    monkeypatch.setattr(query_forms, "UNION_MIN_WORDS", 10**9)
    word_by_word = document_index.search(query, limit=None)
    assert [(hit.rel_path, round(hit.score, 6), hit.spans) for hit in results.hits] == \
        [(hit.rel_path, round(hit.score, 6), hit.spans) for hit in word_by_word.hits]
    assert results.total == word_by_word.total > 0


# -- spans for the results on screen, the others on demand -----------------------------


@pytest.mark.parametrize("query", ["hollywood OR strike OR world OR grip", '"the world" OR low-paid', "*o*"])
def test_spans_for_the_first_results_and_the_rest_on_demand(document_index, query):
    everything = document_index.search(query, limit=None)
    assert len(everything.hits) > 3, "the case needs pending hits"
    first = document_index.search(query, limit=None, spans_for=2)
    assert [hit.rel_path for hit in first.hits] == [hit.rel_path for hit in everything.hits]
    assert first.hits[:2] == everything.hits[:2]
    assert all(hit.spans_pending and hit.hits == 0 and not hit.spans for hit in first.hits[2:])
    assert not any(hit.spans_pending for hit in everything.hits)
    wanted = [hit.rel_path for hit in first.hits[2:4]]
    completed = document_index.complete_hits(first, wanted)
    assert completed.hits[:4] == everything.hits[:4]  # spans, counts, snippets as a full search gives
    assert all(hit.spans_pending for hit in completed.hits[4:])
    assert document_index.complete_hits(completed, [hit.rel_path for hit in first.hits]).hits == everything.hits
    assert document_index.complete_hits(everything, wanted) is everything  # nothing pending: unchanged


def test_a_pattern_of_over_a_thousand_words_lights_every_one(tmp_path):
    """Whoosh ORs more than 1,024 words with a matcher that has no spans: ``s*`` on
    real prose found its documents and lit nothing in them.  Broad patterns now
    read their spans word by word."""
    root = tmp_path / "docs"
    root.mkdir()
    words = [f"w{number:04d}" for number in range(1200)]
    (root / "many.txt").write_text("Many terms\n\n" + " ".join(words) + "\n", encoding="utf-8")
    (root / "few.txt").write_text("Few terms\n\nonly w0007 and w1199 here\n", encoding="utf-8")
    document_index = DocumentIndex(tmp_path / "ix", root, "k")
    document_index.update()
    try:
        results = document_index.search("w*", limit=None)
        by_path = {hit.rel_path: hit for hit in results.hits}
        assert set(by_path) == {"many.txt", "few.txt"}
        text = (root / "many.txt").read_text(encoding="utf-8")
        assert [text[start:end] for start, end in by_path["many.txt"].spans] == words
        assert by_path["few.txt"].hits == 2
        assert document_index.hit_spans("w*", "many.txt") == by_path["many.txt"].spans  # the reading view
    finally:
        document_index.close()
