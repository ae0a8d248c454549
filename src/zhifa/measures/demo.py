"""Demo measures on the demo cases of 上方镇 and of the bureau (``zhifa.cases.demo`` makes them), each
step taken through the services by its role on dates in the past: a preservation running its seven
working days, a seizure extended once and released, a seizure still running, a referral accepted
and its items handed over, a referral refused and the case continued administratively.

Run after ``load_demo_cases``; a case it needs but cannot find is skipped."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.core import access
from zhifa.organizations.models import User

from . import services

ITEMS = {
    "food": [
        {"name": "过期冷冻肉制品", "quantity": "120", "unit": "公斤", "note": "外包装标注2025年生产"},
        {"name": "冷藏柜", "quantity": "1", "unit": "台"},
    ],
    "goods": [{"name": "无标识电动车电池", "quantity": "36", "unit": "块"}],
    "ledger": [
        {"name": "进货台账", "quantity": "2", "unit": "本"},
        {"name": "销售单据", "quantity": "58", "unit": "张"},
    ],
    "site": [{"name": "违规加工作坊（车间）", "quantity": "1", "unit": "处", "note": "贴封条两处"}],
}
POLICE = "衢州市公安局衢江分局"


def _head(case: Case) -> User | None:
    body = case.organization.body()
    heads = (
        User.objects.filter(
            Q(role=User.Role.HEAD)
            | Q(role_grants__role=User.Role.HEAD, role_grants__revoked_at__isnull=True),
            is_active=True,
            organization__path__startswith=body.path.rsplit("/", 2)[0] + "/",
        )
        .distinct()
        .order_by("pk")
    )
    return next((u for u in heads if access.can(u, "cases.approve_measures", case)), None)


class _Case:
    """A demo case and its cast; ``day(n)`` is the n-th day after the case was discovered."""

    def __init__(self, case: Case, officer: User, head: User):
        self.case, self.officer, self.head = case, officer, head
        self.officer_ids = [row.officer_id for row in case.case_officers.filter(assisting=False)][:2]

    def day(self, n: int) -> dt.date:
        return self.case.discovery_date + dt.timedelta(days=n)

    def at(self, n: int, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.day(n), dt.time(hour, 0)))

    def approve(self, approval_id: int, n: int, opinion: str = "同意") -> None:
        from zhifa.cases.services import decide_approval

        decide_approval(self.head, approval_id, {"approve": True, "opinion": opinion, "as_of": self.day(n)})


def _find(officer: User, state: str, age: int) -> _Case | None:
    """The first demo case of the officer's body in ``state`` found at least ``age`` days ago."""
    if officer is None or officer.organization is None:
        return None
    body = officer.organization.body()
    since = timezone.localdate() - dt.timedelta(days=age)
    case = (
        Case.objects.filter(
            organization__path__startswith=body.path,
            state=state,
            procedure="general",
            discovery_date__lte=since,
        )
        .exclude(criminal_referrals__isnull=False)
        .exclude(seizures__isnull=False)
        .exclude(preservations__isnull=False)
        .order_by("created_at", "pk")
        .first()
    )
    if case is None or case.discovery_date is None:
        return None
    head = _head(case)
    return _Case(case, officer, head) if head is not None else None


def _preservation(c: _Case) -> None:
    """先行登记保存, approved and preserved two days after the case was found: its decision is due."""
    record = services.propose_preservation(
        c.officer,
        c.case.pk,
        {
            "items": ITEMS["ledger"],
            "place": "当事人经营场所办公室",
            "reason": "当事人拒不提供进货台账，台账、单据可能被销毁或者转移",
        },
    )
    c.approve(record.approval_id, 2)
    services.execute_preservation(
        c.officer,
        record.pk,
        {"preserved_on": c.day(2), "officer_ids": c.officer_ids, "site_note": "当事人到场，清点后贴封存放"},
    )


def _seizure_extended_and_released(c: _Case) -> None:
    record = services.propose_seizure(
        c.officer,
        c.case.pk,
        {
            "kind": "seize",
            "items": ITEMS["food"],
            "place": "当事人冷库",
            "reason": "涉嫌经营超过保质期的食品，需送检",
            "legal_basis": "《中华人民共和国食品安全法》第一百一十条第四项",
        },
    )
    c.approve(record.approval_id, 4)
    services.execute_seizure(
        c.officer,
        record.pk,
        {
            "executed_on": c.day(5),
            "officer_ids": c.officer_ids,
            "statement": "当事人称不知已过期",
            "record": "当事人到场，清点扣押并签名",
        },
    )
    record.refresh_from_db()
    record = services.request_extension(
        c.officer,
        record.pk,
        {"days": 20, "reason": "检验机构尚未出具检验报告，案情复杂", "requested_on": c.day(32)},
    )
    c.approve(record.extension_approval_id, 33)
    services.serve_extension_notice(c.officer, record.pk, {"served_on": c.day(34)})
    services.end_seizure(
        c.officer,
        record.pk,
        {
            "ended_on": c.day(45),
            "end_kind": "release",
            "ground": "unrelated",
            "note": "检验报告显示冷藏柜与违法行为无关，予以退还",
        },
    )


def _seizure_running(c: _Case) -> None:
    record = services.propose_seizure(
        c.officer,
        c.case.pk,
        {
            "kind": "seal",
            "items": ITEMS["site"],
            "place": "当事人加工作坊",
            "reason": "无证加工且拒不停止",
            "legal_basis": "《无证无照经营查处办法》第十一条",
        },
    )
    c.approve(record.approval_id, 4)
    services.execute_seizure(
        c.officer,
        record.pk,
        {"executed_on": c.day(5), "officer_ids": c.officer_ids, "record": "当事人到场，现场张贴封条"},
    )


def _referral(c: _Case, accepted: bool) -> None:
    referral = services.open_referral(
        c.officer,
        c.case.pk,
        {
            "discovered_on": c.day(5),
            "team_appointed_on": c.day(5),
            "team_ids": c.officer_ids,
            "suspected_crime": "涉嫌销售伪劣产品罪，经初步核实销售金额超过五万元"
            if accepted
            else "涉嫌非法经营罪，经营数额可能达到立案追诉标准",
        },
    )
    referral = services.report_referral(
        c.officer,
        referral.pk,
        {"reported_on": c.day(6), "report": "专案组核实：调取销售台账及转账记录，涉案金额经统计如附件。"},
    )
    c.approve(referral.approval_id, 7, "同意移送公安机关")
    services.transfer_referral(
        c.officer,
        referral.pk,
        {"transferred_at": c.at(7, 16), "police_body": POLICE, "materials": ["items_list", "other"]},
    )
    services.record_receipt(
        c.officer, referral.pk, {"received_on": c.day(8), "receipt_signed_by": "衢江分局经侦大队 值班民警"}
    )
    if accepted:
        services.record_answer(
            c.officer,
            referral.pk,
            {
                "answered_on": c.day(10),
                "accepted": True,
                "answer_number": f"衢江公（经）立字〔{c.day(10).year}〕{c.case.pk}号",
            },
        )
        services.record_handover(
            c.officer,
            referral.pk,
            {"handed_over_on": c.day(12), "materials": "案卷材料一宗、销售台账2本、转账记录复印件"},
        )
    else:
        services.record_answer(
            c.officer,
            referral.pk,
            {
                "answered_on": c.day(10),
                "accepted": False,
                "answer_number": f"衢江公（经）不立字〔{c.day(10).year}〕{c.case.pk}号",
                "reasons": "经审查，经营数额未达到立案追诉标准",
            },
        )
        services.resume_case(c.officer, referral.pk, {"resumed_on": c.day(12)})


def load_demo_measures() -> dict[str, int]:
    """The measures of the demo (see the module docstring); returns what was made."""
    made: dict[str, int] = {}
    township = User.objects.filter(username="shangfang_officer").select_related("organization").first()
    bureau = User.objects.filter(username="zfj_deputy").select_related("organization").first()
    # (what, whose, the case's state, days since the case was found — every act lies in the past)
    plan = [
        ("preservation", township, "filed", 3, _preservation),
        ("seizure_extended_released", township, "notified", 46, _seizure_extended_and_released),
        ("referral_refused_resumed", township, "investigating", 13, lambda c: _referral(c, accepted=False)),
        ("seizure_running", bureau, "notified", 6, _seizure_running),
        ("referral_accepted", bureau, "investigating", 13, lambda c: _referral(c, accepted=True)),
    ]
    for name, officer, state, age, make in plan:
        target = _find(officer, state, age)
        if target is None or len(target.officer_ids) < 2:
            continue
        make(target)
        made[name] = made.get(name, 0) + 1
    return made
