"""A community's planned life: end date, seasons and objectives, archive and reopen.

Permission checks are the caller's (pages and API use ``view.require``); the rules that hold
whoever calls are here: dates make sense, seasons do not overlap, and nothing changes in an
archived community except reopening it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from tisserand.cache import ExpiringCache
from tisserand.communities import archive_community, audit, reopen_community
from tisserand.db import fetch_all
from tisserand.errors import NotFound, ReadOnly, ValidationFailed
from tisserand.i18n import Message, _
from tisserand.models import Community, Member
from tisserand.plugins.archive.models import Objective, Season
from tisserand.site import current_site

if TYPE_CHECKING:
    from tisserand.site import Site

MAX_OBJECTIVES = 20
MAX_SEASONS = 100
#: How long a process remembers that a community has no season (most have none): one query
#: less on its home page. Adding a season in this process forgets it at once; in another
#: process, the panel shows the new season within these seconds.
NO_SEASON_SECONDS = 60.0


def _without_seasons() -> ExpiringCache:
    cache: ExpiringCache = current_site().extra.setdefault("archive.without_seasons", ExpiringCache(size=4096))
    return cache


async def has_seasons(community: Community) -> bool:
    """Whether the community has at least one season (one plain query, or none when this
    process saw it without seasons in the last ``NO_SEASON_SECONDS``)."""
    known = _without_seasons()
    if known.get(community.id):
        return False
    found = bool(await fetch_all("SELECT id FROM archive_season WHERE community_id = ? LIMIT 1", [community.id]))
    if not found:
        known.put(community.id, True, NO_SEASON_SECONDS)
    return found


def season_added(community_id: int) -> None:
    """The community has a season now: its home page reads them again."""
    _without_seasons().forget(community_id)


def today(site: Site, now: datetime | None = None) -> date:
    """The date today in the site's time zone."""
    now = now or datetime.now(UTC)
    try:
        zone = ZoneInfo(site.settings.site.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def days_until(day: date | None, on: date) -> int | None:
    """Whole days from ``on`` to ``day`` (0 on the day itself, negative after), None without a day."""
    return None if day is None else (day - on).days


@dataclass
class SeasonView:
    """A season with its objectives, as pages and the API show it."""

    season: Season
    objectives: list[Objective]

    @property
    def reached(self) -> int:
        """How many objectives are reached."""
        return sum(1 for o in self.objectives if o.reached)

    def is_current(self, on: date) -> bool:
        """Does the season include the day ``on``?"""
        return self.season.starts_on <= on <= self.season.ends_on

    def as_dict(self, on: date) -> dict[str, object]:
        """The API's form."""
        season = self.season
        return {
            "id": season.id, "name": season.name, "description": season.description,
            "starts_on": season.starts_on, "ends_on": season.ends_on,
            "current": self.is_current(on), "days_left": max((season.ends_on - on).days, 0)
            if season.starts_on <= on else None,
            "objectives": [{"id": o.id, "text": o.text, "reached": o.reached,
                            "reached_at": o.reached_at} for o in self.objectives],
        }


async def seasons_of(community: Community) -> list[SeasonView]:
    """The community's seasons in date order with their objectives (two queries)."""
    seasons = await Season.filter(community_id=community.id).order_by("starts_on", "id")
    objectives = await Objective.filter(season_id__in=[s.id for s in seasons]).order_by(
        "position", "id") if seasons else []
    by_season: dict[int, list[Objective]] = {s.id: [] for s in seasons}
    for objective in objectives:
        by_season[objective.season_id].append(objective)
    return [SeasonView(s, by_season[s.id]) for s in seasons]


def current_season(seasons: list[SeasonView], on: date) -> SeasonView | None:
    """The season that includes ``on``, if any."""
    return next((s for s in seasons if s.is_current(on)), None)


def next_season(seasons: list[SeasonView], on: date) -> SeasonView | None:
    """The first season that starts after ``on``, if any."""
    return next((s for s in seasons if s.season.starts_on > on), None)


def _writable(community: Community) -> None:
    if community.is_archived:
        raise ReadOnly(_("This community is archived: it is read-only."))


async def set_end(site: Site, community: Community, actor: Member | None, ends_on: date | None) -> Community:
    """Plan (or move, or clear) the community's end date. A new date must be after today."""
    _writable(community)
    if ends_on is not None and ends_on <= today(site):
        raise ValidationFailed(_("Choose a date after today."),
                               fields={"ends_on": _("Choose a date after today.")})
    old = community.ends_on
    if old == ends_on:
        return community
    community.ends_on = ends_on
    await Community.filter(id=community.id).update(ends_on=ends_on, updated_at=datetime.now(UTC))
    action = "archive.end.extend" if old and ends_on and ends_on > old else "archive.end.set"
    await audit(actor, community, action, data={"from": old.isoformat() if old else None,
                                                "to": ends_on.isoformat() if ends_on else None})
    return community


def _check_season(name: str, starts_on: date, ends_on: date, description: str) -> str:
    name = name.strip()
    errors: dict[str, str] = {}
    if not name or len(name) > 120:
        errors["name"] = _("A name of 1 to 120 characters is required.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The season must end after it starts.")
    if len(description) > 2000:
        errors["description"] = _("2,000 characters at most.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    return name


async def _refuse_overlap(community: Community, starts_on: date, ends_on: date,
                          exclude: int | None = None) -> None:
    query = Season.filter(community_id=community.id, starts_on__lte=ends_on, ends_on__gte=starts_on)
    if exclude is not None:
        query = query.exclude(id=exclude)
    other = await query.first()
    if other is not None:
        message = _("These dates overlap the season “{name}”.", name=other.name)
        raise ValidationFailed(message, fields={"starts_on": message})


def _check_objectives(texts: list[str]) -> list[str]:
    cleaned = [t.strip() for t in texts if t and t.strip()]
    if len(cleaned) > MAX_OBJECTIVES:
        raise ValidationFailed(_("{n} objectives at most per season.", n=MAX_OBJECTIVES),
                               fields={"objectives": _("{n} objectives at most per season.", n=MAX_OBJECTIVES)})
    for text in cleaned:
        if len(text) > 300:
            raise ValidationFailed(_("An objective is 300 characters at most."),
                                   fields={"objectives": _("An objective is 300 characters at most.")})
    return cleaned


async def create_season(community: Community, actor: Member | None, *, name: str, starts_on: date,
                        ends_on: date, description: str = "", objectives: list[str] | None = None) -> Season:
    """Add a season (and its first objectives)."""
    _writable(community)
    name = _check_season(name, starts_on, ends_on, description)
    texts = _check_objectives(objectives or [])
    if await Season.filter(community_id=community.id).count() >= MAX_SEASONS:
        raise ValidationFailed(_("{n} seasons at most.", n=MAX_SEASONS))
    await _refuse_overlap(community, starts_on, ends_on)
    async with in_transaction():
        season = await Season.create(community=community, name=name, starts_on=starts_on,
                                     ends_on=ends_on, description=description.strip())
        for position, text in enumerate(texts):
            await Objective.create(season=season, text=text, position=position)
        await audit(actor, community, "archive.season.create", target_kind="archive.season",
                    target_id=season.id, data={"name": name})
    season_added(community.id)
    return season


async def get_season(community: Community, season_id: int) -> Season:
    """A season of this community, or 404."""
    season = await Season.get_or_none(id=season_id, community_id=community.id)
    if season is None:
        raise NotFound(_("No such season."))
    return season


async def update_season(community: Community, season: Season, actor: Member | None, *, name: str,
                        starts_on: date, ends_on: date, description: str = "") -> Season:
    """Rename or move a season."""
    _writable(community)
    name = _check_season(name, starts_on, ends_on, description)
    await _refuse_overlap(community, starts_on, ends_on, exclude=season.id)
    season.name, season.starts_on, season.ends_on = name, starts_on, ends_on
    season.description = description.strip()
    await season.save(update_fields=["name", "starts_on", "ends_on", "description"])
    await audit(actor, community, "archive.season.update", target_kind="archive.season",
                target_id=season.id, data={"name": name})
    return season


async def delete_season(community: Community, season: Season, actor: Member | None) -> None:
    """Remove a season and its objectives."""
    _writable(community)
    await audit(actor, community, "archive.season.delete", target_kind="archive.season",
                target_id=season.id, data={"name": season.name})
    await season.delete()


async def add_objective(community: Community, season: Season, actor: Member | None, text: str) -> Objective:
    """Add an objective at the end of a season's list."""
    _writable(community)
    texts = _check_objectives([text])
    if not texts:
        raise ValidationFailed(_("Write the objective."), fields={"text": _("Write the objective.")})
    count = await Objective.filter(season_id=season.id).count()
    if count >= MAX_OBJECTIVES:
        raise ValidationFailed(_("{n} objectives at most per season.", n=MAX_OBJECTIVES))
    return await Objective.create(season=season, text=texts[0], position=count)


async def get_objective(community: Community, objective_id: int) -> Objective:
    """An objective of one of this community's seasons, or 404."""
    objective = await Objective.get_or_none(id=objective_id, season__community_id=community.id)
    if objective is None:
        raise NotFound(_("No such objective."))
    return objective


async def mark_objective(community: Community, objective: Objective, actor: Member | None,
                         reached: bool) -> Objective:
    """Mark an objective reached (or not reached after all)."""
    _writable(community)
    if objective.reached == reached:
        return objective
    objective.reached_at = datetime.now(UTC) if reached else None
    objective.reached_by = actor if reached else None
    await objective.save(update_fields=["reached_at", "reached_by_id"])
    await audit(actor, community, "archive.objective.reached" if reached else "archive.objective.reopened",
                target_kind="archive.objective", target_id=objective.id, data={"text": objective.text})
    return objective


async def delete_objective(community: Community, objective: Objective) -> None:
    """Remove an objective."""
    _writable(community)
    await objective.delete()


async def archive(site: Site, community: Community, actor: Member | None, reason: str | Message = "") -> Community:
    """Archive the community (read-only for everyone); the plugins hear ``community_archived``.
    A reason the site writes itself is a message, shown in the reader's language."""
    if isinstance(reason, Message):
        return await archive_community(community, actor, reason=reason, site=site)
    if len(reason) > 1000:
        raise ValidationFailed(_("1,000 characters at most."), fields={"reason": _("1,000 characters at most.")})
    return await archive_community(community, actor, reason=reason.strip(), site=site)


async def reopen(site: Site, community: Community, actor: Member | None, reason: str = "") -> Community:
    """Make an archived community writable again. A planned end already past is cleared, so the
    daily job does not archive it again at once."""
    community = await reopen_community(community, actor, reason=reason.strip()[:1000], site=site)
    if community.ends_on is not None and community.ends_on <= today(site):
        community.ends_on = None
        await Community.filter(id=community.id).update(ends_on=None)
    return community
