"""Every hook a plugin may implement -- the one reference (``docs/plugins.md`` mirrors it).

A plugin is a module (or object) registered under its name through the entry-point group
``placette.plugins``; it implements hooks with ``@placette.hookimpl``.  Rules that hold for all:

* Collecting hooks return one value per plugin (``None`` is skipped); the kernel flattens lists.
* A rendering or collecting hook that raises is logged with the plugin's name and skipped: the page
  still renders.  A permission hook that raises denies.
* Per-space calls (``nav_items``, ``render_slot``, ``space_*``...) leave out plugins whose module is
  off in that space: disabled means gone.
* Everything a plugin owns carries its name as prefix: tables ``<name>_*``, blueprint ``<name>``,
  templates ``<name>/``, events ``<name>.*``, actions ``<name>.*``, CLI group ``<name>``.
"""
from __future__ import annotations

import pluggy

PROJECT = "placette"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -- lifecycle ------------------------------------------------------------------------------------

@hookspec(firstresult=True)
def register_manifest():
    """Return the plugin's :class:`placette.PluginManifest` (name, title, version, requires,
    settings schema, default-on...).  Called once per plugin at start-up."""


@hookspec
def startup(app):
    """The Flask app is built and every plugin registered: last chance to configure ``app``."""


@hookspec
def register_commands(cli):
    """Add a click group named after the plugin to the ``placette`` command line."""


# -- data -----------------------------------------------------------------------------------------

@hookspec
def register_models():
    """Return the plugin's peewee models (subclasses of ``placette.BaseModel``).

    Their tables must be named ``<plugin>_*``; they are created by the plugin's migrations
    (``migrations/`` next to the plugin module), never at import."""


@hookspec
def register_migrations():
    """Return the folder of the plugin's numbered migration scripts (default: ``migrations/``
    next to the module that holds the hooks)."""


# -- web ------------------------------------------------------------------------------------------

@hookspec
def register_blueprints():
    """Return Flask blueprints named after the plugin.  Use ``placette.space_blueprint(name)`` for
    pages under ``/s/<space>/<name>/``: it answers 404 where the space is not visible or the module
    is off, and sets ``g.space``."""


@hookspec
def nav_items(space, actor):
    """Return :class:`placette.NavItem` entries for a space's menu (only called where the
    module is on), or -- when ``space`` is ``None`` -- for the site-wide menu.  Return ``None``
    for a menu you add nothing to."""


@hookspec
def render_slot(slot, context):
    """Return HTML (``Markup``) for a named template slot, or ``None``.

    The default theme's slots: ``head``, ``dashboard.main``, ``dashboard.aside``, ``space.home``,
    ``space.aside``, ``space.footer``, ``home.public``, ``profile.sections``, ``manage.overview``,
    ``admin.overview`` (``docs/plugins.md`` lists them, checked by a test).  By convention a
    plugin's item page renders ``resource.footer`` and ``resource.attachments`` (context has
    ``resource``: the :class:`placette.Resource` row, or its key ``"plugin.kind:id"``); the kernel
    adds the "Report" link and moderation notices to ``resource.footer``.  Plugins may define
    their own slots for others."""


@hookspec
def register_assets():
    """Return ``{bundle_name: [paths]}`` of CSS/JS to add to the site bundles; bundle names are
    ``<plugin>/<bundle>``.  Paths are relative to the plugin's ``static/`` folder."""


# -- permissions ----------------------------------------------------------------------------------

@hookspec
def register_actions():
    """Return :class:`placette.Action` declarations (``<plugin>.<thing>.<verb>``) with the
    minimum role each needs by default; admins may adjust it per space."""


@hookspec
def permission_check(actor, action, target, space):
    """Return ``False`` to veto, ``True`` to grant beyond roles, ``None`` to abstain.

    Any ``False`` wins; an exception denies.  Visibility is always checked first: a ``True`` here
    never reveals what the actor may not see, nor grants an action nobody declared.

    A plugin vetoes being switched on or off in a space by answering ``False`` to the action
    ``space.modules.manage`` with ``target == {"plugin": <its name>, "enable": bool}`` (``space``
    is the space); the form, the API (409 ``vetoed``) and the CLI all report the refusal."""


@hookspec(firstresult=True)
def actor_from_request(request):
    """Return a user for a request carrying custom credentials (first answer wins)."""


# -- services -------------------------------------------------------------------------------------

@hookspec
def register_resource_kinds():
    """Return :class:`placette.ResourceKind` declarations: what the plugin stores that people see."""


@hookspec
def register_events():
    """Return :class:`placette.EventType` declarations (``<plugin>.<thing>.<happened>``, urgency)."""


@hookspec
def notification_channels():
    """Return :class:`placette.NotificationChannel` objects: ways of reaching people.

    The kernel declares ``inapp`` (the bell; modes immediate/off) and ``email`` (immediate,
    daily digest -- the default --, weekly digest, off).  A channel is named after its plugin
    (``sms``) or prefixed with it (``sms.whatsapp``) and sets ``label``, ``modes`` (a subset of
    ``immediate``, ``daily``, ``weekly``, ``off``) and ``default_mode``; people choose a mode per
    channel on their profile.  The kernel decides who is told and when -- the event's addressees
    who may see the thing at sending time, minus mutes; urgent events at once unless ``off``;
    digests once per period -- and records each delivery so nothing goes twice.  The channel
    only sends, one person at a time, in that person's language:

    * ``send(user, items, links)`` -- immediate sends; ``items`` are
      :class:`placette.NotificationItem` (translated label, title, absolute URL, one-click mute
      URLs), ``links`` a :class:`placette.NotificationLinks` (preferences, unsubscribe, home);
    * ``send_digest(user, items, links, kind)`` -- ``kind`` is ``daily`` or ``weekly``, called
      only if the channel offers that mode;
    * ``available_for(user)`` -- ``False`` hides the channel for that person (no phone...).

    Both send methods run inside the transaction that records the delivery: raise and it is
    rolled back and retried; return and it is never sent again.  Channels are collected and
    checked at start-up (a bad declaration stops the start, naming the plugin).  See
    ``placette.notifications.channels`` for a complete SMS example."""


@hookspec
def event_listeners():
    """Return ``{event_name: function(event)}``: act when an event (any plugin's) happens.

    This is how one plugin asks another to act without importing it: the sms plugin emits
    ``sms.reply.rsvp`` when a person answers a reminder by text, the agenda listens to it and
    records the answer.  Each listener runs in the task ``placette.events.listen``, after the
    emitting transaction committed, in its own transaction, with the event's
    row (``name``, ``space_id``, ``resource_id``, ``actor_id``, ``data``).  A listener that raises
    is rolled back, logged with its plugin's name and retried with the task; so listeners must be
    idempotent (the same event may be handed over twice).  Listening to an event its activated
    plugin does not declare stops the start, naming the plugin; events of a plugin that is not
    activated are left out."""


@hookspec
def register_tasks(queue):
    """Declare background and periodic tasks on the kernel's queue (``queue.task``,
    ``queue.periodic``).  Also called in ``placette worker`` for every activated plugin."""


@hookspec
def search_documents(resource):
    """Return extra searchable text for one of the plugin's resources (e.g. a PDF's content).

    Called by ``publish_resource`` (on the plugin that published ``resource`` only, a
    :class:`placette.Resource` row); publish again when the text changes.  The text is indexed
    with the title and summary and quoted in result snippets (the first 200,000 characters)."""


@hookspec
def resource_approved(resource, actor):
    """React when an animator approves a contribution that was held for review (pre-moderation):
    its state went from ``pending`` to ``visible``.  Called on the plugin that published
    ``resource`` only (a :class:`placette.Resource` row, already visible), inside the decision's
    transaction: events emitted here are dispatched once it commits.  What the plugin held back
    while the item was pending (telling followers, mentioned people) is done now.  An
    implementation that raises is logged and skipped; the approval stands."""


@hookspec
def showcase_items(space, actor):
    """Return the :class:`placette.ShowcaseOffer` items of ``space`` that an animator may put in
    the public window: only those ``actor`` may see, none where the plugin is off.  The showcase
    plugin lists them on its "pick an item" page; it copies an offer when it is picked (see
    :mod:`placette.showcase`), so build each offer as the public will read it."""


@hookspec
def showcase_item(resource, actor):
    """Return the :class:`placette.ShowcaseOffer` for one registry row (``resource``), or
    ``None`` when ``actor`` may not see it or it cannot be shown.  Called on the plugin that
    published ``resource`` only, when an item is picked by its id or republished."""


@hookspec
def export_user_data(user):
    """Return a JSON-serialisable dict of what the plugin keeps about ``user`` (RGPD export)."""


@hookspec
def erase_user_data(user):
    """Delete or anonymise what the plugin keeps about ``user`` before the account goes."""


@hookspec
def seed_demo(city):
    """Fill the demo city with the plugin's content; ``city`` is a :class:`placette.DemoCity`."""


# -- api ------------------------------------------------------------------------------------------

@hookspec
def register_api(api):
    """Add JSON endpoints with ``api.space_route(...)`` (under ``/api/v1/spaces/<slug>/<plugin>/``)
    or ``api.route(...)``; they appear in ``/api/openapi.json``."""
