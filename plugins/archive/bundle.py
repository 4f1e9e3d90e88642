"""The archive plugin's own part of a bundle: ``archive/seasons.jsonl`` (each season with its
objectives) and ``archive/reminders.jsonl``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from tisserand.plugins.archive.lifecycle import season_added
from tisserand.plugins.archive.models import EditCount, Objective, Reminder, Season
from tisserand.plugins.archive.rows import parse

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

SEASONS = "archive/seasons.jsonl"
REMINDERS = "archive/reminders.jsonl"
EDITS = "archive/edit_counts.jsonl"


class ObjectiveRow(BaseModel):
    """An objective inside a season's row."""

    model_config = ConfigDict(extra="ignore")
    id: int
    text: str = Field(min_length=1, max_length=300)
    position: int = 0
    reached_at: datetime | None = None
    reached_by_id: int | None = None
    created_at: datetime


class SeasonRow(BaseModel):
    """One line of ``archive/seasons.jsonl``."""

    model_config = ConfigDict(extra="ignore")
    id: int
    name: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    starts_on: date
    ends_on: date
    created_at: datetime
    objectives: list[ObjectiveRow] = Field(default_factory=list, max_length=1000)


class EditRow(BaseModel):
    """One line of ``archive/edit_counts.jsonl``."""

    model_config = ConfigDict(extra="ignore")
    content_id: int
    edits: int = Field(ge=0)
    last_edited_at: datetime | None = None


class ReminderRow(BaseModel):
    """One line of ``archive/reminders.jsonl``."""

    model_config = ConfigDict(extra="ignore")
    ends_on: date
    days_before: int
    sent_at: datetime


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


async def export_part(community: Community, bundle: Bundle) -> None:
    """Write seasons (with objectives) and reminders."""
    seasons = await Season.filter(community_id=community.id).order_by("id").values(
        "id", "name", "description", "starts_on", "ends_on", "created_at")
    objectives = await Objective.filter(season__community_id=community.id).order_by("season_id", "position", "id").values(
        "id", "season_id", "text", "position", "reached_at", "reached_by_id", "created_at")
    by_season: dict[int, list[dict[str, Any]]] = {}
    for objective in objectives:
        bundle.include_member(objective["reached_by_id"])
        by_season.setdefault(objective.pop("season_id"), []).append(objective)
    if seasons:
        bundle.write_jsonl(SEASONS, ({**s, "objectives": by_season.get(s["id"], [])} for s in seasons))
    reminders = await Reminder.filter(community_id=community.id).order_by("id").values(
        "ends_on", "days_before", "sent_at")
    if reminders:
        bundle.write_jsonl(REMINDERS, reminders)
    edits = await EditCount.filter(community_id=community.id).order_by("content_id").values(
        "content_id", "edits", "last_edited_at")
    if edits:
        bundle.write_jsonl(EDITS, edits)


async def import_part(community: Community, bundle: Bundle) -> None:
    """Restore seasons, objectives and reminders with their dates."""
    if bundle.has(SEASONS):
        for number, raw in enumerate(bundle.read_jsonl(SEASONS), start=1):
            row = parse(SeasonRow, raw, f"{SEASONS}, line {number}")
            season_added(community.id)
            season = await Season.create(community=community, name=row.name, description=row.description,
                                         starts_on=row.starts_on, ends_on=row.ends_on,
                                         created_at=_aware(row.created_at))
            for objective in row.objectives:
                await Objective.create(season=season, text=objective.text, position=objective.position,
                                       reached_at=_aware(objective.reached_at),
                                       reached_by_id=bundle.member_id(objective.reached_by_id),
                                       created_at=_aware(objective.created_at))
    if bundle.has(REMINDERS):
        for number, raw in enumerate(bundle.read_jsonl(REMINDERS), start=1):
            reminder = parse(ReminderRow, raw, f"{REMINDERS}, line {number}")
            await Reminder.create(community=community, ends_on=reminder.ends_on, days_before=reminder.days_before,
                                  sent_at=_aware(reminder.sent_at))
    if bundle.has(EDITS):
        rows = [parse(EditRow, raw, f"{EDITS}, line {n}") for n, raw in enumerate(bundle.read_jsonl(EDITS), start=1)]
        await EditCount.bulk_create([EditCount(content_id=bundle.content_id(r.content_id), community=community,
                                               edits=r.edits, last_edited_at=_aware(r.last_edited_at)) for r in rows])
