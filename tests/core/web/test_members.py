"""The members page, joining, requests and their approval, invitations, leaving, roles."""

from __future__ import annotations

from tests.core.web.helpers import flash_of
from tisserand.models import Community, Membership, Notification


async def state(community, member):
    membership = await Membership.get_or_none(community_id=community.id, member_id=member.id)
    return (str(membership.state), str(membership.role)) if membership else None


async def test_join_an_open_community_and_leave_it(client, factory):
    bob = await factory.member("bob")
    community = await factory.community("jardins", name="Jardins")
    await client.login_as(bob)
    assert "Join the community" in (await client.get("/c/jardins")).text
    joined = await client.post_form("/c/jardins/join")
    assert joined.status_code == 303 and flash_of(joined)
    assert await state(community, bob) == ("active", "member")
    assert (await Community.get(id=community.id)).member_count == 2
    page = await client.get("/c/jardins")
    assert "You are a member" in page.text and "Leave the community" in page.text
    left = await client.post_form("/c/jardins/leave")
    assert left.status_code == 303
    assert await state(community, bob) is None
    assert (await Community.get(id=community.id)).member_count == 1


async def test_request_to_join_then_coordinator_approves(client, factory):
    alice = await factory.member("alice", display_name="Alice")
    bob = await factory.member("bob", display_name="Bob Roy")
    community = await factory.community("cercle", visibility="private", join_policy="request", coordinator=alice)
    await client.login_as(bob)
    assert "Ask to join" in (await client.get("/c/cercle")).text
    await client.post_form("/c/cercle/join")
    assert await state(community, bob) == ("requested", "member")
    assert "waiting for a coordinator" in (await client.get("/c/cercle")).text
    assert (await client.get("/c/cercle/members")).status_code == 404  # not in yet: content stays closed
    assert await Notification.filter(member_id=alice.id, kind="membership.request").count() == 1
    await client.login_as(alice)
    members = await client.get("/c/cercle/members")
    assert "Requests to join" in members.text and "Bob Roy" in members.text
    approved = await client.post_form("/c/cercle/members/bob/approve")
    assert approved.status_code == 303
    assert await state(community, bob) == ("active", "member")


async def test_decline_a_request(client, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob")
    community = await factory.community("cercle", join_policy="request", coordinator=alice)
    await client.login_as(bob)
    await client.post_form("/c/cercle/join")
    await client.login_as(alice)
    await client.post_form("/c/cercle/members/bob/remove")
    assert await state(community, bob) is None


async def test_invite_then_accept_even_in_a_secret_community(client, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob", email="bob@example.org")
    community = await factory.community("comite", name="Comité", visibility="secret", join_policy="invite",
                                        coordinator=alice)
    await client.login_as(bob)
    assert (await client.get("/c/comite")).status_code == 404
    await client.login_as(alice)
    invited = await client.post_form("/c/comite/members/invite", {"who": "bob@example.org", "role": "animator"})
    assert invited.status_code == 303
    assert await state(community, bob) == ("invited", "animator")
    assert "Invitations waiting for an answer" in (await client.get("/c/comite/members")).text
    await client.login_as(bob)
    page = await client.get("/c/comite")
    assert page.status_code == 200 and "You are invited" in page.text
    assert "Comité" in (await client.get("/")).text  # the invitation shows on the home page
    accepted = await client.post_form("/c/comite/join")
    assert accepted.status_code == 303
    assert await state(community, bob) == ("active", "animator")


async def test_decline_an_invitation(client, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob")
    community = await factory.community("cercle", join_policy="invite", coordinator=alice)
    await client.login_as(alice)
    await client.post_form("/c/cercle/members/invite", {"who": "@bob"})
    await client.login_as(bob)
    await client.post_form("/c/cercle/leave")
    assert await state(community, bob) is None


async def test_invite_an_unknown_person_says_so(client, factory):
    alice = await factory.member("alice")
    await factory.community("cercle", coordinator=alice)
    await client.login_as(alice)
    response = await client.post_form("/c/cercle/members/invite", {"who": "ghost"})
    assert response.status_code == 303 and flash_of(response)
    follow = await client.get(response.headers["location"])
    assert "No account matches" in follow.text


async def test_invite_only_communities_refuse_a_plain_join(client, factory):
    bob = await factory.member("bob")
    community = await factory.community("cercle", join_policy="invite")
    await client.login_as(bob)
    page = await client.get("/c/cercle")
    assert "on invitation" in page.text and "Join the community" not in page.text
    refused = await client.post_form("/c/cercle/join")
    assert refused.status_code == 303
    assert "invitation only" in (await client.get("/c/cercle")).text
    assert await state(community, bob) is None


async def test_coordinator_changes_roles_and_removes_members(client, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob", display_name="Bob")
    community = await factory.community("jardins", coordinator=alice, members={bob: "member"})
    await client.login_as(alice)
    page = await client.get("/c/jardins/members")
    assert 'id="role-bob"' in page.text
    await client.post_form("/c/jardins/members/bob/role", {"role": "animator"})
    assert await state(community, bob) == ("active", "animator")
    bad = await client.post_form("/c/jardins/members/bob/role", {"role": "emperor"})
    assert bad.status_code == 422
    last = await client.post_form("/c/jardins/members/alice/role", {"role": "member"})
    assert last.status_code == 303  # refused with a message: a community keeps a coordinator
    assert await state(community, alice) == ("active", "coordinator")
    assert "needs a coordinator" in (await client.get("/c/jardins/members")).text
    await client.post_form("/c/jardins/members/bob/remove")
    assert await state(community, bob) is None


async def test_members_cannot_manage_others(client, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob")
    carol = await factory.member("carol")
    community = await factory.community("jardins", coordinator=alice, members={bob: "member", carol: "member"})
    await client.login_as(bob)
    page = await client.get("/c/jardins/members")
    assert page.status_code == 200 and 'id="role-carol"' not in page.text
    assert (await client.post_form("/c/jardins/members/carol/role", {"role": "coordinator"})).status_code == 403
    assert (await client.post_form("/c/jardins/members/carol/remove")).status_code == 403
    assert (await client.post_form("/c/jardins/members/invite", {"who": "alice"})).status_code == 403
    assert await state(community, carol) == ("active", "member")


async def test_last_coordinator_cannot_leave(client, factory):
    alice = await factory.member("alice")
    community = await factory.community("jardins", coordinator=alice)
    await client.login_as(alice)
    response = await client.post_form("/c/jardins/leave")
    assert response.status_code == 303
    assert "needs a coordinator" in (await client.get(response.headers["location"])).text
    assert await state(community, alice) == ("active", "coordinator")


async def test_anonymous_join_goes_to_login(client, factory):
    await factory.community("jardins")
    response = await client.post_form("/c/jardins/join")
    assert response.status_code == 401
    assert "/login" in response.text
