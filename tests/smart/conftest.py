"""Smart enforcement on the cases district (``cw``): a camera of 上方镇 watching the item of the
cases tests, reviewed by the body's legal reviewer and published; an inspection item claimed by
every township team and the bureau, for campaigns."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.cases import conftest as cases_conftest
from tests.cases.conftest import claim_everywhere
from tests.conftest import new_officer, new_user
from zhifa.catalog.models import EnforcementItem
from zhifa.organizations.models import User
from zhifa.smart import rules, services

cw = cases_conftest.cw
JPEG = b"\xff\xd8\xff\xe0" + b"camera-frame" * 20


@pytest.fixture
def sw(cw, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    admin = new_user("device_admin_a", cw.world.team_a, User.Role.DEPARTMENT_ADMIN)
    today = timezone.localdate()
    device, key = services.register_device(
        admin,
        {
            "organization_id": cw.world.team_a.pk,
            "code": "QJ-SF-CAM-001",
            "name": "上方镇中心街高清摄像头",
            "kind": "camera",
            "location": "上方镇中心街与文化路交叉口",
            "township_id": cw.world.shangfang.pk,
            "item_ids": [cw.item.pk],
            "check_certificate": "浙计检2026-0001",
            "check_body": "衢州市计量检定测试院",
            "checked_on": today - dt.timedelta(days=30),
            "check_valid_until": today + dt.timedelta(days=335),
            "signage": True,
        },
    )
    services.review_device(
        cw.reviewer, device.pk, {"opinion": "设置合理、标志明显，符合法定要求", "passed": True}
    )
    services.publish_device(admin, device.pk)
    device.refresh_from_db()
    inspection = EnforcementItem.objects.create(
        code="I9",
        name="对餐饮服务单位的行政检查",
        kind="inspection",
        domain=cw.domain,
        enforcing_body="township",
        penalty_types=[],
        status="in_force",
    )
    claim_everywhere(inspection)
    bureau_officer = new_user("bureau_officer", cw.world.bureau, User.Role.OFFICER, cw.world.bureau_officer)
    return SimpleNamespace(
        cw=cw,
        admin=admin,
        device=device,
        key=key,
        inspection=inspection,
        bureau_officer=bureau_officer,
        host=new_officer(cw.world.team_a, name="审核员甲"),
    )


def payload(sw, **overrides) -> dict:
    occurred = timezone.localtime() - dt.timedelta(minutes=30)
    data = {
        "external_id": "CAM-001-0001",
        "occurred_at": occurred.isoformat(),
        "description": "店外占道经营，摆放桌椅",
        "location": "上方镇中心街12号门前",
        "party": {"uscc": sw.cw.firm.uscc, "hint": "上方某某餐饮"},
        "device_check": {
            "certificate_number": "浙计检2026-0001",
            "valid_until": (timezone.localdate() + dt.timedelta(days=335)).isoformat(),
        },
        "evidence": [
            {
                "name": "frame-1.jpg",
                "content_type": "image/jpeg",
                "content_base64": base64.b64encode(JPEG).decode(),
            }
        ],
    }
    data.update(overrides)
    return data


def push(
    client,
    sw,
    data: dict | bytes,
    *,
    key: str | None = None,
    timestamp: int | None = None,
    device: str | None = None,
):
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return client.post(
        "/api/v1/smart/device-events",
        data=body,
        content_type="application/json",
        HTTP_X_ZHIFA_DEVICE=device or sw.device.code,
        HTTP_X_ZHIFA_TIMESTAMP=stamp,
        HTTP_X_ZHIFA_SIGNATURE=rules.sign(key or sw.key, stamp, body),
    )
