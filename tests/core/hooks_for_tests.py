"""Small in-process plugins for the core's tests (registered through ``extra_plugins``)."""

from __future__ import annotations

from typing import Any

from tisserand import hookimpl
from tisserand.content import Verdict


class Judge:
    """A content_check that holds bodies containing "hold" and rejects those with "reject"."""

    def __init__(self) -> None:
        self.saved: list[tuple[int, bool]] = []
        self.status_changes: list[tuple[str, str]] = []

    @hookimpl
    def content_check(self, content: Any) -> Verdict | None:
        if "reject" in content.body:
            return Verdict.reject("Refused by the judge.", source="judge")
        if "hold" in content.body:
            return Verdict.hold("Held by the judge.", source="judge")
        return None

    @hookimpl
    def content_saved(self, content: Any, created: bool) -> None:
        self.saved.append((content.id, created))

    @hookimpl
    def content_status_changed(self, old_status: str, new_status: str) -> None:
        self.status_changes.append((old_status, new_status))


class AsyncJudge:
    """The same idea with an awaitable verdict: slow-downs become 429."""

    @hookimpl
    def content_check(self, content: Any) -> Any:
        async def verdict() -> Verdict | None:
            if "spam" in content.body:
                return Verdict.reject("Slow down.", status_code=429, retry_after=30)
            return None

        return verdict()
