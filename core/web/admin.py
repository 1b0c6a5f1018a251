"""City administration: spaces, accounts, the audit log.  City admins only; others get 404."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import audit
from ..api.ids import page_number, parse_id
from ..i18n import _
from ..identity.accounts import reinstate, suspend
from ..kernel import config
from ..models import AuditEntry, Membership, Space, User
from ..spaces import SpaceError, create_space, slugify
from .forms import ConfirmForm, SpaceForm, SuspendForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.before_request
def only_city_admins():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.path))
    if not current_user.is_admin:
        abort(404)


def _page() -> int:
    return page_number(request.args.get("page"))


@bp.route("/")
def index():
    counts = {"spaces": Space.select().count(), "users": User.select().count(),
              "memberships": Membership.select().count()}
    recent = list(AuditEntry.select().order_by(AuditEntry.id.desc()).limit(10))
    return render_template("admin/index.html", counts=counts, recent=recent)


@bp.route("/spaces")
def spaces():
    page = _page()
    query = Space.select().order_by(Space.kind, Space.name)
    total = query.count()
    return render_template("admin/spaces.html", spaces=list(query.paginate(page, PER_PAGE)),
                           page=page, total=total, per_page=PER_PAGE)


@bp.route("/spaces/new", methods=["GET", "POST"])
def new_space():
    form = SpaceForm()
    form.kind.choices = [SelectChoice(k) for k in config().space_kinds]
    candidates = list(Space.select().where(Space.archived_at.is_null()).order_by(Space.name))
    form.parents.choices = [SelectChoice(s.id, s.name) for s in candidates]
    if request.method == "GET" and parse_id(request.args.get("parent")):
        form.parents.data = [parse_id(request.args["parent"])]
    if request.method == "POST" and not form.slug.data and form.name.data:
        form.slug.data = slugify(form.name.data)
    if form.validate_on_submit():
        try:
            space = create_space(form.slug.data, form.name.data, form.kind.data,
                                 form.visibility.data, form.description.data or "",
                                 parents=[s for s in candidates
                                          if s.id in set(form.parents.data or [])],
                                 allow_join_requests=bool(form.allow_join_requests.data),
                                 actor=current_user)
        except SpaceError as exc:
            target = getattr(form, exc.field or "name", form.name)
            target.errors = list(target.errors) + [exc.message]
        else:
            flash(_("%(name)s is created. Choose its modules and invite its members.",
                    name=space.name), "success")
            return redirect(url_for("manage.index", slug=space.slug))
    return render_template("admin/new_space.html", form=form)


@bp.route("/users")
def users():
    page = _page()
    q = (request.args.get("q") or "").strip()[:100]
    query = User.select().order_by(User.display_name)
    if q:
        query = query.where(User.email.contains(q.lower()) | User.display_name.contains(q))
    total = query.count()
    return render_template("admin/users.html", users=list(query.paginate(page, PER_PAGE)),
                           page=page, total=total, per_page=PER_PAGE, q=q,
                           suspend_form=SuspendForm(), confirm=ConfirmForm())


@bp.route("/users/<int:user_id>/suspend", methods=["POST"])
def suspend_user(user_id):
    user = User.get_or_none(User.id == user_id)
    form = SuspendForm()
    if user is None:
        abort(404)
    if user.id == current_user.id:
        flash(_("You cannot suspend yourself."), "error")
    elif form.validate_on_submit():
        suspend(user, form.reason.data)
        audit.record(current_user, "user.suspend", target=f"user:{user.email}",
                     after={"reason": form.reason.data})
        flash(_("%(name)s is suspended.", name=user.display_name), "success")
    else:
        flash(_("Give a reason."), "error")
    return redirect(url_for("admin.users", q=user.email))


@bp.route("/users/<int:user_id>/reinstate", methods=["POST"])
def reinstate_user(user_id):
    user = User.get_or_none(User.id == user_id)
    if user is None or not ConfirmForm().validate_on_submit():
        abort(404)
    reinstate(user)
    audit.record(current_user, "user.reinstate", target=f"user:{user.email}")
    flash(_("%(name)s can sign in again.", name=user.display_name), "success")
    return redirect(url_for("admin.users", q=user.email))


@bp.route("/audit")
def audit_log():
    page = _page()
    action = (request.args.get("action") or "").strip()[:100]
    query = AuditEntry.select().order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    total = query.count()
    return render_template("admin/audit.html", entries=list(query.paginate(page, PER_PAGE)),
                           page=page, total=total, per_page=PER_PAGE, action=action)
