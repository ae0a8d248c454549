"""The cockpit for wall screens: the same indicators as the page, from the same snapshot."""

from ninja import Router

from zhifa.core.scopes import Scope

from . import selectors

router = Router(tags=["驾驶舱"])


@router.get("/indicators", summary="驾驶舱指标（与页面同源的快照：数值、目标、明细条数、按乡镇与部门、月度趋势；computed_at 为计算时间）")
def indicators(request):
    cockpit = selectors.snapshot(Scope.for_user(request.auth))
    return {**cockpit.as_dict(), "computed_at": cockpit.computed_at.isoformat() if cockpit.computed_at else None}


@router.get("/counts", summary="每个明细的记录数（快照计算时与明细列表条数一致）")
def counts(request) -> dict[str, int]:
    return selectors.snapshot(Scope.for_user(request.auth)).counts
