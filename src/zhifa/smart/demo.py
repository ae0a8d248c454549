"""Demo smart enforcement: a published camera of 上方镇 with events waiting for review (and one taken
into a case), and a running "一件事" theme with results coming in. Made through the services by the
roles that hold each act. Needs the demo roster, catalog, parties, inspections and cases."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from zhifa.catalog.models import Claim
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Organization, Region, User
from zhifa.parties.models import Party

from . import services
from .models import Campaign, CampaignTask, Device

CAMERA_CODE = "QJ-SF-CAM-001"


@dataclass
class DemoSmart:
    device: Device | None = None
    device_key: str = ""
    events: list = field(default_factory=list)
    campaign: Campaign | None = None
    notes: list[str] = field(default_factory=list)


def frame(text: str, seed: int) -> bytes:
    """A camera frame for the demo: a street-coloured picture with the device's caption (Pillow, which
    WeasyPrint brings; a bare JPEG header without it)."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        return b"\xff\xd8\xff\xe0" + text.encode()
    rng = random.Random(seed)
    image = Image.new("RGB", (640, 360), (90, 98, 110))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 640, 360), fill=(60, 62, 66))
    for n in range(6):
        x = 40 + n * 100 + rng.randrange(20)
        draw.rectangle((x, 180 + rng.randrange(30), x + 60, 260), fill=(rng.randrange(100, 255), 120, 60))
    draw.rectangle((0, 0, 640, 24), fill=(0, 0, 0))
    draw.text((8, 6), text, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def _guidance() -> User | None:
    return User.objects.filter(role=User.Role.GUIDANCE_OFFICE, is_active=True).order_by("pk").first()


def _reviewer_for(device: Device) -> User | None:
    from zhifa.core import access

    for user in User.objects.filter(role=User.Role.LEGAL_REVIEWER, is_active=True).order_by("pk"):
        if access.can(user, "smart.review_device", device):
            return user
    return None


def camera(body: Organization, township: Region, item, today: dt.date) -> tuple[Device, str]:
    admin = _guidance()
    device, key = services.register_device(
        admin,
        {
            "organization_id": body.pk,
            "code": CAMERA_CODE,
            "name": f"{township.name}中心街高清摄像头",
            "kind": "camera",
            "location": f"{township.name}中心街与文化路交叉口（东北角灯杆）",
            "township_id": township.pk,
            "latitude": 28.9766,
            "longitude": 118.9812,
            "item_ids": [item.pk],
            "check_certificate": f"浙衢计检字〔{today.year}〕第0317号",
            "check_body": "衢州市计量检定测试院",
            "checked_on": today - dt.timedelta(days=60),
            "check_valid_until": today + dt.timedelta(days=305),
            "signage": True,
        },
    )
    reviewer = _reviewer_for(device)
    if reviewer is not None:
        services.review_device(
            reviewer,
            device.pk,
            {
                "opinion": "设备经检定合格，设置合理、标志明显，同意启用",
                "reviewed_on": today - dt.timedelta(days=50),
            },
        )
        services.publish_device(admin, device.pk, {"published_on": today - dt.timedelta(days=45)})
    device.refresh_from_db()
    return device, key


def push(device: Device, n: int, party: Party | None, occurred: dt.datetime, description: str) -> object:
    image = frame(f"{device.code}  {timezone.localtime(occurred):%Y-%m-%d %H:%M:%S}", n)
    body = json.dumps(
        {
            "external_id": f"{device.code}-{timezone.localtime(occurred):%Y%m%d%H%M%S}-{n:03d}",
            "occurred_at": timezone.localtime(occurred).isoformat(),
            "description": description,
            "location": device.location,
            "party": {"uscc": party.uscc, "hint": party.name} if party else {"hint": "浙H·3K521"},
            "device_check": {
                "certificate_number": device.check_certificate,
                "valid_until": device.check_valid_until.isoformat(),
            },
            "evidence": [
                {
                    "name": f"frame-{n:03d}.jpg",
                    "content_type": "image/jpeg",
                    "content_base64": base64.b64encode(image).decode(),
                }
            ],
        },
        ensure_ascii=False,
    ).encode()
    event, _ = services.receive_event(device, body)
    return event


DESCRIPTIONS = (
    "店外占道经营，在人行道摆放桌椅",
    "店外堆放杂物，占用人行道",
    "夜间在人行道露天经营",
    "车辆违规停放在人行道上",
)


def theme(lead: Organization, township: Region, today: dt.date, rng: random.Random) -> Campaign | None:
    """餐饮店"一件事": the township team and the bodies that claimed inspection items check each
    catering shop of the township in one visit."""
    actor = _guidance()
    claims = (
        Claim.objects.filter(
            item__kind="inspection", item__status="in_force", organization__is_enforcement_body=True
        )
        .select_related("organization")
        .order_by("organization__path", "item__code")
    )
    chosen: dict[int, int] = {}
    for claim in claims:
        on_spot = claim.level == "district" or claim.region_id == township.pk
        if on_spot and claim.organization_id not in chosen and len(chosen) < 4:
            chosen[claim.organization_id] = claim.item_id
    if len(chosen) < 2:
        return None
    targets = list(
        Party.objects.filter(township=township, industry="catering")
        .exclude(kind="person")
        .order_by("pk")
        .values_list("pk", flat=True)[:12]
    )
    campaign = services.create_campaign(
        actor,
        {
            "kind": "theme",
            "name": f"{today.year}年{township.name}餐饮店“一件事”联合检查",
            "lead_id": lead.pk,
            "goal": "对餐饮店的消防、食品、环境、招牌等事项进一次门、查多项事，减少重复检查。",
            "period_start": today - dt.timedelta(days=10),
            "period_end": today + dt.timedelta(days=40),
            "item_ids": sorted(set(chosen.values())),
            "body_ids": sorted(chosen),
            "township_ids": [township.pk],
            "industries": ["catering"] if targets else [],
            "target_ids": []
            if targets
            else list(
                Party.objects.filter(township=township)
                .exclude(kind="person")
                .values_list("pk", flat=True)[:8]
            ),
        },
    )
    services.plan_campaign(actor, campaign.pk)
    # results of the first targets, visited already (one day for all bodies of a target)
    recorder = {}
    for org_id in chosen:
        recorder[org_id] = (
            User.objects.filter(
                Q(role=User.Role.OFFICER) | Q(role=User.Role.DEPARTMENT_ADMIN),
                organization__path__startswith=Organization.objects.get(pk=org_id).path,
                is_active=True,
            )
            .order_by("pk")
            .first()
            or actor
        )
    done_parties = list(
        CampaignTask.objects.filter(campaign=campaign)
        .values_list("party_id", flat=True)
        .distinct()
        .order_by("party_id")[:5]
    )
    for n, party_id in enumerate(done_parties):
        day = today - dt.timedelta(days=1 + n)
        for task in CampaignTask.objects.filter(campaign=campaign, party_id=party_id):
            outcome = rng.choices(["no_issue", "rectification", "case_suggested"], weights=[7, 2, 1])[0]
            findings = {
                "no_issue": "",
                "rectification": "灭火器压力不足，已责令整改",
                "case_suggested": "发现未按规定公示证照",
            }[outcome]
            try:
                services.record_result(
                    recorder[task.organization_id],
                    task.pk,
                    {"outcome": outcome, "findings": findings, "checked_on": day},
                )
            except (DomainError, ValidationError):  # a recorder outside the body's scope: the task stays open
                continue
    return campaign


def load_demo_smart(
    seed: int, body: Organization, township: Region, item, party: Party | None, today: dt.date | None = None
) -> DemoSmart:
    today = today or timezone.localdate()
    rng = random.Random(f"smart|{seed}")
    result = DemoSmart()
    if Device.objects.filter(code=CAMERA_CODE).exists() or _guidance() is None:
        return result
    result.device, result.device_key = camera(body, township, item, today)
    if result.device.status == Device.Status.PUBLISHED:
        others = list(
            Party.objects.filter(township=township, kind="enterprise")
            .exclude(pk=getattr(party, "pk", None))
            .order_by("pk")[:3]
        )
        for n, who in enumerate([party, *others, None]):
            occurred = timezone.now() - dt.timedelta(days=n, hours=2 + n)
            result.events.append(push(result.device, n, who, occurred, DESCRIPTIONS[n % len(DESCRIPTIONS)]))
    result.campaign = theme(
        Organization.objects.filter(kind="guidance_office").first() or body, township, today, rng
    )
    return result
