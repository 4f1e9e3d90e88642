import json
import pytest

async def test_probe(client, factory, site):
    alice = await factory.member("alice")
    c = await factory.community("x", coordinator=alice)
    await client.login_as(alice)
    h = {"X-CSRF-Token": client.csrf}
    out = []
    async def do(method, url, **kw):
        try:
            r = await client.request(method, url, headers=h, **kw)
            out.append((r.status_code, method, url, r.text[:150]))
        except Exception as e:
            out.append(("EXC", method, url, repr(e)[:200]))
    t = await client.post("/api/v1/communities/x/forum/topics", json={"title": "Hello\x01", "body": "b"}, headers=h)
    out.append((t.status_code, "topic", t.text[:200]))
    tid = t.json().get("id") if t.status_code == 201 else 1
    await do("GET", "/c/x/forum.atom")
    await do("PUT", "/api/v1/communities/x/wiki/pages/a", json={"title": "A\x02", "body": "b"})
    await do("GET", "/c/x/wiki.atom")
    await do("PUT", "/api/v1/communities/x/wiki/pages/a/b", json={"title": "AB", "body": "b"})
    await do("GET", "/api/v1/communities/x/wiki/pages/a/b")
    nested = "[" * 100000 + "]" * 100000
    await do("POST", "/api/v1/tokens", content=nested)
    await do("POST", "/api/v1/accounts", content='{"username": "\\ud800", "email":"a@b.org", "password":"aaaaaaaaaaaaaaa"}')
    await do("GET", "/c/x/forum/t/99999999999999999999-x")
    await do("GET", "/api/v1/content/99999999999999999999")
    await do("GET", "/api/v1/content/9999999999")
    await do("GET", "/?before=99999999999999999999")
    await do("GET", "/api/v1/communities/x/forum/topics?cursor=WzEsMl0")
    await do("GET", "/api/v1/communities/x/forum/topics?cursor=WyJ4IiwieCJd")
    await do("GET", "/api/v1/communities/x/wiki/pages/a/revisions?cursor=WyJ4IiwieCJd")
    await do("GET", "/api/v1/communities/x/moderation/queue?cursor=WyJ4IiwieCJd")
    await do("GET", "/map.geojson?bbox=garbage")
    await do("POST", f"/api/v1/forum/topics/{tid}/posts", json={"body": "r", "reply_to": 99999999999})
    await do("POST", f"/api/v1/forum/topics/{tid}/posts", json={"body": "r\x00"})
    await do("POST", "/api/v1/tokens", json={"login": "a" * 50, "password": "x"})
    await do("PATCH", "/api/v1/communities/x", json={"name": None})
    await do("POST", "/api/v1/communities/x/members", json={"username": "b" * 50})
    for o in out:
        print(o)
    assert 0
