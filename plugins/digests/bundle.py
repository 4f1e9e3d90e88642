"""Archive bundles: the community's calls to all and its members' digest choices."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from tisserand.db import fetch_all
from tisserand.plugins.digests.models import Call, CommunityPreference
from tisserand.plugins.digests.util import as_datetime

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

CALLS = "digests/calls.jsonl"
CHOICES = "digests/choices.jsonl"


async def export_community(community: Community, bundle: Bundle) -> None:
    """Write ``digests/calls.jsonl`` and ``digests/choices.jsonl``."""
    calls = await fetch_all(
        "SELECT content_id, author_id, day, recipients, emailed, dispatched_at, created_at "
        "FROM digests_call WHERE community_id = ? ORDER BY id", [community.id])
    for row in calls:  # the same text on SQLite and PostgreSQL
        for name in ("dispatched_at", "created_at"):
            moment = as_datetime(row[name])
            row[name] = moment.isoformat() if moment else None
        row["day"] = str(row["day"])[:10]
    bundle.write_jsonl(CALLS, calls)
    choices = await fetch_all(
        "SELECT member_id, frequency FROM digests_community_pref WHERE community_id = ? ORDER BY id",
        [community.id])
    bundle.write_jsonl(CHOICES, choices)
    include = getattr(bundle, "include_member", None)  # so that the import can map them
    if include is not None:
        for row in [*calls, *choices]:
            include(row.get("author_id") or row.get("member_id"))


async def import_community(community: Community, bundle: Bundle) -> None:
    """Restore calls (already dispatched: nobody is told again) and digest choices."""
    names = set(bundle.names())
    if CALLS in names:
        for row in bundle.read_jsonl(CALLS):
            try:
                content_id = bundle.content_id(row["content_id"])
            except Exception:  # the call's text is not in the bundle: nothing to attach it to
                continue
            if content_id is None:
                continue
            await Call.create(content_id=content_id, community=community,
                              author_id=bundle.member_id(row.get("author_id")),
                              day=date.fromisoformat(str(row["day"])[:10]),
                              recipients=row.get("recipients") or 0, emailed=row.get("emailed") or 0,
                              dispatched_at=_when(row.get("dispatched_at")) or datetime.now(UTC),
                              created_at=_when(row.get("created_at")) or datetime.now(UTC))
    if CHOICES in names:
        for row in bundle.read_jsonl(CHOICES):
            member_id = bundle.member_id(row["member_id"])
            if member_id is not None and row.get("frequency"):
                await CommunityPreference.get_or_create(member_id=member_id, community=community,
                                                        defaults={"frequency": row["frequency"]})


def _when(value: object) -> datetime | None:
    return as_datetime(value)
