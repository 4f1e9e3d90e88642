"""Resources in archive bundles: ``resources/resources.jsonl`` and ``resources/versions.jsonl``.
The files themselves travel with the core's ``uploads`` (checked again on import), and the
content rows with the core's ``content.jsonl``; the import maps both ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tisserand.bundle import BundleError
from tisserand.db import as_datetime
from tisserand.i18n import _
from tisserand.licences import get_licence
from tisserand.models import Content
from tisserand.plugins.resources.models import Resource, ResourceTag, ResourceVersion
from tisserand.search import set_search_text

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

RESOURCES = "resources/resources.jsonl"
VERSIONS = "resources/versions.jsonl"


class ResourceRow(BaseModel):
    """One line of ``resources.jsonl``."""

    model_config = ConfigDict(extra="ignore")
    id: int
    content_id: int
    url: str = Field("", max_length=2000)
    upload_id: str | None = None
    licence: str = ""
    visibility: str = "public"
    tags: list[str] = Field(default_factory=list, max_length=10)
    featured: bool = False
    version: int = 1
    text: str = Field("", max_length=200_000)
    updated_by_id: int | None = None


class VersionRow(BaseModel):
    """One line of ``versions.jsonl``."""

    model_config = ConfigDict(extra="ignore")
    resource_id: int
    number: int
    title: str = Field(max_length=300)
    description: str = ""
    url: str = Field("", max_length=2000)
    upload_id: str | None = None
    licence: str = ""
    visibility: str = "public"
    tags: list[str] = Field(default_factory=list, max_length=10)
    note: str = Field("", max_length=300)
    author_id: int | None = None
    created_at: Any = None


async def export_resources(community: Community, bundle: Bundle) -> None:
    """Write the community's resources and versions."""
    resources = await Resource.filter(community_id=community.id).order_by("id").values(
        "id", "content_id", "url", "upload_id", "licence", "visibility", "tags", "featured", "version",
        "text", "updated_by_id")
    for row in resources:
        bundle.include_member(row["updated_by_id"])
    bundle.write_jsonl(RESOURCES, resources)
    versions = await ResourceVersion.filter(resource__community_id=community.id).order_by("resource_id", "number") \
        .values("resource_id", "number", "title", "description", "url", "upload_id", "licence", "visibility",
                "tags", "note", "author_id", "created_at")
    for row in versions:
        bundle.include_member(row["author_id"])
    bundle.write_jsonl(VERSIONS, versions)


def _rows(bundle: Bundle, name: str, model: type[BaseModel]) -> list[Any]:
    if not bundle.has(name):
        return []
    rows = []
    for number, raw in enumerate(bundle.read_jsonl(name), start=1):
        try:
            rows.append(model.model_validate(raw))
        except ValidationError:
            raise BundleError(_("The archive is damaged: {name}, line {line}.", name=name, line=number)) from None
    return rows


async def import_resources(community: Community, bundle: Bundle) -> None:
    """Restore the resources, their versions and tags, with the new content and file ids."""
    ids: dict[int, Resource] = {}
    for row in _rows(bundle, RESOURCES, ResourceRow):
        resource = await Resource.create(
            content_id=bundle.content_id(row.content_id), community=community, url=row.url,
            upload_id=bundle.upload_ids.get(row.upload_id) if row.upload_id else None,
            licence=get_licence(row.licence).id, visibility="members" if row.visibility == "members" else "public",
            tags=row.tags, featured=row.featured, version=row.version, text=row.text,
            updated_by_id=bundle.member_id(row.updated_by_id))
        ids[row.id] = resource
        content = await Content.get(id=resource.content_id)
        content.meta = {**(content.meta or {}), "cslug": community.slug}
        await content.save(update_fields=["meta"])
        await set_search_text(content.id, row.text)
        await ResourceTag.bulk_create([ResourceTag(resource=resource, community=community, tag=str(tag)[:40])
                                       for tag in row.tags])
    versions = []
    for v in _rows(bundle, VERSIONS, VersionRow):
        if v.resource_id not in ids:
            raise BundleError(_("The archive is damaged: {name}, line {line}.", name=VERSIONS, line=v.number))
        versions.append(ResourceVersion(
            resource=ids[v.resource_id], number=v.number, title=v.title, description=v.description, url=v.url,
            upload_id=bundle.upload_ids.get(v.upload_id) if v.upload_id else None,
            licence=get_licence(v.licence).id, visibility=v.visibility if v.visibility == "members" else "public",
            tags=v.tags, note=v.note, author_id=bundle.member_id(v.author_id),
            created_at=as_datetime(v.created_at) if v.created_at else None))
    await ResourceVersion.bulk_create(versions)
