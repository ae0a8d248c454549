"""Demo data of where the force works: the 1+X stations covering each township (plan 三.(二)3:
统一综合执法中队、市场监管所、自然资源所、司法所等派驻站所管辖范围) and the 衢江区 / 智造新城 boundary of
jurisdiction (plan 三.(二)1). The zone's areas are illustrative (示意), not the official map."""

from __future__ import annotations

import datetime as dt

from .models import JurisdictionArea, Organization, Region, StationCoverage

SINCE = dt.date(2022, 7, 1)
#: Stations that also cover a neighbouring township without a station of their kind (illustrative).
EXTRA_COVERAGE = {
    "湖南市场监管所": ("举村乡", "岭洋乡"),
    "杜泽市场监管所": ("太真乡",),
    "全旺市场监管所": ("大洲镇",),
}
ZONE = "衢州智造新城"
ZONE_AREAS = (
    ("樟潭街道", "智造新城东港片区（示意）", ()),
    ("廿里镇", "智造新城廿里片区（示意）", ("城乡规划", "市容环境卫生", "生态环境")),
)
ZONE_BASIS = (
    "衢江区“大综合一体化”行政执法改革实施方案三（二）1：厘清衢江区和智造新城管辖范围及职责边界（演示数据）"
)


def build_geography(orgs: dict[str, Organization], regions: dict[str, Region]) -> dict[str, int]:
    by_name = {r.name: r for r in regions.values()}
    stations = [o for o in orgs.values() if o.kind == Organization.Kind.DISPATCHED_STATION]
    rows = [StationCoverage(station=s, region=s.region, since=SINCE) for s in stations]
    for station in stations:
        rows += [
            StationCoverage(station=station, region=by_name[name], since=SINCE)
            for name in EXTRA_COVERAGE.get(station.name, ())
        ]
    StationCoverage.objects.bulk_create(rows)
    zone = orgs["zone"]
    areas = JurisdictionArea.objects.bulk_create(
        [
            JurisdictionArea(
                zone=ZONE,
                name=name,
                township=by_name[township],
                holder=zone,
                domains=list(domains),
                basis=ZONE_BASIS,
                since=SINCE,
            )
            for township, name, domains in ZONE_AREAS
        ]
    )
    return {"station_coverages": len(rows), "zone_areas": len(areas)}
