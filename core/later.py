"""Work that can wait until the answer is sent: ``await after_response(func, *args)``.

Inside a web request, ``func(*args, **kwargs)`` is queued and run by
:class:`AfterResponseMiddleware` once the response has gone out (same process, same task, in
order; a failure is logged, never shown to the person who asked). Anywhere else (CLI, jobs,
tests calling services directly) it runs at once. The core uses it for the ``content_saved``
hooks, so notifications, counts and digest bookkeeping no longer delay the writer's answer.

Work that must survive a crash, retry, or take long belongs in a job
(:func:`tisserand.jobs.defer`), not here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from tisserand.plugin_manager import await_me_maybe

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("tisserand.later")
_pending: ContextVar[list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] | None] = ContextVar(
    "tisserand_after_response", default=None)


__all__ = ["after_response", "answering"]

def answering() -> bool:
    """Whether code runs inside a web request whose answer is not sent yet."""
    return _pending.get() is not None


async def after_response(func: Callable[..., Awaitable[Any] | Any], *args: Any, **kwargs: Any) -> None:
    """Run ``func(*args, **kwargs)`` (sync or async) after the current answer is sent; at once
    when there is no web request."""
    pending = _pending.get()
    if pending is None:
        await await_me_maybe(func(*args, **kwargs))
        return
    pending.append((func, args, kwargs))


async def run_pending(pending: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]]) -> None:
    """Run queued work in order (more may be queued meanwhile: it runs too); log failures."""
    while pending:
        func, args, kwargs = pending.pop(0)
        try:
            await await_me_maybe(func(*args, **kwargs))
        except Exception:  # the answer is gone: nobody to tell but the log
            log.exception("work after the response failed: %s", getattr(func, "__qualname__", func))


class AfterResponseMiddleware:
    """Collect :func:`after_response` work during an HTTP request; run it once the app has
    answered (also after an error: what was queued follows a commit)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pending: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []
        token = _pending.set(pending)
        try:
            await self.app(scope, receive, send)
        finally:
            _pending.set(None)  # work queued by work runs at once, not into a list nobody reads
            try:
                await run_pending(pending)
            finally:
                _pending.reset(token)
