"""The rules of the plugin, in one place for the pages, the API and the demo.

* a page's address (its ``slug``) is 1 to 80 lower-case letters, digits and hyphens, unique in its
  space; left empty, it is made from the title (``Mentions légales`` -> ``mentions-legales``,
  numbered when taken);
* a title is required (200 characters at most), the Markdown text is at most ``BODY_MAX``
  characters;
* a page is as visible as its space, or narrower -- never wider, and never narrower than what its
  writer may read themselves;
* every change keeps the resource registry in step (search, moderation, activity) in the same
  transaction, and is audited; publishing emits ``pages.page.published``, and a change that the
  writer chose to announce ``pages.page.updated``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import placette
from peewee import JOIN, SQL, Cast, IntegrityError, fn

from .models import Page

PLUGIN = "pages"
KIND = "page"
SLUG_MAX = 80
TITLE_MAX = 200
BODY_MAX = 100_000
POSITION_MAX = 9999
FOOTER_MAX = 12  # links in the site's footer
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"new"})  # /s/<space>/pages/new is the form


@dataclass
class PageError(Exception):
    """A refused change; ``code`` is stable (API), ``field`` names the form field at fault."""

    code: str
    message: str
    field: str | None = None
    status: int = 422


# -- addresses ----------------------------------------------------------------------------------

def slugify(text: str) -> str:
    """``"Déclaration d'accessibilité"`` -> ``"declaration-d-accessibilite"`` (may be empty)."""
    return placette.slugify(text, max_length=SLUG_MAX, fallback="")


def slug_problem(slug: str) -> str | None:
    """Why a typed address is refused, or ``None``."""
    if len(slug) > SLUG_MAX:
        return placette._("The address is too long: %(max)s characters at most.", max=SLUG_MAX)
    if not SLUG_RE.match(slug):
        return placette._("The address may only hold lower-case letters without accents, "
                          "digits and hyphens (for example: charte-de-la-participation).")
    if slug in RESERVED_SLUGS:
        return placette._("This address is reserved: choose another one.")
    return None


def _taken(space, slug: str, other_than: int | None = None) -> bool:
    query = Page.select(Page.id).where((Page.space == space.id) & (Page.slug == slug))
    if other_than is not None:
        query = query.where(Page.id != other_than)
    return query.exists()


def _free_slug(space, base: str, other_than: int | None = None) -> str:
    """``base``, or ``base-2``, ``base-3``... : the first one free in the space."""
    base = base if base and base not in RESERVED_SLUGS else (f"{base}-page" if base else "page")
    candidate, number = base, 1
    while _taken(space, candidate, other_than):
        number += 1
        suffix = f"-{number}"
        candidate = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate


# -- visibility ---------------------------------------------------------------------------------

def _level(space, visibility: str | None) -> int:
    """The reading level a page needs, counted by the kernel (placette.required_level)."""
    return placette.required_level(space, visibility)


def normalise_visibility(space, visibility: str | None) -> str | None:
    """``None`` when the page is exactly as wide as its space (it then follows the space)."""
    if visibility in (None, "", "space"):
        return None
    if _level(space, visibility) <= _level(space, None):
        return None
    return visibility


def visibility_values(actor, space) -> list[str | None]:
    """What the actor may give a page: the space's own (``None``), or narrower levels that they
    may still read themselves -- one value per level."""
    found: list[str | None] = [None]
    seen = {_level(space, None)}
    for value in placette.ITEM_VISIBILITIES:
        level = _level(space, value)
        if level in seen or not placette.can_read(actor, space, value):
            continue
        seen.add(level)
        found.append(value)
    return found


# -- reading ------------------------------------------------------------------------------------

# Alias objects made once: peewee builds a class for each aliased column on first use and
# caches it on the alias object, so a new alias per query paid that on every request.
_UPDATER = placette.User.alias("updater")
_CITY = placette.Space.alias("pages_city")
_MODERATED = placette.Resource.alias("pages_moderated")


def _with_updater(query):
    Updater = _UPDATER
    return (query.select_extend(Updater)
            .join_from(Page, Updater, JOIN.LEFT_OUTER, on=(Page.updated_by == Updater.id)))


def pages_of(space, actor) -> list[Page]:
    """The pages of a space the actor may see, in order, with who last changed each: one query
    whatever their number (visibility and moderation are SQL conditions)."""
    query = _with_updater(Page.select(Page).where(Page.space == space.id))
    query = placette.visible(query, actor)
    query = placette.exclude_moderated(query, actor, PLUGIN, KIND)
    pages = list(query.order_by(Page.position, Page.title, Page.id))
    for page in pages:
        page.space = space  # can() on a page reads its space: no query per page
    return pages


def any_visible(space, actor) -> bool:
    """Has the space at least one page the actor may see?  (The menu entry; one query.)"""
    def build(_viewer, space_id):
        query = placette.visible(Page.select(Page.id).where(Page.space == space_id), actor)
        return placette.exclude_moderated(query, actor, PLUGIN, KIND).limit(1)

    # In the menu of every page of the space: written once per viewer and space.
    return placette.prepared("pages.any_visible", build,
                             placette.viewer_key(actor, moderation=True),
                             space.id).scalar() is not None


def page_in(space, slug: str) -> Page | None:
    """A page of this space by its address, with who last changed it (another space's page of
    the same address is not found).  Visibility is the caller's to check, with ``can``."""
    if not slug or len(slug) > SLUG_MAX:
        return None
    page = placette.prepared("pages.page_in", lambda space_id, slug: _with_updater(
        Page.select(Page)).where((Page.space == space_id) & (Page.slug == slug)).limit(1),
        space.id, slug).first()
    if page is not None:
        page.space = space
    return page


def viewable(space, slug: str, actor) -> tuple[Page | None, Any]:
    """``(page, moderation state)`` when the actor may see the page, else ``(None, None)``:
    narrower than what they may read, or hidden or pending in moderation, it does not exist."""
    page = page_in(space, slug)
    if page is None or not placette.can(actor, "view", page):
        return None, None
    moderation = placette.moderation_state(PLUGIN, KIND, page.id)
    if not moderation.visible_to(actor):
        return None, None
    return page, moderation


def footer_links(actor, limit: int = FOOTER_MAX) -> list[dict[str, str]]:
    """The city's pages the actor may see, for the footer of every page, in ONE query.

    The city space is the first space of kind ``city`` (by id), found by a sub-query; the plugin
    must be on there (``disabled means gone``), the page readable by the actor (the kernel's
    ``visibility_clause``) and visible in moderation -- a hidden or pending page is left out of
    the footer for everyone (its author and the animators still find it in the space's list).
    Signed-in people's roles come from the kernel's per-request memo, read once per request
    whatever asks for them.
    """
    def build(_viewer, limit):
        return _footer_query(actor, limit)

    # On every page of the site: the SQL is written once per viewer (placette.prepared).
    return placette.prepared("pages.footer", build, placette.viewer_key(actor),
                             limit).dicts()


def _footer_query(actor, limit: int):
    Space, Module, Resource = placette.Space, placette.Module, placette.Resource
    City = _CITY
    first_city = Space.select(fn.MIN(Space.id)).where(Space.kind == "city")
    module_on = (Module.select(SQL("1"))
                 .where((Module.space == City.id) & (Module.plugin == PLUGIN)
                        & (Module.enabled == True)))
    registry = _MODERATED
    held = (registry.select(SQL("1"))
            .where((registry.plugin == PLUGIN) & (registry.kind == KIND)
                   & (registry.object_id == Cast(Page.id, "VARCHAR"))
                   & placette.held_back(registry)))
    readable = placette.visibility_clause(actor, City.id, City.visibility, Page.visibility,
                                          archived=City.archived_at)
    query = (Page.select(Page.slug, Page.title, City.slug.alias("space_slug"))
             .join(City, on=(Page.space == City.id))
             .where((Page.space == first_city) & fn.EXISTS(module_on) & ~fn.EXISTS(held)
                    & readable)
             .order_by(Page.position, Page.title, Page.id)
             .limit(limit))
    return query


# -- writing ------------------------------------------------------------------------------------

def page_path(page: Page, space_slug: str) -> str:
    return f"/s/{space_slug}/pages/{page.slug}"


def publish(page: Page, space):
    """Keep the page's entry in the resource registry (search, moderation, activity) in step.

    No summary: the search hook gives the whole text, and a summary cut from its beginning
    would only be repeated in the passage a search result quotes."""
    return placette.publish_resource(
        PLUGIN, KIND, page.id, space=space, title=page.title, url=page_path(page, space.slug),
        author=page.author_id, visibility=page.visibility)


def check(space, actor, data: dict[str, Any], page: Page | None = None
          ) -> tuple[dict[str, Any], list[PageError]]:
    """The validated values and every refusal at once (a form shows each next to its field).

    Messages are in the reader's language."""
    problems: list[PageError] = []
    title = " ".join((data.get("title") or "").split())
    if not title:
        problems.append(PageError("title_required", placette._("Give the page a title."),
                                  "title"))
    elif len(title) > TITLE_MAX:
        problems.append(PageError("title_too_long", placette._(
            "The title is too long: %(max)s characters at most.", max=TITLE_MAX), "title"))
    elif _control_characters(title):
        problems.append(PageError("control_characters", placette._(
            "Remove the invisible control characters."), "title"))
    body = (data.get("body") or "").replace("\r\n", "\n").replace("\r", "\n")
    if len(body) > BODY_MAX:
        problems.append(PageError("body_too_long", placette._(
            "The text is too long: %(max)s characters at most (it has %(length)s).",
            max=_number(BODY_MAX), length=_number(len(body))), "body"))
    elif _control_characters(body.replace("\n", "").replace("\t", "")):
        problems.append(PageError("control_characters", placette._(
            "Remove the invisible control characters."), "body"))
    position = data.get("position")
    position = 0 if position in (None, "") else position
    if not isinstance(position, int) or isinstance(position, bool) \
            or not 0 <= position <= POSITION_MAX:
        problems.append(PageError("invalid_position", placette._(
            "The position is a whole number from 0 to %(max)s.", max=POSITION_MAX),
            "position"))
        position = 0
    visibility = data.get("visibility")
    visibility = None if visibility in (None, "", "space") else visibility
    if visibility not in visibility_values(actor, space):
        problems.append(PageError("invalid_visibility", placette._(
            "Choose who can see the page among the options offered."), "visibility"))
    typed = (data.get("slug") or "").strip()
    own_id = page.id if page is not None else None
    slug = typed
    if typed:
        problem = slug_problem(typed)
        if problem:
            problems.append(PageError("invalid_slug", problem, "slug"))
        elif _taken(space, typed, own_id):
            problems.append(_slug_taken_error())
    elif page is not None:
        slug = page.slug  # emptied on a change: the page keeps its address
    elif title:
        slug = _free_slug(space, slugify(title))
    values = {"title": title, "body": body, "position": position,
              "visibility": normalise_visibility(space, visibility), "slug": slug}
    return values, problems


def _clean(space, actor, data: dict[str, Any], page: Page | None) -> dict[str, Any]:
    values, problems = check(space, actor, data, page)
    if problems:
        raise problems[0]
    return values


def _control_characters(text: str) -> bool:
    """Invisible characters no keyboard types (escape, NUL...): refused, as in the kernel's
    forms."""
    return any(unicodedata.category(char) == "Cc" for char in text)


def _number(value: int) -> str:
    """100000 -> "100 000" (a narrow no-break space groups thousands, in French and English
    pages alike: readable, and never split across lines)."""
    return f"{value:,}".replace(",", "\u202f")


def _slug_taken_error() -> PageError:
    return PageError("slug_taken", placette._(
        "Another page of this space already has this address: choose another one."), "slug")


def _may_edit(actor, target) -> None:
    if not placette.can(actor, "pages.page.edit", target):
        raise PageError("forbidden", "you may not write pages here", status=403)


def _event(name: str, page: Page, space, resource, actor) -> None:
    placette.emit(f"pages.page.{name}", space=space, resource=resource, actor=actor,
                  data={"page": page.id, "title": page.title, "slug": page.slug})


def create_page(space, actor, data: dict[str, Any], notify: bool = True) -> Page:
    """Write a new page; ``notify=False`` records no event (demo seeding)."""
    _may_edit(actor, space)
    values = _clean(space, actor, data, None)
    now = placette.utcnow()
    author = getattr(actor, "id", None)
    try:
        with placette.atomic():
            page = Page.create(space=space.id, author=author, updated_by=author, created_at=now,
                               updated_at=now, **values)
            page.space = space
            resource = publish(page, space)
            placette.record_audit(actor, "pages.page.create", target=f"pages.page:{page.id}",
                                  space=space, after=_audited(page))
            if notify:
                _event("published", page, space, resource, actor)
    except IntegrityError:  # the same address saved a moment ago by someone else
        raise _slug_taken_error() from None
    return page


def update_page(page: Page, actor, data: dict[str, Any], notify: bool = False) -> Page:
    """Change a page; ``notify=True`` tells the space's members (a change that matters)."""
    space = page.space
    _may_edit(actor, page)
    merged = {"title": page.title, "body": page.body, "position": page.position,
              "visibility": page.visibility, "slug": page.slug, **data}
    values = _clean(space, actor, merged, page)
    before = _audited(page)
    changed = {name for name, value in values.items() if getattr(page, name) != value}
    if not changed:
        return page
    try:
        with placette.atomic():
            for name, value in values.items():
                setattr(page, name, value)
            page.updated_at = placette.utcnow()
            page.updated_by = getattr(actor, "id", None)
            page.save()
            page.space = space
            resource = publish(page, space)
            placette.record_audit(actor, "pages.page.update", target=f"pages.page:{page.id}",
                                  space=space, before=before, after=_audited(page))
            if notify and changed & {"title", "body"}:
                _event("updated", page, space, resource, actor)
    except IntegrityError:
        raise _slug_taken_error() from None
    return page


def delete_page(page: Page, actor) -> None:
    if not placette.can(actor, "pages.page.delete", page):
        raise PageError("forbidden", "you may not delete this page", status=403)
    space = page.space
    with placette.atomic():
        placette.withdraw_resource(PLUGIN, KIND, page.id)
        placette.record_audit(actor, "pages.page.delete", target=f"pages.page:{page.id}",
                              space=space, before=_audited(page))
        page.delete_instance()


def _audited(page: Page) -> dict[str, Any]:
    """What the audit log keeps of a version: not the text itself, its length."""
    return {"slug": page.slug, "title": page.title, "visibility": page.visibility,
            "position": page.position, "body_length": len(page.body or "")}
