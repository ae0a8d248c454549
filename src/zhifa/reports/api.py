"""Reports for integrators: ask for a monthly or annual report of the reform and follow its progress."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Status

from zhifa.core.schema import Schema

from . import selectors, services

router = Router(tags=["改革报告"])


class RunOut(Schema):
    id: int
    kind: str
    period_start: dt.date
    period_end: dt.date
    state: str
    progress: int
    step: str


@router.post("/", response={202: RunOut}, summary="生成月度或年度改革报告（后台生成，查询进度）")
def request_report(request, payload: services.ReportInput):
    return Status(202, services.request_report(request.auth, payload))


@router.get("/{run_id}", response=RunOut, summary="报告生成进度")
def get_run(request, run_id: int):
    return selectors.get_run(request.auth, run_id)
