"""Password hashes: argon2id with the site's cost, computed in worker threads, a few at a time
per process (``[auth] max_concurrent_hashes``: each hash maps ``argon2_memory_kib`` while it
runs), and the dummy check that makes a wrong login name answer as slowly as a wrong password.
:mod:`tisserand.auth` uses these for log-ins, sign-ups and password changes."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

if TYPE_CHECKING:
    from tisserand.settings import Settings

_T = TypeVar("_T")
_hashers: dict[tuple[int, int, int], PasswordHasher] = {}
#: Per event loop, per size: the limiter that bounds the argon2 hashes running at once.
_hash_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, anyio.CapacityLimiter]] = (
    weakref.WeakKeyDictionary())


def _hasher(settings: Settings) -> PasswordHasher:
    key = (settings.auth.argon2_time_cost, settings.auth.argon2_memory_kib,
           settings.auth.argon2_parallelism)
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=key[2])
    return _hashers[key]


def _hash_limiter(settings: Settings) -> anyio.CapacityLimiter:
    """The gate for argon2 work: ``[auth] max_concurrent_hashes`` at a time per event loop (one
    loop, so one gate, per web process or worker).

    Each hash maps ``argon2_memory_kib`` of memory (64 MiB by default) while it runs, so a
    burst of log-ins would otherwise map that much per concurrent request; past the number of
    cores, more hashes at once only cost memory, not throughput. The others wait their turn."""
    size = settings.auth.max_concurrent_hashes
    by_size = _hash_limiters.setdefault(asyncio.get_running_loop(), {})
    if size not in by_size:
        by_size[size] = anyio.CapacityLimiter(size)
    return by_size[size]


async def _run_hash(settings: Settings, work: Callable[[], _T]) -> _T:
    # A worker thread keeps the event loop free; the limiter keeps the memory bounded.
    return await anyio.to_thread.run_sync(work, limiter=_hash_limiter(settings))


async def hash_password(settings: Settings, password: str) -> str:
    """An argon2id hash of ``password``, computed in a worker thread (a few at a time)."""
    hasher = _hasher(settings)
    return await _run_hash(settings, lambda: hasher.hash(password))


async def verify_password(settings: Settings, password_hash: str, password: str) -> bool:
    """Check ``password`` against a hash, in a worker thread (a few at a time); False on any
    mismatch."""
    if not password_hash:
        return False
    hasher = _hasher(settings)

    def check() -> bool:
        try:
            return hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await _run_hash(settings, check)


_DUMMY_HASH: dict[tuple[int, int, int], str] = {}


async def burn_password_time(settings: Settings, password: str) -> None:
    """Spend the time of a real check, so that a wrong login name answers as slowly."""
    hasher = _hasher(settings)
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = await hash_password(settings, "not-a-password")
    await verify_password(settings, _DUMMY_HASH[key], password)
