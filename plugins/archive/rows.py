"""The core rows of a bundle, validated before anything is written (``docs/archive-format.md``).

A row that does not fit makes the whole bundle refused: the message names the file and the line.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tisserand.bundle import BundleError
from tisserand.i18n import _
from tisserand.models import (
    CommunityStatus,
    ContentStatus,
    JoinPolicy,
    MembershipState,
    Role,
    Visibility,
)
from tisserand.validation import error_message

R = TypeVar("R", bound=BaseModel)


class Row(BaseModel):
    """Base: unknown keys are ignored (a newer export may add some), times are made aware."""

    model_config = ConfigDict(extra="ignore")

    @field_validator("*", mode="after")
    @classmethod
    def _aware(cls, value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class CommunityRow(Row):
    """``community.json``."""

    id: int | None = None
    slug: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=100_000)
    visibility: Visibility = Visibility.PUBLIC
    join_policy: JoinPolicy = JoinPolicy.OPEN
    plugins: list[str] | None = None
    grants: dict[str, list[str]] = Field(default_factory=dict)
    status: CommunityStatus = CommunityStatus.ACTIVE
    ends_on: date | None = None
    archived_at: datetime | None = None
    created_at: datetime
    updated_at: datetime | None = None
    parent: str | None = None


class MemberRow(Row):
    """One line of ``members.jsonl`` (private fields only with ``--include-private``)."""

    id: int
    username: str = Field(min_length=1, max_length=40)
    display_name: str = Field("", max_length=100)
    locale: str = Field("", max_length=8)
    is_placeholder: bool = False
    is_active: bool = True
    email: str | None = Field(None, max_length=254)
    timezone: str | None = Field(None, max_length=64)
    city: str | None = Field(None, max_length=120)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class MembershipRow(Row):
    """One line of ``memberships.jsonl``."""

    id: int
    member_id: int
    role: Role
    state: MembershipState
    invited_by_id: int | None = None
    created_at: datetime
    updated_at: datetime | None = None


class ContentRow(Row):
    """One line of ``content.jsonl``: a Content row as stored."""

    id: int
    kind: str = Field(min_length=3, max_length=40, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    parent_id: int | None = None
    author_id: int | None = None
    title: str = Field("", max_length=300)
    body: str = Field("", max_length=10_000_000)
    html: str = Field("", max_length=20_000_000)
    status: ContentStatus = ContentStatus.PUBLISHED
    status_reason: str = Field("", max_length=500)
    meta: dict[str, Any] = Field(default_factory=dict)
    #: The language it is written in (``fr``, ``en``) or ``""`` (older bundles: guessed again
    #: only when the item is edited).
    lang: str = Field("", max_length=8)
    created_at: datetime
    updated_at: datetime | None = None
    edited_at: datetime | None = None
    activity_at: datetime | None = None


class AuditRow(Row):
    """One line of ``audit.jsonl``."""

    id: int
    actor_id: int | None = None
    action: str = Field(min_length=1, max_length=80)
    target_kind: str = Field("", max_length=40)
    target_id: int | None = None
    reason: str = Field("", max_length=100_000)
    data: Any = Field(default_factory=dict)
    created_at: datetime


def parse(model: type[R], data: Any, where: str) -> R:
    """Validate one row, or refuse the bundle naming ``where`` (``content.jsonl, line 12``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"]) or "row"
        raise BundleError(_("The archive is damaged: {where}, {field}: {problem}.", where=where,
                            field=field, problem=error_message(error).rstrip("."))) from None
