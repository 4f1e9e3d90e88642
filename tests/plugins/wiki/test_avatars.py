"""Members' pictures beside their names in a page's history and in recent changes (the core's
avatar macro; initials for those without one)."""

from __future__ import annotations

import io

from tests.core.uploads import samples
from tisserand.uploads.pictures import picture_url, set_avatar


async def test_history_and_changes_show_the_writers_pictures(wiki, client):
    await wiki.save(wiki.alice, "notes", "Première version.")
    await wiki.save(wiki.bob, "notes", "Deuxième version.")
    picture = await set_avatar(wiki.alice, io.BytesIO(samples.png()), "alice.png")
    history = (await client.get(wiki.url + "/notes/history")).text
    assert f'src="{picture_url(picture.id)}"' in history
    assert 'class="avatar avatar-small"' in history  # Bob: initials
    changes = await client.get(wiki.url + "/-/changes")
    assert changes.status_code == 200 and f'src="{picture_url(picture.id)}"' in changes.text
