"""The content pipeline: checks, rendering, sanitizing, transactions and hooks."""

import pytest

from tests.core.hooks_for_tests import AsyncJudge, Judge
from tisserand import hookimpl
from tisserand.communities import archive_community
from tisserand.content import ContentRejected, Verdict, create_content, set_status, strictest, update_content
from tisserand.errors import ReadOnly, TooLarge
from tisserand.models import Content, ContentStatus


def parse_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag with its attributes, as a browser would see them."""
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


@pytest.fixture
async def judged(site_factory):
    judge = Judge()
    site = await site_factory(enabled=[], extra_plugins={"judge": judge, "asyncjudge": AsyncJudge()})
    return site, judge


async def make_place(site):
    from tisserand.testing.factory import Factory

    factory = Factory(site)
    author = await factory.member("auteur")
    community = await factory.community("atelier", coordinator=author)
    return factory, author, community


async def test_a_held_item_is_saved_pending_with_its_reason(judged):
    site, judge = judged
    factory, author, community = await make_place(site)
    content = await factory.content(community, author, body="please hold this")
    stored = await Content.get(id=content.id)
    assert stored.status == ContentStatus.PENDING
    assert stored.status_reason == "Held by the judge."
    assert judge.saved == [(content.id, True)]


async def test_a_rejected_item_is_not_saved_and_says_why(judged):
    site, judge = judged
    factory, author, community = await make_place(site)
    with pytest.raises(ContentRejected) as error:
        await factory.content(community, author, body="reject me")
    assert error.value.message == "Refused by the judge."
    assert error.value.status_code == 422
    assert await Content.filter(community_id=community.id).count() == 0
    assert judge.saved == []


async def test_an_awaitable_verdict_is_awaited_and_keeps_its_status(judged):
    site, _ = judged
    factory, author, community = await make_place(site)
    with pytest.raises(ContentRejected) as error:
        await factory.content(community, author, body="buy spam now")
    assert error.value.status_code == 429
    assert error.value.headers["Retry-After"] == "30"


def test_the_strictest_verdict_wins():
    verdicts = [Verdict.allow(), Verdict.hold("a"), Verdict.reject("b"), Verdict.hold("c")]
    assert strictest(verdicts).reason == "b"
    assert strictest([Verdict.hold("first"), Verdict.hold("second")]).reason == "first"
    assert strictest([]).action == "allow"


async def test_markdown_is_rendered_and_sanitized(site, factory):
    author = await factory.member()
    community = await factory.community(coordinator=author)
    body = ("**gras** <script>alert(1)</script> [x](javascript:alert(1)) "
            "[y](jAvAsCrIpT&colon;alert(1)) <img src=x onerror=alert(1)> "
            "![img](http://example.org/a.png) [ok](https://example.org)")
    content = await factory.content(community, author, body=body)
    html = content.html
    tags = parse_tags(html)
    assert "<strong>gras</strong>" in html
    assert "script" not in [name for name, _ in tags]
    assert not [a for _, attrs in tags for a, _ in attrs if a.startswith("on")]
    assert not [v for _, attrs in tags for a, v in attrs if a == "href" and "script" in (v or "").lower()]
    assert 'href="https://example.org"' in html and 'rel="nofollow ugc noopener"' in html


async def test_mentions_become_links(site, factory):
    author = await factory.member()
    await factory.member("camille")
    community = await factory.community(coordinator=author)
    content = await factory.content(community, author, body="Merci @camille ! mail: a@b.org `@code`")
    assert '<a class="mention" href="/u/camille"' in content.html
    assert "/u/b" not in content.html and "/u/code" not in content.html


async def test_only_existing_active_members_become_mention_links(site, factory, client):
    from tisserand.models import Member

    author = await factory.member()
    gone = await factory.member("partie")
    await Member.filter(id=gone.id).update(is_active=False)
    community = await factory.community(coordinator=author)
    content = await factory.content(community, author, body="Hello @nosuchuser and @partie, cc @" + author.username)
    assert "/u/nosuchuser" not in content.html and "@nosuchuser" in content.html
    assert "/u/partie" not in content.html and "@partie" in content.html
    assert f'href="/u/{author.username}"' in content.html
    # Every link a mention makes leads to a profile that answers.
    assert (await client.get(f"/u/{author.username}")).status_code == 200


async def test_a_body_over_the_limit_is_refused_clearly(site, factory):
    author = await factory.member()
    community = await factory.community(coordinator=author)
    with pytest.raises(TooLarge) as error:
        await factory.content(community, author, body="x" * (site.settings.site.max_body_chars + 1))
    assert "too long" in error.value.message


async def test_an_archived_community_refuses_writes(site, factory):
    author = await factory.member()
    community = await factory.community(coordinator=author)
    existing = await factory.content(community, author)
    await archive_community(community, author)
    with pytest.raises(ReadOnly):
        await factory.content(community, author)
    with pytest.raises(ReadOnly):
        await set_status(existing, "hidden", actor=author)


async def test_a_community_object_read_before_it_was_archived_cannot_be_written_to(site, factory):
    from tisserand.communities import ensure_writable
    from tisserand.models import Community

    author = await factory.member()
    community = await factory.community(coordinator=author)
    loaded = await Community.get(id=community.id)  # as a request loads it
    await archive_community(community, author)  # archived a moment later, through another object
    with pytest.raises(ReadOnly):
        await ensure_writable(loaded)
    with pytest.raises(ReadOnly):
        await factory.content(await Community.get(id=community.id), author)


async def test_a_failure_in_save_related_leaves_nothing_behind(site, factory):
    author = await factory.member()
    community = await factory.community(coordinator=author)

    async def broken(content):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        await create_content(kind="test.note", community=community, author=author, body="x",
                             save_related=broken)
    assert await Content.filter(community_id=community.id).count() == 0


async def test_edits_rerender_and_status_changes_are_logged(judged):
    from tisserand.models import AuditLog

    site, judge = judged
    factory, author, community = await make_place(site)
    content = await factory.content(community, author, body="first")
    await update_content(content, editor=author, body="*second*")
    stored = await Content.get(id=content.id)
    assert "<em>second</em>" in stored.html and stored.edited_at is not None
    await set_status(stored, ContentStatus.HIDDEN, actor=author, reason="off topic")
    assert judge.status_changes == [("published", "hidden")]
    entry = await AuditLog.get(action="content.hidden")
    assert entry.reason == "off topic" and entry.target_id == content.id


async def test_replies_move_the_parent_activity(site, factory):
    author = await factory.member()
    community = await factory.community(coordinator=author)
    topic = await factory.content(community, author, kind="test.topic")
    before = topic.activity_at
    await factory.content(community, author, kind="test.reply", parent=topic)
    assert (await Content.get(id=topic.id)).activity_at > before


async def test_hooks_skip_plugins_switched_off_in_a_community(site_factory):
    from tisserand.testing.factory import Factory

    judge = Judge()
    site = await site_factory(enabled=[], extra_plugins={"judge": judge})
    factory = Factory(site)
    author = await factory.member()
    off = await factory.community(coordinator=author, plugins=[])
    content = await factory.content(off, author, body="hold me, if you can")
    assert content.status == ContentStatus.PUBLISHED
    assert judge.saved == []


class Notary:
    """Passes what its check learned to its own content_saved through the verdict."""

    def __init__(self) -> None:
        self.checked: list[tuple[bool, bool]] = []
        self.saved: list[tuple[bool, dict, str]] = []
        self.sources: list[str] = []

    @hookimpl
    def content_check(self, content, write):
        self.checked.append((write.created, write.interactive))
        return Verdict.allow(source="notary", data={"words": len(content.body.split())})

    @hookimpl
    def content_saved(self, content, created, write):
        own = write.verdict_of("notary")
        self.saved.append((created, dict(own.data) if own else {}, write.verdict.action))

    @hookimpl
    def content_status_changed(self, source):
        self.sources.append(source)


async def test_a_check_hands_its_findings_to_its_own_later_hooks(site_factory):
    from tisserand.web.security import _REQUEST

    notary = Notary()
    site = await site_factory(enabled=[], extra_plugins={"judge": Judge(), "notary": notary})
    factory, author, community = await make_place(site)
    content = await factory.content(community, author, body="please hold these four")
    assert notary.saved == [(True, {"words": 4}, "hold")]
    token = _REQUEST.set(object())  # as the security middleware does while serving a request
    try:
        await update_content(content, editor=author, body="two words")
    finally:
        _REQUEST.reset(token)
    assert notary.checked == [(True, False), (False, True)]
    assert notary.saved[-1] == (False, {"words": 2}, "allow")
    await set_status(content, ContentStatus.HIDDEN, actor=author, source="notary")
    assert notary.sources == ["notary"]
    assert not [name for name in vars(content) if name.startswith(("_moderation", "_notary"))]


async def test_the_core_tells_mentions_once_whatever_plugins_are_on(judged):
    from tisserand.models import Notification

    site, _judge = judged  # no built-in plugin enabled: the core alone tells mentions
    factory, author, community = await make_place(site)
    camille = await factory.member("camille")
    await factory.add_member(community, camille)
    content = await factory.content(community, author, title="Jardin", body="Merci @camille !")
    assert await Notification.filter(member_id=camille.id, kind="mention").count() == 1
    await update_content(content, editor=author, body="Merci encore @camille !")
    assert await Notification.filter(member_id=camille.id, kind="mention").count() == 1
    held = await factory.content(community, author, title="Plus tard", body="hold: @camille")
    assert await Notification.filter(member_id=camille.id, kind="mention").count() == 1
    await set_status(held, ContentStatus.PUBLISHED, actor=author)
    assert await Notification.filter(member_id=camille.id, kind="mention").count() == 2
    await factory.content(community, author, title="Appel", body="@camille", meta={"mentions": False})
    assert await Notification.filter(member_id=camille.id, kind="mention").count() == 2
