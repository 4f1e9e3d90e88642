"""Small pure helpers: slugs, quotes, reactions, times as shown on pages."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, tzinfo
from functools import lru_cache

from babel import Locale

from tisserand.db import as_datetime as as_datetime  # re-exported: the core's row helpers
from tisserand.db import as_json as as_json

TOPIC = "forum.topic"
POST = "forum.post"
KINDS = (TOPIC, POST)
RESERVED_CATEGORY_SLUGS = {"t", "p", "new", "categories", "preview", "watch", "feed", "search"}

#: The fixed set of reactions: (kind, emoji). Labels are translated at request time.
REACTIONS: tuple[tuple[str, str], ...] = (
    ("like", "👍"), ("thanks", "🙏"), ("insightful", "💡"), ("celebrate", "🎉"), ("laugh", "😄"),
)
REACTION_KINDS = frozenset(kind for kind, _ in REACTIONS)


def reaction_labels() -> dict[str, str]:
    """Translated names of the reactions (call at request time)."""
    from tisserand.i18n import _

    return {"like": _("Like"), "thanks": _("Thanks"), "insightful": _("Insightful"),
            "celebrate": _("Bravo"), "laugh": _("Funny")}


def slugify(text: str, max_length: int = 60, fallback: str = "topic") -> str:
    """An ASCII slug for URLs: ``"Écrire à l'été !"`` → ``ecrire-a-l-ete``."""
    spaced = re.sub(r"[’'`‘]", " ", text)
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:max_length].strip("-")
    return slug or fallback


def quote_markdown(body: str, username: str | None, url: str) -> str:
    """A Markdown quote of ``body`` attributed to ``@username`` with a link to the post."""
    lines = body.strip().splitlines() or [""]
    who = f"@{username}" if username else "?"
    head = f"> {who} [→]({url})"
    return head + "\n>\n" + "\n".join(f"> {line}" if line else ">" for line in lines) + "\n\n"


@lru_cache(maxsize=8)
def _months(language: str) -> list[str]:
    names = Locale.parse(language).months["format"]["abbreviated"]
    return [names[i] for i in range(1, 13)]


def short_time(value: datetime | None, language: str, tz: tzinfo = UTC) -> str:
    """A compact, cheap date for lists and posts: ``12 mars 2026, 14:05`` / ``Mar 12, 2026, 2:05 PM``.

    Formatting 100 timestamps with Babel's full machinery costs more than the whole query of a
    topic page, so the pattern is built here from cached month names.
    """
    if value is None:
        return ""
    local = value.astimezone(tz)
    month = _months(language)[local.month - 1]
    if language == "fr":
        return f"{local.day}\u00a0{month} {local.year}, {local.hour:02d}:{local.minute:02d}"
    hour = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    return f"{month} {local.day}, {local.year}, {hour}:{local.minute:02d}\u00a0{suffix}"
