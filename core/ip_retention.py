"""IP addresses are kept only ``[privacy] ip_retention_days`` (default 30): the job
``core.ip_purge`` empties the address of older sessions and removes the ``ip`` key of older
audit lines (a break-glass sign-in records where it came from)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tisserand.site import Site

__all__ = ["purge_ip_addresses"]


async def purge_ip_addresses(site: Site, now: datetime | None = None) -> int:
    """The job: forget IP addresses older than the retention period. Returns how many rows."""
    from tisserand.models import AuditLog, Session

    cutoff = (now or datetime.now(UTC)) - timedelta(days=site.settings.privacy.ip_retention_days)
    purged = await Session.filter(created_at__lt=cutoff, ip__isnull=False).update(ip=None)
    for row in await AuditLog.filter(created_at__lt=cutoff, target_kind="member").values("id", "data"):
        data = row["data"]
        if isinstance(data, dict) and "ip" in data:
            await AuditLog.filter(id=row["id"]).update(data={k: v for k, v in data.items() if k != "ip"})
            purged += 1
    return purged
