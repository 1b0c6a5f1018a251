"""Managing one space: members, invitations, requests to join, CSV import, modules, grants.

Animators manage people; admins (of the space or of the city) also switch modules and adjust
who may do what.  Everything here is a plain form with sensible defaults, and audited.
"""
from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import audit
from .. import modules as module_service
from ..i18n import _
from ..identity.accounts import AccountError
from ..identity.csv_import import import_members
from ..identity.invitations import invite
from ..kernel import config, registry
from ..models import Grant, Invitation, JoinRequest, Membership, Space, User
from ..permissions import can, min_role_for, visible
from ..roles import ROLE_LEVELS, role_in
from ..spaces import (SpaceError, active_memberships, add_member, decide_join_request,
                      parents_of, remove_member, set_parents, update_space)
from ..articles import in_text
from ..db import atomic, utcnow
from ..space_settings import set_space_settings, space_settings
from . import settings_form
from .forms import (ConfirmForm, ImportForm, InviteForm, MemberRoleForm, SpaceEditForm)
from .guards import readable_space_or_404

bp = Blueprint("manage", __name__, url_prefix="/s/<slug>/manage")
GRANTABLE_ROLES = ["anonymous", "authenticated", "guest", "member", "animator", "admin"]


def grantable_roles(action) -> list[str]:
    """Roles a space may grant an action to.  Managing (what needs an animator or an admin by
    default) never goes below members: a slip in this form must not hand a space to passers-by."""
    if ROLE_LEVELS.get(action.min_role, 0) >= ROLE_LEVELS["animator"]:
        return [r for r in GRANTABLE_ROLES if ROLE_LEVELS[r] >= ROLE_LEVELS["member"]]
    return list(GRANTABLE_ROLES)


def _space(slug: str, action: str) -> Space:
    space = readable_space_or_404(slug)
    if not can(current_user, action, space):
        abort(404)
    g.space = space
    return space


def _end_of_day(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(23, 59)) if day else None


@bp.route("/")
@login_required
def index(slug):
    space = readable_space_or_404(slug)
    if not (can(current_user, "space.members.manage", space)
            or can(current_user, "space.modules.manage", space)):
        abort(404)
    g.space = space
    counts = {
        "members": active_memberships().where(Membership.space == space).count(),
        "requests": JoinRequest.select().where((JoinRequest.space == space)
                                               & JoinRequest.decided_at.is_null()).count(),
        "invitations": Invitation.select().where(
            (Invitation.space == space) & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null() & (Invitation.expires_at > utcnow())).count(),
    }
    return render_template("manage/index.html", space=space, counts=counts)


@bp.route("/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    space = _space(slug, "space.edit")
    is_admin = can(current_user, "space.modules.manage", space)
    form = SpaceEditForm(obj=space)
    form.kind.choices = [SelectChoice(k) for k in config().space_kinds]
    # Offered as parents: only spaces the person may read (a space admin who is not a city
    # admin never learns a private council's name here, nor files their group under it).
    candidates = list(visible(Space.select().where(Space.id != space.id), current_user)
                      .order_by(Space.name))
    form.parents.choices = [SelectChoice(s.id, s.name) for s in candidates]
    current = parents_of([space.id])[space.id]
    offered = {s.id for s in candidates}
    # A parent they may not see (set by a city admin) is neither shown nor dropped on save.
    hidden = [p for p in current if p.id not in offered]
    if request.method == "GET":
        form.parents.data = [p.id for p in current if p.id in offered]
        form.article.data = space_settings(space).article
    if form.validate_on_submit():
        changes = {"name": form.name.data, "description": form.description.data or "",
                   "allow_join_requests": bool(form.allow_join_requests.data)}
        if is_admin:
            changes.update(kind=form.kind.data, visibility=form.visibility.data)
        try:
            with atomic():
                update_space(space, actor=current_user, **changes)
                if form.article.data != space_settings(space).article:
                    set_space_settings(space, {"article": form.article.data}, actor=current_user)
                if is_admin:
                    chosen = [s for s in candidates if s.id in set(form.parents.data or [])]
                    set_parents(space, [*chosen, *hidden], actor=current_user)
        except SpaceError as exc:
            target = getattr(form, exc.field or "name", form.name)
            target.errors = list(target.errors) + [exc.message]
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("spaces.home", slug=space.slug))
    return render_template("manage/edit.html", space=space, form=form, is_admin=is_admin)


@bp.route("/members")
@login_required
def members(slug):
    space = _space(slug, "space.members.manage")
    rows = list(Membership.select(Membership, User).join(User)
                .where(Membership.space == space)
                .order_by(User.display_name))
    forms = {m.user_id: MemberRoleForm(prefix=f"m{m.user_id}", role=m.role,
                                       expires_at=m.expires_at.date() if m.expires_at else None)
             for m in rows}
    return render_template("manage/members.html", space=space, memberships=rows, forms=forms,
                           now=utcnow(), confirm=ConfirmForm())


def _may_give(space: Space, role: str) -> bool:
    """Nobody hands out more than they hold: animators give member/guest/animator roles."""
    if current_user.is_admin:
        return True
    mine = role_in(current_user, space)
    return ROLE_LEVELS.get(role, 99) <= ROLE_LEVELS.get(mine, 0)


@bp.route("/members/<int:user_id>", methods=["POST"])
@login_required
def set_member(slug, user_id):
    space = _space(slug, "space.members.manage")
    user = User.get_or_none(User.id == user_id)
    if user is None:
        abort(404)
    form = MemberRoleForm(prefix=f"m{user_id}")
    current = Membership.get_or_none(space=space, user=user)
    # Nobody changes the role of someone above them (an animator cannot demote the space's admin).
    may_change = current is None or _may_give(space, current.role)
    if form.validate_on_submit() and may_change and _may_give(space, form.role.data):
        try:
            add_member(space, user, form.role.data, _end_of_day(form.expires_at.data),
                       actor=current_user)
            flash(_("%(name)s is now %(role)s.", name=user.display_name, role=_(form.role.data)),
                  "success")
        except SpaceError as exc:
            flash(exc.message, "error")
    else:
        errors = [e for f in form for e in f.errors] or [_("You cannot give this role.")]
        flash("; ".join(str(e) for e in errors), "error")
    return redirect(url_for("manage.members", slug=space.slug))


@bp.route("/members/<int:user_id>/remove", methods=["POST"])
@login_required
def remove(slug, user_id):
    space = _space(slug, "space.members.manage")
    user = User.get_or_none(User.id == user_id)
    if user is None or not ConfirmForm().validate_on_submit():
        abort(404)
    membership = Membership.get_or_none(space=space, user=user)
    if membership and not _may_give(space, membership.role):
        abort(403)
    remove_member(space, user, actor=current_user)
    flash(_("%(name)s no longer belongs to %(space)s.", name=user.display_name,
            space=in_text(space)), "success")
    return redirect(url_for("manage.members", slug=space.slug))


@bp.route("/invitations", methods=["GET", "POST"])
@login_required
def invitations(slug):
    space = _space(slug, "space.invite")
    form = InviteForm()
    status = 200
    if request.method == "POST":
        status = 400  # unless at least one invitation goes out
    if form.validate_on_submit():
        addresses = [a for a in re.split(r"[\s,;]+", form.emails.data or "") if a]
        sent, refused = [], []
        if not _may_give(space, form.role.data):
            form.role.errors = list(form.role.errors) + [_("You cannot give this role.")]
        else:
            for address in addresses[:200]:
                try:
                    invite(space, address, form.role.data, actor=current_user,
                           guest_until=_end_of_day(form.guest_until.data),
                           message=form.message.data or "")
                    sent.append(address)
                except (AccountError, SpaceError) as exc:
                    refused.append(f"{address}: {exc.message}")
            if sent:
                flash(_("%(count)s invitation(s) sent.", count=len(sent)), "success")
            if refused:
                flash(_("Not sent: %(list)s", list="; ".join(refused)), "error")
            if sent and not refused:
                return redirect(url_for("manage.invitations", slug=space.slug))
            if sent:
                status = 200
    pending = list(Invitation.select().where(
        (Invitation.space == space) & Invitation.accepted_at.is_null()
        & Invitation.revoked_at.is_null()).order_by(Invitation.created_at.desc()))
    return render_template("manage/invitations.html", space=space, form=form, pending=pending,
                           now=utcnow(), confirm=ConfirmForm()), status


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(slug, invitation_id):
    space = _space(slug, "space.invite")
    invitation = Invitation.get_or_none((Invitation.id == invitation_id)
                                        & (Invitation.space == space))
    if invitation is None or not ConfirmForm().validate_on_submit():
        abort(404)
    invitation.revoked_at = utcnow()
    invitation.save()
    audit.record(current_user, "space.invitation.revoke", target=f"email:{invitation.email}",
                 space=space)
    flash(_("Invitation withdrawn."), "success")
    return redirect(url_for("manage.invitations", slug=space.slug))


@bp.route("/requests")
@login_required
def requests(slug):
    space = _space(slug, "space.join_requests.review")
    pending = list(JoinRequest.select(JoinRequest, User).join(User)
                   .where((JoinRequest.space == space) & JoinRequest.decided_at.is_null())
                   .order_by(JoinRequest.created_at))
    return render_template("manage/requests.html", space=space, pending=pending,
                           confirm=ConfirmForm())


@bp.route("/requests/<int:request_id>", methods=["POST"])
@login_required
def decide(slug, request_id):
    space = _space(slug, "space.join_requests.review")
    join_request = JoinRequest.get_or_none((JoinRequest.id == request_id)
                                           & (JoinRequest.space == space)
                                           & JoinRequest.decided_at.is_null())
    if join_request is None or not ConfirmForm().validate_on_submit():
        abort(404)
    accept = request.form.get("decision") == "accept"
    decide_join_request(join_request, accept, actor=current_user)
    flash(_("Request accepted.") if accept else _("Request declined."), "success")
    return redirect(url_for("manage.requests", slug=space.slug))


def _refuse_roles_above_mine(space: Space, report) -> None:
    changing = [row.email for row in report.rows if row.status == "update"]
    current = {email: role for email, role in
               Membership.select(User.email, Membership.role).join(User)
               .where((Membership.space == space) & User.email.in_(changing)).tuples()} \
        if changing else {}
    for row in report.rows:
        if row.status == "error":
            continue
        if not _may_give(space, row.role) or not _may_give(space, current.get(row.email,
                                                                               "guest")):
            row.status = "error"
            row.message = _("You cannot give this role.")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_csv(slug):
    space = _space(slug, "space.members.manage")
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        raw = form.file.data.read(5 * 1024 * 1024 + 1)
        if len(raw) > 5 * 1024 * 1024:
            form.file.errors = list(form.file.errors) + [_("The file is larger than 5 MB.")]
        else:
            # Check first, and refuse rows that would give (or take) a role above the
            # importer's own: a CSV must not be a way round the members page's rule.
            max_role = None if current_user.is_admin else role_in(current_user, space)
            # Only a city admin learns whether an address has an account elsewhere.
            reveal = bool(current_user.is_admin)
            report = import_members(raw, space, dry_run=True, actor=current_user,
                                    max_role=max_role, reveal_accounts=reveal)
            _refuse_roles_above_mine(space, report)
            if report.ok and not form.dry_run.data:
                report = import_members(raw, space, dry_run=False, actor=current_user,
                                        max_role=max_role, reveal_accounts=reveal)
            if report.written:
                flash(_("Import done."), "success")
    failed = request.method == "POST" and (report is None or not report.ok)
    return render_template("manage/import.html", space=space, form=form,
                           report=report), 400 if failed else 200


@bp.route("/modules")
@login_required
def modules(slug):
    space = _space(slug, "space.modules.manage")
    reg = registry()
    rows = module_service.modules_of(space)
    plugins = [(info, rows.get(info.name)) for info in reg.ordered()]
    return render_template("manage/modules.html", space=space, plugins=plugins,
                           confirm=ConfirmForm())


@bp.route("/modules/<plugin>", methods=["POST"])
@login_required
def switch_module(slug, plugin):
    space = _space(slug, "space.modules.manage")
    if plugin not in registry().plugins or not ConfirmForm().validate_on_submit():
        abort(404)
    enable = request.form.get("enabled") == "1"
    cascade = request.form.get("cascade") == "1"
    try:
        changes = module_service.set_module(space, plugin, enable, actor=current_user,
                                            cascade=cascade)
    except module_service.ModuleError as exc:
        flash(exc.message, "error")
    else:
        if changes["enabled"]:
            flash(_("Enabled: %(list)s.", list=", ".join(changes["enabled"])), "success")
        if changes["disabled"]:
            flash(_("Disabled: %(list)s. Their content is kept.",
                    list=", ".join(changes["disabled"])), "success")
    return redirect(url_for("manage.modules", slug=space.slug))


@bp.route("/modules/<plugin>/settings", methods=["GET", "POST"])
@login_required
def module_settings(slug, plugin):
    space = _space(slug, "space.modules.manage")
    reg = registry()
    if plugin not in reg.plugins:
        abort(404)
    manifest = reg.manifest(plugin)
    schema = manifest.settings
    Form = settings_form.form_class(schema)
    current_values = module_service.settings_of(space, plugin)
    form = Form(data=settings_form.initial_data(schema, current_values)) \
        if request.method == "GET" else Form()
    if form.validate_on_submit():
        clean, ok = settings_form.collect(schema, form)
        if ok:
            try:
                module_service.set_module(space, plugin, module_service.is_enabled(space, plugin),
                                          clean, actor=current_user)
            except module_service.ModuleError as exc:
                flash(exc.message, "error")
            else:
                flash(_("Settings saved."), "success")
                return redirect(url_for("manage.modules", slug=space.slug))
    return render_template("manage/module_settings.html", space=space, form=form,
                           manifest=manifest, fields=list(schema.model_fields))


@bp.route("/grants", methods=["GET", "POST"])
@login_required
def grants(slug):
    space = _space(slug, "space.grants.manage")
    actions = sorted(registry().actions.values(), key=lambda a: a.name)
    visible_actions = [a for a in actions if a.name.split(".")[0] in
                       ({"space"} | module_service.enabled_plugins(space))]
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        before = {g_.action: g_.min_role for g_ in Grant.select().where(Grant.space == space)}
        after = {}
        with atomic():
            for action in visible_actions:
                chosen = request.form.get(action.name)
                if chosen not in grantable_roles(action):
                    continue
                Grant.delete().where((Grant.space == space)
                                     & (Grant.action == action.name)).execute()
                if chosen != action.min_role:
                    Grant.create(space=space, action=action.name, min_role=chosen)
                    after[action.name] = chosen
            audit.record(current_user, "space.grants", target=f"space:{space.slug}",
                         space=space, before=before, after=after)
        from .. import request_cache
        request_cache.forget("grants")
        flash(_("Permissions saved."), "success")
        return redirect(url_for("manage.grants", slug=space.slug))
    current = {a.name: min_role_for(a.name, space) for a in visible_actions}
    roles = {a.name: grantable_roles(a) for a in visible_actions}
    return render_template("manage/grants.html", space=space, actions=visible_actions,
                           current=current, roles=roles, confirm=ConfirmForm())
