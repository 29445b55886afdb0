"""The user's ``config.toml``: key bindings and the reading measure.

Where it is: ``--config FILE``, else ``IATSE_READER_CONFIG``, else
``config.toml`` in the platform's config dir (``platformdirs.user_config_path``:
``~/.config/iatse-reader/config.toml`` on Linux).  No file is fine: the defaults.

```toml
[keys]                       # binding id = key(s), comma-separated (Textual's keymap)
"reader.next_hit" = "j"
"app.toggle_list" = "f2,left_square_bracket"

[reading]
measure = 80                 # the longest line of text, in columns (30 to 400)
```

Binding ids are listed in the README and on the help screen.  A file that cannot
be read or parsed, or holds a wrong value, gets a one-line message
(:attr:`Config.problem`) and the defaults for whatever was wrong; never a crash.

Plain Python: no Textual here (the app hands :attr:`Config.keymap` to
``App.set_keymap``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_ENV = "IATSE_READER_CONFIG"
CONFIG_FILE_NAME = "config.toml"
APP_NAME = "iatse-reader"
DEFAULT_MEASURE = 100
MIN_MEASURE, MAX_MEASURE = 30, 400


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    measure: int = DEFAULT_MEASURE
    problem: str | None = None  # one line for the user: what was wrong and ignored


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


def resolve_config_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return default_config_path()


def load_config(path: Path, known_binding_ids: Callable[[], frozenset[str]] | None = None) -> Config:
    """The config at *path* (no file: the defaults).  With *known_binding_ids*
    (called only if there are keys to check: it imports every screen), ids in
    ``[keys]`` that no binding has are reported (and ignored)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path)
    except OSError as error:
        return Config(path, problem=f"Config {path} not read ({error.strerror or error}); using the defaults.")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Config(path, problem=f"Config {path} is not valid TOML ({error}); using the defaults.")
    problems: list[str] = []
    keymap = _keymap(data.get("keys", {}), known_binding_ids, problems)
    measure = _measure(data.get("reading", {}), problems)
    unknown = sorted(set(data) - {"keys", "reading"})
    if unknown:
        problems.append(f"unknown section(s) {', '.join(unknown)}")
    problem = f"Config {path}: {'; '.join(problems)}; defaults used for those." if problems else None
    return Config(path, keymap, measure, problem)


def _keymap(section: object, known_ids: Callable[[], frozenset[str]] | None,
            problems: list[str]) -> dict[str, str]:
    if not isinstance(section, dict):
        problems.append("[keys] must be a table of binding id = \"key\"")
        return {}
    known = known_ids() if known_ids is not None and section else None
    keymap: dict[str, str] = {}
    for binding_id, keys in section.items():
        if not isinstance(keys, str) or not keys.strip() or any(not key.strip() for key in keys.split(",")):
            problems.append(f"keys.{binding_id} must be a key name such as \"j\" or \"ctrl+n,f3\"")
        elif known is not None and binding_id not in known:
            problems.append(f"no binding has the id {binding_id!r}")
        else:
            keymap[binding_id] = ",".join(key.strip() for key in keys.split(","))
    return keymap


def _measure(section: object, problems: list[str]) -> int:
    if not isinstance(section, dict):
        problems.append("[reading] must be a table")
        return DEFAULT_MEASURE
    value = section.get("measure", DEFAULT_MEASURE)
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_MEASURE <= value <= MAX_MEASURE:
        problems.append(f"reading.measure must be a whole number from {MIN_MEASURE} to {MAX_MEASURE}")
        return DEFAULT_MEASURE
    return value
