"""The search page's kind filter: a choice per kind of content the site's plugins write."""

from __future__ import annotations


async def test_the_search_page_filters_by_kind(client, forum, factory):
    await forum.topic(forum.alice, title="Compost collectif", body="Qui composte ?")
    await factory.content(forum.community, forum.alice, title="Compost hors forum", body="Une note", kind="other.note")
    page = await client.get("/search?q=compost")
    assert page.status_code == 200
    assert '<select id="f-search-kind" name="kind">' in page.text and '<option value="forum">Forums</option>' in page.text
    assert "Compost collectif" in page.text and "Compost hors forum" in page.text
    only = await client.get("/search?q=compost&kind=forum")
    assert '<option value="forum" selected>Forums</option>' in only.text and "<details open>" in only.text
    assert "Compost collectif" in only.text and "Compost hors forum" not in only.text
    french = await client.get("/search?q=compost&kind=forum", headers={"Accept-Language": "fr"})
    assert '<option value="">Tout</option>' in french.text
