"""The cockpit for wall screens: the same figures as the page, no older than a minute."""

from ninja import Router

from zhifa.core import access
from zhifa.core.scopes import Scope

from . import services

router = Router(tags=["驾驶舱"])


@router.get(
    "/indicators",
    summary="驾驶舱指标（与页面同源：数值、目标、明细条数、按乡镇与部门、月度趋势、乡镇地图；"
    "computed_at 为计算时间，不超过一分钟）",
)
def indicators(request):
    access.require(request.auth, "cockpit.view")
    cockpit = services.current(Scope.for_user(request.auth))
    return {
        **cockpit.as_dict(),
        "computed_at": cockpit.computed_at.isoformat() if cockpit.computed_at else None,
    }


@router.get("/counts", summary="每个明细的记录数（与明细列表条数一致）")
def counts(request) -> dict[str, int]:
    access.require(request.auth, "cockpit.view")
    return services.current(Scope.for_user(request.auth)).counts
