"""The shapes of the API's answers, as pydantic models, for the OpenAPI document
(:func:`tisserand.web.api.documented` ``answer=``). Answers may carry more fields than a model
lists (plugins add some: ``account_fields``, forum fields on content), never fewer.

Plugins describe their own answers the same way; the content format is shared
(:class:`ContentOut`)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AccountOut", "CommunityOut", "ContentOut", "ExportOut", "MembershipOut", "MyAccountOut", "Out",
    "PermissionOut", "SessionOut", "TokenOut", "TokenSecretOut", "UploadOut",
]


class Out(BaseModel):
    """Base of answer shapes: more fields may come (extra ones are allowed)."""

    model_config = ConfigDict(extra="allow")


class AccountOut(Out):
    """An account as others see it."""

    username: str
    display_name: str
    name: str
    initials: str
    created_at: datetime
    url: str


class Location(BaseModel):
    """Where a member said they are (opt-in)."""

    city: str
    latitude: float
    longitude: float


class MyAccountOut(AccountOut):
    """My account: what only its owner (and admins) see, and the fields plugins add."""

    email: str
    email_verified: bool
    locale: str
    timezone: str
    is_admin: bool
    location: Location | None


class CommunityOut(Out):
    """A community, with the viewer's ``role`` and ``membership`` state in it."""

    slug: str
    name: str
    description: str
    visibility: str = Field(description="public, private or secret")
    join_policy: str = Field(description="open, request or invite")
    parent: str | None
    plugins: list[str]
    status: str = Field(description="active or archived")
    ends_on: date | None
    archived_at: datetime | None = Field(None, description="not in lists")
    member_count: int
    created_at: datetime
    role: str | None
    membership: str | None
    url: str


class MembershipOut(Out):
    """A member's place in a community."""

    community: str
    username: str
    display_name: str
    role: str
    state: str = Field(description="active, requested or invited")
    created_at: datetime


class ContentOut(Out):
    """A content item (every kind): Markdown ``body`` and its rendered, sanitized ``html``."""

    id: int
    kind: str
    community: str
    author: str | None
    title: str
    body: str
    html: str
    status: str = Field(description="published, pending, hidden or deleted")
    created_at: datetime
    updated_at: datetime


class TokenSecretOut(Out):
    """A new API token: the only time its secret is shown."""

    token: str
    name: str
    username: str


class TokenOut(Out):
    """One of my API tokens (never its secret)."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    current: bool


class SessionOut(Out):
    """A browser logged in to my account."""

    id: int
    user_agent: str
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime
    current: bool
    provider: str | None


class UploadOut(Out):
    """A file's metadata (``width``, ``height``, ``thumbnail_url``, ``display_url`` for images)."""

    id: str
    url: str
    name: str
    type: str
    size: int
    alt: str
    markdown: str
    created_at: datetime


class ExportOut(Out):
    """A copy of my data being built (``download_url`` once ready)."""

    id: int
    status: str


class PermissionOut(Out):
    """One permission of a community's grid."""

    name: str
    owner: str = Field(description="core, or the plugin that declares it")
    description: str
    roles: list[str]
    default_roles: list[str]
    overridden: bool
    write: bool
    locked_role: str | None
