"""Outgoing e-mail: ``.eml`` files in the instance outbox by default, SMTP in production.

Mails are composed in the request (in the recipient's language, with a text and an HTML part) and
delivered by a task, so a slow SMTP server never slows a page.  Every mail the kernel sends links
back to the site; the outbox makes the demo and the tests read exactly what a person would get.
"""
from __future__ import annotations

import email.policy
import email.utils
import os
import smtplib
import tempfile
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

from .config import InstanceConfig
from .oneline import one_line


def compose(config: InstanceConfig, to: str, subject: str, text: str, html: str | None = None,
            headers: dict[str, str] | None = None) -> EmailMessage:
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = config.mail.sender
    message["To"] = to
    # Subjects carry stored values (a meeting's title...): one line whatever they hold, or a
    # single line break would fail every delivery (and could add headers).
    message["Subject"] = one_line(subject)
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = email.utils.make_msgid(domain="placette.local")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    # After the content: set_content() drops every Content-* header set before it.
    for key, value in (headers or {}).items():
        message[key] = one_line(str(value))
    return message


class OutboxBackend:
    """Writes each message as ``<outbox>/<delivery time>-<id>.eml``, atomically (temp file +
    rename), so a reader never sees half a message and ``ls`` lists them in order."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def deliver(self, message: EmailMessage) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Delivery time to the microsecond: sorting the names gives the order of delivery.
        name = f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%f')}-" \
               f"{uuid.uuid4().hex[:12]}.eml"
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(message.as_bytes())
        target = self.directory / name
        os.replace(tmp, target)
        return target


class SmtpBackend:
    def __init__(self, config: InstanceConfig):
        self.mail = config.mail

    def deliver(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.mail.smtp_host, self.mail.smtp_port, timeout=30) as smtp:
            if self.mail.smtp_starttls:
                smtp.starttls()
            if self.mail.smtp_user:
                smtp.login(self.mail.smtp_user, self.mail.smtp_password)
            smtp.send_message(message)


def backend_for(config: InstanceConfig):
    if config.mail.backend == "smtp":
        return SmtpBackend(config)
    return OutboxBackend(config.path(config.mail.outbox_dir))


def send_mail(to: str, subject: str, text: str, html: str | None = None,
              headers: dict[str, str] | None = None) -> None:
    """Compose now, deliver through the queue (task ``placette.mail.deliver``)."""
    from .kernel import current
    from .tasks import enqueue
    message = compose(current().config, to, subject, text, html, headers)
    enqueue("placette.mail.deliver", message.as_bytes())


def deliver_raw(raw: bytes) -> None:
    """The task body: parse and hand to the configured backend."""
    import email as email_lib
    from .kernel import current
    message = email_lib.message_from_bytes(raw, _class=EmailMessage, policy=email.policy.SMTP)
    backend_for(current().config).deliver(message)


def send_templated(to: str, language: str, subject: str, template: str,
                   **context) -> None:
    """Render ``<template>.txt`` (and ``.html`` when it exists) in the recipient's language.

    ``subject`` is an English msgid, translated in that language with ``context`` as variables.
    Templates get ``base_url`` and ``link(path)`` to build absolute links back to the site.
    Works from a request, a CLI command or a task alike: outside a request, a request context on
    ``base_url`` is set up so that templates (and ``url_for``) behave the same.
    """
    import contextlib

    from flask import current_app, has_request_context, render_template
    from flask_babel import force_locale
    from jinja2 import TemplateNotFound

    from .i18n import gettext  # a space's name takes its French article (in_text)
    from .kernel import current
    config = current().config
    base_url = config.base_url.rstrip("/")
    language = language if language in config.languages else config.default_language
    context.setdefault("base_url", base_url)
    context.setdefault("city", config.city)
    context["link"] = lambda path: path if path.startswith("http") else base_url + path
    outside = (contextlib.nullcontext() if has_request_context()
               else current_app.test_request_context("/", base_url=base_url))
    with outside, force_locale(language):
        title = gettext(subject, **{k: v for k, v in context.items()
                                    if isinstance(v, (str, int, float))})
        text = render_template(f"{template}.txt", subject=title, locale=language, **context)
        try:
            html = render_template(f"{template}.html", subject=title, locale=language,
                                   **context)
        except TemplateNotFound:
            html = None
    send_mail(to, title, text, html, headers={"Content-Language": language})
