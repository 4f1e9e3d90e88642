"""The core's data: communities, members, memberships, content, notifications, audit log,
sessions and API tokens. One Tortoise app, labelled ``core``."""

from tisserand.models.audit import AuditLog
from tisserand.models.auth import ApiToken, Session
from tisserand.models.community import Community, CommunityStatus, JoinPolicy, Visibility
from tisserand.models.content import Content, ContentStatus
from tisserand.models.identity import AuthTicket, IdentityLink, SsoSession, TwoFactor
from tisserand.models.job import JobRun
from tisserand.models.member import Member
from tisserand.models.membership import Membership, MembershipState, Role
from tisserand.models.notification import Notification
from tisserand.models.privacy import AccountClosing, Consent, DataExport, ExportStatus

__all__ = [
    "AccountClosing",
    "ApiToken",
    "AuditLog",
    "AuthTicket",
    "Community",
    "CommunityStatus",
    "Consent",
    "Content",
    "ContentStatus",
    "DataExport",
    "ExportStatus",
    "IdentityLink",
    "JobRun",
    "JoinPolicy",
    "Member",
    "Membership",
    "MembershipState",
    "Notification",
    "Role",
    "Session",
    "SsoSession",
    "TwoFactor",
    "Visibility",
]
