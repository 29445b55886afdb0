"""Rich Text Format (.rtf) through striprtf; title, author and creation date from
the ``{\\info}`` group, which striprtf leaves out of the text."""

from __future__ import annotations

import re

from reader.corpus import UnreadableDocument
from reader.formats import Extraction
from reader.formats.limits import Deadline

_INFO = {name: re.compile(rb"\{\\" + name.encode() + rb"\s+([^{}]*)\}") for name in ("title", "author")}
_CREATED = re.compile(rb"\{\\creatim\\yr(\d{4})\\mo(\d{1,2})\\dy(\d{1,2})")


def extract(data: bytes, deadline: Deadline) -> Extraction:
    from striprtf.striprtf import rtf_to_text

    try:
        # RTF is 7-bit text that names its code page; striprtf decodes the escapes.
        text = rtf_to_text(data.decode("latin-1"), errors="replace")
    except Exception as error:  # striprtf raises bare errors on broken groups
        raise UnreadableDocument("damaged RTF") from error
    deadline.check()
    if not text.strip():
        raise UnreadableDocument("no text (an empty RTF document)")
    paragraphs = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    metadata = {name: _decoded(pattern.search(data)) for name, pattern in _INFO.items()}
    created = _CREATED.search(data)
    date = "-".join(part.decode().zfill(2) for part in created.groups()) if created else ""
    return Extraction("rtf", "\n\n".join(line for line in paragraphs if line), date=date, **metadata)


def _decoded(match: re.Match[bytes] | None) -> str:
    if match is None:
        return ""
    from striprtf.striprtf import rtf_to_text

    try:
        return " ".join(rtf_to_text(r"{\rtf1 " + match.group(1).decode("latin-1") + "}").split())
    except Exception:
        return ""
