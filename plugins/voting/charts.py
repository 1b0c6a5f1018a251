"""Results as SVG, drawn on the server (no JavaScript): bars for counts, stacked merit profiles
for grades.  The chart is an image with a title and a description; the same numbers are in the
table beside it, which is what screen readers are pointed to."""
from __future__ import annotations

from markupsafe import Markup, escape

import placette

WIDTH, ROW, LABEL = 640, 34, 200
# Best grade darkest; contrast of each against white text checked for WCAG AA (4.5:1).
GRADE_COLOURS = ("#0b5d1e", "#2e7d32", "#4a6b10", "#6d5a00", "#8a4b00", "#a23b12", "#b00020")


def results_svg(poll, results: dict, label: dict, scale: list[str]) -> Markup:
    rows = results["options"]
    height = ROW * len(rows) + 20
    title = placette._("Results of: %(title)s", title=poll.title)
    desc = placette._("The same numbers are in the table below.")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="voting-chart" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="chart-title '
             f'chart-desc"><title id="chart-title">{escape(title)}</title>'
             f'<desc id="chart-desc">{escape(desc)}</desc>']
    span = WIDTH - LABEL - 10
    if scale:
        for i, row in enumerate(rows):
            y = 10 + i * ROW
            parts.append(f'<text x="0" y="{y + 18}" font-size="13">'
                         f'{escape(_short(label[row["id"]]))}</text>')
            total = sum(row["grades"]) or 1
            x = float(LABEL)
            for grade, count in enumerate(row["grades"]):
                w = span * count / total
                if w > 0:
                    colour = GRADE_COLOURS[round(grade * (len(GRADE_COLOURS) - 1)
                                                 / max(len(scale) - 1, 1))]
                    parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="24" '
                                 f'fill="{colour}"><title>{escape(scale[grade])}: {count}'
                                 f'</title></rect>')
                x += w
            mid = LABEL + span / 2
            parts.append(f'<line x1="{mid:.1f}" x2="{mid:.1f}" y1="{y - 3}" y2="{y + 27}" '
                         f'stroke="#000" stroke-width="2"/>')
    else:
        top = max([row.get("count") or 0 for row in rows] + [1])
        for i, row in enumerate(rows):
            y = 10 + i * ROW
            w = span * (row.get("count") or 0) / top
            parts.append(f'<text x="0" y="{y + 18}" font-size="13">'
                         f'{escape(_short(label[row["id"]]))}</text>'
                         f'<rect x="{LABEL}" y="{y}" width="{w:.1f}" height="24" '
                         f'fill="#1d4f91"/><text x="{LABEL + w + 4:.1f}" y="{y + 18}" '
                         f'font-size="13">{row.get("count") or 0}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
