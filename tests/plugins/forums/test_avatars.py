"""Members' pictures beside forum posts and in the topic list (the core's avatar macro), read
with the posts (no query more per page), and a new picture shows at once, even to anonymous
readers served the cached replies."""

from __future__ import annotations

import io

from tests.core.uploads import samples
from tisserand.testing.queries import count_queries
from tisserand.uploads.pictures import clear_avatar, picture_url, set_avatar


async def test_posts_show_the_writers_picture_and_a_new_one_at_once(client, forum):
    topic = await forum.topic(forum.alice, title="Avatars")
    await forum.reply(forum.bob, topic, body="Bonjour à tous.")
    first = await set_avatar(forum.bob, io.BytesIO(samples.png(color=(200, 10, 10))), "bob.png")
    url = f"{forum.url}/t/{topic.id}-avatars"
    page = (await client.get(url)).text  # anonymous: this fills the cache
    assert f'src="{picture_url(first.id)}"' in page
    assert 'class="avatar"' in page  # Alice has no picture: her initials, as the core draws them
    second = await set_avatar(forum.bob, io.BytesIO(samples.png(color=(10, 10, 200))), "bob2.png")
    page = (await client.get(url)).text
    assert f'src="{picture_url(second.id)}"' in page and picture_url(first.id) not in page
    with count_queries() as cached:  # unchanged: the cached replies are served again
        assert f'src="{picture_url(second.id)}"' in (await client.get(url)).text
    assert not any("FROM forum_post p JOIN content c" in q for q in cached.statements)
    await clear_avatar(forum.bob)
    page = (await client.get(url)).text
    assert picture_url(second.id) not in page


async def test_the_topic_list_shows_participants_pictures(client, forum):
    topic = await forum.topic(forum.alice, title="Liste")
    await forum.reply(forum.bob, topic)
    picture = await set_avatar(forum.bob, io.BytesIO(samples.png()), "bob.png")
    await client.login_as(forum.alice)
    listing = (await client.get(forum.url)).text
    assert f'src="{picture_url(picture.id)}"' in listing
