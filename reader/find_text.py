"""Find in the open document: every case-insensitive occurrence of a plain
string, as character offsets into the text (the spans the reading view lights).

Case is ignored character by character (``re.IGNORECASE`` on the escaped
string), never by lower-casing the text: ``str.lower`` can change a string's
length (``İ`` becomes two characters), which would shift every offset after it.
At most :data:`MAX_MATCHES` matches are kept (``e`` in a 10 MB book has a million);
the result says when there were more.

No Textual here: plain Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_MATCHES = 100_000


@dataclass(frozen=True)
class FindResult:
    needle: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    truncated: bool = False  # more than MAX_MATCHES: only the first ones are kept


def find_all(text: str, needle: str, limit: int = MAX_MATCHES) -> FindResult:
    """Every non-overlapping occurrence of *needle* in *text*, ignoring case."""
    if not needle:
        return FindResult(needle)
    spans: list[tuple[int, int]] = []
    for match in re.finditer(re.escape(needle), text, re.IGNORECASE):
        if len(spans) == limit:
            return FindResult(needle, spans, truncated=True)
        spans.append(match.span())
    return FindResult(needle, spans)
