"""Errors a person can understand: each has a code, a message and an HTTP status.

The web layer turns them into ``{"error": {"code", "message"}}`` in the API and a friendly page
in HTML. Raise them from plugins too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "Conflict", "Forbidden", "NotFound", "PermissionRefused", "RateLimited", "ReadOnly",
    "TisserandError", "TooLarge", "Unauthorized", "ValidationFailed", "hidden_unless_allowed",
    "nothing_here",
]


class TisserandError(Exception):
    """Base class: ``code`` is stable for scripts, ``message`` is for people."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status_code: int | None = None,
                 fields: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.fields = fields or {}
        self.headers = headers or {}
        if "Retry-After" in self.headers:  # a page that catches this 429 still says when to retry
            from tisserand.web.security import note_retry_after

            note_retry_after(int(self.headers["Retry-After"]))

    def as_dict(self) -> dict[str, Any]:
        """The API's error body."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        return {"error": error}


class NotFound(TisserandError):
    """404: also used for content the viewer may not know exists."""

    status_code = 404
    code = "not_found"


class Unauthorized(TisserandError):
    """401: log in first."""

    status_code = 401
    code = "unauthorized"


class Forbidden(TisserandError):
    """403: logged in, but not allowed."""

    status_code = 403
    code = "forbidden"


class PermissionRefused(Forbidden):
    """403 for a permission the member lacks in a community. The web layer asks plugins
    (hook ``explain_refusal``) for a better reason than the generic message, such as the end
    and reason of a suspension."""

    def __init__(self, message: str, *, member: Any, community: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.member = member
        self.community = community
        self.permission = permission


class ValidationFailed(TisserandError):
    """422: the input is wrong; ``fields`` maps field names to messages."""

    status_code = 422
    code = "invalid"


class Conflict(TisserandError):
    """409: the thing exists already, or changed meanwhile."""

    status_code = 409
    code = "conflict"


class ReadOnly(TisserandError):
    """409: the community is archived."""

    status_code = 409
    code = "read_only"


class TooLarge(TisserandError):
    """413: the request or a text is too large."""

    status_code = 413
    code = "too_large"


class RateLimited(TisserandError):
    """429: slow down; ``retry_after`` seconds."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)}, **kwargs)
        self.retry_after = retry_after


def nothing_here() -> NotFound:
    """The one 404 for something the viewer may not know exists: the same status and message
    whether it never existed, was deleted, or lives where the viewer may not look."""
    from tisserand.i18n import _

    return NotFound(_("There is nothing at this address. It may have moved, or you may not have access to it."),
                    code="not_found")


@contextmanager
def hidden_unless_allowed() -> Iterator[None]:
    """Inside the block, any 404, 403 or 401 becomes :func:`nothing_here`: use it around
    lookups by id, where a different answer would tell that the thing exists (and where)."""
    try:
        yield
    except (NotFound, Forbidden, Unauthorized):
        raise nothing_here() from None
