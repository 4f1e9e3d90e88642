"""The demo's moderation data, and ``tisserand moderation`` on a real instance."""

import os
import subprocess
import sys

from tisserand.models import Content
from tisserand.plugins.moderation.models import Review, Sanction, WatchedWord


async def test_the_demo_fills_the_review_queue(site_factory):
    from tisserand.demo import populate

    site = await site_factory(enabled=["moderation"])
    communities = await populate(site)
    community = communities["animateurs"]
    reviews = await Review.filter(community_id=community.id, state="open").order_by("id")
    assert [r.cause for r in reviews] == ["held", "flagged"]
    statuses = await Content.filter(community_id=community.id, kind="moderation.demo").values_list("status", flat=True)
    assert sorted(statuses) == ["hidden", "pending"]
    assert await Sanction.filter(kind="warning").count() == 1
    assert await WatchedWord.filter(community_id=community.id).count() == 1


def run(instance, *args):
    env = {**os.environ, "TISSERAND_INSTANCE": str(instance)}
    return subprocess.run([sys.executable, "-m", "tisserand.cli.main", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_command_line_bans_and_shows_trust(tmp_path):
    (tmp_path / "tisserand.toml").write_text(
        '[site]\nsecret_key = "cli-test-secret-0123456789abcdef"\n[database]\nurl = "sqlite://data/db.sqlite3"\n'
        '[auth]\nargon2_time_cost = 1\nargon2_memory_kib = 8\n[mail]\nbackend = "null"\n'
        '[plugins]\nenabled = ["moderation"]\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    assert run(tmp_path, "migrate").returncode == 0
    assert run(tmp_path, "user", "create", "spammeur", "--email", "s@example.org", "--password",
               "a-long-password").returncode == 0
    banned = run(tmp_path, "moderation", "ban", "spammeur", "--reason", "Publicité", "--days", "3")
    assert banned.returncode == 0, banned.stderr
    assert "Banned 'spammeur' until" in banned.stdout
    shown = run(tmp_path, "moderation", "trust", "spammeur", "--lock", "basic")
    assert shown.returncode == 0 and "spammeur: basic (locked)" in shown.stdout
    words = run(tmp_path, "moderation", "words", "--add", "bit.do", "--domain", "--action", "block")
    assert "domain\tblock\tbit.do" in words.stdout
    unban = run(tmp_path, "moderation", "unban", "spammeur")
    assert unban.returncode == 0 and "lifted" in unban.stdout
    missing = run(tmp_path, "moderation", "unban", "personne")
    assert missing.returncode != 0 and missing.stderr.startswith("Error:")
