"""placette -- the public facade.  Plugins import from here, and only from here.

Everything listed in ``__all__`` is the stable plugin API (``PLUGIN_API`` in
:mod:`placette.version`); anything else inside the package may change between releases.

A minimal plugin::

    import placette
    from placette import hookimpl

    @hookimpl
    def register_manifest():
        return placette.PluginManifest(name="budget", title="Participatory budget")
"""
from __future__ import annotations

from markupsafe import Markup

from .declarations import (Action, EventType, NavItem, NoSettings, PluginManifest,
                           PluralLabel, ResourceKind, SettingsSchema, SlotContext, plural_label)
from .db import BaseModel, after_commit, atomic, database, utcnow
from .errors import ConfigError, PlacetteError, PluginError
from .hookspecs import hookimpl
from .i18n import _, current_locale, format_date, format_datetime, lazy_gettext, ngettext
from .markup import plain_text, render_markdown
from .models.fields import JsonField
from .version import PLUGIN_API, __version__


def __getattr__(name: str):
    """Load the heavier parts on first use, so ``import placette`` stays cheap for plugins."""
    lazy = {
        # permissions
        "can": ("permissions", "can"), "require": ("permissions", "require"),
        "visible": ("permissions", "visible"), "can_read": ("permissions", "can_read"),
        "visible_spaces": ("permissions", "visible_spaces"),
        "has_role": ("permissions", "has_role"),
        # one-line text (titles, names, places): forms, API bodies, mail subjects
        "OneLine": ("oneline", "OneLine"), "OneLineStr": ("oneline", "OneLineStr"),
        "one_line": ("oneline", "one_line"),
        "visibility_clause": ("permissions", "visibility_clause"),
        "ITEM_VISIBILITIES": ("permissions", "ITEM_VISIBILITIES"),
        # reading levels, so plugins count "narrower than the space" as the kernel does
        "SPACE_LEVELS": ("permissions", "SPACE_LEVELS"),
        "ITEM_LEVELS": ("permissions", "ITEM_LEVELS"),
        "required_level": ("permissions", "required_level"),
        "role_in": ("roles", "role_in"), "roles_of": ("roles", "roles_of"),
        # kernel models plugins may reference (foreign keys, joins)
        "User": ("models", "User"), "Space": ("models", "Space"),
        "Membership": ("models", "Membership"), "Resource": ("models", "Resource"),
        # Module: (space, plugin, enabled) rows, so a city-wide list can keep, in SQL, only the
        # spaces where a plugin is on ("disabled means gone") without a query per space.
        "Module": ("models", "Module"),
        # modules and settings
        "is_enabled": ("modules", "is_enabled"), "settings_of": ("modules", "settings_of"),
        "enabled_plugins": ("modules", "enabled_plugins"),
        "set_module": ("modules", "set_module"),
        # web
        "space_blueprint": ("web.guards", "space_blueprint"),
        "readable_space_or_404": ("web.guards", "readable_space_or_404"),
        "sign_in_url": ("web.auth", "sign_in_url"),
        "safe_next": ("web.guards", "safe_next"),
        "render_slot": ("web.rendering", "render_slot"),
        # services
        "enqueue": ("tasks", "enqueue"), "emit": ("events", "emit"), "send_mail": ("mail", "send_mail"),
        "send_templated": ("mail", "send_templated"),
        "publish_resource": ("resources", "publish"),
        "withdraw_resource": ("resources", "withdraw"),
        "record_audit": ("audit", "record"),
        # notifications: a plugin adds a channel (SMS...) by subclassing NotificationChannel
        "NotificationChannel": ("notifications.channels", "NotificationChannel"),
        "NotificationItem": ("notifications.channels", "NotificationItem"),
        "NotificationLinks": ("notifications.channels", "NotificationLinks"),
        "lookup_resource": ("resources", "lookup"),
        # item mutes ("Stop news of this item" in mails), for plugins keeping a follow state
        "muted_by": ("notifications.mutes", "muted_by"),
        "is_muted": ("notifications.mutes", "is_muted"),
        "unmute": ("notifications.mutes", "unmute"),
        "declared_kind": ("resources", "declared_kind"),
        # moderation: keep hidden/pending items out of sight (see placette.moderation.visibility)
        "moderation_state": ("moderation.visibility", "moderation_state"),
        "exclude_moderated": ("moderation.visibility", "exclude_moderated"),
        "moderation_clause": ("moderation.visibility", "moderation_clause"),
        "held_back": ("moderation.visibility", "held_back"),
        "space_settings": ("space_settings", "space_settings"),
        "active_memberships": ("spaces", "active_memberships"),
        "slugify": ("spaces", "slugify"),
        # a space's name for a translated sentence: "Agenda du Conseil ..." in French
        "in_text": ("articles", "in_text"),
        # hot queries: SQL written once per viewer and shape (see placette.prepared)
        "prepared": ("query_memo", "prepared"), "viewer_key": ("query_memo", "viewer_key"),
        "PreparedQueryError": ("query_memo", "PreparedQueryError"),
        "ApiError": ("api.errors", "ApiError"),
        # ids: the range the database holds (1 ... 2^63-1), for API bodies and text input
        "Id": ("api.ids", "Id"), "MAX_ID": ("api.ids", "MAX_ID"),
        "parse_id": ("api.ids", "parse_id"), "page_number": ("api.ids", "page_number"),
        "current_config": ("kernel", "config"),
        "DemoCity": ("demo.city", "DemoCity"),
        # the public window: what a plugin offers through showcase_items / showcase_item
        "ShowcaseOffer": ("showcase", "ShowcaseOffer"), "ShowcaseFile": ("showcase", "ShowcaseFile"),
        "SHOWCASE_CATEGORIES": ("showcase", "SHOWCASE_CATEGORIES"),
        "SHOWCASE_DATASETS": ("showcase", "SHOWCASE_DATASETS"),
        "showcase_offers": ("showcase", "showcase_offers"),
        "showcase_offer": ("showcase", "showcase_offer"),
        "showcase_files_ready": ("showcase", "showcase_files_ready"),
        "create_app": ("app", "create_app"),
    }
    if name in lazy:
        import importlib
        module_name, attribute = lazy[name]
        value = getattr(importlib.import_module(f"placette.{module_name}"), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'placette' has no attribute {name!r}")


__all__ = [
    "Action", "EventType", "NavItem", "NoSettings", "PluginManifest", "PluralLabel",
    "plural_label", "ResourceKind", "SettingsSchema", "SlotContext", "BaseModel", "JsonField",
    "after_commit", "atomic",
    "database", "utcnow", "ConfigError", "PlacetteError", "PluginError", "hookimpl", "_",
    "format_date", "format_datetime", "current_locale", "lazy_gettext", "ngettext", "plain_text",
    "render_markdown", "Markup", "PLUGIN_API", "__version__",
    "can", "require", "visible", "visible_spaces", "has_role", "can_read", "visibility_clause",
    "ITEM_VISIBILITIES", "SPACE_LEVELS", "ITEM_LEVELS", "required_level",
    "role_in", "roles_of", "User", "Space", "Membership", "Resource", "Module", "is_enabled",
    "settings_of", "enabled_plugins", "set_module", "space_blueprint", "readable_space_or_404",
    "safe_next",
    "render_slot", "enqueue", "emit", "send_mail", "send_templated", "publish_resource",
    "withdraw_resource", "record_audit", "lookup_resource", "declared_kind", "moderation_state",
    "exclude_moderated", "moderation_clause", "held_back", "space_settings", "active_memberships", "ApiError",
    "current_config", "create_app", "DemoCity", "NotificationChannel", "NotificationItem",
    "NotificationLinks", "slugify", "prepared", "viewer_key", "PreparedQueryError",
    "Id", "MAX_ID", "parse_id", "page_number", "sign_in_url",
    "OneLine", "OneLineStr", "one_line", "in_text",
    "ShowcaseOffer", "ShowcaseFile", "SHOWCASE_CATEGORIES", "SHOWCASE_DATASETS",
    "showcase_offers", "showcase_offer", "showcase_files_ready", "muted_by", "is_muted", "unmute",
]
