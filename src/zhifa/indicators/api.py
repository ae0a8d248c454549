"""The indicators for integrators and wall screens: every figure of the user's scope for a period,
with its numerator, denominator and target (the same functions the pages and the reports use)."""

from __future__ import annotations

import datetime as dt

from ninja import Router

from zhifa.core.scopes import Scope

from . import selectors

router = Router(tags=["改革指标"])


@router.get("/", summary="改革指标（start/end 为统计期，默认本年至今；value 为百分数、件数或天数）")
def indicators(request, start: dt.date | None = None, end: dt.date | None = None):
    data = {"start": start.isoformat(), "end": end.isoformat()} if start and end else {}
    period = selectors.parse_period(data)
    return [m.as_dict() for m in selectors.measure_all(Scope.for_user(request.auth), period)]
