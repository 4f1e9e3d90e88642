"""The delivery ledger: exactly one e-mail per member and key (``weekly:2026-11-16``, ``call:7``).

A row's life: ``claimed`` (a run took the member, nothing sent) → ``sending`` (written just
before the SMTP conversation) → ``sent`` / ``bounced`` / ``failed``; or ``claimed`` → ``empty``
(nothing to say). The unique (member, key) pair makes the claim atomic on SQLite and
PostgreSQL alike; the move to ``sending`` is a compare-and-set on the run's id, so of two runs
only one can ever hand a message to the mail server.

What happens after a crash:

- ``claimed`` rows of a run that failed with an exception are released at once (deleted in a
  ``finally``); those of a run killed outright are taken over by another run once
  ``claim_timeout`` seconds have passed. Nothing was sent for them, so nothing is sent twice.
- ``failed`` rows (temporary errors) are taken again by later runs, ``max_attempts`` times.
- ``sending`` rows are never taken again: the crash may have come before or after the server
  accepted the message, and a missing digest is better than a duplicate. Runs report them as
  *uncertain* once older than ``claim_timeout``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tisserand.db import execute, fetch_all
from tisserand.plugins.digests.util import marks

FINAL_STATES = ("sent", "empty", "bounced")


async def _write(query: str, params: list[object]) -> int:
    """Run a write written with ``?`` markers; returns the number of rows changed."""
    changed = await execute(query, params)
    return int(changed)


async def claim(member_ids: list[int], key: str, kind: str, run_id: str, *, now: datetime,
                claim_timeout: int, max_attempts: int) -> dict[int, int]:
    """Claim ``member_ids`` for ``key``; returns ``{member id: delivery id}`` of those this run
    now owns (others are done, or held by another live run)."""
    if not member_ids:
        return {}
    now = now.astimezone(UTC)
    values = ", ".join("(?, ?, ?, 'claimed', ?, ?, 0, '', '')" for _ in member_ids)
    params: list[object] = []
    for member_id in member_ids:
        params += [member_id, key, kind, run_id, now]
    await _write(
        "INSERT INTO digests_delivery (member_id, period_key, kind, state, run_id, claimed_at, "
        f"attempts, error, message_id) VALUES {values} ON CONFLICT (member_id, period_key) DO NOTHING",
        params)
    stale = now - timedelta(seconds=claim_timeout)
    await _write(
        "UPDATE digests_delivery SET run_id = ?, claimed_at = ?, state = 'claimed' "
        f"WHERE period_key = ? AND member_id IN ({marks(member_ids)}) AND run_id <> ? AND "
        "((state = 'claimed' AND claimed_at < ?) OR (state = 'failed' AND attempts < ?))",
        [run_id, now, key, *member_ids, run_id, stale, max_attempts])
    rows = await fetch_all(
        "SELECT id, member_id FROM digests_delivery WHERE period_key = ? AND run_id = ? "
        f"AND state = 'claimed' AND member_id IN ({marks(member_ids)})",
        [key, run_id, *member_ids])
    return {row["member_id"]: row["id"] for row in rows}


async def start_sending(delivery_id: int, run_id: str, message_id: str) -> bool:
    """Compare-and-set ``claimed`` → ``sending`` for this run; False if another run took it."""
    return await _write(
        "UPDATE digests_delivery SET state = 'sending', attempts = attempts + 1, message_id = ?, "
        "claimed_at = ? WHERE id = ? AND run_id = ? AND state = 'claimed'",
        [message_id[:250], datetime.now(UTC), delivery_id, run_id]) == 1


async def start_sending_many(messages: dict[int, str], run_id: str) -> set[int]:
    """:func:`start_sending` for several rows in one statement (``{delivery id: message id}``);
    returns the ids this run may now send."""
    if not messages:
        return set()
    ids = list(messages)
    cases = " ".join("WHEN ? THEN ?" for _ in ids)
    params: list[object] = [datetime.now(UTC)]
    for delivery_id in ids:
        params += [delivery_id, messages[delivery_id][:250]]
    rows = await fetch_all(
        "UPDATE digests_delivery SET state = 'sending', attempts = attempts + 1, claimed_at = ?, "
        f"message_id = CASE id {cases} ELSE message_id END "
        f"WHERE run_id = ? AND state = 'claimed' AND id IN ({marks(ids)}) RETURNING id",
        [*params, run_id, *ids])
    return {row["id"] for row in rows}


async def finish_many(delivery_ids: list[int], run_id: str, state: str) -> None:
    """:func:`finish` for several rows with the same outcome and no error."""
    if delivery_ids:
        sent_at = datetime.now(UTC) if state == "sent" else None
        await _write(
            "UPDATE digests_delivery SET state = ?, sent_at = ? "
            f"WHERE run_id = ? AND state = 'sending' AND id IN ({marks(delivery_ids)})",
            [state, sent_at, run_id, *delivery_ids])


async def mark_many(delivery_ids: list[int], run_id: str, state: str) -> None:
    """:func:`mark` for several ``claimed`` rows."""
    if delivery_ids:
        await _write(
            f"UPDATE digests_delivery SET state = ? WHERE run_id = ? AND state = 'claimed' "
            f"AND id IN ({marks(delivery_ids)})", [state, run_id, *delivery_ids])


async def finish(delivery_id: int, run_id: str, state: str, error: str = "") -> None:
    """Record the outcome of a ``sending`` row (``sent``, ``bounced`` or ``failed``)."""
    sent_at = datetime.now(UTC) if state == "sent" else None
    await _write(
        "UPDATE digests_delivery SET state = ?, sent_at = ?, error = ? "
        "WHERE id = ? AND run_id = ? AND state = 'sending'",
        [state, sent_at, error[:500], delivery_id, run_id])


async def mark(delivery_id: int, run_id: str, state: str, error: str = "") -> None:
    """Close a ``claimed`` row without sending (``empty``, ``skipped``, or ``failed`` when
    building the message failed)."""
    bump = ", attempts = attempts + 1" if state == "failed" else ""  # so a broken build stops retrying
    await _write(
        f"UPDATE digests_delivery SET state = ?, error = ?{bump} "
        "WHERE id = ? AND run_id = ? AND state = 'claimed'",
        [state, error[:500], delivery_id, run_id])


async def release(run_id: str) -> int:
    """Give back what this run claimed but did not start sending (nothing was sent for them)."""
    return await _write("DELETE FROM digests_delivery WHERE run_id = ? AND state = 'claimed'", [run_id])


async def uncertain(key: str, *, now: datetime, claim_timeout: int) -> int:
    """Messages of ``key`` whose sending was interrupted (a crash during the SMTP conversation):
    they are not sent again."""
    rows = await fetch_all(
        "SELECT COUNT(*) AS n FROM digests_delivery WHERE period_key = ? AND state = 'sending' "
        "AND claimed_at < ?", [key, now.astimezone(UTC) - timedelta(seconds=claim_timeout)])
    return int(rows[0]["n"])


async def counts(key: str) -> dict[str, int]:
    """Rows of ``key`` by state."""
    rows = await fetch_all(
        "SELECT state, COUNT(*) AS n FROM digests_delivery WHERE period_key = ? GROUP BY state", [key])
    return {row["state"]: int(row["n"]) for row in rows}
