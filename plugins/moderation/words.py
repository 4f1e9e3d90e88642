"""Editing watched words and domains: the site's list (admins) over the shipped defaults, and
each community's list (coordinators) over the site's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tisserand.communities import audit
from tisserand.errors import NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.plugins.moderation.config import bump, settings
from tisserand.plugins.moderation.matcher import PatternError, default_rules, make_rule
from tisserand.plugins.moderation.models import WatchedWord
from tisserand.site import current_site

if TYPE_CHECKING:
    from tisserand.models import Community, Member


@dataclass(frozen=True)
class WordRow:
    """A watched entry as the settings pages show it."""

    id: int | None
    kind: str
    pattern: str
    action: str
    replacement: str
    scope: str
    source: str = ""
    overridden: bool = False


async def listing(community: Community | None) -> list[WordRow]:
    """For the site: the defaults (marked when the site changed them) then the site's entries.
    For a community: its entries, then what it inherits from the site and the defaults."""
    defaults = default_rules(tuple(settings(current_site()).default_lists))
    site_rows = await WatchedWord.filter(community_id__isnull=True).order_by("kind", "normalized")
    site_keys = {(r.kind, r.normalized) for r in site_rows}
    rows: list[WordRow] = []
    if community is not None:
        own = await WatchedWord.filter(community_id=community.id).order_by("kind", "normalized")
        own_keys = {(r.kind, r.normalized) for r in own}
        rows += [WordRow(r.id, r.kind, r.pattern, r.action, r.replacement, "community") for r in own]
        rows += [WordRow(None, r.kind, r.pattern, r.action, r.replacement, "site",
                         overridden=(r.kind, r.normalized) in own_keys) for r in site_rows if r.action != "allow"]
        rows += [WordRow(None, d.kind, d.pattern, d.action, d.replacement, "default", d.source,
                         overridden=(d.kind, _stored_key(d)) in own_keys)
                 for d in defaults if (d.kind, _stored_key(d)) not in site_keys]
        return rows
    rows += [WordRow(r.id, r.kind, r.pattern, r.action, r.replacement, "site") for r in site_rows]
    rows += [WordRow(None, d.kind, d.pattern, d.action, d.replacement, "default", d.source,
                     overridden=(d.kind, _stored_key(d)) in site_keys) for d in defaults]
    return rows


def _stored_key(rule: object) -> str:
    # Wildcards are part of what makes two entries the same: "encul*" is not "encul".
    key = rule.key  # type: ignore[attr-defined]
    return f"{'*' if rule.suffix else ''}{key}{'*' if rule.prefix else ''}"  # type: ignore[attr-defined]


async def save(community: Community | None, actor: Member | None, kind: str, pattern: str, action: str,
               replacement: str = "") -> WordRow:
    """Add an entry, or change the one with the same normalized pattern."""
    try:
        rule = make_rule(kind, pattern, action, replacement=replacement.strip())
    except PatternError as exc:
        raise ValidationFailed(_pattern_error(str(exc)), fields={"pattern": _pattern_error(str(exc))}) from None
    key = _stored_key(rule)
    query = WatchedWord.filter(kind=kind, normalized=key)
    query = query.filter(community_id=community.id) if community is not None else query.filter(community_id__isnull=True)
    row = await query.first()
    if row is None:
        row = await WatchedWord.create(community=community, kind=kind, pattern=rule.pattern, normalized=key,
                                       action=action, replacement=rule.replacement, created_by=actor)
    else:
        row.pattern, row.action, row.replacement = rule.pattern, action, rule.replacement
        await row.save(update_fields=["pattern", "action", "replacement"])
    await bump(community)
    await audit(actor, community, "moderation.words.save", target_kind="watched_word", target_id=row.id,
                data={"kind": kind, "pattern": rule.pattern, "action": action})
    return WordRow(row.id, row.kind, row.pattern, row.action, row.replacement,
                   "community" if community is not None else "site")


async def remove(community: Community | None, actor: Member | None, word_id: int) -> None:
    """Delete an entry of this scope (a default it overrode applies again)."""
    query = WatchedWord.filter(id=word_id)
    query = query.filter(community_id=community.id) if community is not None else query.filter(community_id__isnull=True)
    row = await query.first()
    if row is None:
        raise NotFound(_("No such watched word."))
    await row.delete()
    await bump(community)
    await audit(actor, community, "moderation.words.remove", target_kind="watched_word", target_id=word_id,
                data={"kind": row.kind, "pattern": row.pattern, "action": row.action})


def _pattern_error(code: str) -> str:
    if "domain" in code:
        return _("Give a domain name such as example.com.")
    if "wildcard" in code and "single" in code:
        return _("A * goes at the start or end of a single word, not in a phrase.")
    if "wildcard" in code:
        return _("A word with * needs at least three letters.")
    if "action" in code:
        return _("Choose block, hold, replace or allow.")
    return _("Give a word or phrase of at least two letters.")
