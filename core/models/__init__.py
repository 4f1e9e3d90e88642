"""The core's data: communities, members, memberships, content, notifications, audit log,
sessions, API tokens and uploaded files. One Tortoise app, labelled ``core``."""

from tisserand.models.audit import AuditLog
from tisserand.models.auth import ApiToken, Session
from tisserand.models.community import Community, CommunityStatus, JoinPolicy, Visibility
from tisserand.models.content import Content, ContentStatus
from tisserand.models.feeds import FeedKey
from tisserand.models.identity import AuthTicket, IdentityLink, SsoSession, TwoFactor
from tisserand.models.job import LiveEvent, PeriodicRun, QueuedJob
from tisserand.models.member import Member
from tisserand.models.membership import Membership, MembershipState, Role
from tisserand.models.notification import Notification
from tisserand.models.privacy import AccountClosing, Consent, DataExport, ExportStatus
from tisserand.models.upload import Upload, UploadPurpose

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
    "FeedKey",
    "IdentityLink",
    "JoinPolicy",
    "LiveEvent",
    "Member",
    "Membership",
    "MembershipState",
    "Notification",
    "PeriodicRun",
    "QueuedJob",
    "Role",
    "Session",
    "SsoSession",
    "TwoFactor",
    "Upload",
    "UploadPurpose",
    "Visibility",
]
