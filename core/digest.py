"""What a plugin gives to a member's digest through ``digest_sections``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest section: a text, a link and an optional detail line."""

    text: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class DigestSection:
    """A titled group of items; ``order`` sorts sections of one community (lower first)."""

    title: str
    items: list[DigestItem] = field(default_factory=list)
    order: int = 100
    plugin: str = ""
