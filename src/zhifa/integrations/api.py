"""Integration endpoints: the signed approval push of 审管联动 (no API key: the HMAC signature
of the approval system is the credential), and the incremental exports for the provincial
platform with their JSON Schemas. Errors are ``{code, message, field}`` JSON like the rest."""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Status
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import ConfigDict
from pydantic import ValidationError as PydanticError

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound
from zhifa.core.schema import Schema

from . import export, services

log = logging.getLogger(__name__)
router = Router(tags=["系统对接"])


class ApprovalIn(Schema):
    """A licence approval pushed by the approval system (审管联动)."""

    model_config = ConfigDict(extra="forbid")

    approval_id: str = Field(..., min_length=1, max_length=64, description="审批系统的审批编号（幂等键）")
    licence_no: str = Field("", max_length=64)
    licence_name: str = Field(..., min_length=1, max_length=200, description="审批事项名称")
    item_code: str = Field(
        "", max_length=60, description="对应的执法事项编码；监管部门缺省取其监管主体或认领单位"
    )
    supervising_org: str = Field("", max_length=100, description="监管部门全称（可选）")
    party_name: str = Field(..., min_length=1, max_length=100)
    uscc: str = Field("", max_length=18)
    address: str = Field("", max_length=200)
    approved_on: dt.date
    valid_to: dt.date | None = None
    check_within_days: int | None = Field(
        None, ge=1, le=365, description="要求在多少天内完成批后检查（不超过区级配置）"
    )


class CheckOut(Schema):
    id: int
    organization: str
    deadline: dt.date
    state: str


class LicenceApprovalOut(Schema):
    id: int
    approval_id: str
    party_name: str
    supervising_org: str
    check: CheckOut


def _approval_out(approval) -> dict:
    check = approval.post_check
    return {
        "id": approval.pk,
        "approval_id": approval.approval_id,
        "party_name": approval.party_name,
        "supervising_org": approval.supervising_org.name,
        "check": {
            "id": check.pk,
            "organization": check.organization.name,
            "deadline": check.deadline,
            "state": check.state,
        },
    }


@router.post(
    "/approvals",
    auth=None,
    response={200: LicenceApprovalOut, 201: LicenceApprovalOut},
    summary="审管联动：推送审批信息（HMAC 签名，幂等）",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": ApprovalIn.model_json_schema()}},
            "required": True,
        }
    },
)
def push_approval(request):
    """Signed with the client's secret (headers ``X-Zhifa-Client``, ``X-Zhifa-Timestamp``,
    ``X-Zhifa-Signature: sha256=…`` over ``"{timestamp}." + body``). The same ``approval_id``
    again returns the first approval (200). Creates the post-approval check of the supervising
    department with its deadline."""
    try:
        return _push_approval(request)
    except (DomainError, ValidationError, SchemaValidationError) as exc:
        log.warning(
            "approval push refused from %s (%s): %s",
            request.headers.get("X-Zhifa-Client", "?"),
            request.META.get("REMOTE_ADDR", "?"),
            getattr(exc, "code", None) or exc,
        )
        raise


def _push_approval(request):
    client = services.authenticate_push(
        request.headers.get("X-Zhifa-Client"),
        request.headers.get("X-Zhifa-Timestamp"),
        request.headers.get("X-Zhifa-Signature"),
        request.body,
    )
    try:
        raw = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(
            {"__all__": ValidationError("请求体不是合法的 JSON", code="invalid_json")}
        ) from None
    if not isinstance(raw, dict):
        raise ValidationError({"__all__": ValidationError("请求体应为 JSON 对象", code="invalid_json")})
    try:
        data = ApprovalIn.model_validate(raw)
    except PydanticError as exc:
        raise SchemaValidationError(exc.errors(include_url=False)) from None
    approval, created = services.record_approval(client, data)
    return Status(201 if created else 200, _approval_out(approval))


class ExportQuery(Schema):
    since: str = Field("", max_length=200, description="上一页的 next_cursor；首次不传")
    limit: int = Field(500, ge=1, le=export.MAX_LIMIT)


@router.get("/export/schemas/{kind}", summary="省平台增量导出：JSON Schema")
def export_schema(request, kind: str):
    if kind not in export.KINDS:
        raise NotFound(f"未知的导出类型“{kind}”，可选：{'、'.join(export.KINDS)}")
    return export.schema(kind)


@router.get("/export/{kind}", summary="省平台增量导出：案件、检查、事件（游标分页）")
def export_page(request, kind: str, query: Query[ExportQuery]):
    """Rows of ``kind`` (cases, inspections, incidents) changed after ``since``, oldest first;
    pass ``next_cursor`` back as ``since`` until ``has_more`` is false, then poll later."""
    if kind not in export.KINDS:
        raise NotFound(f"未知的导出类型“{kind}”，可选：{'、'.join(export.KINDS)}")
    access.require(request.auth, "integrations.export")
    return export.page(request.auth, kind, query.since, query.limit)
