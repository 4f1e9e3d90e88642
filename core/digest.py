"""What a plugin gives to a member's digest through ``digest_sections``."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DigestItem", "DigestSection"]


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest section: a text, a link and an optional detail line.

    ``news`` tells whether the line is new in the digest's period (a topic started, a meet-up
    announced, results published). A line that only recalls what is still true (a meet-up
    announced earlier that is still to come, a survey opened earlier that is still open) sets
    ``news=False``: it rides along in a digest that has news, but a digest of reminders only is
    not sent, so that nobody gets the same e-mail every day while nothing happens.
    """

    text: str
    url: str = ""
    detail: str = ""
    news: bool = True


@dataclass(frozen=True)
class DigestSection:
    """A titled group of items; ``order`` sorts sections of one community (lower first)."""

    title: str
    items: list[DigestItem] = field(default_factory=list)
    order: int = 100
    plugin: str = ""
