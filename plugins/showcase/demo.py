"""The demo city's window: a few items from several councils (results, minutes, meetings,
pages, documents), councils placed on the map, and one private group's text published on
purpose -- the only thing of that group the public sees.

Runs once every plugin has seeded (``after_plugins``): the items come from their offers."""
from __future__ import annotations

import placette

from . import service

# Around a city centre (Roubaix), a little apart: the map needs distinct points.
CENTRE = (50.690, 3.181)
PREFERRED = ("results", "minutes", "meeting", "opinion", "page", "document")


def seed(city) -> None:
    city.after_plugins(lambda: _seed(city))


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


def _place(space, index: int) -> None:
    lat = CENTRE[0] + 0.012 * ((index % 3) - 1)
    lon = CENTRE[1] + 0.018 * ((index // 3) - 1)
    (placette.Module.update(settings={"latitude": round(lat, 4), "longitude": round(lon, 4)})
     .where((placette.Module.space == space.id) & (placette.Module.plugin == "showcase"))
     .execute())


def _seed(city) -> dict[str, int]:
    shown = 0
    councils = [s for s in city.spaces_with("showcase")
                if s.kind in ("neighbourhood", "thematic") and s.visibility in ("public",
                                                                                 "network")]
    for index, space in enumerate(councils[:5]):
        animator = city.animators_of(space)[0]
        picked = _pick_some(space, animator, 3)
        if picked:
            _place(space, index)
        shown += picked
    group = city.spaces.get("avis-budget")
    if group is not None and placette.is_enabled(group, "showcase"):
        shown += _pick_some(group, city.animators_of(group)[0], 1,
                            categories=("opinion", "page", "document"),
                            introduction="Le groupe de rédaction publie ce texte pour que "
                                         "chacun puisse le lire avant le conseil.")
    return {"shown items": shown}
