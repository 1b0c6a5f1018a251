"""Signing in and out: e-mailed single-use links (default, nothing to remember), passwords,
password resets, and accepting invitations.

No page tells whether an address has an account (the same answer either way); attempts are rate
limited per client address and per e-mail address.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..articles import in_text
from ..i18n import N_, _
from ..identity import invitations, links
from ..identity.sessions import close_session, session_key
from ..identity.accounts import (AccountError, find_by_email, has_control_characters,
                                 set_password, verify_password)
from ..kernel import config
from ..mail import send_templated
from .forms import (AcceptInvitationForm, ConfirmForm, EmailForm, NewPasswordForm,
                    PasswordSignInForm)
from .limits import limit, posted_email, sign_in_limit

bp = Blueprint("auth", __name__)

LINK_ERRORS = {
    "invalid_link": N_("This link is not valid. Ask for a new one below."),
    "used_link": N_("This link has already been used. Ask for a new one below."),
    "expired_link": N_("This link has expired (links last %(minutes)s minutes). Ask for a new one "
                    "below."),
    "invalid_invitation": N_("This invitation is not valid."),
    "revoked_invitation": N_("This invitation was withdrawn, or replaced by a newer one: use the "
                          "most recent e-mail, or ask the person who invited you."),
    "used_invitation": N_("This invitation has already been accepted: sign in below."),
    "ended_invitation": N_("The guest access offered by this invitation has already ended. Ask the "
                        "person who invited you for a new one."),
    "suspended": N_("This account is suspended."),
    "expired_invitation": N_("This invitation has expired. Ask the person who invited you for a "
                          "new one."),
}


def safe_next(target: str | None) -> str:
    """Only same-site paths: a crafted link must not bounce people to another site."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and len(target) <= 500 and not has_control_characters(target)):
        return target
    return url_for("dashboard.home")


def sign_in_url(next: str | None = None) -> str:  # noqa: A002 -- the query parameter's name
    """The sign-in page's address, bringing the visitor back to ``next`` once signed in (default:
    the page being shown, query string included).  The facade's ``placette.sign_in_url`` and the
    templates' ``sign_in_url()``: plugins link to it without knowing the kernel's endpoint
    names.  Only a same-site path is kept (else the dashboard), as on the sign-in page itself."""
    target = next if next is not None else request.full_path.rstrip("?")
    return url_for("auth.sign_in", next=safe_next(target))


def _link_status(code: str) -> int:
    """410 Gone for a link that existed (used, expired), 404 for one that never did."""
    return 410 if code in ("used_link", "expired_link") else 404


def _link_error(code: str) -> str:
    return _(LINK_ERRORS.get(code, LINK_ERRORS["invalid_link"]),
             minutes=config().login_link_minutes)


@bp.route("/login")
@bp.route("/connexion")
def sign_in_alias():
    """The addresses people type by habit lead to the sign-in page (keeping ``next``), instead
    of a 404 on the first visit -- the seed's users found entering the site hard enough."""
    next_url = request.args.get("next")
    return redirect(url_for("auth.sign_in", next=safe_next(next_url) if next_url else None),
                    code=301)


@bp.route("/auth/sign-in", methods=["GET", "POST"])
@limit(sign_in_limit, methods=["POST"])
@limit("5 per hour", key_func=posted_email, methods=["POST"])
def sign_in():
    form = EmailForm(next=request.args.get("next", ""))
    password_form = PasswordSignInForm(next=request.args.get("next", ""), prefix="pw")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        if user is not None and not user.is_suspended:
            secret = links.create_link(user, "sign_in", config().login_link_minutes,
                                       next_url=safe_next(form.next.data))
            send_templated(user.email, user.language, "Your sign-in link for %(city)s",
                           "mail/sign_in_link", user=user, url=f"/auth/link/{secret}",
                           minutes=config().login_link_minutes)
        return render_template("auth/link_sent.html", email=form.email.data)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/sign_in.html", form=form, password_form=password_form), status


def _suspended_page(user):
    return render_template("auth/link_invalid.html", title=_("Account suspended"),
                           message=_("This account is suspended."),
                           reason=user.suspended_reason, suspended=True), 403


@bp.route("/auth/password", methods=["POST"])
@limit(sign_in_limit)
@limit("10 per hour", key_func=lambda: "pw:" + (request.form.get("pw-email") or "")
               .strip().lower())
def password_sign_in():
    form = EmailForm(prefix="x")
    password_form = PasswordSignInForm(prefix="pw")
    if password_form.validate_on_submit():
        user = find_by_email(password_form.email.data)
        if verify_password(user, password_form.password.data):
            # Only someone who knows the password learns that the account is suspended.
            if user.is_suspended:
                return _suspended_page(user)
            login_user(user, remember=True)
            return redirect(safe_next(password_form.next.data))
        password_form.password.errors.append(_("Wrong e-mail address or password."))
    return render_template("auth/sign_in.html", form=form, password_form=password_form,
                           show_password=True), 400


@bp.route("/auth/link/<secret>", methods=["GET", "POST"])
@limit(sign_in_limit, methods=["POST"])
def use_link(secret):
    form = ConfirmForm()
    try:
        link = links.peek(secret, "sign_in")
    except AccountError as exc:
        return render_template("auth/link_invalid.html", message=_link_error(exc.code)), \
            _link_status(exc.code)
    if form.validate_on_submit():
        try:
            link = links.consume(secret, "sign_in")
        except AccountError as exc:
            return render_template("auth/link_invalid.html", message=_link_error(exc.code)), 410
        user = link.user
        if user.is_suspended:
            return _suspended_page(user)
        login_user(user, remember=True)
        return redirect(safe_next(link.next_url))
    return render_template("auth/link_confirm.html", form=form, user=link.user)


@bp.route("/auth/sign-out", methods=["POST"])
def sign_out():
    form = ConfirmForm()
    if form.validate_on_submit():
        # End the session on the server too: a copy of this cookie must open nothing.
        close_session(session_key(session.get("_user_id")))
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("dashboard.home"))


@bp.route("/auth/reset", methods=["GET", "POST"])
@limit(sign_in_limit, methods=["POST"])
@limit("5 per hour", key_func=posted_email, methods=["POST"])
def reset_request():
    form = EmailForm()
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        if user is not None and not user.is_suspended:
            secret = links.create_link(user, "reset", 60)
            send_templated(user.email, user.language, "Choose a new password for %(city)s",
                           "mail/password_reset", user=user, url=f"/auth/reset/{secret}")
        return render_template("auth/link_sent.html", email=form.email.data, reset=True)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/auth/reset/<secret>", methods=["GET", "POST"])
def reset_password(secret):
    form = NewPasswordForm()
    try:
        link = links.peek(secret, "reset")
    except AccountError as exc:
        return render_template("auth/link_invalid.html", message=_link_error(exc.code)), \
            _link_status(exc.code)
    if form.validate_on_submit():
        if link.user.is_suspended:
            return _suspended_page(link.user)
        try:
            link = links.consume(secret, "reset")
            set_password(link.user, form.password.data)
        except AccountError as exc:
            return render_template("auth/link_invalid.html", message=_link_error(exc.code)), 410
        login_user(link.user, remember=True)
        flash(_("Your password is changed. Other sessions are signed out."), "success")
        return redirect(url_for("dashboard.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form, user=link.user), status


@bp.route("/invitations/<secret>", methods=["GET", "POST"])
@limit(sign_in_limit, methods=["POST"])
def accept_invitation(secret):
    try:
        invitation = invitations.peek(secret)
    except AccountError as exc:
        return render_template("auth/link_invalid.html", message=_link_error(exc.code),
                               invitation=True), 410 if exc.code != "invalid_invitation" else 404
    existing = find_by_email(invitation.email)
    if existing is not None and existing.is_suspended:
        return _suspended_page(existing)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        if existing is None and not (form.display_name.data or "").strip():
            form.display_name.errors.append(_("Please give the name others will see."))
        else:
            try:
                user = invitations.accept(secret, form.display_name.data or "",
                                          form.password.data or "",
                                          language=str(request.accept_languages.best_match(
                                              config().languages, config().default_language)))
            except AccountError as exc:
                return render_template("auth/link_invalid.html", message=_link_error(exc.code),
                                       invitation=True), 410
            if current_user.is_authenticated and current_user.id != user.id:
                logout_user()
            login_user(user, remember=True)
            flash(_("Welcome to %(space)s!", space=in_text(invitation.space)), "success")
            return redirect(url_for("dashboard.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/invitation.html", form=form, invitation=invitation,
                           existing=existing), status
