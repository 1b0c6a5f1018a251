"""Spaces (the city, councils, working groups), their tree, and who belongs to them."""
from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from ..db import KernelModel, utcnow
from .users import User

VISIBILITIES = ("public", "network", "members", "private")
ROLES = ("guest", "member", "animator", "admin")


class Space(KernelModel):
    """A council, a working group or the city itself.

    ``visibility`` says who may know it exists and who may read inside:

    * ``public``  -- anyone, signed in or not;
    * ``network`` -- any signed-in person of the city;
    * ``members`` -- listed for signed-in people (they may ask to join), read by members only;
    * ``private`` -- members only, unlisted: for anybody else it does not exist (404).
    """

    slug = CharField(max_length=64, unique=True)
    name = CharField(max_length=150)
    kind = CharField(max_length=32, index=True)
    visibility = CharField(max_length=16, default="network", index=True)
    description = TextField(default="")
    allow_join_requests = BooleanField(default=True)
    position = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    archived_at = DateTimeField(null=True)

    class Meta:
        # The directory sorts by (kind, position, name), the API and the public home by
        # (position, name): indexed, the page is read in order instead of sorted per request.
        indexes = ((("kind", "position", "name"), False), (("position", "name"), False))

    def __str__(self) -> str:
        return self.name


class SpaceParent(KernelModel):
    """An edge of the space tree; a working group may hang under several councils."""

    child = ForeignKeyField(Space, backref="parent_links", on_delete="CASCADE")
    parent = ForeignKeyField(Space, backref="child_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("child", "parent"), True),)


class Membership(KernelModel):
    """A person's role in a space.  Guests always carry ``expires_at`` and lose access at that
    instant: every check compares with the current time, no job has to run."""

    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    space = ForeignKeyField(Space, backref="memberships", on_delete="CASCADE")
    role = CharField(max_length=16, default="member")
    expires_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    invited_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        # (space, expires_at): "active members of a space" (member counts, lists, notification
        # fan-out) is answered from the index alone.
        indexes = ((("user", "space"), True), (("space", "role"), False),
                   (("space", "expires_at"), False))


class JoinRequest(KernelModel):
    """Someone asking to join a space that allows it; animators accept or decline."""

    user = ForeignKeyField(User, backref="join_requests", on_delete="CASCADE")
    space = ForeignKeyField(Space, backref="join_requests", on_delete="CASCADE")
    message = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    decided_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    accepted = BooleanField(null=True)

    class Meta:
        indexes = ((("space", "decided_at"), False),)


class Invitation(KernelModel):
    """An invitation by e-mail to a space; the link creates or attaches the account."""

    space = ForeignKeyField(Space, backref="invitations", on_delete="CASCADE")
    email = CharField(max_length=254, index=True)
    role = CharField(max_length=16, default="member")
    guest_until = DateTimeField(null=True)
    message = TextField(default="")
    token_hash = CharField(max_length=64, unique=True)
    invited_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    accepted_at = DateTimeField(null=True)
    accepted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    revoked_at = DateTimeField(null=True)
