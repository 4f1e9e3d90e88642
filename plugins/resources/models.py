"""The resources plugin's tables: one ``Resource`` per library entry (one-to-one with its
Content row, kind ``resources.resource``: title and Markdown description), its versions, and
its tags (a table, so that the tag filter is an indexed query)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Resource(Model):
    """The current state of a resource: link and/or file, licence, visibility, tags."""

    id = fields.IntField(primary_key=True)
    content = fields.OneToOneField("core.Content", related_name="resource", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="resources", on_delete=fields.CASCADE)
    community_id: int
    url = fields.CharField(max_length=2000, default="")
    upload_id = fields.CharField(max_length=32, null=True)
    licence = fields.CharField(max_length=40)
    visibility = fields.CharField(max_length=16, default="public")
    tags = fields.JSONField(default=list)
    featured = fields.BooleanField(default=False)
    version = fields.IntField(default=1)
    # Text found inside the file (PDF, OpenDocument), for the library's search; bounded.
    text = fields.TextField(default="")
    updated_by = fields.ForeignKeyField("core.Member", related_name="resources_updated", null=True,
                                        on_delete=fields.SET_NULL)
    updated_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "resources"
        table = "resources_resource"
        indexes = (("community_id", "featured"), ("community_id", "updated_at"))


class ResourceVersion(Model):
    """One version of a resource, as it was saved: who changed what, and when."""

    id = fields.IntField(primary_key=True)
    resource = fields.ForeignKeyField("resources.Resource", related_name="versions", on_delete=fields.CASCADE)
    resource_id: int
    number = fields.IntField()
    title = fields.CharField(max_length=300)
    description = fields.TextField(default="")
    url = fields.CharField(max_length=2000, default="")
    upload_id = fields.CharField(max_length=32, null=True)
    licence = fields.CharField(max_length=40)
    visibility = fields.CharField(max_length=16, default="public")
    tags = fields.JSONField(default=list)
    note = fields.CharField(max_length=300, default="")
    author = fields.ForeignKeyField("core.Member", related_name="resource_versions", null=True,
                                    on_delete=fields.SET_NULL)
    author_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "resources"
        table = "resources_version"
        unique_together = (("resource_id", "number"),)


class ResourceTag(Model):
    """A tag of a resource (lower-case), for the tag filter."""

    id = fields.IntField(primary_key=True)
    resource = fields.ForeignKeyField("resources.Resource", related_name="tag_rows", on_delete=fields.CASCADE)
    resource_id: int
    community = fields.ForeignKeyField("core.Community", related_name="resource_tags", on_delete=fields.CASCADE)
    community_id: int
    tag = fields.CharField(max_length=40)

    class Meta:
        app = "resources"
        table = "resources_tag"
        indexes = (("community_id", "tag"),)
