"""Phone numbers and their verification.

Numbers are parsed with ``phonenumbers`` (Google's libphonenumber data) in the city's region
(``[sms] default_region``, FR: ``06 12 34 56 78`` is ``+33612345678``) and kept only when they
are valid mobile numbers: premium-rate, short, shared-cost and fixed lines are refused, so a
verification form cannot be turned into an SMS-pumping machine.

A code is 6 digits, valid 10 minutes, for 5 tries; it is stored as an HMAC keyed with the
instance's secret.  Sending codes is rate limited in the database -- per person and per number,
whatever the process or the address asking -- which is what stops pumping on a number.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import phonenumbers
import placette
from phonenumbers import NumberParseException, PhoneNumberType

from .models import Code, Phone

CODE_MINUTES = 10
CODE_TRIES = 5
CODES_PER_PERSON = (3, dt.timedelta(hours=1))  # at most 3 codes an hour to one person
CODES_PER_NUMBER = (5, dt.timedelta(days=1))  # and 5 a day to one number, whoever asks
MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


class PhoneError(placette.PlacetteError):
    """Refused input; ``code`` is the API's error code, ``status`` its HTTP status."""

    def __init__(self, code: str, message: str, status: int = 422):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def region() -> str:
    return placette.current_config().sms.default_region.upper()


def normalise(raw: str, default_region: str | None = None) -> str:
    """E.164 form of a typed mobile number, or :class:`PhoneError`."""
    text = (raw or "").strip()
    if not text or len(text) > 32:
        raise PhoneError("invalid_phone", placette._("Enter a mobile phone number, "
                                                     "e.g. 06 12 34 56 78."))
    try:
        number = phonenumbers.parse(text, default_region or region())
    except NumberParseException:
        raise PhoneError("invalid_phone", placette._("This is not a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError("invalid_phone", placette._("This is not a valid phone number."))
    if phonenumbers.number_type(number) not in MOBILE:
        raise PhoneError("not_mobile", placette._(
            "Texts go to mobile numbers only (not premium-rate, short or landline numbers)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(number: str | None) -> str:
    """``+33612345678`` as people write it in the city's region (``06 12 34 56 78``)."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, None)
    except NumberParseException:
        return number
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL
           if phonenumbers.region_code_for_number(parsed) == region()
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(parsed, fmt)


def _hash(code: str) -> str:
    key = placette.current_config().secret_key.encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def phone_of(user) -> Phone | None:
    return Phone.get_or_none(Phone.user == user.id)


def set_number(user, raw: str) -> tuple[Phone, str]:
    """Record ``raw`` (normalised) as the person's number, unverified, and make a code for it.

    Returns the phone and the code in clear (to be sent by text, never shown or stored).
    Rate limits raise ``PhoneError(..., status=429)``; a number another person verified is
    refused without saying whose it is."""
    number = normalise(raw)
    now = placette.utcnow()
    window, per_person = CODES_PER_PERSON[1], CODES_PER_PERSON[0]
    if Code.select().where((Code.user == user.id)
                           & (Code.created_at > now - window)).count() >= per_person:
        raise PhoneError("rate_limited", placette._(
            "Too many codes asked for; try again in an hour."), status=429)
    if Code.select().where((Code.number == number) & (Code.created_at > now - CODES_PER_NUMBER[1])
                           ).count() >= CODES_PER_NUMBER[0]:
        raise PhoneError("rate_limited", placette._(
            "Too many codes were sent to this number today; try again tomorrow."), status=429)
    taken = Phone.select().where((Phone.number == number) & (Phone.user != user.id)
                                 & Phone.verified_at.is_null(False)).exists()
    if taken:
        raise PhoneError("phone_taken", placette._(
            "This number is already confirmed on another account."), status=409)
    phone = phone_of(user)
    if phone is None:
        phone = Phone.create(user=user.id, number=number, created_at=now, updated_at=now)
    elif phone.number != number or phone.verified_at is None:
        phone.number, phone.verified_at, phone.updated_at = number, None, now
        phone.save()
    code = f"{secrets.randbelow(10 ** 6):06d}"
    Code.update(used_at=now).where((Code.user == user.id) & Code.used_at.is_null()).execute()
    Code.create(user=user.id, number=number, code_hash=_hash(code), created_at=now,
                expires_at=now + dt.timedelta(minutes=CODE_MINUTES))
    return phone, code


def verify(user, typed: str) -> Phone:
    """Confirm the person's number with the code they typed, or :class:`PhoneError`.

    The newest unused code counts; each wrong try uses one of its 5; a used or expired code
    is refused as such."""
    phone = phone_of(user)
    if phone is None:
        raise PhoneError("no_phone", placette._("Enter your number first."), status=409)
    now = placette.utcnow()
    code = (Code.select().where((Code.user == user.id) & (Code.number == phone.number))
            .order_by(Code.created_at.desc(), Code.id.desc()).first())
    typed = "".join((typed or "").split())
    if code is None or code.used_at is not None:
        raise PhoneError("code_used", placette._(
            "This code was already used or replaced; ask for a new one."), status=409)
    if code.expires_at <= now:
        raise PhoneError("code_expired", placette._("This code has expired; ask for a new one."),
                         status=410)
    if code.tries >= CODE_TRIES:
        raise PhoneError("too_many_tries", placette._(
            "Too many wrong codes; ask for a new one."), status=429)
    if not (len(typed) == 6 and typed.isdigit()
            and hmac.compare_digest(code.code_hash, _hash(typed))):
        Code.update(tries=Code.tries + 1).where(Code.id == code.id).execute()
        left = CODE_TRIES - code.tries - 1
        raise PhoneError("wrong_code", placette.ngettext(
            "Wrong code; %(num)d try left.", "Wrong code; %(num)d tries left.", left),
            status=422)
    Code.update(used_at=now).where(Code.id == code.id).execute()
    phone.verified_at, phone.stopped_at, phone.updated_at = now, None, now
    phone.save()
    return phone


def remove(user) -> None:
    Phone.delete().where(Phone.user == user.id).execute()
    Code.delete().where(Code.user == user.id).execute()
