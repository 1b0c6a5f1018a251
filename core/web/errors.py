"""Error pages: HTML for people, JSON under /api/.  Nothing ever shows a traceback."""
from __future__ import annotations

import logging

from flask import render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..api.errors import busy_response, error_response, from_http_exception, unavailable_response
from ..db import RETRY_AFTER_SECONDS, forget_connections, is_busy, is_unavailable
from ..i18n import N_, _
from .auth import safe_next, sign_in_url

log = logging.getLogger("placette.web")

MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please sign in to continue."),
    403: N_("You are not allowed to do this here."),
    404: N_("This page does not exist, or you cannot see it."),
    405: N_("This address does not accept this kind of request."),
    413: N_("What you sent is too large."),
    429: N_("Too many attempts: please wait a moment and try again."),
    500: N_("Something went wrong on our side. Nothing you entered is lost: go back and try again."),
    503: N_("The site is under maintenance. Please come back in a few minutes."),
}
UNAVAILABLE = N_("A part of the site does not answer for a moment. Nothing was changed: please "
                 "try again in a few seconds.")
BUSY = N_("The site is very busy at this moment and could not save this. Nothing was changed: "
          "please try again in a few seconds.")


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _sign_in_for_404(status: int) -> str | None:
    """A signed-out visitor may be the member a members-only page is for (a link in a mail):
    offer to sign in and come back to the address asked.  Only that address, which the visitor
    already has, is carried: the page still names nothing."""
    if status != 404 or current_user.is_authenticated or request.method != "GET":
        return None
    target = request.full_path.rstrip("?")
    if safe_next(target) != target:
        return None
    return sign_in_url(target)


def init(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        if _wants_json():
            return error_response(400, "csrf_failed", "missing or invalid CSRF token")
        return render_template("error.html", status=400, title=_("Please try again"),
                               message=_("The form had expired (it was open for too long or "
                                         "in another tab). Go back, reload it and send it "
                                         "again.")), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if _wants_json():
            return from_http_exception(exc)
        if status == 401 or (status == 403 and not current_user.is_authenticated):
            from flask import redirect, url_for
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        response = render_template("error.html", status=status,
                                   title=_("Error %(status)s", status=status),
                                   message=_(MESSAGES.get(status, MESSAGES[400])),
                                   sign_in_offer=_sign_in_for_404(status)), status
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        if is_busy(exc):
            return busy(exc)
        if is_unavailable(exc) or _queue_down(exc):
            return unavailable(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return error_response(500, "internal_error", "unexpected error; it has been logged")
        try:
            return render_template("error.html", status=500, title=_("Error %(status)s",
                                                                     status=500),
                                   message=_(MESSAGES[500])), 500
        except Exception:
            return "Internal error", 500


def _queue_down(exc: Exception) -> bool:
    from ..tasks import is_connection_error
    return is_connection_error(exc)


def unavailable(exc: Exception):
    """The database or the queue's Redis does not answer (restarting, failing over): 503 with
    ``Retry-After``, never a 500 -- and the pooled connections to the server that went away are
    dropped, so the site recovers by itself when it is back."""
    what = "the queue" if _queue_down(exc) else "the database"
    log.warning("%s unavailable on %s %s: %s", what, request.method, request.path,
                (str(exc).strip().splitlines() or [type(exc).__name__])[0])
    if what == "the database":
        forget_connections()
    if _wants_json():
        return unavailable_response(RETRY_AFTER_SECONDS, what)
    try:
        body = render_template("error.html", status=503, title=_("Error %(status)s", status=503),
                               message=_(UNAVAILABLE))
    except Exception:  # rendering reads the database too (the person, the theme): say it plainly
        body = "Unavailable: please try again in a few seconds."
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def busy(exc: Exception):
    """A write that waited its whole ``busy_timeout`` for the database lock: 503 with
    ``Retry-After`` (the transaction rolled back, so sending again is safe), never a 500."""
    log.warning("database busy on %s %s: %s", request.method, request.path, exc)
    if _wants_json():
        return busy_response(RETRY_AFTER_SECONDS)
    try:
        body = render_template("error.html", status=503, title=_("Error %(status)s", status=503),
                               message=_(BUSY))
    except Exception:  # rendering reads the database too; say it plainly
        body = "Busy: please try again in a few seconds."
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
