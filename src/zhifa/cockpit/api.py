"""The cockpit for wall screens: the same indicators as the page, from the same selector."""

from ninja import Router

from zhifa.core.scopes import Scope

from . import selectors

router = Router(tags=["驾驶舱"])


@router.get("/indicators", summary="驾驶舱指标（与页面同源：数值、目标、明细条数、按乡镇与部门、月度趋势）")
def indicators(request):
    return selectors.indicators(Scope.for_user(request.auth)).as_dict()


@router.get("/counts", summary="每个明细的记录数（与明细列表条数一致）")
def counts(request) -> dict[str, int]:
    return selectors.counts(Scope.for_user(request.auth))
