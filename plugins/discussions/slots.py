"""The comments under any item: the ``resource.footer`` slot.

Every plugin's item page renders ``resource.footer`` with the item's registry row; we answer with
its conversation and the form to join it.  The cost is the same whatever the thread's length:
one query for the comments (gated in SQL), one for the follow state.
"""
from __future__ import annotations

from urllib.parse import quote

import placette
from flask import render_template, url_for
from flask_wtf.csrf import generate_csrf

from . import service

_ = placette._


def _resource(value):
    if isinstance(value, placette.Resource):
        return value
    if isinstance(value, str) and ":" in value:
        try:
            plugin, kind, object_id = service.parse_key(value)
        except service.DiscussionError:
            return None
        return placette.lookup_resource(plugin, kind, object_id)
    return None


def comments_footer(context):
    resource = _resource(context.extra.get("resource"))
    if resource is None or resource.plugin == service.PLUGIN:
        return None
    space = resource.space
    if not placette.is_enabled(space, service.PLUGIN) or \
            not placette.settings_of(space, service.PLUGIN).comments:
        return None
    actor = context.actor
    if not service.may_see(actor, resource):
        return None
    return placette.Markup(render_thread(resource, actor))


def _page() -> int:
    from flask import has_request_context, request
    if not has_request_context():
        return 1
    try:
        return int(request.args.get("comments", "1"))
    except ValueError:
        return 1


def render_thread(resource, actor, **form) -> str:
    space = resource.space
    stances = service.stances_on(space)
    thread = service.thread_of(resource, actor, page=_page(), stances=stances)
    may_comment = placette.can(actor, "discussions.comment", space)
    moderator = service.may_moderate(actor, space)
    comments = _comments_html(thread.roots, actor, base=f"/s/{space.slug}/discussions/comments/",
                              may_comment=may_comment, moderator=moderator) \
        if thread.roots else None
    return render_template(
        "discussions/_thread.html", resource=resource, space=space, thread=thread,
        comments=comments, pager=_pager(resource, thread), may_comment=may_comment,
        moderator=moderator, stances=stances, sign_in=placette.sign_in_url(resource.url),
        following=service.is_following(actor, resource), actor=actor, form=form)


def _pager(resource, thread) -> list[tuple[int, str, placette.Markup]]:
    """The pager's links ``(number, address, "Page n")``: its label translated once, not once
    per page (a busy thread has twenty pages)."""
    if thread.pages <= 1:
        return []
    href = f"{resource.url}{'&' if '?' in resource.url else '?'}comments="
    label = placette.Markup(_("Page %(num)d"))  # as a template's _(): trusted markup
    return [(n, f"{href}{n}#discussions-{resource.id}", label % {"num": n})
            for n in range(1, thread.pages + 1)]


def _comments_html(roots, actor, *, base: str, may_comment: bool,
                   moderator: bool) -> placette.Markup:
    """The page's comments, nested (``<li>`` per comment, ``<ol>`` per level of replies).

    Written here rather than in a recursive Jinja loop: thirty comments of fifteen escaped
    values each were half of the thread's template time (every value, even a comment's id or a
    label already Markup, goes through ``escape`` and a new ``Markup``).  The markup is the
    one the template wrote, byte for byte; every text from a person or the database is escaped
    (a name, its labels, once per name), an id is a number, a body is the stored sanitised
    HTML, and the labels are translations -- trusted markup, as a template's ``_()`` treats
    them -- read once per page.
    """
    esc = placette.Markup.escape
    signed_in = actor.is_authenticated
    me = actor.id if signed_in else None
    base = str(esc(base))
    token = str(esc(generate_csrf())) if signed_in else ""
    t_reply, t_edit, t_your, t_remove, t_report, t_versions = (
        _("Reply"), _("Edit"), _("your comment"), _("Remove"), _("Report"), _("Earlier versions"))
    t_removed, t_edited, t_pending, t_text = (
        _("Comment removed"), _("edited"), _("Awaiting review"), _("Text (animators only)"))
    stance_label = {"for": _("For"), "against": _("Against")}
    t_neutral = _("Neutral")
    names: dict[str, tuple[str, str, str]] = {}   # name -> (name, to_label, by_label) escaped
    replying: dict[str, str] = {}
    report_base = None
    parts: list[str] = []
    out = parts.append

    def write(nodes, depth: int) -> None:
        nonlocal report_base
        for node in nodes:
            c = node.comment
            cid = c.id
            removed = c.removed
            pending = c.pending
            said = names.get(c.name)
            if said is None:
                said = names[c.name] = (str(esc(c.name)), str(esc(c.to_label)),
                                        str(esc(c.by_label)))
            out(f'<li class="discussions-comment depth-{depth}">\n'
                f'<article id="comment-{cid}" aria-labelledby="comment-{cid}-by">\n')
            if removed:
                out(f'  <p class="discussions-removed" id="comment-{cid}-by"><em>{t_removed}'
                    '</em></p>\n')
                if moderator:
                    out(f'<details><summary>{t_text}</summary>{esc(c.html)}</details>')
            else:
                out(f'  <header>\n    <p class="discussions-meta"><strong id="comment-{cid}-by">'
                    f'{said[0]}</strong>\n'
                    f'    · <time datetime="{esc(c.iso)}">{esc(c.when)}</time>\n')
                if c.edited_at:
                    out(f' · <span class="discussions-edited">{t_edited}</span>')
                if c.stance:
                    out(f' · <span class="discussions-stance stance-{esc(c.stance)}">'
                        f'{stance_label.get(c.stance, t_neutral)}</span>')
                if pending:
                    out(f' · <span class="badge">{t_pending}</span>')
                out('    </p>\n')
                if node.in_reply_to:
                    label = replying.get(node.in_reply_to_label)
                    if label is None:
                        label = replying[node.in_reply_to_label] = str(
                            esc(node.in_reply_to_label))
                    out(f'<p class="discussions-reply-to muted">{label}</p>')
                out(f'  </header>\n  <div class="discussions-body">{esc(c.html)}</div>\n')
            if signed_in:
                out('  <p class="discussions-actions">\n')
                if may_comment and not pending:
                    out(f'<a class="discussions-reply" href="{base}{cid}/reply">{t_reply}'
                        f'<span class="visually-hidden"> {said[1]}</span></a>')
                mine = c.author_id == me
                if not removed and mine:
                    out(f'    <a class="discussions-edit" href="{base}{cid}/edit">{t_edit}'
                        f'<span class="visually-hidden"> {t_your}</span></a>\n')
                if not removed and (moderator or mine):
                    out(f'    <form class="inline" method="post" action="{base}{cid}/remove">'
                        f'<input type="hidden" name="csrf_token" value="{token}">'
                        f'<button type="submit" class="link-button">{t_remove}'
                        f'<span class="visually-hidden"> {said[2]}</span></button></form>\n')
                if moderator and c.edited_at:
                    out(f'<a href="{base}{cid}/versions">{t_versions}</a>')
                if not removed and c.own_id and not mine and not moderator:
                    if report_base is None:
                        report_base = url_for("moderation.report_form", resource="KEY")
                    href = esc(report_base.replace("KEY", quote(c.own_key, safe="/")))
                    out(f'<a class="report-link" rel="nofollow" href="{href}">{t_report}'
                        f'<span class="visually-hidden"> {said[2]}</span></a>')
                out('  </p>\n')
            out('</article>\n')
            if node.children:
                out('<ol class="discussions-replies">\n')
                write(node.children, depth + 1)
                out('\n</ol>\n')
            out('</li>\n')

    write(roots, 0)
    return placette.Markup("".join(parts))
