"""Which language a text is written in — French or English, guessed cheaply at save.

Pages carry ``lang`` for the reader's language; a message written in the other language gets
its own ``lang`` on its container, so that screen readers switch voice and browsers hyphenate
and spell-check correctly (WCAG 3.1.2, language of parts). The guess counts common short words
("le", "et", "the", "and"…) that only one of the two languages uses: no dictionary, no
dependency, a few microseconds. When it cannot tell (too short, mixed, code, another
language) it answers ``""`` and the page's language applies. Authors may also say it
themselves: ``create_content(..., lang="fr")``.
"""

from __future__ import annotations

import re

#: The languages the guess knows (and an author may choose).
LANGUAGES = ("fr", "en")

# Words frequent in one language and rare in the other ("a", "on", "est", "plus", "son"… are
# in both and left out).
_FRENCH = frozenset(str.split("""
le la les un une des du au aux et ou où mais donc ni que qui quoi dont ce cet cette ces
je tu il elle nous vous ils elles leur leurs mon ma mes ton ta tes sa ses notre nos votre vos
pour par avec sans sous chez dans entre vers pas ne rien jamais très aussi bien être avoir été
sont était fait faire peut comme quand tout tous toutes même encore déjà merci bonjour oui non
c'est qu'il qu'on d'un d'une l'on j'ai n'est s'il aujourd'hui après avant depuis selon ici
"""))
_ENGLISH = frozenset(str.split("""
the and of to is are was were be been being have has had do does did not but or if then than
that this these those which who whom whose what when where why how with without from into onto
about after before over under between through we you they he she it its our your their my his
her them us will would shall should can could may might must there here all any some every
thanks hello yes just also very more most only such one our i'm it's don't we're you're let's
"""))
_WORD = re.compile(r"[a-zà-öø-ÿœæ'’]+", re.IGNORECASE)
_NOISE = re.compile(r"```.*?```|`[^`]*`|https?://\S+|<[^>]+>|\[\[[^\]]*\]\]|@\w+", re.DOTALL)
#: Fewer telling words than this: no guess.
MIN_WORDS = 3
#: The winning language's share of the telling words.
MIN_SHARE = 0.7


__all__ = ["content_lang", "detect_language"]


def detect_language(*texts: str) -> str:
    """``"fr"``, ``"en"`` or ``""`` (can't tell) for the text of a title and a body."""
    text = _NOISE.sub(" ", " ".join(t for t in texts if t))[:20_000]
    french = english = 0
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        if word in _FRENCH:
            french += 1
        elif word in _ENGLISH:
            english += 1
    total = french + english
    if total < MIN_WORDS:
        return ""
    if french / total >= MIN_SHARE:
        return "fr"
    if english / total >= MIN_SHARE:
        return "en"
    return ""


def content_lang(lang: str | None, page_locale: str | None) -> str:
    """The ``lang`` a content's container needs on a page in ``page_locale``: its own language
    when known and different, else ``""`` (the page's ``lang`` already says it)."""
    if not lang or not page_locale:
        return ""
    return lang if lang.split("-")[0] != page_locale.split("-")[0].split("_")[0] else ""
