"""Every write to the roster: transactional, permission-checked and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import access, audit
from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope

from . import rules
from .models import Certificate, Officer, Organization, Region

OFFICER_FIELDS = ("name", "gender", "id_number", "employee_no", "phone", "kind", "organization",
                  "posted_to", "posted_since", "legal_qualified", "is_active")
CERTIFICATE_FIELDS = ("officer", "number", "domains", "issuer", "valid_from", "valid_to", "status")
EDITABLE_OFFICER_FIELDS = ("name", "gender", "id_number", "employee_no", "phone", "kind", "organization",
                           "legal_qualified", "is_active")


def _require_roster_manager(actor, organization: Organization) -> None:
    access.require(actor, "organizations.manage_roster", organization)


def _locked_officer(actor, officer_id: int) -> Officer:
    """The officer, row-locked for the write, or NotFound when outside the actor's scope."""
    scope = Scope.for_user(actor)
    officer = (scope.filter(Officer.objects.select_for_update(of=("self",)), "organization", "posted_to")
               .select_related("organization", "posted_to").filter(pk=officer_id).first())
    if officer is None:
        raise NotFound()
    return officer


@transaction.atomic
def create_officer(actor, data: dict[str, Any]) -> Officer:
    organization = data.get("organization")
    if organization is None:
        raise ValidationError({"organization": ValidationError("请选择所属机构", code="required")})
    _require_roster_manager(actor, organization)
    officer = Officer(**{k: v for k, v in data.items() if k in EDITABLE_OFFICER_FIELDS})
    officer.full_clean()
    officer.save()
    audit.record(actor, "officer.create", officer, after=audit.snapshot(officer, OFFICER_FIELDS))
    return officer


@transaction.atomic
def update_officer(actor, officer_id: int, data: dict[str, Any]) -> Officer:
    officer = _locked_officer(actor, officer_id)
    _require_roster_manager(actor, officer.organization)
    before = audit.snapshot(officer, OFFICER_FIELDS)
    for key, value in data.items():
        if key not in EDITABLE_OFFICER_FIELDS:
            raise ValidationError({key: ValidationError("该字段不能在此修改", code="not_editable")})
        setattr(officer, key, value)
    if "organization" in data:
        _require_roster_manager(actor, officer.organization)
    if officer.kind == Officer.Kind.AUXILIARY and officer.certificates.filter(status=Certificate.Status.ACTIVE).exists():
        raise ValidationError({"kind": ValidationError("持有有效执法证的人员不能改为执法辅助人员，请先注销执法证", code="auxiliary_with_certificate")})
    officer.full_clean()
    officer.save()
    audit.record(actor, "officer.update", officer, before=before, after=audit.snapshot(officer, OFFICER_FIELDS))
    return officer


@transaction.atomic
def add_certificate(actor, officer_id: int, data: dict[str, Any]) -> Certificate:
    officer = _locked_officer(actor, officer_id)
    _require_roster_manager(actor, officer.organization)
    if not rules.may_hold_certificate(officer.kind):
        raise ValidationError({"officer": ValidationError(
            "执法辅助人员不能持有行政执法证（行政处罚法第四十二条：行政处罚由具有行政执法资格的执法人员实施）",
            code="auxiliary_no_certificate")})
    certificate = Certificate(officer=officer, **{k: v for k, v in data.items() if k in CERTIFICATE_FIELDS and k != "officer"})
    if not certificate.domains:
        raise ValidationError({"domains": ValidationError("请至少填写一个执法领域", code="required")})
    certificate.full_clean()
    certificate.save()
    audit.record(actor, "certificate.create", certificate, after=audit.snapshot(certificate, CERTIFICATE_FIELDS),
                 legal_basis="行政处罚法第四十二条")
    return certificate


@transaction.atomic
def set_certificate_status(actor, certificate_id: int, status: str) -> Certificate:
    certificate = Certificate.objects.select_related("officer").filter(pk=certificate_id).first()
    if certificate is None:
        raise NotFound()
    _locked_officer(actor, certificate.officer_id)
    _require_roster_manager(actor, certificate.officer.organization)
    if status not in Certificate.Status.values:
        raise ValidationError({"status": ValidationError("证件状态无效", code="invalid_choice")})
    before = audit.snapshot(certificate, CERTIFICATE_FIELDS)
    certificate.status = status
    certificate.save(update_fields=["status"])
    audit.record(actor, "certificate.status", certificate, before=before, after=audit.snapshot(certificate, CERTIFICATE_FIELDS))
    return certificate


@transaction.atomic
def post_officer(actor, officer_id: int, region: Region | None, since: dt.date | None = None) -> Officer:
    """下沉: post a district officer to a township (or end the posting with ``region=None``)."""
    officer = _locked_officer(actor, officer_id)
    access.require(actor, "organizations.post_officer", officer.organization)
    if region is not None and not region.is_township:
        raise ValidationError({"posted_to": ValidationError(
            f"“{region.name}”不是乡镇（街道），只能下沉到乡镇（街道）", code="posting_not_township")})
    if region is not None and officer.organization.region.is_township:
        raise ValidationError({"posted_to": ValidationError(
            "乡镇（街道）机构的人员本就在乡镇工作，无需下沉", code="posting_township_staff")})
    before = audit.snapshot(officer, OFFICER_FIELDS)
    officer.posted_to = region
    officer.posted_since = (since or timezone.localdate()) if region is not None else None
    officer.save(update_fields=["posted_to", "posted_since"])
    audit.record(actor, "officer.post" if region else "officer.unpost", officer,
                 before=before, after=audit.snapshot(officer, OFFICER_FIELDS))
    return officer


@transaction.atomic
def rotate_credential(actor, officer_id: int) -> Officer:
    """Invalidate every credential QR code issued so far (lost phone, leaked link)."""
    officer = _locked_officer(actor, officer_id)
    if actor.officer_id != officer.pk:
        _require_roster_manager(actor, officer.organization)
    officer.credential_nonce += 1
    officer.save(update_fields=["credential_nonce"])
    audit.record(actor, "officer.credential_rotate", officer, after={"credential_nonce": officer.credential_nonce})
    return officer
