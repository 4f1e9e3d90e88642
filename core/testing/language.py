"""Catch words of the other language on a page: ``foreign_phrases(text, "en")`` lists the
French phrases in an English page (and the reverse), for tests in both languages.

The detector is built from the catalogs themselves, so it follows every plugin without a word
list to maintain: each translation of the *other* language is cut at its ``{placeholders}``,
and a fragment counts only when it is distinctive — at least two words and nine letters, and
found in no catalog text of the page's own language (so shared words, names and symbols never
trigger it). Give it the page's visible text without what members wrote.
"""

from __future__ import annotations

import functools
import re

from tisserand import catalogs, i18n

__all__ = ["foreign_phrases"]

#: English that libraries write on their own (pydantic, Starlette): never on a French page.
LIBRARY_ENGLISH = ("input should be", "field required", "should have at most", "should have at least",
                   "method not allowed", "not found", "internal server error", "value error",
                   "extra inputs are not permitted", "unable to parse")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text.replace("’", "'")).strip().lower()


def _texts(language: str) -> list[str]:
    found: list[str] = []
    for component in catalogs.components():
        for key, value in catalogs.catalog(component, language, with_core=False).items():
            found.extend(value if isinstance(value, list) else [value])
            if language == "en":
                found.extend(key if isinstance(key, tuple) else [key])
    return found


@functools.cache
def _phrases(language: str) -> tuple[str, ...]:
    other = "fr" if language == "en" else "en"
    own = "\n".join(_normal(text) for text in _texts(language))
    phrases = set()
    for text in _texts(other):
        for fragment in re.split(r"{[^}]*}|[«»“”\"()\[\]…:;?!.]", text):
            fragment = _normal(fragment).strip(" ,'-·")
            words = fragment.split()
            if len(words) >= 2 and sum(len(w) for w in words) >= 9 and fragment not in own:
                phrases.add(fragment)
    if language == "fr":
        phrases.update(LIBRARY_ENGLISH)
    return tuple(sorted(phrases, key=len, reverse=True))


def foreign_phrases(text: str, language: str) -> list[str]:
    """Phrases of the other language found in ``text`` (a page meant to be in ``language``)."""
    language = i18n.normalize(language) or "en"
    page = _normal(text)
    found: list[str] = []
    for phrase in _phrases(language):
        if phrase in page and not any(phrase in longer for longer in found):
            found.append(phrase)
    return found
