"""A plain SVG map of the councils that have coordinates: no tiles, no script, no third party.

Points are placed on an equirectangular projection fitted to the councils' own bounding box;
each is a link with a title, and the page lists the same councils as text (the alternative)."""
from __future__ import annotations

import math

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 600, 400, 40


def svg_map(spaces, label: str | None = None):
    placed = [s for s in spaces if s.latitude is not None and s.longitude is not None]
    if not placed:
        return None
    lats = [s.latitude for s in placed]
    lons = [s.longitude for s in placed]
    cos = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * cos, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
    parts = []
    for s in placed:
        x = WIDTH / 2 if len(placed) == 1 else MARGIN + (s.longitude - min(lons)) * cos * scale
        y = HEIGHT / 2 if len(placed) == 1 else HEIGHT - MARGIN - (s.latitude - min(lats)) * scale
        parts.append(
            f'<a href="/vitrine/{escape(s.slug)}/"><title>{escape(s.name)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" class="showcase-point"/>'
            f'<text x="{x + 12:.1f}" y="{y + 5:.1f}">{escape(s.name)}</text></a>')
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="showcase-map" role="group" aria-labelledby="showcase-map-caption">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f6f8"/>{"".join(parts)}</svg>')
