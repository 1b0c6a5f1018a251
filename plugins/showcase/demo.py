"""The demo city's window: a few items from several councils (results, minutes, meetings,
photo galleries, pages, documents), councils placed on the map, and one private group's text published on
purpose -- the only thing of that group the public sees.  The window is switched off in the
spaces that show nothing.

Runs once every plugin has seeded (``after_plugins``): the items come from their offers."""
from __future__ import annotations

import placette

from . import service

# Around a city centre (Roubaix), a little apart: the map needs distinct points.
CENTRE = (50.690, 3.181)
PREFERRED = ("results", "minutes", "meeting", "gallery", "opinion", "page", "document")


def seed(city) -> None:
    city.after_plugins(lambda: _in_city_language(city))


def _in_city_language(city):
    """Offers are frozen in the language they are built in: the city's, as an animator of a
    French city would pick them (the seed runs outside any request)."""
    from flask_babel import force_locale
    with force_locale(placette.current_config().default_language):
        return _seed(city)


def _pick_some(space, animator, count: int, categories=PREFERRED, introduction="") -> int:
    offers = placette.showcase_offers(space, animator)
    offers.sort(key=lambda o: (categories.index(o.category) if o.category in categories
                               else len(categories)))
    done = 0
    for offer in offers:
        if done >= count or offer.category not in categories:
            break
        key = service.resource_key(offer.resource)
        try:
            service.pick(space, animator, key, introduction)
        except service.ShowcaseError:
            continue
        done += 1
    return done


def _switch_on(space, index: int | None) -> None:
    """Councils are placed on the map."""
    settings = None
    if index is not None:
        settings = {"latitude": round(CENTRE[0] + 0.012 * ((index % 3) - 1), 4),
                    "longitude": round(CENTRE[1] + 0.018 * ((index // 3) - 1), 4)}
    placette.set_module(space, "showcase", True, settings)


def _seed(city) -> dict[str, int]:
    shown = 0
    councils = [s for s in city.spaces.values()
                if s.kind in ("neighbourhood", "thematic") and s.visibility in ("public",
                                                                                 "network")]
    placed = 0
    for space in councils:
        if placed >= 5:
            break
        animator = city.animators_of(space)[0]
        if not placette.showcase_offers(space, animator):
            continue
        _switch_on(space, placed)
        shown += _pick_some(space, animator, 4)
        placed += 1
    group = city.spaces.get("avis-budget")
    if group is not None:
        _switch_on(group, None)
        shown += _pick_some(group, city.animators_of(group)[0], 1,
                            categories=("opinion", "page", "document"),
                            introduction="Le groupe de rédaction publie ce texte pour que "
                                         "chacun puisse le lire avant le conseil.")
    # The demo leaves the window on only where it shows something (as a city would see it
    # once its councils have chosen), so every space's modules have content.
    from .models import Item
    showing = {i.space_id for i in Item.select(Item.space).where(Item.state == "shown")}
    for space in city.spaces.values():
        if space.id not in showing and placette.is_enabled(space, "showcase"):
            placette.set_module(space, "showcase", False)
    return {"shown items": shown}
