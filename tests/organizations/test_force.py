"""Certificates suspended, revoked, restored or ended early with their reason — the officer is
refused from that day — and the townships' force: certified 执法岗 from real postings, the 1+X
stations covering each township, kept by the township or the station's department."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import new_officer, new_user
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.core.scopes import Scope
from zhifa.inspections import rules as inspection_rules
from zhifa.organizations import selectors, services
from zhifa.organizations.models import Certificate, Organization, StationCoverage, User

TODAY = timezone.localdate()


def _info(officer):
    certs = tuple(
        inspection_rules.CertificateInfo(frozenset(c.domains), c.valid_from, c.valid_to, c.status == "active")
        for c in officer.certificates.all()
    )
    return inspection_rules.OfficerInfo(officer.pk, certs, name=officer.name)


def test_suspend_restore_revoke_with_reasons(world):
    cert = world.officer_a.certificates.get()
    with pytest.raises(ValidationError):
        services.set_certificate_status(world.leader_a, cert.pk, "suspended", "")
    services.set_certificate_status(world.leader_a, cert.pk, "suspended", "涉嫌违纪，暂停执法")
    assert inspection_rules.officer_refusal(_info(world.officer_a), TODAY) is not None  # refused from today
    services.set_certificate_status(world.leader_a, cert.pk, "active", "调查结束")
    assert inspection_rules.officer_refusal(_info(world.officer_a), TODAY) is None
    services.set_certificate_status(world.leader_a, cert.pk, "revoked", "调离执法岗位")
    with pytest.raises(DomainError) as exc:
        services.set_certificate_status(world.leader_a, cert.pk, "active", "误操作")
    assert exc.value.code == "certificate_revoked"
    events = list(AuditEvent.objects.filter(action="certificate.status").order_by("seq"))
    assert [e.after["status"] for e in events] == ["suspended", "active", "revoked"]
    assert events[0].after["status_reason"] == "涉嫌违纪，暂停执法" and events[0].before["status"] == "active"
    with pytest.raises(NotFound):  # another township's leader does not even see it
        services.set_certificate_status(world.leader_b, cert.pk, "suspended", "x理由")


def test_ending_a_certificate_early(world):
    cert = world.officer_a.certificates.get()
    with pytest.raises(ValidationError):
        services.end_certificate(world.leader_a, cert.pk, TODAY - dt.timedelta(days=30), "离岗")
    services.end_certificate(world.leader_a, cert.pk, TODAY, "调离执法岗位")
    cert.refresh_from_db()
    assert cert.valid_to == TODAY and cert.status_reason.startswith("提前终止")
    assert not Certificate.objects.valid_on(TODAY + dt.timedelta(days=1)).filter(pk=cert.pk).exists()


def test_township_force_counts_own_and_posted_certified_officers(world):
    counts = {t.name: t for t in selectors.township_forces(Scope(everything=True))}
    assert counts["上方镇"].certified == 1 and counts["上方镇"].posted == 0
    services.post_officer(world.bureau_admin, world.bureau_officer.pk, world.shangfang)
    counts = {t.name: t for t in selectors.township_forces(Scope(everything=True))}
    assert counts["上方镇"].certified == 2 and counts["上方镇"].posted == 1
    world.bureau_officer.certificates.update(status="suspended")
    assert {t.name: t.certified for t in selectors.township_forces(Scope(everything=True))}["上方镇"] == 1


@pytest.fixture
def station(world):
    market = Organization.objects.create(
        name="市场监督管理局",
        kind=Organization.Kind.PROFESSIONAL_DEPARTMENT,
        region=world.district,
        parent=world.root,
        is_enforcement_body=True,
    )
    station = Organization.objects.create(
        name="上方市场监管所",
        kind=Organization.Kind.DISPATCHED_STATION,
        region=world.shangfang,
        parent=market,
    )
    StationCoverage.objects.create(station=station, region=world.shangfang, since=TODAY)
    return station


def test_stations_cover_townships_by_the_township_or_their_department(world, station):
    coverage = services.cover_township(world.guidance_user, station.pk, world.xiachuan)
    assert AuditEvent.objects.get(action="station.cover").after["region"] == world.xiachuan.pk
    with pytest.raises(ValidationError):
        services.cover_township(world.leader_b, station.pk, world.xiachuan)  # already covered
    services.uncover_township(world.leader_b, coverage.pk)  # 峡川镇's leader may let it go
    with pytest.raises(PermissionDenied):
        services.cover_township(world.leader_a, station.pk, world.xiachuan)  # not 上方镇's business
    home = StationCoverage.objects.get(station=station, region=world.shangfang)
    with pytest.raises(DomainError):
        services.uncover_township(world.guidance_user, home.pk)


def test_force_pages(client, world, station):
    client.force_login(world.guidance_user)
    page = client.get("/org/townships/").content.decode()
    assert "上方镇" in page and "不足 2 名" in page
    detail = client.get(f"/org/townships/{world.xiachuan.pk}/").content.decode()
    assert "增加覆盖本乡镇（街道）的站所" in detail
    client.post(f"/org/townships/{world.xiachuan.pk}/", {"station": station.pk})
    assert StationCoverage.objects.filter(station=station, region=world.xiachuan).exists()
    cert = world.officer_a.certificates.get()
    client.force_login(world.leader_a)
    assert "暂扣 / 注销 / 恢复" in client.get(f"/org/officers/{world.officer_a.pk}/").content.decode()
    client.post(f"/org/certificates/{cert.pk}/status/", {"status": "suspended", "reason": "暂停执法资格"})
    cert.refresh_from_db()
    assert cert.status == "suspended"
    plain = new_user("plain", world.team_a, User.Role.OFFICER, new_officer(world.team_a))
    client.force_login(plain)
    assert (
        client.post(
            f"/org/certificates/{cert.pk}/status/", {"status": "active", "reason": "x理由"}
        ).status_code
        == 403
    )
