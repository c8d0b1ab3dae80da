"""Charts drawn as SVG text in Python, for pages and PDFs alike (WeasyPrint renders SVG but runs no JS).

Only the radar chart for now: one axis per dimension, values as fractions of the maximum (0…1), the
first axis pointing up and the others clockwise. Pure string building, no dependency.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif'
COLOURS = ("#0d6efd", "#fd7e14", "#198754", "#6f42c1")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]  # one fraction 0…1 per axis; values outside are clamped
    colour: str = ""


@dataclass(frozen=True)
class Geometry:
    width: int = 560
    height: int = 420
    radius: float = 140
    rings: int = 4
    font_size: int = 11

    @property
    def centre(self) -> tuple[float, float]:
        return self.width / 2, self.height / 2 - (6 if self.height > 200 else 0)


def _angle(i: int, n: int) -> float:
    return -math.pi / 2 + 2 * math.pi * i / n


def radar_points(values: Sequence[float], geometry: Geometry = Geometry()) -> list[tuple[float, float]]:
    """The polygon's vertices: value 1 on an axis lies on the outer ring, 0 in the centre."""
    cx, cy = geometry.centre
    n = len(values)
    points = []
    for i, value in enumerate(values):
        fraction = min(1.0, max(0.0, float(value)))
        angle = _angle(i, n)
        points.append(
            (
                round(cx + geometry.radius * fraction * math.cos(angle), 2),
                round(cy + geometry.radius * fraction * math.sin(angle), 2),
            )
        )
    return points


def _polygon(points, **attrs) -> str:
    coords = " ".join(f"{x:g},{y:g}" for x, y in points)
    extra = " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{escape(str(value))}"' for key, value in attrs.items()
    )
    return f'<polygon points="{coords}" {extra}/>'


def _label(i: int, n: int, text: str, geometry: Geometry) -> str:
    cx, cy = geometry.centre
    angle = _angle(i, n)
    cos, sin = math.cos(angle), math.sin(angle)
    distance = geometry.radius + 10
    x, y = cx + distance * cos, cy + distance * sin
    anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
    # WeasyPrint ignores dominant-baseline, so the baseline is shifted by hand.
    y += geometry.font_size * (0.9 if sin > 0.3 else -0.2 if sin < -0.3 else 0.35)
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}" font-size="{geometry.font_size}" '
        f'fill="#212529">{escape(text)}</text>'
    )


def _legend(series: Sequence[Series], geometry: Geometry) -> str:
    y = geometry.height - 8
    parts, x = [], 10
    for s, colour in zip(series, _colours(series), strict=True):
        parts.append(f'<rect x="{x}" y="{y - 9}" width="12" height="9" fill="{colour}" fill-opacity="0.5"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" font-size="{geometry.font_size}">{escape(s.name)}</text>')
        x += 28 + geometry.font_size * len(s.name)
    return "".join(parts)


def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or COLOURS[i % len(COLOURS)] for i, s in enumerate(series)]


def radar_svg(
    labels: Sequence[str], series: Sequence[Series], *, title: str = "", geometry: Geometry = Geometry()
) -> str:
    """An `<svg>` radar chart: grid rings at 25 % steps (for 4 rings), spokes, labels, one polygon per series."""
    n = len(labels)
    if n < 3:
        raise ValueError("a radar chart needs at least three axes")
    for s in series:
        if len(s.values) != n:
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {n} axes")
    cx, cy = geometry.centre
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" viewBox="0 0 {geometry.width} '
        f'{geometry.height}" width="100%" role="img" aria-label="{escape(title)}" '
        f"font-family='{FONT}'>",
        f"<title>{escape(title)}</title>",
    ]
    for k in range(1, geometry.rings + 1):
        ring = radar_points([k / geometry.rings] * n, geometry)
        parts.append(_polygon(ring, fill="none", stroke="#ced4da", stroke_width="1", class_="radar-ring"))
    for x, y in radar_points([1] * n, geometry):
        parts.append(
            f'<line x1="{cx:g}" y1="{cy:g}" x2="{x:g}" y2="{y:g}" stroke="#dee2e6" stroke-width="1"/>'
        )
    for k in range(1, geometry.rings + 1):
        y = cy - geometry.radius * k / geometry.rings
        parts.append(
            f'<text x="{cx + 3:g}" y="{y - 2:.2f}" font-size="{geometry.font_size - 3}" fill="#6c757d">'
            f"{round(100 * k / geometry.rings)}%</text>"
        )
    for index, (s, colour) in enumerate(zip(series, _colours(series), strict=True)):
        points = radar_points(s.values, geometry)
        parts.append(
            _polygon(
                points,
                fill=colour,
                fill_opacity="0.25",
                stroke=colour,
                stroke_width="2",
                class_="radar-series",
                data_series=index,
            )
        )
        parts.extend(f'<circle cx="{x:g}" cy="{y:g}" r="2.5" fill="{colour}"/>' for x, y in points)
    parts.extend(_label(i, n, text, geometry) for i, text in enumerate(labels))
    if len(series) > 1:
        parts.append(_legend(series, geometry))
    parts.append("</svg>")
    return "".join(parts)
