"""Where texts go: the outbox (default: stored, listed on the admin page) or Twilio.

A backend sends one text and answers a :class:`Sent`, or raises :class:`SendError` saying
whether trying again later may work (Twilio's 429 and 5xx) and Twilio's error code (21211: not
a valid number; 21610: the person replied STOP to the sender).  ``twilio`` is imported only when
its backend is used (it pulls aiohttp in).
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

import placette


_clients = threading.local()


@dataclass
class Sent:
    sid: str
    status: str  # "outbox", or Twilio's first status (queued, accepted...)


class SendError(Exception):
    def __init__(self, message: str, code: str | None = None, http_status: int | None = None):
        super().__init__(message)
        self.code, self.http_status = code, http_status

    @property
    def transient(self) -> bool:
        """Worth retrying later: rate limited, the provider down, or no answer at all."""
        return self.http_status is None or self.http_status == 429 or self.http_status >= 500


class OutboxBackend:
    """Nothing leaves: the log row is the outbox (admin page, ``GET .../sms/messages``)."""

    name = "outbox"

    def send(self, to: str, body: str, status_callback: str | None = None) -> Sent:
        return Sent(sid="OB" + secrets.token_hex(16), status="outbox")


class TwilioBackend:
    """Twilio's Messages API through its official client, pointed at ``[sms] api_base``."""

    name = "twilio"
    timeout = 15  # seconds: a hung provider must not hold a worker

    def __init__(self, config):
        self.config = config

    def client(self):
        """One client per worker thread and configuration: building one costs more than a
        call to the API, and a thread keeps its connection to Twilio open between texts."""
        key = (self.config.account_sid, self.config.auth_token, self.config.api_key,
               self.config.api_secret, self.config.api_base)
        cache = _clients.__dict__.setdefault("by_key", {})
        if key not in cache:
            cache[key] = self._new_client()
        return cache[key]

    def _new_client(self):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client
        cfg = self.config
        if cfg.api_key and cfg.api_secret:
            client = Client(cfg.api_key, cfg.api_secret, cfg.account_sid,
                            http_client=TwilioHttpClient(timeout=self.timeout))
        else:
            client = Client(cfg.account_sid, cfg.auth_token,
                            http_client=TwilioHttpClient(timeout=self.timeout))
        client.api.base_url = cfg.api_base.rstrip("/")
        return client

    def send(self, to: str, body: str, status_callback: str | None = None) -> Sent:
        from twilio.base.exceptions import TwilioException, TwilioRestException
        cfg = self.config
        params = {"to": to, "body": body}
        if cfg.messaging_service_sid:
            params["messaging_service_sid"] = cfg.messaging_service_sid
        else:
            params["from_"] = cfg.from_number
        if status_callback:
            params["status_callback"] = status_callback
        try:
            message = self.client().messages.create(**params)
        except TwilioRestException as exc:
            raise SendError(exc.msg or str(exc), code=str(exc.code) if exc.code else None,
                            http_status=exc.status) from None
        except (TwilioException, OSError) as exc:  # no answer: network, timeout
            raise SendError(str(exc)) from None
        return Sent(sid=message.sid, status=message.status or "queued")


def backend():
    config = placette.current_config().sms
    if config.backend == "twilio":
        return TwilioBackend(config)
    return OutboxBackend()
