"""Twilio's webhooks: ``POST /sms/twilio/inbound`` (a text received) and
``POST /sms/twilio/status`` (a delivery status).

Each request must carry ``X-Twilio-Signature``, Twilio's HMAC-SHA1 of the exact public URL and
the sorted POST parameters, keyed with the auth token (checked by twilio's own
``RequestValidator``, in constant time).  The URL is the one Twilio called: the site's
``base_url`` with the request's path, or -- behind a reverse proxy declared with ``[web]
proxies`` -- the scheme and host the proxy forwarded.  A missing or wrong signature is a 403 and
nothing is recorded; a body over 4 KB (Twilio's are under 2 KB) is a 413 before anything is
read; a MessageSid already handled is answered 200 and changes nothing.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, request

import placette

from . import inbound, sending

MAX_BODY = 4096
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _twiml() -> Response:
    return Response(EMPTY_TWIML, mimetype="text/xml")


def _candidate_urls() -> list[str]:
    base = placette.current_config().base_url.rstrip("/")
    path = request.full_path if request.query_string else request.path
    return list(dict.fromkeys([base + path, request.url]))


def _checked_form():
    """The POST parameters once size and signature are checked, else abort (413 / 403)."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        abort(413)
    request.max_content_length = MAX_BODY  # chunked bodies: werkzeug stops at the limit
    form = request.form
    signature = request.headers.get("X-Twilio-Signature", "")
    token = placette.current_config().sms.auth_token
    if not signature or not token:
        _forbidden()
    from twilio.request_validator import RequestValidator
    validator = RequestValidator(token)
    params = form.to_dict(flat=False)
    params = {k: (v[0] if len(v) == 1 else v) for k, v in params.items()}
    if not any(validator.validate(url, params, signature) for url in _candidate_urls()):
        _forbidden()
    return form


def _forbidden():
    """A plain 403: the site's handler would send an anonymous visitor to the sign-in page,
    and Twilio is no visitor."""
    abort(Response("invalid or missing X-Twilio-Signature\n", 403, mimetype="text/plain"))


def register(bp: Blueprint) -> None:
    @bp.route("/sms/twilio/inbound", methods=["POST"])
    def twilio_inbound():
        form = _checked_form()
        sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
        sender = (form.get("From") or "").strip()
        if not sid or len(sid) > 64 or not sender or len(sender) > 20:
            abort(400)
        inbound.handle(sid, sender, form.get("Body", "")[:1600],
                       (form.get("OptOutType") or "")[:16])
        return _twiml()

    @bp.route("/sms/twilio/status", methods=["POST"])
    def twilio_status():
        form = _checked_form()
        sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
        status = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip().lower()
        if not sid or not status or len(sid) > 64 or len(status) > 16:
            abort(400)
        error = (form.get("ErrorCode") or "").strip()[:16] or None
        sending.record_status(sid, status, error)
        return "", 204
