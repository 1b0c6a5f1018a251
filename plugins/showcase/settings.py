"""The showcase's settings: per space (where the council sits on the map), and per instance
(``[plugin.showcase]`` in placette.toml: the open-data licence, who may frame the embed)."""
from __future__ import annotations

import placette
from pydantic import BaseModel, ConfigDict, Field

_l = placette.lazy_gettext

ETALAB_NAME = "Licence Ouverte / Open Licence version 2.0"
ETALAB_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


class ShowcaseSettings(placette.SettingsSchema):
    latitude: float | None = Field(
        None, ge=-90, le=90, title=_l("Latitude of the council (optional)"),
        description=_l("With the longitude, places the council on the map of the public window."))
    longitude: float | None = Field(
        None, ge=-180, le=180, title=_l("Longitude of the council (optional)"))


class InstanceSettings(BaseModel):
    """``[plugin.showcase]`` in placette.toml (all optional).

    ``frame_ancestors``: the origins allowed to frame ``/vitrine/embed/<space>`` (the city's
    main website), written into that route's Content-Security-Policy; the rest of the site
    stays unframeable.  ``stats_flush_seconds``: how long view counts wait in memory before
    they are written (a write empties the anonymous page cache, so not at every view).
    """

    model_config = ConfigDict(extra="forbid")

    licence_name: str = ETALAB_NAME
    licence_url: str = ETALAB_URL
    frame_ancestors: list[str] = Field(default_factory=list)
    stats_flush_seconds: float = Field(60.0, ge=0)


def instance_settings() -> InstanceSettings:
    return InstanceSettings.model_validate(placette.current_config().settings_for("showcase"))
