"""Roles and permissions: a registry fed by ``tisserand_permissions``, and one check, ``can``.

A permission is a dotted name with default grants per role. A coordinator may change the grants
for their community (``Community.grants``). Site admins may do everything. In an archived
community every *write* permission is refused, for everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tisserand.i18n import N_
from tisserand.models.membership import MembershipState, Role

if TYPE_CHECKING:
    from tisserand.models import Community, Member, Membership

__all__ = ["ALL_ROLES", "STAFF", "WRITERS", "Permission", "can"]

ALL_ROLES = frozenset(r.value for r in Role)
STAFF = frozenset({"coordinator", "animator"})
WRITERS = frozenset({"coordinator", "animator", "sponsor", "member"})


@dataclass(frozen=True)
class Permission:
    """A permission: ``roles`` get it by default; ``write=False`` marks read-only permissions
    that stay granted in an archived community."""

    name: str
    description: str
    roles: frozenset[str] | set[str] = field(default_factory=frozenset)
    write: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))
        unknown = self.roles - ALL_ROLES
        if unknown:
            raise ValueError(f"permission {self.name}: unknown roles {sorted(unknown)}")


CORE_PERMISSIONS = [
    Permission("community.view_members", N_("See the member list"), ALL_ROLES, write=False),
    Permission("community.settings.edit", N_("Edit the community's settings"), {"coordinator"}),
    Permission("community.members.manage", N_("Change roles, approve requests, remove members"),
               {"coordinator"}),
    Permission("community.members.invite", N_("Invite members"), STAFF),
    Permission("community.archive", N_("Archive or reopen the community"), {"coordinator"}, write=False),
    Permission("content.moderate", N_("Hide, restore and delete content"), STAFF),
    Permission("content.announce", N_("Post announcements"), {"coordinator", "sponsor"}),
    Permission("community.audit.view", N_("Read the audit log"), {"coordinator"}, write=False),
]


#: Grants no community may lose: coordinators always manage settings and members (or nobody
#: but a site admin could ever change them back).
LOCKED_GRANTS: dict[str, str] = {"community.settings.edit": "coordinator", "community.members.manage": "coordinator"}


def checked_grant(permission: Permission, roles: Iterable[str]) -> list[str]:
    """The roles to store for ``permission``: observers never get a write permission, and the
    :data:`LOCKED_GRANTS` roles always keep theirs (one rule for the settings page and the API)."""
    chosen = {r for r in roles if r in ALL_ROLES}
    if permission.write:
        chosen.discard("observer")
    if permission.name in LOCKED_GRANTS:
        chosen.add(LOCKED_GRANTS[permission.name])
    return [r.value for r in Role if r.value in chosen]


class PermissionRegistry:
    """Every declared permission by name."""

    def __init__(self, permissions: Iterable[Permission] = ()) -> None:
        self._by_name: dict[str, Permission] = {}
        self.register(CORE_PERMISSIONS)
        self.register(permissions)

    def register(self, permissions: Iterable[Permission]) -> None:
        """Add permissions; declaring the same name twice is an error."""
        for permission in permissions:
            if permission.name in self._by_name and self._by_name[permission.name] != permission:
                raise ValueError(f"permission {permission.name} is declared twice")
            self._by_name[permission.name] = permission

    def get(self, name: str) -> Permission:
        """The permission called ``name`` (KeyError if nobody declared it)."""
        return self._by_name[name]

    def all(self) -> list[Permission]:
        """Every permission, sorted by name."""
        return sorted(self._by_name.values(), key=lambda p: p.name)

    def roles_for(self, name: str, community: Community) -> frozenset[str]:
        """Roles granted ``name`` in ``community``, with the coordinator's overrides."""
        overrides = (community.grants or {}).get(name)
        if overrides is not None:
            return frozenset(overrides) & ALL_ROLES
        return frozenset(self.get(name).roles)

    def can(self, member: Member | None, name: str, community: Community,
            membership: Membership | None) -> bool:
        """See :func:`can`."""
        permission = self.get(name)
        if community.is_archived and permission.write:
            return False
        if member is None or not member.is_active:
            return False
        if member.is_admin:
            return True
        if membership is None or membership.state != MembershipState.ACTIVE:
            return False
        return membership.role in self.roles_for(name, community)


#: Memberships already read during the current request (set for reading requests by
#: :class:`tisserand.web.request_cache.ReadCacheMiddleware`): a page whose panels each ask
#: reads the row once. None outside such a request: every call reads.
_read_memberships: ContextVar[dict[tuple[int, int], Membership | None] | None] = ContextVar(
    "tisserand_read_memberships", default=None)


def remember_memberships() -> Token[dict[tuple[int, int], Membership | None] | None]:
    """Start a request-wide memo of memberships (reset it with :func:`forget_memberships`)."""
    return _read_memberships.set({})


def forget_memberships(token: Token[dict[tuple[int, int], Membership | None] | None]) -> None:
    """End the memo started by :func:`remember_memberships`."""
    _read_memberships.reset(token)


def remember_membership(member: Member, community: Community, membership: Membership | None) -> None:
    """Note, for the rest of a reading request, a membership read some other way (the community
    page reads it with the community, :func:`tisserand.web.community.load_community`)."""
    memo = _read_memberships.get()
    if memo is not None:
        memo[(int(member.id), int(community.id))] = membership


async def membership_of(member: Member | None, community: Community) -> Membership | None:
    """The member's membership in ``community`` (any state), or None; read once per reading
    request."""
    from tisserand.models import Membership

    if member is None:
        return None
    memo = _read_memberships.get()
    key = (int(member.id), int(community.id))
    if memo is not None and key in memo:
        return memo[key]
    found = await Membership.get_or_none(member_id=member.id, community_id=community.id)
    if memo is not None:
        memo[key] = found
    return found


async def can(member: Member | None, permission: str, community: Community,
              membership: Membership | None = None) -> bool:
    """May ``member`` do ``permission`` in ``community``?

    Pass ``membership`` when you have it to save a query. Unknown permission names raise
    KeyError: a typo must fail loudly, not deny silently.
    """
    from tisserand.site import current_site

    if membership is None:
        membership = await membership_of(member, community)
    return current_site().permissions.can(member, permission, community, membership)


async def explain_refusal(member: Member | None, community: Community, permission: str) -> str | None:
    """A better reason than the generic one for refusing ``permission`` to ``member`` in
    ``community``, from the plugins switched on there (hook ``explain_refusal``), or None."""
    import logging

    from tisserand.plugin_manager import await_me_maybe
    from tisserand.site import current_site

    if member is None:
        return None
    relay = current_site().plugins.for_community(community)
    for result in relay.explain_refusal(member=member, community=community, permission=permission):
        try:
            reason = await await_me_maybe(result)
        except Exception:  # a plugin's bug must not turn a 403 into a 500
            logging.getLogger("tisserand").exception("explain_refusal hook failed")
            continue
        if isinstance(reason, str) and reason.strip():
            return reason
    return None
