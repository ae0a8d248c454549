"""The township map: boundaries from the deployment's GeoJSON, matched by 区划代码 or name; a tile
for a township the file lacks; a schematic grid without a file (or with a broken one)."""

from __future__ import annotations

import json

from zhifa.cockpit import geo

TOWNS = [
    {"id": 1, "code": "330803100", "name": "上方镇", "incidents": 10, "cases": 2},
    {"id": 2, "code": "330803101", "name": "峡川镇", "incidents": 0, "cases": 0},
    {"id": 3, "code": "330803102", "name": "杜泽镇", "incidents": None, "cases": None},
]


def square(x, y):
    return [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]]


def test_boundaries_from_a_file(tmp_path):
    path = tmp_path / "towns.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "330803100000"},
                        "geometry": {"type": "Polygon", "coordinates": square(118.9, 28.9)},
                    },
                    {
                        "type": "Feature",
                        "properties": {"name": "峡川镇"},
                        "geometry": {"type": "MultiPolygon", "coordinates": [square(119.0, 29.0)]},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    geo.load.cache_clear()
    drawn = geo.township_map(TOWNS, str(path))
    by_name = {s["name"]: s for s in drawn["shapes"]}
    assert drawn["from_file"] is True
    assert not by_name["上方镇"].get("tile") and not by_name["峡川镇"].get("tile")
    assert by_name["杜泽镇"]["tile"] is True  # not in the file: drawn as a tile below
    assert by_name["上方镇"]["incidents_level"] == 4 and by_name["峡川镇"]["incidents_level"] == 0
    assert by_name["杜泽镇"]["incidents_level"] is None  # outside the viewer's scope
    assert by_name["上方镇"]["path"].startswith("M") and by_name["上方镇"]["path"].endswith("Z")


def test_a_grid_without_a_file_or_with_a_broken_one(tmp_path):
    geo.load.cache_clear()
    grid = geo.township_map(TOWNS, "")
    assert grid["from_file"] is False and all(s["tile"] for s in grid["shapes"])
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    assert geo.township_map(TOWNS, str(bad))["from_file"] is False
    bad.write_text(json.dumps({"type": "Feature"}), encoding="utf-8")
    geo.load.cache_clear()
    assert geo.township_map(TOWNS, str(bad))["from_file"] is False


def test_levels():
    assert [geo.level(v, 10) for v in (None, 0, 1, 5, 10)] == [None, 0, 1, 2, 4]
    assert geo.level(3, 0) == 0
