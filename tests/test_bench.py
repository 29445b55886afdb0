"""The benchmarks still run (tiny sizes) and write what they promise.

Structure only, never timing thresholds: the figures just have to be positive.
"""

from __future__ import annotations

import json

from bench.corpus_gen import generate_corpus


def test_corpus_generator_is_deterministic(tmp_path):
    first = generate_corpus(tmp_path / "a", 12, size_bytes=600, seed=7)
    second = generate_corpus(tmp_path / "b", 12, size_bytes=600, seed=7)
    other = generate_corpus(tmp_path / "c", 3, size_bytes=600, seed=8)
    assert len(first) == 12
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    assert first[0].read_bytes() != other[0].read_bytes()
    text = first[0].read_text(encoding="utf-8")
    assert len(text) >= 600
    assert max(len(line) for line in text.splitlines()) <= 80


def test_corpus_generator_uses_subfolders(tmp_path):
    paths = generate_corpus(tmp_path / "docs", 205, size_bytes=200)
    assert len({path.parent for path in paths}) == 3


def test_search_latency_tiny_run(tmp_path, capsys):
    from bench.search_latency import QUERIES, main

    out = tmp_path / "search_latency.json"
    assert main(["--docs", "30", "--runs", "1", "--out", str(out)]) == 0
    assert "ratio generated/bundled" in capsys.readouterr().out
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert {"benchmark", "when", "machine", "settings", "corpora", "ratio_generated_to_bundled", "samples"} <= set(payload)
    assert payload["settings"]["docs"] == 30 and payload["settings"]["debounce_ms"] == 150
    keystrokes = sum(len(query) for query in QUERIES)
    assert set(payload["corpora"]) == {"bundled", "generated"}
    assert payload["corpora"]["bundled"]["documents"] == 5
    assert payload["corpora"]["generated"]["documents"] == 30
    for summary in payload["corpora"].values():
        assert summary["keystrokes"] == keystrokes
        for key in ("median_ms", "p90_ms", "worst_ms", "best_ms", "index_seconds"):
            assert isinstance(summary[key], float) and summary[key] > 0, key
        assert summary["median_ms"] <= summary["p90_ms"] <= summary["worst_ms"]
        assert set(summary["per_query"]) == set(QUERIES)
    for key in ("median", "p90", "worst"):
        assert payload["ratio_generated_to_bundled"][key] > 0
    samples = payload["samples"]["generated"]
    assert len(samples) == keystrokes
    assert {sample["outcome"] for sample in samples} == {"results", "error"}
