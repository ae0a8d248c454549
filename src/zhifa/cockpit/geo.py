"""The township map of the cockpit, drawn as inline SVG on the server: each township's boundary
from the GeoJSON file the deployment supplies (``ZHIFA_TOWNSHIP_GEOJSON``: a FeatureCollection of
Polygon / MultiPolygon features whose properties carry the township's ``code`` (区划代码) or
``name``), or — without a file, or for a township the file lacks — a schematic grid of equal tiles
in code order. Every shape links to the township's drill-down. Pure functions over plain data;
the file is read once per process.
"""

from __future__ import annotations

import json
import logging
import math
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

WIDTH = 1000  # the SVG's viewBox width; the height follows the shapes
LEVELS = 5  # colour classes


@lru_cache(maxsize=4)
def load(path: str) -> dict | None:
    """The parsed file, or None (no file configured, unreadable, or not a FeatureCollection)."""
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("township GeoJSON %s unreadable: %s", path, exc)
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        log.warning("township GeoJSON %s is not a FeatureCollection", path)
        return None
    return data


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    kind, coords = (geometry or {}).get("type"), (geometry or {}).get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    out = []
    for polygon in polygons:
        for ring in polygon:
            points = [
                (float(p[0]), float(p[1])) for p in ring if isinstance(p, (list, tuple)) and len(p) >= 2
            ]
            if len(points) >= 3:
                out.append(points)
    return out


def _match(feature: dict, by_code: dict, by_name: dict):
    props = feature.get("properties") or {}
    for key in ("code", "adcode", "区划代码"):
        value = str(props.get(key) or "")
        if value and value in by_code:
            return by_code[value]
        if value[:9] in by_code:  # 12-digit statistical codes end in "000"
            return by_code[value[:9]]
    name = str(props.get("name") or props.get("名称") or "")
    return by_name.get(name)


def level(value: int | None, top: int) -> int | None:
    """Colour class 0..LEVELS-1 of a count against the largest one (None: outside the scope)."""
    if value is None:
        return None
    if top <= 0 or value <= 0:
        return 0
    return min(LEVELS - 1, 1 + int((LEVELS - 1) * value / (top + 1)))


def shapes(townships: list[dict], geojson: dict | None) -> tuple[list[dict], int, bool]:
    """``(shapes, height, from_file)``: per township its SVG path (or tile), label point and counts.
    Townships the file lacks are laid out as tiles below the drawn ones."""
    by_code = {t["code"]: t for t in townships}
    by_name = {t["name"]: t for t in townships}
    drawn: dict[int, list] = {}
    for feature in (geojson or {}).get("features") or []:
        township = _match(feature, by_code, by_name)
        if township is not None:
            drawn.setdefault(township["id"], []).extend(_rings(feature.get("geometry")))
    out, height = [], 0
    if drawn:
        xs = [x for rings in drawn.values() for ring in rings for x, _ in ring]
        ys = [y for rings in drawn.values() for ring in rings for _, y in ring]
        west, east, south, north = min(xs), max(xs), min(ys), max(ys)
        squeeze = math.cos(math.radians((north + south) / 2))  # degrees of longitude are shorter
        span_x, span_y = max((east - west) * squeeze, 1e-9), max(north - south, 1e-9)
        scale = (WIDTH - 20) / span_x
        height = round(span_y * scale) + 20

        def point(x, y):
            return 10 + (x - west) * squeeze * scale, 10 + (north - y) * scale

        for t in townships:
            rings = drawn.get(t["id"])
            if not rings:
                continue
            parts, area_x, area_y, total = [], 0.0, 0.0, 0
            for ring in rings:
                projected = [point(x, y) for x, y in ring]
                parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + " Z")
                area_x += sum(x for x, _ in projected)
                area_y += sum(y for _, y in projected)
                total += len(projected)
            out.append(
                {**t, "path": " ".join(parts), "x": round(area_x / total, 1), "y": round(area_y / total, 1)}
            )
    rest = [t for t in townships if t["id"] not in drawn]
    if rest:
        columns = 5 if len(rest) > 8 else max(1, len(rest))
        tile_w = (WIDTH - 20) / columns
        tile_h = min(tile_w * 0.62, 150)
        top = height
        for i, t in enumerate(rest):
            row, col = divmod(i, columns)
            x, y = 10 + col * tile_w, top + 10 + row * tile_h
            w, h = tile_w - 8, tile_h - 8
            out.append(
                {
                    **t,
                    "path": f"M{x:.1f},{y:.1f} h{w:.1f} v{h:.1f} h{-w:.1f} Z",
                    "x": round(x + w / 2, 1),
                    "y": round(y + h / 2, 1),
                    "tile": True,
                }
            )
        height = top + 20 + math.ceil(len(rest) / columns) * tile_h
    return out, round(height), bool(drawn)


def township_map(townships: list[dict], path: str = "") -> dict:
    """Everything the map template needs: shapes with incident and case colour classes."""
    drawn, height, from_file = shapes(townships, load(path))
    top_incidents = max((t["incidents"] or 0 for t in townships), default=0)
    top_cases = max((t["cases"] or 0 for t in townships), default=0)
    for s in drawn:
        s["incidents_level"] = level(s["incidents"], top_incidents)
        s["cases_level"] = level(s["cases"], top_cases)
    return {
        "shapes": drawn,
        "width": WIDTH,
        "height": height,
        "from_file": from_file,
        "top_incidents": top_incidents,
        "top_cases": top_cases,
    }
