"""A simplified map of the six countries: hand-traced outlines, drawn as inline SVG.

Outlines are rough (a dozen points each, degrees of longitude/latitude); the map orients and
links, it is not a survey. Coordinates are projected once to the SVG's user units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# (longitude, latitude) points of each outline, clockwise, shared borders reuse points.
OUTLINES: dict[str, tuple[tuple[float, float], ...]] = {
    "bosnia-and-herzegovina": (
        (15.75, 45.20), (16.90, 45.25), (18.00, 45.15), (19.00, 45.00), (19.40, 44.90),
        (19.55, 44.05), (19.30, 43.55), (18.70, 43.00), (18.45, 42.50), (17.60, 42.95),
        (16.90, 43.55), (16.20, 44.20), (15.75, 44.75),
    ),
    "serbia": (
        (19.00, 46.15), (20.30, 46.12), (21.00, 45.45), (21.45, 45.00), (22.65, 44.55),
        (22.45, 44.05), (23.00, 43.20), (22.40, 42.40), (21.90, 42.30), (21.60, 42.30),
        (21.60, 42.70), (20.80, 43.25), (20.00, 43.20), (19.50, 43.30), (19.30, 43.55),
        (19.55, 44.05), (19.40, 44.90), (19.00, 45.00),
    ),
    "montenegro": (
        (18.45, 42.50), (18.70, 43.00), (19.30, 43.55), (19.50, 43.30), (20.00, 43.20),
        (20.00, 42.60), (19.70, 42.60), (19.40, 41.85), (19.00, 42.10),
    ),
    "kosovo": (
        (20.00, 43.20), (20.80, 43.25), (21.60, 42.70), (21.60, 42.30), (21.00, 42.20),
        (20.60, 41.90), (20.30, 42.30), (20.00, 42.60),
    ),
    "albania": (
        (19.40, 41.85), (19.70, 42.60), (20.00, 42.60), (20.30, 42.30), (20.60, 41.90),
        (20.50, 41.30), (20.80, 40.90), (21.00, 40.60), (20.70, 40.10), (20.00, 39.65),
        (19.45, 40.20), (19.30, 40.60), (19.50, 41.00), (19.40, 41.50),
    ),
    "north-macedonia": (
        (20.60, 41.90), (21.00, 42.20), (21.60, 42.30), (21.90, 42.30), (22.40, 42.40),
        (22.90, 42.00), (23.00, 41.40), (22.70, 41.15), (22.00, 41.15), (21.00, 40.85),
        (20.80, 40.90), (20.50, 41.30),
    ),
}  # fmt: skip

# Where each label sits (longitude, latitude): inside the outline, clear of neighbours.
LABELS: dict[str, tuple[float, float]] = {
    "bosnia-and-herzegovina": (17.75, 44.25),
    "serbia": (20.95, 44.25),
    "montenegro": (19.20, 42.85),
    "kosovo": (20.85, 42.62),
    "albania": (20.05, 41.05),
    "north-macedonia": (21.85, 41.65),
}

LON0, LAT0, X_SCALE, Y_SCALE, PAD = 15.5, 46.4, 70.0, 92.0, 10.0
WIDTH, HEIGHT = 560, 640


def project(lon: float, lat: float) -> tuple[float, float]:
    """Return the SVG coordinates of a point."""
    return round((lon - LON0) * X_SCALE + PAD, 1), round((LAT0 - lat) * Y_SCALE + PAD, 1)


@dataclass(frozen=True)
class Shape:
    """One country on the map: its SVG path and label position."""

    slug: str
    path: str
    label_x: float
    label_y: float


@cache
def shapes() -> tuple[Shape, ...]:
    """Return the projected outline and label position of every country."""
    result = []
    for slug, points in OUTLINES.items():
        coords = [project(lon, lat) for lon, lat in points]
        path = "M" + " L".join(f"{x:g} {y:g}" for x, y in coords) + " Z"
        lx, ly = project(*LABELS[slug])
        result.append(Shape(slug, path, lx, ly))
    return tuple(result)
