"""The first page: "my network" once signed in, the city's public front page otherwise."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from peewee import JOIN, fn

from .. import modules as module_service
from ..db import compiled_sql, database, utcnow
from ..models import Grant, JoinRequest, Membership, Space
from ..permissions import listed_spaces, preload_grants
from ..roles import MODERATE_ACTION, remember_roles, staff_space_ids
from ..query_memo import prepared

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        # Every anonymous visitor sees the same list: SQL written once, three columns read.
        public = prepared("dashboard.public_spaces", lambda: (
            listed_spaces(Space.select(Space.slug, Space.name, Space.description), None)
            .order_by(Space.position, Space.name).limit(60))).namedtuples()
        return render_template("home_public.html", spaces=public)
    user = current_user._get_current_object()

    def build(user_id, now):
        # With each space's space.moderate grant ("" when none; an expression, so it is
        # read onto the membership): the menu's moderation entry needs it.
        return (Membership.select(Membership.space, Membership.role, Membership.expires_at,
                                  Space.id, Space.slug, Space.name, Space.kind,
                                  Space.visibility, Space.position, Space.archived_at,
                                  fn.COALESCE(Grant.min_role, "").alias("moderate_min_role"))
                .join(Space)
                .switch(Membership)
                .join(Grant, JOIN.LEFT_OUTER, on=((Grant.space == Membership.space)
                                                  & (Grant.action == MODERATE_ACTION)))
                .where((Membership.user == user_id)
                       & (Membership.expires_at.is_null() | (Membership.expires_at > now)))
                .order_by(Space.position, Space.name))

    # Active memberships (a guest's ends at expires_at): SQL written once per person.
    rows = prepared("dashboard.memberships", build, user.id, now=utcnow()).rows()
    # The same rows give the person's roles: permission checks on the page need no more query.
    remember_roles(user, {m.space_id: m.role for m in rows},
                   {m.space_id: m.moderate_min_role for m in rows if m.moderate_min_role})
    memberships = [m for m in rows if m.space.archived_at is None]
    module_service.preload([m.space_id for m in memberships])
    preload_grants([m.space_id for m in memberships])
    staff = staff_space_ids(user)
    pending_requests = 0
    if staff:  # SQL text cached per number of spaces (see db.compiled_sql)
        sql = compiled_sql(f"dashboard.pending:{len(staff)}", lambda: JoinRequest.select(
            fn.COUNT(JoinRequest.id)).where(JoinRequest.space.in_([0] * len(staff))
                                            & JoinRequest.decided_at.is_null()))
        pending_requests = database.execute_sql(sql, staff).fetchone()[0]
    return render_template("dashboard.html", memberships=memberships,
                           pending_requests=pending_requests)
