"""Import a bundle: restore a community with its members, memberships, content, audit log and
every plugin's data, in one transaction.

Before anything is written, the bundle is checked (:meth:`Bundle.open` and :meth:`Bundle.verify`:
a zip, no unsafe names, no bombs, a known format, files matching the manifest), then the
versions, the plugins and the address. Inside the transaction every row is validated; any
problem raises :class:`BundleError` and the database is left as it was.

Members are matched by username; the others become placeholders (``Member.is_placeholder``,
no password, no e-mail unless the bundle has it). Content keeps its timestamps and statuses; its
stored HTML is sanitized again (never trust HTML from a file) and its links follow a new slug.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from packaging.version import InvalidVersion, Version
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from tisserand import __version__
from tisserand.bundle import Bundle, BundleError, BundleLimits
from tisserand.communities import RESERVED_SLUGS, SLUG_RE
from tisserand.db import execute_many
from tisserand.errors import Conflict, TisserandError, ValidationFailed
from tisserand.i18n import _
from tisserand.markdown import sanitize
from tisserand.models import AuditLog, Community, Content, Member, Membership, MembershipState
from tisserand.plugin_manager import await_me_maybe
from tisserand.plugins.archive import hooks
from tisserand.plugins.archive.progress import Progress
from tisserand.plugins.archive.rows import (
    AuditRow,
    CommunityRow,
    ContentRow,
    MemberRow,
    MembershipRow,
    parse,
)
from tisserand.site import current_site
from tisserand.uploads import discard_uploads, import_uploads

if TYPE_CHECKING:
    from tisserand.site import Site

log = logging.getLogger("tisserand.archive")
BATCH = 1000
CORE_FILES = ("community.json", "members.jsonl", "memberships.jsonl", "content.jsonl", "audit.jsonl")


@dataclass
class ImportResult:
    """What an import did."""

    community: Community
    counts: dict[str, int] = field(default_factory=dict)
    placeholders: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    skipped_plugins: list[str] = field(default_factory=list)


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except (InvalidVersion, TypeError):
        return None


def check_compatibility(site: Site, bundle: Bundle, *, skip_missing_plugins: bool = False) -> tuple[list[str], list[str]]:
    """Refuse a bundle made by a newer Tisserand or plugin, or needing plugins this site lacks.
    Returns the plugins to import and the ones skipped."""
    made_by = _version(str(bundle.manifest.get("tisserand_version", "")))
    if made_by is None:
        raise BundleError(_("The archive's manifest.json is damaged."))
    if made_by > Version(__version__):
        raise BundleError(_("This archive was made by Tisserand {bundle}, newer than this site "
                            "({site}): upgrade this site first.", bundle=str(made_by), site=__version__))
    installed = hooks.plugin_versions(site)
    with_data = [name for name, meta in bundle.manifest.get("plugins", {}).items()
                 if isinstance(meta, dict) and meta.get("files")]
    missing = [name for name in with_data if name not in site.plugins.enabled]
    if missing and not skip_missing_plugins:
        raise BundleError(_("This archive holds data of plugins that are not enabled on this site: "
                            "{names}. Enable them, or import without their data.", names=", ".join(missing)))
    for name in with_data:
        if name in missing:
            continue
        theirs, ours = _version(bundle.plugins.get(name, "")), _version(installed.get(name, ""))
        if theirs and ours and theirs > ours:
            raise BundleError(_("This archive was made by the plugin {name} {bundle}, newer than this "
                                "site's ({site}): upgrade it first.", name=name, bundle=str(theirs),
                                site=str(ours)))
    return [n for n in with_data if n not in missing], missing


async def import_bundle(site: Site, path: str | Path, *, slug: str | None = None,
                        progress: Progress | None = None, limits: BundleLimits | None = None,
                        skip_missing_plugins: bool = False) -> ImportResult:
    """Restore the community of the bundle at ``path`` (under ``slug`` if given)."""
    progress = progress or Progress()
    bundle = Bundle.open(path, limits)
    try:
        for name in CORE_FILES:
            if not bundle.has(name):
                raise BundleError(_("The archive is incomplete: {name} is missing.", name=name))
        plugins, skipped = check_compatibility(site, bundle, skip_missing_plugins=skip_missing_plugins)
        data = parse(CommunityRow, bundle.read_json("community.json"), "community.json")
        new_slug = (slug or data.slug).strip().lower()
        if not SLUG_RE.match(new_slug) or new_slug in RESERVED_SLUGS:
            raise ValidationFailed(_("“{slug}” cannot be a community address: lower-case letters, "
                                     "digits and '-', up to 64 characters.", slug=new_slug))
        if await Community.filter(slug=new_slug).exists():
            raise Conflict(_("A community already uses the address “{slug}”: choose another one with "
                             "--slug.", slug=new_slug))
        progress.start("verify", _("Checking the archive"), len(bundle.manifest.get("files", {})))
        await anyio.to_thread.run_sync(bundle.verify)
        progress.advance("verify", len(bundle.manifest.get("files", {})))
        progress.finish("verify")
        result = ImportResult(community=None, skipped_plugins=skipped)  # type: ignore[arg-type]
        async with in_transaction():
            community = await _create_community(data, new_slug)
            result.community = community
            await _import_members(bundle, result, progress)
            result.counts["memberships"] = await _import_memberships(bundle, community, progress)
            result.counts["content"], kinds = await _import_content(bundle, community, data.slug,
                                                                    new_slug, progress)
            result.counts["audit"] = await _import_audit(bundle, community, kinds, progress)
            result.counts["uploads"] = await import_uploads(community, bundle, site=site)
            await _run_plugins(site, bundle, community, plugins, progress)
            await _finish_community(community, data)
        result.counts["members"] = len(result.placeholders) + len(result.matched)
        return result
    except IntegrityError as exc:
        await discard_uploads(bundle, site=site)
        raise BundleError(_("The archive contradicts itself ({error}): nothing was imported.",
                            error=str(exc).splitlines()[0][:200])) from None
    except BaseException:
        await discard_uploads(bundle, site=site)
        raise
    finally:
        bundle.close()


async def _create_community(data: CommunityRow, slug: str) -> Community:
    parent = await Community.get_or_none(slug=data.parent) if data.parent else None
    return await Community.create(
        slug=slug, name=data.name, description=data.description, visibility=data.visibility,
        join_policy=data.join_policy, grants=data.grants, ends_on=data.ends_on,
        plugins=None if data.plugins is None else current_site().plugins.switches_for(data.plugins),
        parent=parent, created_at=data.created_at)


async def _finish_community(community: Community, data: CommunityRow) -> None:
    count = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE).count()
    await Community.filter(id=community.id).update(
        status=data.status, archived_at=data.archived_at, member_count=count,
        updated_at=data.updated_at or data.created_at)
    await community.refresh_from_db()


def _count(bundle: Bundle, name: str) -> int | None:
    counts = bundle.manifest.get("counts")
    value = counts.get(name) if isinstance(counts, dict) else None
    return value if isinstance(value, int) and value >= 0 else None


async def _fix_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """``UPDATE table SET columns… WHERE id = ?`` for many rows at once (timestamps that Tortoise
    would overwrite on insert, parents known only once inserted)."""
    if not rows:
        return
    assignments = ", ".join(f"{c} = ?" for c in columns)
    await execute_many(f"UPDATE {table} SET {assignments} WHERE id = ?", [list(r) for r in rows])


async def _new_ids(model: Any, community_id: int, after: int, expected: int) -> list[int]:
    ids = await model.filter(community_id=community_id, id__gt=after).order_by("id").values_list("id", flat=True)
    if len(ids) != expected:
        raise BundleError(_("The import could not number the restored rows: nothing was imported."))
    return list(ids)


async def _import_members(bundle: Bundle, result: ImportResult, progress: Progress) -> None:
    rows: list[MemberRow] = []
    seen: set[int] = set()
    for number, raw in enumerate(bundle.read_jsonl("members.jsonl"), start=1):
        row = parse(MemberRow, raw, f"members.jsonl, line {number}")
        if row.id in seen:
            raise BundleError(_("The archive is damaged: member #{id} is listed twice.", id=row.id))
        seen.add(row.id)
        row.username = row.username.strip().lower()
        rows.append(row)
    progress.start("members", _("Members"), len(rows))
    existing: dict[str, int] = {}
    names = [r.username for r in rows]
    for start in range(0, len(names), 500):
        for member in await Member.filter(username__in=names[start:start + 500]).values("id", "username"):
            existing[member["username"]] = member["id"]
    for row in rows:
        if row.username in existing:
            bundle.member_ids[row.id] = existing[row.username]
            result.matched.append(row.username)
        else:
            placeholder = await Member.create(
                username=row.username, email=await _placeholder_email(row), display_name=row.display_name,
                locale=row.locale, is_placeholder=True, is_active=row.is_active,
                timezone=row.timezone or "", city=row.city or "", latitude=row.latitude,
                longitude=row.longitude)
            existing[row.username] = placeholder.id
            bundle.member_ids[row.id] = placeholder.id
            result.placeholders.append(row.username)
        progress.advance("members")
    progress.finish("members")


async def _placeholder_email(row: MemberRow) -> str:
    if row.email and "@" in row.email and not await Member.filter(email=row.email.lower()).exists():
        return row.email.lower()
    email = f"{row.username}@placeholder.invalid"
    while await Member.filter(email=email).exists():
        email = f"{row.username}+{secrets.token_hex(3)}@placeholder.invalid"
    return email


async def _import_memberships(bundle: Bundle, community: Community, progress: Progress) -> int:
    rows = [parse(MembershipRow, raw, f"memberships.jsonl, line {n}")
            for n, raw in enumerate(bundle.read_jsonl("memberships.jsonl"), start=1)]
    progress.start("memberships", _("Memberships"), len(rows))
    objects = []
    for row in rows:
        member_id = bundle.member_id(row.member_id)
        if member_id is None:
            raise BundleError(_("The archive is damaged: a membership names member #{id}, who is not "
                                "in members.jsonl.", id=row.member_id))
        objects.append(Membership(member_id=member_id, community_id=community.id, role=row.role,
                                  state=row.state, invited_by_id=bundle.member_id(row.invited_by_id),
                                  created_at=row.created_at))
    last = await _last_id(Membership)
    await Membership.bulk_create(objects, batch_size=BATCH)
    new_ids = await _new_ids(Membership, community.id, last, len(objects))
    await _fix_rows("membership", ["updated_at"],
                    [(row.updated_at or row.created_at, new) for row, new in zip(rows, new_ids, strict=True)])
    progress.advance("memberships", len(rows))
    progress.finish("memberships")
    return len(rows)


async def _last_id(model: Any) -> int:
    last = await model.all().order_by("-id").limit(1).values_list("id", flat=True)
    return int(last[0]) if last else 0


def _relink(html: str, old_slug: str, new_slug: str) -> str:
    if old_slug == new_slug:
        return html
    pattern = re.compile(r'((?:href|src)="/c/)' + re.escape(old_slug) + r'(?=["/#?])')
    return pattern.sub(lambda m: m.group(1) + new_slug, html)


async def _import_content(bundle: Bundle, community: Community, old_slug: str, new_slug: str,
                          progress: Progress) -> tuple[int, set[str]]:
    progress.start("content", _("Content"), _count(bundle, "content"))
    batch: list[ContentRow] = []
    pending_parents: list[tuple[int, int]] = []  # (new id, old parent id) seen before the parent
    count = 0
    kinds: set[str] = set()
    last = await _last_id(Content)

    async def flush() -> None:
        nonlocal last
        objects = [Content(
            kind=r.kind, community_id=community.id, author_id=bundle.member_id(r.author_id),
            title=r.title, body=r.body, html=sanitize(_relink(r.html, old_slug, new_slug)),
            status=r.status, status_reason=r.status_reason, meta=r.meta, lang=r.lang, created_at=r.created_at,
            edited_at=r.edited_at, activity_at=r.activity_at) for r in batch]
        await Content.bulk_create(objects, batch_size=BATCH)
        new_ids = await _new_ids(Content, community.id, last, len(objects))
        last = new_ids[-1]
        fixes = []
        for row, new in zip(batch, new_ids, strict=True):
            if row.id in bundle.content_ids:
                raise BundleError(_("The archive is damaged: content #{id} is listed twice.", id=row.id))
            bundle.content_ids[row.id] = new
        for row, new in zip(batch, new_ids, strict=True):
            parent = bundle.content_ids.get(row.parent_id) if row.parent_id is not None else None
            if row.parent_id is not None and parent is None:
                pending_parents.append((new, row.parent_id))
            fixes.append((parent, row.updated_at or row.created_at, new))
        await _fix_rows("content", ["parent_id", "updated_at"], fixes)
        progress.advance("content", len(batch))
        batch.clear()

    for number, raw in enumerate(bundle.read_jsonl("content.jsonl"), start=1):
        batch.append(parse(ContentRow, raw, f"content.jsonl, line {number}"))
        kinds.add(batch[-1].kind)
        count += 1
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    late = []
    for new, old_parent in pending_parents:
        if old_parent not in bundle.content_ids:
            raise BundleError(_("The archive refers to content #{id}, which it does not contain.", id=old_parent))
        late.append((bundle.content_ids[old_parent], new))
    await _fix_rows("content", ["parent_id"], late)
    progress.finish("content")
    return count, kinds


async def _import_audit(bundle: Bundle, community: Community, content_kinds: set[str],
                        progress: Progress) -> int:
    progress.start("audit", _("Audit log"), _count(bundle, "audit"))
    objects: list[AuditLog] = []
    count = 0
    for number, raw in enumerate(bundle.read_jsonl("audit.jsonl"), start=1):
        row = parse(AuditRow, raw, f"audit.jsonl, line {number}")
        target = None
        if row.target_kind == "member":
            target = bundle.member_id(row.target_id)
        elif row.target_kind in content_kinds and row.target_id is not None:
            target = bundle.content_ids.get(row.target_id)
        objects.append(AuditLog(actor_id=bundle.member_id(row.actor_id), community_id=community.id,
                                action=row.action, target_kind=row.target_kind, target_id=target,
                                reason=row.reason, data=row.data, created_at=row.created_at))
        count += 1
        if len(objects) >= BATCH:
            await AuditLog.bulk_create(objects)
            progress.advance("audit", len(objects))
            objects = []
    if objects:
        await AuditLog.bulk_create(objects)
        progress.advance("audit", len(objects))
    progress.finish("audit")
    return count


async def _run_plugins(site: Site, bundle: Bundle, community: Community, plugins: list[str],
                       progress: Progress) -> None:
    wanted = set(plugins)
    impls = [(n, i) for n, i in hooks.implementations(site, "import_community") if n in wanted]
    progress.start("plugins", _("Plugins"), len(impls))
    for name, impl in impls:
        bundle.current_plugin = name
        try:
            await await_me_maybe(hooks.call(impl, community=community, bundle=bundle))
        except TisserandError:
            raise
        except Exception as exc:  # a plugin's bug or a row it cannot take: refuse, roll back
            log.exception("plugin %s failed to import its data", name)
            error = f"{type(exc).__name__}: {exc}"[:300]
            raise BundleError(_("The plugin {name} could not import its data ({error}): nothing was "
                                "imported.", name=name, error=error)) from exc
        finally:
            bundle.current_plugin = None
        progress.advance("plugins")
    progress.finish("plugins")
