"""Bad input to the query language: a QueryError with a one-line message (exit
code 2 from the CLI), never a crash; and a property test throwing random query
text at a real index."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import corpus
from reader.paths import bundled_documents_dir
from reader.query import QueryError
from reader.results import SearchResults

BAD_QUERIES = [
    pytest.param("", id="empty"),
    pytest.param("   \t ", id="blank"),
    pytest.param("the of and", id="only-stop-words"),
    pytest.param("AND OR", id="only-operators"),
    pytest.param("NOT", id="only-not"),
    pytest.param("-strike", id="only-exclusion"),
    pytest.param('"class union', id="unbalanced-quote"),
    pytest.param('strike "', id="lone-quote"),
    pytest.param("(strike OR vote", id="unclosed-parenthesis"),
    pytest.param("strike)", id="unopened-parenthesis"),
    pytest.param(")(", id="parentheses-backwards"),
    pytest.param("strike " * 1429, id="10000-characters"),
    pytest.param("title:", id="field-without-value"),
    pytest.param("title: strike", id="field-then-space"),
    pytest.param("(title:)", id="field-before-parenthesis"),
    pytest.param("foo:bar", id="unknown-field"),
    pytest.param("path:x", id="internal-field"),
    pytest.param("a\x00b", id="nul"),
    pytest.param("\x1b[31m", id="escape-sequence"),
    pytest.param("strike\x7f", id="del"),
    pytest.param("strike\x9b", id="c1-control"),
    # Formerly a separate table in test_index.py:
    pytest.param('"unclosed', id="unclosed-phrase"),
    pytest.param("AND", id="lone-and"),
    pytest.param("(((", id="open-parentheses"),
    pytest.param("x" * 10000, id="10000-x"),
    pytest.param("the", id="one-stop-word"),
    pytest.param("ok\x00", id="trailing-nul"),
    pytest.param("a\x1bb", id="embedded-escape"),
    pytest.param("tab\there", id="tab"),
    pytest.param("a)(", id="word-then-parentheses-backwards"),
]


@pytest.fixture(scope="module")
def index(module_index):
    return module_index


def test_long_query_is_really_long():
    assert len("strike " * 1429) >= 10_000


@pytest.mark.parametrize("text", BAD_QUERIES)
def test_bad_query_raises_query_error(index, text):
    with pytest.raises(QueryError) as raised:
        index.search(text)
    message = str(raised.value)
    assert message and "\n" not in message
    with pytest.raises(QueryError):
        index.check_query(text)
    with pytest.raises(QueryError):
        index.hit_spans(text, "000_e3ada0fd6d1921fa.txt")


@pytest.mark.parametrize("text", BAD_QUERIES)
def test_bad_query_through_the_cli(tmp_path, capsys, text):
    from reader.cli import main

    # "--": a query starting with "-" (-strike) is otherwise taken for an option.
    code = main(["search", "--data-dir", str(tmp_path / "data"), "--", text])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("iatse-reader: ")


@pytest.mark.parametrize("text", ["strike", "title:strike", '"class union"', "note:strike"])
def test_good_queries_are_not_errors(index, text):
    assert isinstance(index.search(text), SearchResults)


# -- property test -------------------------------------------------------------

_TEXT_LENGTHS = {
    entry.rel_path: len(corpus.read_document(entry).text)
    for entry in corpus.scan(bundled_documents_dir()).files
}

_ATOMS = st.one_of(
    st.text(alphabet='abcdeilnorstuvwxyzAIST0129 "()*?~:-+^', min_size=1, max_size=10),
    st.sampled_from([
        "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "title:", "source:", "note:", "content:",
        "foo:", "strike", "union", "negotiat*", "hutchens~", "hutchens~2", '"rest periods"~3',
        '"class union"', "*", "?", "~", "^2", "(", ")", '"', "-", "+", "TO", "[a", "b]", "{", "}",
        "/", "\\", "'", "é", "ß",
    ]),
)
QUERY_TEXT = st.lists(_ATOMS, max_size=8).map(" ".join).map(lambda text: text[:60])


@settings(
    max_examples=300, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=QUERY_TEXT)
def test_random_queries_give_results_or_query_error(index, text):
    try:
        results = index.search(text, limit=None)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(results, SearchResults)
    assert results.total == len(results.hits)
    for hit in results.hits:
        length = _TEXT_LENGTHS[hit.rel_path]
        assert all(0 <= start < end <= length for start, end in hit.spans), (text, hit.spans)
        assert hit.spans == sorted(hit.spans)
        assert all(0 <= start < end <= len(hit.snippet) for start, end in hit.snippet_spans)
        assert hit.hits == len(hit.spans)


def test_property_strategy_reaches_both_outcomes(index):
    """The strategy is not degenerate: sample texts give results and errors."""
    outcomes = set()
    for text in ("strike", "(", "strike OR union", "title:", "negotiat*", "AND"):
        try:
            index.search(text)
            outcomes.add("results")
        except QueryError:
            outcomes.add("error")
    assert outcomes == {"results", "error"}

