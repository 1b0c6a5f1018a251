"""The sms JSON API (in the OpenAPI document).

* ``PUT /api/v1/me/phone`` ``{"phone"}`` -- record one's number (unverified) and text a code;
* ``POST /api/v1/me/phone/verify`` ``{"code"}`` -- confirm it (texts then switched on);
* ``GET /api/v1/spaces/<slug>/sms/messages`` -- the space's log, for its animators (404 for
  anyone else, as for what they may not see).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

import placette
from flask import request
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from . import phones, service


class PhoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(min_length=1, max_length=32,
                       description="a mobile number, national (06 12 34 56 78) or E.164")


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=12, description="the 6 digits received")


class PhoneOut(BaseModel):
    phone: str = Field(description="E.164")
    verified: bool
    stopped: bool
    texts_wanted: bool


class MessageOut(BaseModel):
    id: int
    created_at: dt.datetime
    sent_at: dt.datetime | None
    user_id: int | None
    kind: Literal["notification", "verification", "help", "reply"]
    event: str
    body: str | None = Field(description="null once erased (retention); codes are masked")
    encoding: Literal["GSM-7", "UCS-2"]
    segments: int
    status: str
    error_code: str | None


class MessagesOut(BaseModel):
    messages: list[MessageOut]
    total: int
    page: int
    used_this_month: int
    monthly_budget: int


def _phone_out(phone, user) -> dict:
    return {"phone": phone.number, "verified": phone.verified_at is not None,
            "stopped": phone.stopped_at is not None, "texts_wanted": service.consents(user)}


def _error(exc: phones.PhoneError):
    return placette.ApiError(exc.status, exc.code, exc.message)


def register(api):
    @api.route("/me/phone", methods=["PUT"], plugin="sms", body=PhoneIn, response=PhoneOut,
               status=202, auth="required", tags=["sms"],
               statuses={410: "code expired", 429: "too many codes asked for"},
               summary="Record my mobile number and text me a confirmation code")
    def put_phone(body: PhoneIn):
        try:
            phone = service.ask_code(current_user, body.phone)
        except phones.PhoneError as exc:
            raise _error(exc) from None
        return _phone_out(phone, current_user), 202

    @api.route("/me/phone/verify", methods=["POST"], plugin="sms", body=CodeIn,
               response=PhoneOut, auth="required", tags=["sms"],
               statuses={410: "the code expired", 429: "too many wrong codes"},
               summary="Confirm my number with the code received by text")
    def verify_phone(body: CodeIn):
        try:
            phone = service.confirm(current_user, body.code)
        except phones.PhoneError as exc:
            raise _error(exc) from None
        return _phone_out(phone, current_user)

    @api.space_route("sms", "/messages", response=MessagesOut, auth="required",
                     query={"page": "page number, 50 texts a page"},
                     summary="The texts of a space, newest first (animators)")
    def list_messages(space):
        if not placette.can(current_user, "sms.log.view", space):
            raise placette.ApiError(404, "not_found", "not found")
        from . import sending
        page = placette.page_number(request.args.get("page"))
        rows, total = service.messages_of_space(space, page, 50)
        return {"messages": [{
            "id": m.id, "created_at": m.created_at, "sent_at": m.sent_at,
            "user_id": m.user_id, "kind": m.kind, "event": m.event,
            "body": service.masked_body(m), "encoding": m.encoding, "segments": m.segments,
            "status": m.status, "error_code": m.error_code} for m in rows],
            "total": total, "page": page, "used_this_month": sending.used_this_month(space.id),
            "monthly_budget": placette.settings_of(space, "sms").monthly_budget}
