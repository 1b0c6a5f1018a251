"""The kernel's tables.  Plugins reach them through the :mod:`placette` facade."""
from .audit import AuditEntry
from .events import Event
from .moderation import REPORT_CATEGORIES, ModerationCase, Report
from .modules import Grant, Module
from .notifications import Delivery, Digest, DigestState, FeedToken, Mute, Notification
from .resources import Resource
from .search import SearchDocument
from .tasks import PendingTask
from .spaces import ROLES, VISIBILITIES, Invitation, JoinRequest, Membership, Space, SpaceParent
from .users import ApiToken, LoginLink, User, UserSession

CORE_MODELS = [User, LoginLink, ApiToken, Space, SpaceParent, Membership, JoinRequest, Invitation,
               Module, Grant, Resource, AuditEntry, Event, Notification, Delivery, DigestState,
               Digest, Mute, FeedToken, ModerationCase, Report, SearchDocument, UserSession,
               PendingTask]

__all__ = ["AuditEntry", "Event", "Grant", "Module", "Resource", "ROLES", "VISIBILITIES",
           "Invitation", "JoinRequest", "Membership", "Notification", "Delivery", "DigestState",
           "Digest", "Mute", "FeedToken", "Space", "SpaceParent", "ApiToken", "LoginLink", "User", "UserSession",
           "CORE_MODELS", "ModerationCase", "PendingTask", "Report", "REPORT_CATEGORIES", "SearchDocument"]
