"""Small inline SVG graphics for the annex: trend sparklines and status smileys. Generated in
Python so the report is one self-contained HTML file (no JavaScript, nothing fetched)."""

from __future__ import annotations

import math
from html import escape

from exports.labels import format_number_da

GREEN, YELLOW, RED, GREY = "#3a9d23", "#f2c500", "#d64541", "#b0b0b0"


def sparkline(points: list[tuple[str, float]], target: float | None = None, decimals: int = 1,
              width: int = 140, height: int = 36) -> str:
    """A trend line over periods (oldest first); a dashed line marks the target if one is set."""
    values = [v for _, v in points if v is not None and not math.isnan(v)]
    if len(values) < 2:
        # '.' (no figure), as in the tables: a dash would read as a zero
        return '<span class="no-trend" title="For få perioder med tal til en udvikling">.</span>'
    low = min(values + ([target] if target is not None else []))
    high = max(values + ([target] if target is not None else []))
    span = (high - low) or 1.0
    pad = 3

    def y(v: float) -> float:
        return round(height - pad - (v - low) / span * (height - 2 * pad), 1)

    step = (width - 2 * pad) / (len(points) - 1)
    coords = [(round(pad + i * step, 1), y(v)) for i, (_, v) in enumerate(points) if v is not None]
    line = " ".join(f"{x},{yy}" for x, yy in coords)
    first, last = points[0][0], points[-1][0]
    title = escape(f"Udvikling {first}–{last}: {format_number_da(values[0], decimals)} → "
                   f"{format_number_da(values[-1], decimals)}")
    parts = [f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{title}"><title>{title}</title>']
    if target is not None:
        parts.append(f'<line x1="{pad}" x2="{width - pad}" y1="{y(target)}" y2="{y(target)}" '
                     'stroke="#888" stroke-dasharray="3,2" stroke-width="1"/>')
    parts.append(f'<polyline points="{line}" fill="none" stroke="#1f5f99" stroke-width="1.6"/>')
    lx, ly = coords[-1]
    parts.append(f'<circle cx="{lx}" cy="{ly}" r="2.6" fill="#1f5f99"/></svg>')
    return "".join(parts)


def smiley(status: str | None) -> str:
    """Green smiley: the target is met; yellow: work goes on to meet it; red: the plan's period has
    ended without meeting it; grey: cannot be assessed."""
    if status == "opfyldt":
        color, mouth, label = GREEN, "M7 13 Q11 17 15 13", "Grøn smiley: målet er nået"
    elif status == "ikke opfyldt endnu":
        color, mouth, label = YELLOW, "M7 14 L15 14", "Gul smiley: der arbejdes fortsat på at nå målet"
    elif status == "ikke opfyldt":
        color, mouth, label = RED, "M7 15 Q11 11 15 15", "Rød smiley: målet blev ikke nået i planens periode"
    else:
        color, mouth, label = GREY, "", "Kan ikke vurderes"
    face = (f'<circle cx="11" cy="11" r="10" fill="{color}" stroke="#444" stroke-width="0.8"/>'
            '<circle cx="7.5" cy="8.5" r="1.3" fill="#222"/><circle cx="14.5" cy="8.5" r="1.3" fill="#222"/>')
    if mouth:
        face += f'<path d="{mouth}" stroke="#222" stroke-width="1.4" fill="none" stroke-linecap="round"/>'
    else:
        face += '<text x="11" y="16" font-size="8" text-anchor="middle" fill="#222">?</text>'
    return f'<svg class="smiley" width="22" height="22" viewBox="0 0 22 22" role="img" aria-label="{label}">' \
           f'<title>{label}</title>{face}</svg>'
