"""Imports every feature's models so the metadata (and Alembic) sees all tables."""

from jetaa.activities.models import (
    Activity,
    ActivityMember,
    ActivityPartner,
    ActivityPhoto,
    ActivityReceipt,
    VolunteerRate,
)
from jetaa.announcements.models import Announcement, Delivery
from jetaa.api.models import ApiToken
from jetaa.audit.models import AuditEntry
from jetaa.auth.models import AccountToken, LoginSession, User
from jetaa.branches.models import Branch
from jetaa.events.models import Event, EventSeries, FeedToken, Rsvp
from jetaa.mail.models import OutboxMessage
from jetaa.members.models import AlumniProfile, Placement, ProfileLanguage
from jetaa.memberships.models import Membership, RosterInvitation
from jetaa.missions.models import Mission, MissionStaff
from jetaa.notifications.models import BranchOptOut, NotificationSettings, TopicOptIn
from jetaa.outreach.models import (
    Place,
    RequestRole,
    VolunteerOffer,
    VolunteerRequest,
    VolunteerSettings,
)
from jetaa.reference.models import Prefecture, RecruitmentDate
from jetaa.security.models import RecoveryCode, SecondFactor, SecurityEvent

__all__ = [
    "Announcement",
    "ApiToken",
    "BranchOptOut",
    "Delivery",
    "NotificationSettings",
    "TopicOptIn",
    "AccountToken",
    "RecoveryCode",
    "SecondFactor",
    "SecurityEvent",
    "Activity",
    "ActivityMember",
    "ActivityPartner",
    "ActivityPhoto",
    "ActivityReceipt",
    "VolunteerRate",
    "AlumniProfile",
    "AuditEntry",
    "Branch",
    "Event",
    "EventSeries",
    "FeedToken",
    "LoginSession",
    "Membership",
    "Mission",
    "MissionStaff",
    "OutboxMessage",
    "Place",
    "Prefecture",
    "Placement",
    "ProfileLanguage",
    "RecruitmentDate",
    "RequestRole",
    "RosterInvitation",
    "Rsvp",
    "User",
    "VolunteerOffer",
    "VolunteerRequest",
    "VolunteerSettings",
]
