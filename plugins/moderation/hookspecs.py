"""Hooks the moderation plugin adds, so other plugins can extend it.

They are registered through ``tisserand_addhooks``; implement them with
``from tisserand import hookimpl`` like any core hook. Documented in docs/plugins/moderation.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand import hookspec

if TYPE_CHECKING:
    from tisserand.models import Content


class ModerationHooks:
    """The moderation plugin's hook specifications."""

    @hookspec
    def moderation_score(self, content: Content) -> Any:
        """Score ``content`` before it is saved, e.g. with a classifier.

        Called for every new or edited item written by a member who is not staff of the
        community (``content`` is not saved yet: ``content.id`` is None for a new item;
        ``content.title``, ``content.body``, ``content.kind``, ``content.community`` and
        ``content.author`` are set). Return a
        :class:`tisserand.plugins.moderation.scoring.Score` (``points`` from 0 to 100 and the
        ``reasons`` a moderator will read), a list of them, or None. May return an awaitable.

        The points of every implementation are added up (at most 100); at or above the
        community's ``hold_score`` (60 by default) the item is held for review, and the review
        queue shows each reason. The built-in scorer looks at shouting, repeated characters,
        link density, known advertising patterns and watched words. Keep it fast: it runs on
        every post (an exception is logged and the scorer ignored).
        """

    @hookspec
    def moderation_posts_read(self, member_ids: list[int]) -> Any:
        """How many posts each of these members has read, for trust levels: a dict
        ``{member_id: count}`` (members you know nothing about may be left out).

        A plugin that tracks reading (e.g. a forum with read markers) answers; when several
        answer, their counts are added. When no plugin answers, trust levels ignore reading.
        Called by the hourly trust job with batches of ids. May return an awaitable.
        """
