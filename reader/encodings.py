"""Choosing the encoding of a text file that is not UTF-8.

UTF-8 is tried first (by the caller).  What is left is mostly old Windows or
ISO text from Western Europe, which charset-normalizer gets wrong on short or
mostly-English text: ``Grève générale à Paris`` in Latin-1 came out as
``Grčve générale ŕ Paris`` (cp1250) and ``naïve`` in cp1252 as ``naďve``, and
German text and English with curly quotes were taken for cp1250 and cp775.

So text in the Latin script (bytes above 127 are a minority of its letters)
is decided here, among the Windows Latin code pages in :data:`LATIN_ORDER`,
Western European first: each candidate decodes the words that hold such bytes,
and a word scores +1 when its accented letters all belong to one language
written in that code page (``naïve``: French; ``Příliš``: Czech) and -1
otherwise (``Pøíliš`` is no Western word); a stray symbol such as ``¹`` in
``Zwi¹zek`` (Polish ``ą`` read as cp1252) scores -1.  The best score wins, and a
tie goes to the earlier code page: cp1252 unless the text says otherwise.

Text in other scripts (Cyrillic, Greek, CJK, ...) is left to charset-normalizer,
and its answer is checked against the same scoring when it names a Latin code
page.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

#: Windows Latin code pages in order of preference: Western European (cp1252,
#: a superset of Latin-1's printable characters), Central European (cp1250),
#: Turkish (cp1254), Baltic (cp1257).
LATIN_ORDER: tuple[str, ...] = ("cp1252", "cp1250", "cp1254", "cp1257")

# Lower-case accented letters of the languages each code page is used for.  A
# word must fit one of them (letters of two languages in one word is a misread).
_WESTERN = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóù",  # Italian
    "áéèëïóöüú",  # Dutch
    "àçèéíïòóúü",  # Catalan
    "åæøäöéšž",  # Danish, Norwegian, Swedish, Finnish
)
_ALPHABETS: dict[str, tuple[str, ...]] = {
    "cp1252": _WESTERN,
    "cp1250": (
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "ąćęłńóśźż",  # Polish
        "áéíóöőúüű",  # Hungarian
        "čćđšž",  # Slovene, Croatian, Bosnian
        "ăâîșțşţ",  # Romanian
        "äöüß",  # German
    ),
    "cp1254": ("çğıöşüâîû", *_WESTERN[:-1]),  # Turkish; Latin-5 keeps most of Latin-1
    "cp1257": ("ąčęėįšųūž", "āčēģīķļņšūž", "äöõüšž", "äöüß", "åæøäöé"),  # Lithuanian, Latvian, Estonian
}
#: Punctuation and symbols that real text uses; any other non-ASCII symbol in a
#: decoding (``¹``, ``³``, ``¤``, ``ˇ``) is a sign of the wrong code page.
_TYPOGRAPHIC = set("“”‘’„‚–—…«»‹›€£•·°§©®™¢¥±×÷½¼¾¿¡¶†‡‰ \u00a0")

_HIGH_BYTES = bytes(range(0x80, 0x100))
_ASCII_LETTERS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TOKEN_WITH_HIGH_BYTES = re.compile(rb"\S*[\x80-\xff]\S*")
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_TOKENS = 4000  # enough to decide; a book is not scored word by word
#: Above this share of bytes > 127 among the letters, the text is not in the
#: Latin script (Cyrillic or Greek read as cp1252 is nothing but accents).
_LATIN_MAX_HIGH_SHARE = 0.3


def is_latin_script(data: bytes) -> bool:
    """Whether *data* looks like a Latin-script text in a single-byte code page:
    bytes above 127 (accented letters, curly quotes) are a minority of its
    letters."""
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if high == 0:
        return True
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    return high <= _LATIN_MAX_HIGH_SHARE * (letters + high)


def _fits_a_language(word: str, alphabets: tuple[str, ...]) -> bool:
    accented = {letter for letter in word.lower().replace("\u0307", "") if not letter.isascii()}
    return any(accented <= set(alphabet) for alphabet in alphabets)


def plausibility(tokens: Iterable[bytes], encoding: str) -> int | None:
    """How well *encoding* reads the *tokens* (words holding bytes above 127) as
    text of its languages, or None if it cannot decode one of them."""
    alphabets = _ALPHABETS.get(encoding, _WESTERN)
    score = 0
    for token in tokens:
        try:
            text = token.decode(encoding)
        except UnicodeDecodeError:
            return None
        for character in text:
            if not character.isascii() and not character.isalpha() and character not in _TYPOGRAPHIC:
                score -= 1  # ¹ ³ ¤ ˇ: a letter of another code page
        for match in _WORD.finditer(text):
            word = match.group()
            if not word.isascii():
                score += 1 if _fits_a_language(word, alphabets) else -1
    return score


def choose_latin_encoding(data: bytes, candidates: Iterable[str] = LATIN_ORDER) -> str | None:
    """The code page among *candidates* (in order of preference) that reads
    *data* best, or None if none decodes it."""
    tokens = _TOKEN_WITH_HIGH_BYTES.findall(data)[:_SAMPLE_TOKENS]
    scored = []
    for rank, encoding in enumerate(dict.fromkeys(candidates)):
        score = plausibility(tokens, encoding)
        if score is not None:
            scored.append((-score, rank, encoding))
    for _score, _rank, encoding in sorted(scored):  # best first; a tie keeps the order
        try:
            data.decode(encoding)  # the sample decoded; the whole file must too
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def codec_name(encoding: str) -> str | None:
    """Python's name for *encoding* (``latin-1`` -> ``iso8859-1``), or None if unknown."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


_LATIN_CODECS = {
    "cp1252", "cp1250", "cp1254", "cp1257", "iso8859-1", "iso8859-2", "iso8859-3", "iso8859-4",
    "iso8859-9", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16",
    "mac-roman", "mac-latin2", "cp437", "cp850", "cp852", "cp775", "cp857", "cp858",
}


def is_latin_codec(encoding: str) -> bool:
    return codec_name(encoding) in _LATIN_CODECS


def detect_legacy_encoding(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for bytes that are not UTF-8, or None if no encoding
    reads them (see the module docstring for the order)."""
    if is_latin_script(data):
        chosen = choose_latin_encoding(data)
        if chosen is not None:
            return data.decode(chosen), chosen
    from charset_normalizer import from_bytes  # only paid for text we could not place

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    if is_latin_codec(best.encoding):  # checked against the Western-first order
        chosen = choose_latin_encoding(data, (*LATIN_ORDER, best.encoding))
        if chosen is not None:
            return data.decode(chosen), chosen
    return str(best), best.encoding
