"""Make a benchmark instance: a public community whose topic has 50 replies.

    .venv/bin/python benchmarks/forums/generate.py /tmp/bench-forums
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_forums \
        .venv/bin/python benchmarks/forums/generate.py /tmp/bench-forums-pg        # an empty database

Writes ``tisserand.toml`` (forums only), migrates, then writes the content through the real
pipeline (rendered Markdown, counters, reactions). Prints the topic's path.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

CONFIG = """[site]
name = "Bench"
base_url = "http://127.0.0.1:8000"
default_locale = "en"
secret_key = "benchmark-secret-key-0123456789abcdef"
[database]
url = "sqlite://data/site.sqlite3"
[auth]
argon2_time_cost = 1
argon2_memory_kib = 8
[mail]
backend = "null"
[plugins]
enabled = ["forums"]
"""

BODY = """Thanks for the question. Here is what worked for us:

1. a **short** weekly call, same time every week;
2. a written summary posted right after, with [the notes](https://example.org/notes);
3. one person who *owns* the follow-up.

> The rhythm matters more than the format.

See you on Thursday, @member{n}!"""


async def populate(folder: Path, replies: int) -> str:
    from tisserand.plugins.forums import service
    from tisserand.site import Site
    from tisserand.testing.factory import Factory
    from tisserand.web.community import community_view

    site = Site.load(folder)
    await site.start()
    try:
        factory = Factory(site)
        members = [await factory.member(f"member{i}", display_name=f"Member Number {i}") for i in range(8)]
        community = await factory.community("bench", members={m: "member" for m in members[1:]},
                                            coordinator=members[0])
        views = [await community_view(community, m) for m in members]
        topic = await service.create_topic(views[0], title="How do you keep a community alive?",
                                           body="We meet monthly but attention fades. **Ideas?**")
        for number in range(replies):
            author = views[number % len(views)]
            await service.reply(author, topic.id, body=BODY.format(n=number % 8))
        posts = await topic.children.all().values_list("id", flat=True)
        for index, post_id in enumerate(posts):
            await service.react(views[(index + 1) % len(views)], post_id, "like", True)
        from tisserand.auth import open_session

        secret, _session = await open_session(site.settings, members[3], "benchmark")
        (folder / "session.txt").write_text(secret, encoding="utf-8")
        return f"/c/bench/forum/t/{topic.id}-how-do-you-keep-a-community-alive"
    finally:
        await site.stop()


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-forums")
    replies = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    if (folder / "data" / "site.sqlite3").exists():
        sys.exit(f"{folder} already holds a database: remove it first")
    (folder / "data").mkdir(parents=True, exist_ok=True)
    config = CONFIG
    if database := os.environ.get("BENCH_DATABASE_URL"):  # e.g. postgres://postgres@127.0.0.1:5432/empty_db
        config = config.replace('url = "sqlite://data/site.sqlite3"', f'url = "{database}"')
    (folder / "tisserand.toml").write_text(config, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder), "migrate"], check=True,
                   capture_output=True)
    print(asyncio.run(populate(folder, replies)))


if __name__ == "__main__":
    main()
