"""reader/config.py: the user's config.toml (key bindings, reading measure)."""

from __future__ import annotations

from pathlib import Path

from reader.config import CONFIG_ENV, DEFAULT_MEASURE, load_config, resolve_config_path

KNOWN = frozenset({"reader.next_hit", "app.toggle_list"})


def known() -> frozenset[str]:
    return KNOWN


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_defaults(tmp_path):
    config = load_config(tmp_path / "missing.toml", known)
    assert (config.keymap, config.measure, config.problem) == ({}, DEFAULT_MEASURE, None)


def test_keys_and_measure(tmp_path):
    config = load_config(write(tmp_path, '[keys]\n"reader.next_hit" = "j"\n"app.toggle_list" = "f2, left_square_bracket"\n'
                                         "[reading]\nmeasure = 72\n"), known)
    assert config.problem is None
    assert config.keymap == {"reader.next_hit": "j", "app.toggle_list": "f2,left_square_bracket"}
    assert config.measure == 72


def test_a_file_that_is_not_toml_gets_one_line_and_the_defaults(tmp_path):
    config = load_config(write(tmp_path, "[keys\nthis is = not toml"), known)
    assert config.problem and "not valid TOML" in config.problem and "\n" not in config.problem
    assert (config.keymap, config.measure) == ({}, DEFAULT_MEASURE)


def test_wrong_values_are_named_and_the_rest_kept(tmp_path):
    config = load_config(write(tmp_path, '[keys]\n"reader.next_hit" = "j"\n"no.such" = "x"\n"app.toggle_list" = 5\n'
                                         '[reading]\nmeasure = "wide"\n[colours]\n'), known)
    assert config.keymap == {"reader.next_hit": "j"}
    assert config.measure == DEFAULT_MEASURE
    assert "'no.such'" in config.problem and "keys.app.toggle_list" in config.problem
    assert "reading.measure" in config.problem and "colours" in config.problem
    assert "\n" not in config.problem


def test_measure_out_of_range(tmp_path):
    for value in ("5", "1000", "true", "80.5"):
        config = load_config(write(tmp_path, f"[reading]\nmeasure = {value}\n"), known)
        assert config.measure == DEFAULT_MEASURE and "reading.measure" in config.problem, value


def test_the_binding_ids_are_only_gathered_when_there_are_keys(tmp_path):
    calls = []

    def counting() -> frozenset[str]:
        calls.append(1)
        return KNOWN

    load_config(write(tmp_path, "[reading]\nmeasure = 80\n"), counting)
    assert calls == []
    load_config(write(tmp_path, '[keys]\n"reader.next_hit" = "j"\n'), counting)
    assert calls == [1]


def test_where_the_file_is(tmp_path, monkeypatch):
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    assert resolve_config_path(None).name == "config.toml"
    assert "iatse-reader" in str(resolve_config_path(None))
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "from-env.toml"))
    assert resolve_config_path(None) == tmp_path / "from-env.toml"
    assert resolve_config_path(tmp_path / "cli.toml") == tmp_path / "cli.toml"  # the option wins


def test_an_unreadable_path_is_reported(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()  # a folder where the file should be
    config = load_config(folder, known)
    assert config.problem and "not read" in config.problem
