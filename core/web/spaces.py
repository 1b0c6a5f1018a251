"""Spaces as members and visitors see them: the directory, a space's home, members, joining."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import modules as module_service
from ..api.ids import page_number
from ..articles import in_text
from ..i18n import _
from ..db import utcnow
from ..kernel import config
from ..models import JoinRequest, Membership, Space, User
from ..permissions import can, can_read, can_see_space
from ..roles import role_in
from ..spaces import (SpaceError, active_member_count, active_memberships, child_rows,
                      listed_page, membership_of, parent_refs, request_to_join)
from .forms import JoinForm
from .guards import get_space

bp = Blueprint("spaces", __name__)
PER_PAGE = 50


@bp.route("/spaces")
def directory():
    kind = request.args.get("kind") or None
    q = (request.args.get("q") or "").strip()[:100]
    page = page_number(request.args.get("page"))
    if kind not in config().space_kinds:
        kind = None
    spaces, total = listed_page(current_user._get_current_object(), kind=kind, q=q,
                                page=page, per_page=PER_PAGE)  # read-only rows: no model each
    parents = parent_refs([s.id for s in spaces], current_user._get_current_object())
    return render_template("spaces/directory.html", spaces=spaces, parents=parents, kind=kind,
                           q=q, page=page, total=total, per_page=PER_PAGE,
                           kinds=config().space_kinds)


@bp.route("/s/<slug>")
def home(slug):
    space = get_space(slug)
    if not can_see_space(current_user, space):
        abort(404)
    if not can_read(current_user, space):
        pending = None
        if current_user.is_authenticated:
            pending = JoinRequest.get_or_none((JoinRequest.space == space)
                                              & (JoinRequest.user == current_user.id)
                                              & JoinRequest.decided_at.is_null())
        return render_template("spaces/outside.html", space=space, form=JoinForm(),
                               pending=pending)
    g.space = space
    actor = current_user._get_current_object()  # not through the proxy for every child
    parents = parent_refs([space.id], actor)[space.id]  # links only: plain rows, cached SQL text
    children = [c for c in child_rows(space) if can_see_space(actor, c)]
    member_count = active_member_count(space)
    membership = membership_of(space, current_user) if current_user.is_authenticated else None
    if membership is not None and membership.expires_at is not None \
            and membership.expires_at <= utcnow():
        membership = None  # an expired guest is a visitor again (may ask to join)
    return render_template("spaces/home.html", space=space, parents=parents, children=children,
                           member_count=member_count, membership=membership,
                           role=role_in(current_user, space), join_form=JoinForm(),
                           modules=module_service.enabled_plugins(space))


@bp.route("/s/<slug>/members")
def members(slug):
    space = get_space(slug)
    if not can(current_user, "space.members.view", space):
        abort(404)
    g.space = space
    rows = (active_memberships().select(Membership, User).join(User)
            .where(Membership.space == space)
            .order_by(Membership.role.desc(), User.display_name))
    return render_template("spaces/members.html", space=space, memberships=list(rows))


@bp.route("/s/<slug>/join", methods=["POST"])
@login_required
def join(slug):
    space = get_space(slug)
    if not can_see_space(current_user, space):
        abort(404)
    form = JoinForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        request_to_join(space, current_user, form.message.data or "")
    except SpaceError as exc:
        flash(_(exc.message), "error")
    else:
        flash(_("Your request has been sent to the animators of %(space)s.",
                space=in_text(space)),
              "success")
    return redirect(url_for("spaces.home", slug=space.slug))
