"""The kernel's two channels: the in-app bell and e-mail.

E-mails are few and useful: a daily digest by default, immediate only for what is urgent (or for
people who ask), each one in the recipient's language with a plain-text and an HTML part,
absolute links back to the site, one-click mute links, a ``Content-Language`` header (like the
kernel's other mails) and a ``List-Unsubscribe`` header (RFC 2369 and RFC 8058 one-click) so mail
programs can offer "unsubscribe" themselves.
"""
from __future__ import annotations

from itertools import groupby

from flask import render_template
from flask_babel import get_locale, gettext, ngettext

from ..i18n import lazy_gettext as _l
from ..kernel import config
from ..mail import backend_for, compose
from .channels import MODES, NotificationChannel, NotificationItem, NotificationLinks


class InAppChannel(NotificationChannel):
    """The bell and the notifications page.  The kernel writes the inbox itself at fan-out, so
    there is nothing to push: the mode only says whether the bell shows (``off`` hides it).
    A digest of a bell would only delay what is already waiting there, so it is not offered."""

    name = "inapp"
    label = _l("On the site (the notification bell)")
    modes = ("immediate", "off")
    default_mode = "immediate"
    pushes = False


class EmailChannel(NotificationChannel):
    name = "email"
    label = _l("E-mail")
    modes = MODES
    default_mode = "daily"

    def available_for(self, user) -> bool:
        return bool(getattr(user, "email", None))

    def _deliver(self, user, subject: str, template: str, links: NotificationLinks,
                 **context) -> None:
        cfg = config()
        context.update(user=user, links=links, city=cfg.city,
                       base_url=cfg.base_url.rstrip("/"), subject=subject)
        language = str(get_locale() or cfg.default_language)  # the reader's, forced by the caller
        context.setdefault("locale", language)
        text = render_template(f"{template}.txt", **context)
        html = render_template(f"{template}.html", **context)
        message = compose(cfg, user.email, subject, text, html, headers={
            "Content-Language": language,
            "List-Unsubscribe": f"<{links.unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        })
        # Headers up to 998 characters (RFC 5322): folding a long one-click URL would turn it
        # into RFC 2047 encoded words that mail programs do not decode in List-Unsubscribe.
        message.policy = message.policy.clone(max_line_length=998)
        backend_for(cfg).deliver(message)

    def send(self, user, items: list[NotificationItem], links: NotificationLinks) -> None:
        for item in items:
            subject = gettext("%(label)s: %(title)s", label=item.label, title=item.title)
            if item.urgent:
                subject = gettext("[Urgent] %(subject)s", subject=subject)
            self._deliver(user, subject, "mail/notification", links, item=item)

    def send_digest(self, user, items: list[NotificationItem], links: NotificationLinks,
                    kind: str) -> None:
        count = sum(item.count for item in items)  # news, not lines: "12 new items"
        if kind == "weekly":
            subject = ngettext("Your week in %(city)s: %(num)s new item",
                               "Your week in %(city)s: %(num)s new items", count,
                               city=config().city)
        else:
            subject = ngettext("Your day in %(city)s: %(num)s new item",
                               "Your day in %(city)s: %(num)s new items", count,
                               city=config().city)
        ordered = sorted(items, key=lambda i: (i.space_name.lower(), i.created_at))
        groups = [(space, list(group)) for space, group in
                  groupby(ordered, key=lambda i: (i.space_name, i.space_url, i.mute_space_url))]
        self._deliver(user, subject, "mail/digest", links, groups=groups, kind=kind,
                      count=count)
