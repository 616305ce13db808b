"""Derive small-countries.json: a point for each country or territory that the 1:110m map has no
shape for (Malta, Singapore, most island states), taken from the 1:10m geometry of the same
world-atlas release. Run with the unpacked npm package's folder:

    python hw4all/core/data/small_countries_derive.py path/to/world-atlas/package
"""

import json
import sys
from pathlib import Path


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (scale_x, scale_y), (translate_x, translate_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a polygon ring (shoelace formula); the mean point if it has no area."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        return 0.0, sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def main(package: Path) -> None:
    shown = {
        g.get("id")
        for g in json.loads((package / "countries-110m.json").read_text())["objects"]["countries"][
            "geometries"
        ]
    }
    detailed = json.loads((package / "countries-10m.json").read_text())
    arcs = decode_arcs(detailed)
    points = {}
    for geometry in detailed["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if not numeric or numeric in shown:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        # The largest island stands for the whole country.
        _, lon, lat = max(centroid(ring_points(polygon[0], arcs)) for polygon in polygons)
        points[numeric] = [round(lon, 2), round(lat, 2)]
    target = Path(__file__).parent / "small-countries.json"
    target.write_text(json.dumps(dict(sorted(points.items())), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
