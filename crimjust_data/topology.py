"""The map topology the maps draw: world_50m thinned to what a map on a screen or a page shows.

plotly.js projects every point of a map's outlines at each draw, and the pages' maps redraw at
every filter change: static/maps/world_50m.json, made from static/topojson/world_50m.json by

    .venv/bin/python -m crimjust_data.topology

holds about a quarter of its points (only the layers the maps draw, each outline simplified
finer than a pixel), so maps draw in about half the time. The pages serve it to plotly.js (paths.TOPOJSON_URL) and the HTML snapshot inlines it; the
package's own lookups (centroids, point in country) keep the full file. The same command
writes datasets/country_land.npz, the countries' land of the full file made valid, which the
coordinate checks read in milliseconds (countries.land). tests/test_topology.py checks that both
files are exactly what this module and countries make of the full one.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from crimjust_data import countries, paths

# The map layers the maps draw (figures/flows.py: countries, land, ocean, coast);
# lakes, rivers and subunits are off, so their shapes are left out.
TOPOLOGY_LAYERS = ("countries", "land", "ocean", "coastlines")
# Map points are kept on a grid 10 times coarser than the file's (about 400 m by 200 m), and a
# point is left out where the outline passes within TOPOLOGY_TOLERANCE degrees (about 1 km) of
# it anyway: both finer than a pixel on the tightest map, a region.
TOPOLOGY_COARSENING = 10
TOPOLOGY_TOLERANCE = 0.01


def _simplified(points: list[tuple[int, int]], scale: list[float]) -> list[tuple[int, int]]:
    """`points` less those within TOPOLOGY_TOLERANCE degrees of the line through their
    neighbours kept (Douglas-Peucker); the ends are kept, so shared arcs still meet."""
    if len(points) < 3:
        return points
    sx, sy = scale
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    pending = [(0, len(points) - 1)]
    while pending:
        first, last = pending.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = (x2 - x1) * sx, (y2 - y1) * sy
        length = (dx * dx + dy * dy) ** 0.5
        farthest, distance = first, 0.0
        for i in range(first + 1, last):
            px, py = (points[i][0] - x1) * sx, (points[i][1] - y1) * sy
            # from the chord, or from its first end where the chord is a point (a ring)
            d = abs(dx * py - dy * px) / length if length else (px * px + py * py) ** 0.5
            if d > distance:
                farthest, distance = i, d
        if distance > TOPOLOGY_TOLERANCE:
            keep[farthest] = True
            pending += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def thin(topology: dict[str, Any]) -> dict[str, Any]:
    """`topology` with only TOPOLOGY_LAYERS' shapes (the others kept, empty, as plotly expects
    every layer), its points on a coarser grid, repeated points dropped. Arcs stay shared, so
    neighbouring countries still meet."""
    used: set[int] = set()

    def collect(arcs: Any) -> None:
        if isinstance(arcs, int):
            used.add(arcs if arcs >= 0 else ~arcs)  # ~index: the arc read backwards
        else:
            for part in arcs:
                collect(part)

    for name in TOPOLOGY_LAYERS:
        for geometry in topology["objects"][name]["geometries"]:
            collect(geometry.get("arcs", []))
    kept = sorted(used)
    new_index = {old: new for new, old in enumerate(kept)}

    def renumber(arcs: Any) -> Any:
        if isinstance(arcs, int):
            return new_index[arcs] if arcs >= 0 else ~new_index[~arcs]
        return [renumber(part) for part in arcs]

    objects = {
        name: {
            **layer,
            "geometries": [
                {**g, "arcs": renumber(g["arcs"])} if "arcs" in g else g
                for g in layer["geometries"]
            ],
        }
        if name in TOPOLOGY_LAYERS
        else {"type": "GeometryCollection", "geometries": []}
        for name, layer in topology["objects"].items()
    }
    step = TOPOLOGY_COARSENING
    scale = [value * step for value in topology["transform"]["scale"]]
    arcs = []
    for index in kept:  # delta-encoded: absolute points, coarsened, encoded again
        x = y = 0
        points: list[tuple[int, int]] = []
        for dx, dy in topology["arcs"][index]:
            x, y = x + dx, y + dy
            point = (round(x / step), round(y / step))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) < 2:  # an arc shorter than the grid: still two ends
            points.append(points[0])
        points = _simplified(points, scale)
        arcs.append(
            [list(points[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in itertools.pairwise(points)]
        )
    transform = {**topology["transform"], "scale": scale}
    return {**topology, "objects": objects, "arcs": arcs, "transform": transform}


def write() -> None:
    """static/maps/world_50m.json and datasets/country_land.npz, both made from
    static/topojson/world_50m.json."""
    full = json.loads(paths.WORLD_50M.read_text(encoding="utf-8"))
    paths.MAP_TOPOLOGY.parent.mkdir(parents=True, exist_ok=True)
    paths.MAP_TOPOLOGY.write_text(json.dumps(thin(full), separators=(",", ":")), encoding="utf-8")
    countries.write_land()


if __name__ == "__main__":
    write()
