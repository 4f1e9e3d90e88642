"""The hook the insights plugin offers to other plugins (added with ``tisserand_addhooks``).

Meet-up attendance and open moderation flags live in the tables of the plugins that own them;
insights never reads those. A plugin that wants its numbers on the insights charts implements
this hook instead, without importing insights.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tisserand import hookspec

if TYPE_CHECKING:
    from tisserand.models import Community


@hookspec
def insights_daily_metrics(community: Community, day: date, start: datetime, end: datetime) -> Any:
    """Numbers a plugin measured in ``community`` on ``day`` (a local day of the site, from
    ``start`` included to ``end`` excluded, aware datetimes), as a dict of name → number.

    Called by the ``insights.aggregate`` job for each day it computes, only for plugins
    switched on in the community. Well-known names: ``meetups.attendance`` (people who attended
    meet-ups held that day, summed per week) and ``moderation.open`` (items waiting for a
    moderator at the end of the day, the week shows its last value). Other names are summed per
    week and listed in the API under ``extra``. May return an awaitable.
    """
