"""Resources: create, add a version, delete, feature, list — through the content pipeline and
the uploads service only (public core API)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import anyio
from pydantic import BaseModel, ConfigDict, Field, field_validator
from tortoise.expressions import Q

from tisserand.content import create_content, set_status, update_content
from tisserand.errors import NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.licences import DEFAULT_LICENCE, is_licence
from tisserand.models import Content, ContentStatus
from tisserand.plugins.resources.extract import extract_text
from tisserand.plugins.resources.models import Resource, ResourceTag, ResourceVersion
from tisserand.search import set_search_text
from tisserand.uploads import attach_upload, get_upload, storage_for
from tisserand.visibility import can_see_content_status, plugins_allow

if TYPE_CHECKING:
    from tisserand.models import Community, Member, Upload
    from tisserand.web.community import CommunityView

KIND = "resources.resource"
PLUGIN = "resources"
MAX_TAGS = 10
_TAG = re.compile(r"^[\w][\w \-.]{0,39}$")


def clean_tags(raw: str | list[str] | None) -> list[str]:
    """Tags from a comma-separated string or a list: lower-case, trimmed, unique, at most ten."""
    items = raw.split(",") if isinstance(raw, str) else list(raw or [])
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lower()
        if not tag:
            continue
        if not _TAG.match(tag):
            raise ValidationFailed(_("A tag is made of letters, digits, spaces, '-' or '.', up to 40 "
                                     "characters: {tag}", tag=tag[:60]), fields={"tags": "invalid"})
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(_("At most {n} tags.", n=MAX_TAGS), fields={"tags": "too many"})
    return tags


class ResourceInput(BaseModel):
    """What a member gives for a resource (API body, form fields)."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    url: str = Field("", max_length=2000)
    upload: str | None = Field(None, max_length=32)
    tags: list[str] | str = Field(default_factory=list)
    licence: str = DEFAULT_LICENCE
    visibility: Literal["public", "members"] = "public"

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("empty")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
            raise ValueError(_("A link starts with http:// or https://."))
        return value

    @field_validator("licence")
    @classmethod
    def _licence(cls, value: str) -> str:
        if not is_licence(value):
            raise ValueError(_("Choose one of the offered licences."))
        return value


@dataclass
class Item:
    """A resource with its content row, as pages and the API show it."""

    resource: Resource
    content: Content

    @property
    def id(self) -> int:
        """The resource's id in URLs and the API: its content id."""
        return self.content.id


async def _own_upload(upload_id: str | None, member: Member) -> Upload | None:
    """The upload named in the input: ``member``'s own file that belongs to nothing yet; 422
    otherwise (a file of someone else, or of other content, cannot be taken over)."""
    if not upload_id:
        return None
    try:
        upload = await get_upload(upload_id)
    except NotFound:
        upload = None
    if upload is None or upload.uploader_id != member.id or upload.content_id is not None:
        raise ValidationFailed(_("This file does not exist or is not yours: upload it again."),
                               fields={"upload": "unknown"})
    return upload


async def _text_of(upload: Upload | None) -> str:
    if upload is None or (upload.mime not in ("application/pdf",) and not upload.mime.startswith(
            "application/vnd.oasis.opendocument.")):
        return ""
    from tisserand.site import current_site

    storage = storage_for(current_site())
    data = b"".join([chunk async for chunk in storage.stream(upload.storage_key)])
    return await anyio.to_thread.run_sync(extract_text, data, upload.mime)


def _meta(data: ResourceInput, community: Community) -> dict[str, Any]:
    return {"visibility": data.visibility, "licence": data.licence, "cslug": community.slug}


async def _set_tags(resource: Resource, tags: list[str]) -> None:
    await ResourceTag.filter(resource_id=resource.id).delete()
    await ResourceTag.bulk_create([ResourceTag(resource_id=resource.id, community_id=resource.community_id,
                                               tag=tag) for tag in tags])


async def create_resource(community: Community, author: Member, data: ResourceInput) -> Item:
    """A new resource (a link, a file or both), as version 1."""
    tags = clean_tags(data.tags)
    upload = await _own_upload(data.upload, author)
    if not data.url and upload is None:
        raise ValidationFailed(_("Give a link or a file."), fields={"url": "required", "upload": "required"})
    text = await _text_of(upload)
    holder: dict[str, Resource] = {}

    async def save_related(content: Content) -> None:
        resource = await Resource.create(
            content=content, community=community, url=data.url, upload_id=upload.id if upload else None,
            licence=data.licence, visibility=data.visibility, tags=tags, text=text, updated_by=author)
        await ResourceVersion.create(resource=resource, number=1, title=content.title, description=content.body,
                                     url=data.url, upload_id=resource.upload_id, licence=data.licence,
                                     visibility=data.visibility, tags=tags, author=author)
        await _set_tags(resource, tags)
        if upload is not None:
            await attach_upload(upload, content)
        holder["resource"] = resource

    content = await create_content(kind=KIND, community=community, author=author, title=data.title,
                                   body=data.description, meta=_meta(data, community), save_related=save_related)
    await set_search_text(content.id, text)  # the site-wide search finds words inside the file
    return Item(holder["resource"], content)


async def add_version(item: Item, editor: Member, data: ResourceInput, note: str = "") -> Item:
    """Save a new version (new file, link, text, tags, licence or visibility); the history keeps
    every earlier one."""
    resource = item.resource
    tags = clean_tags(data.tags)
    upload = await _own_upload(data.upload, editor) if data.upload != resource.upload_id else None
    upload_id = upload.id if upload is not None else (data.upload or None)
    if not data.url and not upload_id:
        raise ValidationFailed(_("Give a link or a file."), fields={"url": "required", "upload": "required"})
    text = await _text_of(upload) if upload is not None else (resource.text if upload_id else "")

    async def save_related(content: Content) -> None:
        resource.version += 1
        resource.url, resource.upload_id, resource.licence = data.url, upload_id, data.licence
        resource.visibility, resource.tags, resource.text = data.visibility, tags, text
        resource.updated_by = editor
        await resource.save()
        await ResourceVersion.create(resource=resource, number=resource.version, title=content.title,
                                     description=content.body, url=data.url, upload_id=upload_id,
                                     licence=data.licence, visibility=data.visibility, tags=tags,
                                     note=" ".join(note.split())[:300], author=editor)
        await _set_tags(resource, tags)
        if upload is not None:
            await attach_upload(upload, content)

    content = await update_content(item.content, editor=editor, title=data.title, body=data.description,
                                   meta=_meta(data, item.content.community), save_related=save_related)
    await set_search_text(content.id, text)
    return Item(resource, content)


async def delete_resource(item: Item, actor: Member) -> None:
    """Delete (softly, like any content): its files go with it."""
    await set_status(item.content, ContentStatus.DELETED, actor=actor)


async def set_featured(item: Item, featured: bool) -> None:
    """Show (or stop showing) the resource on the community's home page."""
    item.resource.featured = featured
    await item.resource.save(update_fields=["featured", "updated_at"])


async def visible(view: CommunityView, items: list[Item]) -> list[Item]:
    """The items the viewer may see (status, members-only, other plugins' say)."""
    shown = []
    for item in items:
        item.content.community = view.community
        if can_see_content_status(view.viewer, item.content, view.is_staff) and \
                await plugins_allow(item.content, view.viewer):
            shown.append(item)
    return shown


async def get_item(view: CommunityView, resource_id: int) -> Item:
    """One resource (by its id, the content id) the viewer may see, or 404."""
    resource = await Resource.get_or_none(content_id=resource_id, community_id=view.community.id)
    content = await Content.get_or_none(id=resource.content_id) if resource else None
    if resource is None or content is None:
        raise NotFound(_("There is no such resource here."))
    items = await visible(view, [Item(resource, content)])
    if not items or content.status == ContentStatus.DELETED:
        raise NotFound(_("There is no such resource here."))
    return items[0]


async def list_items(view: CommunityView, *, tag: str = "", query: str = "", featured: bool = False,
                     limit: int = 200) -> list[Item]:
    """The library, newest change first, optionally by tag, by words (title, description and the
    text inside files) or only the featured ones."""
    resources = Resource.filter(community_id=view.community.id)
    if tag:
        resources = resources.filter(tag_rows__tag=tag.lower())
    if featured:
        resources = resources.filter(featured=True)
    if query:
        words = query.strip()[:100]
        resources = resources.filter(Q(text__icontains=words) | Q(content__title__icontains=words)
                                     | Q(content__body__icontains=words))
    rows = await resources.filter(content__status__in=[ContentStatus.PUBLISHED, ContentStatus.PENDING,
                                                       ContentStatus.HIDDEN]) \
        .order_by("-updated_at").limit(limit).prefetch_related("content", "content__author").distinct()
    return await visible(view, [Item(r, r.content) for r in rows])


async def community_tags(community_id: int) -> list[tuple[str, int]]:
    """The tags used in a community, most used first."""
    from tisserand.db import fetch_all

    rows = await fetch_all("SELECT tag, COUNT(*) AS n FROM resources_tag WHERE community_id = ? "
                           "GROUP BY tag ORDER BY n DESC, tag LIMIT 50", [community_id])
    return [(row["tag"], int(row["n"])) for row in rows]
