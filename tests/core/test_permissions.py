"""Permissions: default grants per role, coordinator overrides, admins, archived communities."""

import pytest

from tisserand.communities import archive_community, reopen_community
from tisserand.models import Community, Membership, MembershipState
from tisserand.permissions import Permission, PermissionRegistry, can


async def test_default_grants_follow_the_roles(site, factory):
    members = {role: await factory.member(f"p-{role}") for role in
               ("animator", "sponsor", "member", "observer")}
    coordinator = await factory.member("p-coord")
    community = await factory.community(coordinator=coordinator, members={m: r for r, m in members.items()})
    assert await can(coordinator, "community.settings.edit", community)
    assert not await can(members["animator"], "community.settings.edit", community)
    assert await can(members["animator"], "content.moderate", community)
    assert await can(members["sponsor"], "content.announce", community)
    assert not await can(members["member"], "content.moderate", community)
    assert await can(members["observer"], "community.view_members", community)
    assert not await can(members["observer"], "community.members.invite", community)


async def test_outsiders_anonymous_and_pending_members_get_nothing(site, factory):
    community = await factory.community()
    outsider = await factory.member()
    assert not await can(None, "community.view_members", community)
    assert not await can(outsider, "community.view_members", community)
    pending = await factory.member()
    await Membership.create(member=pending, community=community, state=MembershipState.REQUESTED)
    assert not await can(pending, "community.view_members", community)


async def test_site_admins_may_do_everything(site, factory):
    admin = await factory.member(admin=True)
    community = await factory.community()
    assert await can(admin, "community.settings.edit", community)


async def test_a_coordinator_can_change_grants_for_their_community(site, factory):
    member = await factory.member()
    community = await factory.community(members={member: "member"})
    assert not await can(member, "content.moderate", community)
    community.grants = {"content.moderate": ["coordinator", "animator", "member"]}
    await community.save()
    assert await can(member, "content.moderate", await Community.get(id=community.id))


async def test_archived_communities_refuse_write_permissions_even_to_admins(site, factory):
    admin = await factory.member(admin=True)
    coordinator = await factory.member()
    community = await factory.community(coordinator=coordinator)
    await archive_community(community, coordinator)
    assert not await can(admin, "content.moderate", community)
    assert await can(coordinator, "community.archive", community)  # may reopen
    assert await can(coordinator, "community.view_members", community)
    await reopen_community(community, coordinator)
    assert await can(coordinator, "content.moderate", community)


async def test_a_misspelled_permission_fails_loudly(site, factory):
    community = await factory.community()
    with pytest.raises(KeyError):
        await can(None, "content.moderat", community)


def test_declaring_a_permission_twice_differently_is_an_error():
    registry = PermissionRegistry([Permission("x.y", "once", {"member"})])
    with pytest.raises(ValueError):
        registry.register([Permission("x.y", "twice", {"coordinator"})])
    with pytest.raises(ValueError):
        Permission("x.z", "bad role", {"president"})
