"""Text folding for watched words: case, accents, leetspeak and stretched letters.

Folding puts text in lower case, strips accents and turns the look-alike digits and signs of
leetspeak into letters (0→o 3→e 4→a 5→s 7→t @→a $→s €→e). The digit 1 may stand for an i or
an l: it stays a "1" that counts as a letter, and words holding it are tried both ways.
``squeeze`` then collapses repeated letters ("connnnard" → "conard"), in words and patterns alike.

Two foldings give the same words: :func:`fold_fast` (for scanning: ASCII out, about 40 µs for
2 KB of French) and :func:`fold`, which keeps every position so that a matched word can be
replaced in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import product

#: The digit 1 (an i or an l) stays itself in folded text and counts as a letter.
ONE = "1"
LEET = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e"}
ASCII_LEET = str.maketrans({k: v for k, v in LEET.items() if k.isascii()})
#: Cyrillic and Greek letters that look like Latin ones ("соnnаrd" typed with Cyrillic о and а).
HOMOGLYPHS = str.maketrans({"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
                            "і": "i", "ј": "j", "ѕ": "s", "к": "k", "м": "m", "т": "t", "в": "b",
                            "н": "h", "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v",
                            "ρ": "p", "τ": "t", "υ": "u", "χ": "x"})
HOMOGLYPH_RE = re.compile(r"[\u0370-\u04ff]")
#: Letters that NFKD does not decompose, spelled out before non-ASCII is dropped.
SPELLED = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"), ("ø", "o"), ("ł", "l"), ("đ", "d"), ("ħ", "h"),
           ("ı", "i"), ("’", "'"), ("‘", "'"), ("ʼ", "'"))
#: One-letter replacements where dropping the accent is not enough.
SPECIAL = {"ß": "s", "æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
           "ł": "l", "Ł": "l", "ħ": "h", "ı": "i", "ŀ": "l", "ĸ": "k", "’": "'", "‘": "'"}
_RANGES = [(0x41, 0x5B), (0xC0, 0x250), (0x370, 0x530), (0x1E00, 0x1F00), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)]

WORD_RE = re.compile(r"[^\W02-9_]+")
SQUEEZE_RE = re.compile(r"([^\W02-9_])\1+")
#: Three or more single letters split by spaces or signs: "s a l o p e", "c.o.n".
SPACED_RE = re.compile(r"(?<![^\W02-9_])[^\W02-9_](?:[\s.\-_*+·/|]{1,2}[^\W02-9_](?![^\W02-9_])){2,}")
SPACERS_RE = re.compile(r"[\s.\-_*+·/|]+")


def _one_char(char: str) -> str:
    if char in SPECIAL:
        return SPECIAL[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    lowered = base.lower()
    return lowered if len(lowered) == 1 else char.lower() if len(char.lower()) == 1 else char


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for start, end in _RANGES:
        for code in range(start, end):
            char = chr(code)
            mapped = _one_char(char)
            if mapped != char:
                table[code] = mapped
    for code in range(0x300, 0x370):  # stray combining marks (text is NFC first) become spaces
        table[code] = " "
    for char, letter in LEET.items():
        table[ord(char)] = letter
    for source, target in zip("асеіјкморстухвн", "aceijkmopctyxbh", strict=True):
        table[ord(source)] = target
    return table


TABLE = _build_table()


def nfc(text: str) -> str:
    """``text`` in composed form (é as one character), the form ``fold`` expects."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case, no accents, leetspeak as letters; same length as ``text`` (in NFC)."""
    return text.translate(TABLE)


def fold_fast(text: str) -> str:
    """Lower case, no accents, leetspeak as letters, ASCII only (other scripts are dropped,
    after their Latin look-alikes were turned into Latin letters)."""
    text = text.lower()
    if not text.isascii():
        for char, spelled in SPELLED:
            if char in text:
                text = text.replace(char, spelled)
        text = unicodedata.normalize("NFKD", text)
        if HOMOGLYPH_RE.search(text):
            text = text.translate(HOMOGLYPHS)
        text = text.replace("€", "e").encode("ascii", "ignore").decode("ascii")
    return text.translate(ASCII_LEET)


def squeeze(text: str) -> str:
    """Collapse repeated letters: "looooser" → "loser"."""
    return SQUEEZE_RE.sub(r"\1", text)


def variants(word: str) -> list[str]:
    """A folded word with the 1-placeholder read as i and as l (every mix for up to 3)."""
    count = word.count(ONE)
    if count == 0:
        return [word]
    if count > 3:
        return [squeeze(word.replace(ONE, "i")), squeeze(word.replace(ONE, "l"))]
    parts = word.split(ONE)
    found = []
    for letters in product("il", repeat=count):
        joined = parts[0] + "".join(letter + part for letter, part in zip(letters, parts[1:], strict=True))
        found.append(squeeze(joined))
    return list(dict.fromkeys(found))


def normalize(text: str) -> str:
    """The searchable form of a text or pattern: folded, squeezed, words split by one space."""
    return " ".join(WORD_RE.findall(squeeze(fold_fast(text))))


def words(text: str) -> list[str]:
    """The folded, squeezed words of ``text``, plus words spelled out letter by letter."""
    folded = squeeze(fold_fast(text))
    found = WORD_RE.findall(folded)
    for spaced in SPACED_RE.findall(folded):
        found.append(squeeze(SPACERS_RE.sub("", spaced)))
    return found
