"""Membership and lifecycle through the core service (the web and the API call the same code)."""

import pytest

from tisserand.communities import (
    approve,
    archive_community,
    create_community,
    invite,
    join,
    leave,
    reopen_community,
    set_role,
)
from tisserand.errors import Conflict, Forbidden, ReadOnly, ValidationFailed
from tisserand.models import AuditLog, Community, Membership, MembershipState, Role


async def test_creating_makes_the_creator_coordinator(site, factory):
    creator = await factory.member()
    community = await create_community(creator, slug="cafe-numerique", name="Café numérique")
    membership = await Membership.get(member_id=creator.id, community_id=community.id)
    assert membership.role == Role.COORDINATOR and community.member_count == 1


@pytest.mark.parametrize("slug", ["Bad Slug", "-x", "admin", "a" * 65, ""])
async def test_bad_slugs_are_refused_with_a_field_message(site, factory, slug):
    with pytest.raises(ValidationFailed) as error:
        await create_community(None, slug=slug, name="x")
    assert "slug" in error.value.fields


async def test_a_taken_slug_is_a_conflict(site, factory):
    await factory.community("jardins")
    with pytest.raises(Conflict):
        await create_community(None, slug="jardins", name="Autres jardins")


async def test_open_request_and_invite_policies(site, factory):
    alice, bob, chloe = await factory.member(), await factory.member(), await factory.member()
    coordinator = await factory.member()
    open_one = await factory.community(coordinator=coordinator, join_policy="open")
    assert (await join(alice, open_one)).state == MembershipState.ACTIVE
    with pytest.raises(Conflict):
        await join(alice, open_one)

    on_request = await factory.community(coordinator=coordinator, join_policy="request")
    request = await join(bob, on_request)
    assert request.state == MembershipState.REQUESTED
    assert (await Community.get(id=on_request.id)).member_count == 1
    await approve(coordinator, request)
    assert (await Community.get(id=on_request.id)).member_count == 2

    invite_only = await factory.community(coordinator=coordinator, join_policy="invite")
    with pytest.raises(Forbidden):
        await join(chloe, invite_only)
    await invite(coordinator, invite_only, chloe)
    assert (await join(chloe, invite_only)).state == MembershipState.ACTIVE


async def test_the_last_coordinator_cannot_leave_or_step_down(site, factory):
    coordinator = await factory.member()
    community = await factory.community(coordinator=coordinator)
    with pytest.raises(Conflict):
        await leave(coordinator, community)
    with pytest.raises(Conflict):
        await set_role(coordinator, community, coordinator, "member")
    deputy = await factory.member()
    await factory.add_member(community, deputy, "member")
    await set_role(coordinator, community, deputy, "coordinator")
    await leave(coordinator, community)
    assert not await Membership.filter(member_id=coordinator.id, community_id=community.id).exists()


async def test_unknown_roles_are_refused(site, factory):
    coordinator, member = await factory.member(), await factory.member()
    community = await factory.community(coordinator=coordinator, members={member: "member"})
    with pytest.raises(ValidationFailed):
        await set_role(coordinator, community, member, "president")


async def test_archiving_freezes_membership_and_is_logged(site, factory):
    coordinator, newcomer = await factory.member(), await factory.member()
    community = await factory.community(coordinator=coordinator)
    await archive_community(community, coordinator, reason="end of the season")
    with pytest.raises(ReadOnly):
        await join(newcomer, community)
    with pytest.raises(ReadOnly):
        await invite(coordinator, community, newcomer)
    await reopen_community(community, coordinator)
    await join(newcomer, community)
    actions = [a.action for a in await AuditLog.filter(community_id=community.id).order_by("id")]
    assert actions == ["community.create", "community.archive", "community.reopen"]


async def test_an_animator_cannot_accept_a_request_by_inviting_the_requester(site, factory):
    coordinator, animator, asker = await factory.member(), await factory.member(), await factory.member()
    community = await factory.community(coordinator=coordinator, join_policy="request",
                                        members={animator: "animator"})
    request = await join(asker, community)
    assert request.state == MembershipState.REQUESTED
    with pytest.raises(Forbidden):
        await invite(animator, community, asker)
    assert (await Membership.get(id=request.id)).state == MembershipState.REQUESTED
    accepted = await invite(coordinator, community, asker)  # a coordinator's invitation approves
    assert accepted.state == MembershipState.ACTIVE
