"""The wiki's own tables: pages (one-to-one with Content), every revision, links, settings.

A page's current title, body and rendered HTML live in its ``Content`` row (kind ``wiki.page``),
so search, the feed and moderation see it like any other content. The tables here hold what
only the wiki needs: the path, the hierarchy, licence, visibility, protection, the full history
and the links between pages.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class WikiPage(Model):
    """A page of a community's wiki, addressed by ``path`` (``guide/onboarding``).

    ``current_revision`` is the number of the latest revision, the compare-and-set guard of
    concurrent saves. ``parent`` is the nearest existing ancestor by path.
    """

    id = fields.IntField(primary_key=True)
    content = fields.OneToOneField("core.Content", related_name="wiki_page", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="wiki_pages", on_delete=fields.CASCADE)
    community_id: int
    path = fields.CharField(max_length=200)
    parent = fields.ForeignKeyField("wiki.WikiPage", related_name="children", null=True,
                                    on_delete=fields.SET_NULL)
    parent_id: int | None
    #: The title folded for case-insensitive lookups of [[Title]] links.
    title_key = fields.CharField(max_length=300)
    licence = fields.CharField(max_length=40)
    #: ``public`` (whoever may read the community) or ``members`` (active members only).
    visibility = fields.CharField(max_length=16, default="public")
    #: Only those with ``wiki.page.protect`` may edit a protected page.
    protected = fields.BooleanField(default=False)
    current_revision = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    updated_by = fields.ForeignKeyField("core.Member", related_name="wiki_pages_updated", null=True,
                                        on_delete=fields.SET_NULL)
    updated_by_id: int | None

    class Meta:
        app = "wiki"
        table = "wiki_page"
        unique_together = (("community", "path"),)
        indexes = (("community_id", "title_key"), ("community_id", "updated_at"))

    def __str__(self) -> str:
        return self.path


class WikiRevision(Model):
    """One saved state of a page: who, when, why, and the full text."""

    id = fields.IntField(primary_key=True)
    page = fields.ForeignKeyField("wiki.WikiPage", related_name="revisions", on_delete=fields.CASCADE)
    page_id: int
    community = fields.ForeignKeyField("core.Community", related_name="wiki_revisions",
                                       on_delete=fields.CASCADE)
    community_id: int
    number = fields.IntField()
    author = fields.ForeignKeyField("core.Member", related_name="wiki_revisions", null=True,
                                    on_delete=fields.SET_NULL)
    author_id: int | None
    #: The author's name when the revision was saved (kept if the account goes away).
    author_name = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField()
    summary = fields.CharField(max_length=300, default="")
    title = fields.CharField(max_length=300)
    body = fields.TextField()
    #: Length of the body in characters, so history lists never load the texts.
    size = fields.IntField(default=0)
    #: The revision this one restored, for rollbacks.
    restored_from = fields.IntField(null=True)

    class Meta:
        app = "wiki"
        table = "wiki_revision"
        unique_together = (("page", "number"),)
        indexes = (("community_id", "created_at"),)


class WikiLink(Model):
    """A ``[[link]]`` from a page: where it points (existing or not) and the title it named."""

    id = fields.IntField(primary_key=True)
    source = fields.ForeignKeyField("wiki.WikiPage", related_name="links_out", on_delete=fields.CASCADE)
    source_id: int
    community = fields.ForeignKeyField("core.Community", related_name="wiki_links", on_delete=fields.CASCADE)
    community_id: int
    target_path = fields.CharField(max_length=200)
    #: The link text folded like ``WikiPage.title_key``, to find links that name a title.
    target_key = fields.CharField(max_length=300, default="")

    class Meta:
        app = "wiki"
        table = "wiki_link"
        indexes = (("community_id", "target_path"), ("community_id", "target_key"))


class WikiCommunitySettings(Model):
    """A community's wiki settings (the licence new pages get by default)."""

    id = fields.IntField(primary_key=True)
    community = fields.OneToOneField("core.Community", related_name="wiki_settings",
                                     on_delete=fields.CASCADE)
    community_id: int
    default_licence = fields.CharField(max_length=40)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "wiki"
        table = "wiki_settings"
