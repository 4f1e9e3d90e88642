"""First checks that the site starts on both databases and the pipeline saves content."""

from tisserand.models import Content, ContentStatus


async def test_content_is_rendered_and_saved(site, factory):
    author = await factory.member("alice")
    community = await factory.community("jardins", coordinator=author)
    content = await factory.content(community, author, body="Hello **world** <script>x</script>")
    stored = await Content.get(id=content.id)
    assert stored.status == ContentStatus.PUBLISHED
    assert "<strong>world</strong>" in stored.html
    assert "<script>" not in stored.html


async def test_home_page_answers(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert "<main" in response.text


async def test_query_counter_sees_queries(client, factory):
    from tisserand.testing.queries import count_queries

    member = await factory.member()
    with count_queries() as queries:
        await factory.community(coordinator=member)
    assert len(queries) >= 3
