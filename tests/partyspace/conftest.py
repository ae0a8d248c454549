"""The party's space on top of the cases district (``cw``): 上方某某餐饮有限公司 with a registered
phone, a case of 上方镇 notified today, the test payment channel and a file sender for codes.

Every fine is hearing-eligible here (no thresholds configured: the cases app's safe side), so the
hearing steps can be walked with the item's fines."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.cases import conftest as cases_conftest
from tests.parties.conftest import add_party
from zhifa.cases import services as case_services
from zhifa.partyspace import otp
from zhifa.partyspace.session import actor_for

cw = cases_conftest.cw
PARTY_PHONE = "13800571234"


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def ps(cw, settings, tmp_path):
    settings.ZHIFA_CASE_CONFIG = {"defence_period_working_days": 3}
    settings.ZHIFA_OTP_SENDER = "zhifa.partyspace.otp.FileSender"
    settings.ZHIFA_OTP_FILE = str(tmp_path / "otp.jsonl")
    settings.ZHIFA_PAYMENT_ADAPTER = "zhifa.partyspace.payments.TestAdapter"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    otp.OUTBOX.clear()
    cw.firm.phone = PARTY_PHONE
    cw.firm.save(update_fields=["phone"])
    other = add_party(cw.world.shangfang, name="上方另一家有限公司", phone="13900000002")
    return SimpleNamespace(
        cw=cw,
        firm=cw.firm,
        other=other,
        actor=actor_for(cw.firm),
        other_actor=actor_for(other),
        otp_file=tmp_path / "otp.jsonl",
    )


def last_code(ps) -> str:
    lines = ps.otp_file.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[-1])["code"]


def notified_case(ps, *, party=None, fine: str = "5000", notice_on: dt.date | None = None):
    """A case of 上方镇 against ``party`` (the firm): opened 20 days ago, filed by the head, investigated,
    and notified on ``notice_on`` (today)."""
    cw = ps.cw
    notice_on = notice_on or today()
    start = notice_on - dt.timedelta(days=20)
    case = case_services.open_case(
        cw.user,
        {
            "party": party or ps.firm,
            "item": cw.item,
            "act_date": start - dt.timedelta(days=3),
            "discovery_date": start,
            "summary": "在门店外占道经营",
            "officers": [cw.world.officer_a, cw.second],
        },
    )
    case_services.transition(cw.head, case.pk, "file", {"filing_date": start + dt.timedelta(days=1)})
    case_services.transition(cw.user, case.pk, "start_investigation", {"as_of": start + dt.timedelta(days=2)})
    case_services.transition(
        cw.user,
        case.pk,
        "notify",
        {
            "facts_clear": True,
            "notice_date": notice_on,
            "penalties_intended": [{"kind": "fine", "amount": fine}],
        },
    )
    case.refresh_from_db()
    return case


def decided_and_served(ps, case, *, on: dt.date | None = None):
    """Waiver of the party (electronic), decision by the head, service by the officer on ``on``."""
    cw = ps.cw
    on = on or today()
    case_services.record_waiver(
        cw.user,
        case.pk,
        {"signed_on": case.notice_date, "waives_statement": True, "waives_hearing": True},
        b"%PDF-1.4 signed",
        "waiver.pdf",
    )
    case_services.transition(cw.head, case.pk, "decide", {"decision_date": on})
    case_services.transition(cw.user, case.pk, "serve", {"service_date": on, "service_method": "direct"})
    case.refresh_from_db()
    return case


def jpeg(size: int = 200) -> bytes:
    return b"\xff\xd8\xff\xe0" + b"0" * size


def pdf(size: int = 200) -> bytes:
    return b"%PDF-1.4\n" + b"0" * size


class Clock:
    """Moves the platform's clock (``django.utils.timezone.now``, which ``localdate`` and every
    ``auto_now`` read) forward, so that a journey can reach a hearing weeks after its notice. The
    live server runs in this process and sees the same clock."""

    def __init__(self, real):
        self.real, self.offset = real, dt.timedelta(0)

    def now(self):
        return self.real() + self.offset

    def travel_to(self, day: dt.date, at: dt.time = dt.time(9, 0)) -> None:
        target = timezone.make_aware(dt.datetime.combine(day, at))
        self.offset = target - self.real()


@pytest.fixture
def clock(monkeypatch):
    moving = Clock(timezone.now)
    monkeypatch.setattr(timezone, "now", moving.now)
    return moving


def hearing_day(start: dt.date | None = None) -> dt.date:
    """A day 20 calendar days ahead: more than seven working days even across a holiday week."""
    return (start or today()) + dt.timedelta(days=20)


CHECKS = dict.fromkeys(
    ("authority", "officers", "facts", "evidence", "procedure", "basis", "documents", "crime"), True
)


def legal_review_passed(ps, case, on: dt.date) -> None:
    """第五十八条: a heard case goes to legal review before the head decides; the body's qualified
    reviewer passes it."""
    from zhifa.cases.models import LegalReview

    case_services.transition(ps.cw.user, case.pk, "submit_legal_review", {"as_of": on})
    review = LegalReview.objects.get(case=case, status__in=("waiting", "in_review"))
    case_services.record_review(
        ps.cw.reviewer,
        review.pk,
        {"result": "passed", "opinion": "事实清楚，程序合法", "checklist": CHECKS, "as_of": on},
    )


def signed_in(client, party):
    """``client`` signed in to ``party``'s space (as after a checked code)."""
    from zhifa.partyspace.session import sign_in

    session = client.session
    request = SimpleNamespace(session=session)
    sign_in(request, party)
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client
