"""A plain SVG map of the councils that have coordinates: no tiles, no script, no third party.

Points are placed on an equirectangular projection fitted to the councils' own bounding box.
Each is a numbered link (with a title) whose number is the council's rank in the list printed
under the map -- that list is the map's text alternative, and numbers never overlap the way
names of close councils would."""
from __future__ import annotations

import math

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 480, 320, 28


def svg_map(spaces):
    numbered = [(n, s) for n, s in enumerate(spaces, start=1)
                if s.latitude is not None and s.longitude is not None]
    if not numbered:
        return None
    lats = [s.latitude for _n, s in numbered]
    lons = [s.longitude for _n, s in numbered]
    lat0, lon0 = min(lats), min(lons)
    cos = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - lon0) * cos, 1e-6)
    span_y = max(max(lats) - lat0, 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
    alone = len(numbered) == 1
    parts = []
    # What every point shares is said once, on the group: the circles' fill and the numbers'
    # font (a hundred councils repeated it a hundred times, a fifth of the page).
    for number, s in numbered:
        x = WIDTH / 2 if alone else MARGIN + (s.longitude - lon0) * cos * scale
        y = HEIGHT / 2 if alone else HEIGHT - MARGIN - (s.latitude - lat0) * scale
        parts.append(
            f'<a href="/vitrine/{escape(s.slug)}/"><title>{number}. {escape(s.name)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="13" stroke="#fff" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{y + 5:.1f}" fill="#fff">{number}</text></a>')
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" style="max-width:100%;height:auto" '
        f'class="showcase-map" role="group" aria-labelledby="showcase-map-caption">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef1f5"/>'
        f'<g fill="#1d3f8f" text-anchor="middle" font-size="14" font-weight="bold">'
        f'{"".join(parts)}</g></svg>')


def council_list(spaces, counts: dict, on_map: str) -> Markup:
    """The items of the list under the map, numbered as the map's points are (an ``<ol>`` in
    the same order): each council's link, its number of shown items (``counts``, already
    translated) and, for the points on the map, ``on_map`` for screen readers."""
    hint = Markup(' <span class="visually-hidden">%s</span>') % on_map
    return Markup("".join(
        f'<li><a href="/vitrine/{escape(s.slug)}/">{escape(s.name)}</a> '
        f'({escape(counts[s.items])}){hint if s.latitude is not None else ""}</li>\n'
        for s in spaces))
