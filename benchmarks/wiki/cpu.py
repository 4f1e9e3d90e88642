"""CPU time and SQL statements per request and per save, in-process (steady on a busy machine).

    .venv/bin/python benchmarks/wiki/cpu.py /tmp/bench-wiki

Runs the app in-process through httpx's ASGI transport on an instance made by ``generate.py``
and prints, for each page, the CPU milliseconds per request (``time.process_time``, all threads
of the process, so the database driver's work counts) and the number of SQL statements; then the
same for saves of the 1,000-revision page and of a one-revision page.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import httpx

PAGES = [
    "/c/bench/wiki/guide/accueil",
    "/c/bench/wiki/petite",
    "/c/bench/wiki/guide/accueil/history",
    "/c/bench/wiki/guide/accueil/history?before=51",
    "/c/bench/wiki/guide/accueil/diff?from=999&to=1000",
    "/c/bench/wiki",
    "/c/bench/wiki/-/changes",
    "/c/bench/wiki.atom",
]


async def main(instance: Path, rounds: int = 100) -> None:
    os.environ["TISSERAND_INSTANCE"] = str(instance)
    from tisserand.models import Community, Member
    from tisserand.plugins.wiki.service import PageEdit, get_page, save_page
    from tisserand.site import Site
    from tisserand.testing.queries import count_queries
    from tisserand.web.app import create_app
    from tisserand.web.community import community_view

    site = Site.load(instance)
    await site.start()
    try:
        app = create_app(site, run_scheduler=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            for path in PAGES:
                for _ in range(5):
                    await client.get(path)
                started = time.process_time()
                for _ in range(rounds):
                    response = await client.get(path)
                cpu = (time.process_time() - started) / rounds * 1000
                with count_queries() as queries:
                    await client.get(path)
                print(f"{cpu:6.2f} ms CPU  {len(queries):2d} statements  {response.status_code}  GET {path}")
        member = await Member.get(username="auteur0")
        view = await community_view(await Community.get(slug="bench"), member)
        for path in ("guide/accueil", "petite"):
            page = await get_page(view.community, path)
            revision, body, title = page.current_revision, page.content.body, page.content.title
            started = time.process_time()
            for n in range(rounds // 2):
                with count_queries() as queries:
                    result = await save_page(view, path, PageEdit(title=title, body=f"{body}\nAjout {n}."), revision)
                revision = result.page.current_revision
            cpu = (time.process_time() - started) / (rounds // 2) * 1000
            print(f"{cpu:6.2f} ms CPU  {len(queries):2d} statements  save {path} (now {revision} revisions)")
    finally:
        await site.stop()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-wiki").resolve()))
