"""The kernel's tables.  Plugins reach them through the :mod:`placette` facade."""
from .audit import AuditEntry
from .modules import Grant, Module
from .resources import Resource
from .spaces import ROLES, VISIBILITIES, Invitation, JoinRequest, Membership, Space, SpaceParent
from .users import ApiToken, LoginLink, User

CORE_MODELS = [User, LoginLink, ApiToken, Space, SpaceParent, Membership, JoinRequest, Invitation,
               Module, Grant, Resource, AuditEntry]

__all__ = ["AuditEntry", "Grant", "Module", "Resource", "ROLES", "VISIBILITIES", "Invitation",
           "JoinRequest", "Membership", "Space", "SpaceParent", "ApiToken", "LoginLink", "User",
           "CORE_MODELS"]
