"""Names people read for content kinds (``forum.topic`` → "Topics"), translated at call time.

Kinds are public strings (they are in the API and in bundles); a kind this table does not know
is shown from its own name, so content of a future plugin is still counted and listed.
"""

from __future__ import annotations

from tisserand.i18n import _, ngettext

#: kind → (singular, plural), English source strings of the catalog.
_LABELS: dict[str, tuple[str, str]] = {
    "forum.topic": ("topic", "topics"),
    "forum.post": ("reply", "replies"),
    "wiki.page": ("wiki page", "wiki pages"),
    "meetups.meetup": ("meet-up", "meet-ups"),
    "meetups.achievement": ("achievement", "achievements"),
}
#: Kinds listed first on the celebration page, in this order.
MAIN_KINDS = ("forum.topic", "wiki.page", "meetups.meetup", "forum.post")


def _fallback(kind: str) -> str:
    return kind.rsplit(".", 1)[-1].replace("_", " ")


_COUNTS = {  # literal calls, so that the extractor sees every plural
    "forum.topic": lambda n: ngettext("{count} topic", "{count} topics", n),
    "forum.post": lambda n: ngettext("{count} reply", "{count} replies", n),
    "wiki.page": lambda n: ngettext("{count} wiki page", "{count} wiki pages", n),
    "meetups.meetup": lambda n: ngettext("{count} meet-up", "{count} meet-ups", n),
    "meetups.achievement": lambda n: ngettext("{count} achievement", "{count} achievements", n),
}


def kind_count(kind: str, count: int) -> str:
    """``"12 topics"`` / ``"12 sujets"``, ``"1 sujet"``."""
    if kind in _COUNTS:
        return _COUNTS[kind](count)
    return f"{count} {_fallback(kind)}"


def kind_label(kind: str) -> str:
    """The plural name of a kind, capitalized: ``"Topics"``."""
    label = _(_LABELS[kind][1].capitalize()) if kind in _LABELS else _fallback(kind)
    return label[:1].upper() + label[1:]


def kind_order(kind: str) -> tuple[int, str]:
    """Sort key: the main kinds first, then the others by name."""
    return (MAIN_KINDS.index(kind) if kind in MAIN_KINDS else len(MAIN_KINDS), kind)
