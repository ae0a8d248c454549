"""Demo data of the indicators: a provincial power-item library to measure 事项覆盖率 against —
the county-level items the district's demo catalog carries, plus county-level items of the
library the district has not taken up yet, and a few items the province keeps at city level.
Imported through the same service as a real library file."""

from __future__ import annotations

from zhifa.catalog.models import EnforcementItem
from zhifa.organizations.models import User

from . import services
from .models import ProvincialItem

#: County-level items of the library missing from the demo catalog (事项覆盖率 shows them).
NOT_TAKEN_UP = [
    ("330207918000", "对未取得采伐许可证擅自采伐林木的行政处罚", "林业"),
    ("330211925000", "对在河道管理范围内建设妨碍行洪的建筑物、构筑物的行政处罚", "水利"),
    ("330212914000", "对未经许可擅自从事水路运输经营的行政处罚", "交通运输"),
    ("330209931000", "对经营超过保质期的食品的行政处罚", "市场监管"),
    ("330215908000", "对医疗机构使用非卫生技术人员从事医疗卫生技术工作的行政处罚", "卫生健康"),
    ("330213906000", "对未经许可擅自从事互联网上网服务经营活动的行政处罚", "文化市场"),
    ("330214904000", "对旅行社未经许可经营出境旅游业务的行政处罚", "旅游"),
    ("330210919000", "对农药使用者使用禁用农药的行政处罚", "农业农村"),
    ("330203912000", "对擅自砍伐、移植城市树木的行政处罚", "园林绿化"),
    ("330205909000", "对未经批准擅自占用、挖掘城市道路的行政处罚", "市政公用"),
]
#: Items the province keeps at city level: in the library, not owed by the district.
CITY_LEVEL = [
    ("330208990000", "对跨设区的市行政区域排放水污染物的行政处罚", "生态环境"),
    ("330216990000", "对危险化学品生产企业安全生产许可证有效期内的行政检查", "应急管理"),
]


def rows() -> list[dict]:
    carried = [
        {"code": code, "name": name, "kind": kind, "domain": domain, "county_level": True}
        for code, name, kind, domain in EnforcementItem.objects.in_force()
        .order_by("code")
        .values_list("code", "name", "kind", "domain__name")
    ]
    known = {r["code"] for r in carried}
    extra = [
        {"code": c, "name": n, "kind": "penalty", "domain": d, "county_level": True}
        for c, n, d in NOT_TAKEN_UP
        if c not in known
    ]
    extra += [
        {"code": c, "name": n, "kind": "penalty", "domain": d, "county_level": False}
        for c, n, d in CITY_LEVEL
        if c not in known
    ]
    return carried + extra


def load() -> int:
    """Idempotent: the library is imported once."""
    if ProvincialItem.objects.exists():
        return 0
    actor = User.objects.filter(role=User.Role.GUIDANCE_OFFICE, is_active=True).order_by("pk").first()
    if actor is None:
        return 0
    cmd = services.LibraryInput.parse(
        {"source_name": "浙江省权力事项库（监管库）县级事项（演示）", "version": "演示版", "rows": rows()}
    )
    return services.import_library(actor, cmd).rows
