"""Password hashing: a burst of log-ins all succeed, at most ``[auth] max_concurrent_hashes``
hashes run at once (each maps ``argon2_memory_kib`` while it runs), off the event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pydantic import ValidationError

from tisserand import auth
from tisserand.settings import Settings
from tisserand.testing.factory import PASSWORD


class Gauge:
    """How many argon2 computations run at this moment, and the most seen at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.calls = 0
        self.threads: set[int] = set()

    def __enter__(self) -> None:
        with self.lock:
            self.now += 1
            self.calls += 1
            self.most = max(self.most, self.now)
            self.threads.add(threading.get_ident())
        time.sleep(0.03)  # cheap test parameters take microseconds: make the overlap visible

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.now -= 1


@pytest.fixture
def gauge(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gauge]:
    """Count the real argon2 ``hash`` and ``verify`` calls as they run (they still do the work)."""
    gauge = Gauge()
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def hash_(self: PasswordHasher, password: str | bytes, *, salt: bytes | None = None) -> str:
        with gauge:
            return real_hash(self, password, salt=salt)

    def verify(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        with gauge:
            return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "hash", hash_)
    monkeypatch.setattr(PasswordHasher, "verify", verify)
    yield gauge


@pytest.mark.plugins()
async def test_a_burst_of_16_log_ins_all_succeed_two_hashing_at_a_time(site, factory, gauge):
    members = [await factory.member(f"burst{n}") for n in range(16)]
    gauge.most = gauge.calls = 0
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    beating = asyncio.create_task(ticker())
    try:
        logged = await asyncio.gather(*(auth.log_in(site, m.username, PASSWORD, ip=f"10.0.0.{n}")
                                        for n, m in enumerate(members)))
    finally:
        beating.cancel()
    assert [m.id for m in logged] == [m.id for m in members]
    assert gauge.calls == 16
    assert gauge.most == site.settings.auth.max_concurrent_hashes == 2
    assert threading.get_ident() not in gauge.threads  # never on the event loop's thread
    assert ticks >= 10  # 16 × 30 ms two at a time: the loop kept answering meanwhile


@pytest.mark.plugins(config={"auth": {"max_concurrent_hashes": 5}})
async def test_the_limit_follows_the_setting_and_wrong_passwords_wait_their_turn_too(site, factory, gauge):
    members = [await factory.member(f"mixed{n}") for n in range(8)]
    gauge.most = gauge.calls = 0
    checks = [auth.authenticate(site.settings, m.username, PASSWORD if n % 2 else "wrong password!")
              for n, m in enumerate(members)]
    checks += [auth.authenticate(site.settings, f"nobody{n}", PASSWORD) for n in range(4)]  # the dummy check
    checks += [auth.hash_password(site.settings, f"new password {n}") for n in range(4)]
    results = await asyncio.gather(*checks)
    assert [r is not None for r in results[:8]] == [bool(n % 2) for n in range(8)]
    assert results[8:12] == [None] * 4
    assert all(str(h).startswith("$argon2id$") for h in results[12:])
    assert gauge.most == 5


def test_the_setting_is_validated(tmp_path: Path):
    assert Settings.model_validate({"instance_dir": tmp_path}).auth.max_concurrent_hashes == 2
    for wrong in (0, -1, 65, "many"):
        with pytest.raises(ValidationError):
            Settings.model_validate({"instance_dir": tmp_path, "auth": {"max_concurrent_hashes": wrong}})


async def test_a_log_in_renews_a_hash_made_with_another_cost(site, factory):
    from tisserand.models import Member

    member = await factory.member("renata")
    old_hash = (await Member.get(id=member.id)).password_hash
    auth_settings = site.settings.auth
    auth_settings.argon2_time_cost += 1  # the operator raised the cost
    try:
        assert await auth.authenticate(site.settings, "renata", PASSWORD) is not None
        renewed = (await Member.get(id=member.id)).password_hash
        assert renewed != old_hash and f"t={auth_settings.argon2_time_cost}," in renewed
        assert await auth.authenticate(site.settings, "renata", PASSWORD) is not None  # still the same password
        assert (await Member.get(id=member.id)).password_hash == renewed  # renewed once, not at every log-in
        assert await auth.authenticate(site.settings, "renata", "wrong password!") is None
    finally:
        auth_settings.argon2_time_cost -= 1
