"""Demo data of training: this year's plans of the comprehensive bureau and of two township teams,
with business and legal courses already held, attendance (some officers short of their 60 hours),
an exam with scores, officers preparing for the legal qualification exam, and the "六支队伍"
supporting 上方镇. Written through the services, as their keepers would."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from zhifa.organizations.models import Officer, Organization, User

from . import services
from .models import TrainingPlan

SYLLABUS = """一、法律基础：《行政处罚法》（2021年修订）、《行政强制法》、《浙江省综合行政执法条例》。
二、执法程序：立案、调查取证、告知、陈述申辩、听证、法制审核、决定、送达、执行；执法全过程记录。
三、业务知识：本单位承接的执法事项、裁量基准、“综合查一次”与双随机抽查。
四、执法技能：现场检查、文书制作、掌上执法与亮证执法、柔性执法。
五、考核：年度法律知识考试，每人全年参训不少于60学时。"""
COURSES = [  # title, kind, hours, days ago, teacher
    ("年度网络学法与执法技能在线课程（累计）", "legal", Decimal(40), 75, "区司法局"),
    ("《行政处罚法》与执法程序专题", "legal", Decimal(8), 45, "区法院行政庭"),
    ("综合查一次与双随机抽查业务培训", "business", Decimal(8), 30, "区综合行政执法指导办"),
    ("执法文书制作与全过程记录", "business", Decimal(8), 12, "局法制科"),
]


def _when(now: dt.datetime, days_ago: int) -> dt.datetime | None:
    start = timezone.make_aware(dt.datetime(now.year, 1, 2, 9))
    moment = max(start, now - dt.timedelta(days=days_ago))
    return moment if moment <= now - dt.timedelta(hours=1) else None


def _plan(actor, body: Organization, year: int, rng: random.Random, *, attendance: float) -> dict:
    plan = services.create_plan(
        actor,
        services.PlanInput.parse(
            {
                "organization": body.pk,
                "year": year,
                "title": f"{body.name}{year}年度执法人员培训工作方案",
                "syllabus": SYLLABUS,
                "required_hours": "60",
            }
        ),
    )
    from . import selectors

    trainees = [o.pk for o in selectors.trainees(actor, plan).filter(kind=Officer.Kind.ENFORCEMENT)]
    now, courses, attended = timezone.now(), 0, 0
    for title, kind, hours, days_ago, teacher in COURSES:
        when = _when(now, days_ago)
        if when is None:
            continue
        course = services.add_course(
            actor,
            services.CourseInput.parse(
                {
                    "plan": plan.pk,
                    "title": title,
                    "kind": kind,
                    "starts_at": when.isoformat(),
                    "hours": str(hours),
                    "teacher": teacher,
                    "location": "区行政执法培训中心" if kind == "business" else "线上/区司法局报告厅",
                }
            ),
        )
        courses += 1
        present = [pk for pk in trainees if rng.random() < attendance]
        if present:
            services.record_attendance(
                actor, services.AttendanceInput.parse({"course": course.pk, "officers": present})
            )
            attended += len(present)
        if title.startswith("《行政处罚法》") and present:
            exam = services.create_exam(
                actor,
                services.ExamInput.parse(
                    {
                        "course": course.pk,
                        "title": "《行政处罚法》专题考试",
                        "held_on": when.date().isoformat(),
                    }
                ),
            )
            services.record_scores(
                actor,
                services.ScoresInput.parse(
                    {
                        "exam": exam.pk,
                        "scores": {pk: rng.choice([52, 58, 64, 72, 78, 85, 88, 91, 95]) for pk in present},
                    }
                ),
            )
    return {"plan": plan.pk, "courses": courses, "attendance": attended}


def load(seed: int = 2026) -> dict:
    """Idempotent: nothing is written when this year's plans exist."""
    year = timezone.localdate().year
    if TrainingPlan.objects.filter(year=year).exists():
        return {}
    rng = random.Random(seed)
    out = {}
    bureau_admin = User.objects.filter(
        role=User.Role.DEPARTMENT_ADMIN, organization__kind="comprehensive_bureau"
    ).first()
    leader = User.objects.filter(role=User.Role.TOWNSHIP_LEADER).select_related("organization").first()
    if bureau_admin is not None:
        out["bureau"] = _plan(bureau_admin, bureau_admin.organization, year, rng, attendance=0.85)
    teams = []
    if leader is not None:
        teams = list(
            Organization.objects.filter(
                kind=Organization.Kind.TOWNSHIP_TEAM, path__startswith=leader.organization.path
            )
        )
        for team in teams:
            out[team.name] = _plan(leader, team, year, rng, attendance=0.8)
    guidance = User.objects.filter(role=User.Role.GUIDANCE_OFFICE).first()
    if guidance is not None:
        other = Organization.objects.filter(
            kind=Organization.Kind.TOWNSHIP_TEAM, region__name="峡川镇"
        ).first()
        if other is not None and other not in teams:
            out[other.name] = _plan(guidance, other, year, rng, attendance=0.6)
        candidates = list(
            Officer.objects.filter(
                is_active=True,
                kind=Officer.Kind.ENFORCEMENT,
                legal_qualified=False,
                organization__kind=Organization.Kind.TOWNSHIP_TEAM,
            ).order_by("pk")[:4]
        )
        for i, officer in enumerate(candidates):
            services.set_candidate(
                guidance,
                services.CandidateInput.parse(
                    {
                        "officer": officer.pk,
                        "year": year,
                        "status": ("preparing", "registered")[i % 2],
                        "note": "参加国家统一法律职业资格考试",
                    }
                ),
            )
        out["candidates"] = len(candidates)
        if teams:
            out["supports"] = _supports(guidance, teams[0], year)
    return out


def _supports(actor, team: Organization, year: int) -> int:
    """The six support teams of one township team (方案 三（五）2)."""
    since = dt.date(year, 1, 1).isoformat()
    officer = (
        Officer.objects.filter(organization=team, is_active=True, kind=Officer.Kind.ENFORCEMENT)
        .order_by("pk")
        .first()
    )
    justice = Organization.objects.filter(
        kind=Organization.Kind.DISPATCHED_STATION, region=team.region, name__endswith="司法所"
    ).first()
    legal_unit = Organization.objects.filter(name="法制科").first()
    reviewer = (
        Officer.objects.filter(organization__region=team.region, is_active=True)
        .exclude(pk=getattr(officer, "pk", None))
        .order_by("pk")
        .first()
    )
    rows = [
        {
            "role": "legal_officer",
            "supporter_officer": getattr(officer, "pk", None),
            "note": "队内法制审核把关",
        },
        {
            "role": "township_reviewer",
            "supporter_officer": getattr(reviewer, "pk", None),
            "note": "乡镇重大执法决定法制审核",
        },
        {
            "role": "judicial_office",
            "supporter_org": getattr(justice, "pk", None),
            "note": "法律咨询、合法性审查",
        },
        {"role": "public_lawyer", "supporter_name": "区司法局公职律师 王律师", "note": "疑难案件法律意见"},
        {
            "role": "department_legal",
            "supporter_org": getattr(legal_unit, "pk", None),
            "note": "业务指导与案卷评查",
        },
        {"role": "court", "supporter_name": "衢州市衢江区人民法院行政庭", "note": "非诉执行审查与业务培训"},
    ]
    n = 0
    for row in rows:
        if not any(row.get(k) for k in ("supporter_officer", "supporter_org", "supporter_name")):
            continue
        services.assign_support(
            actor, services.SupportInput.parse({"supported": team.pk, "since": since, **row})
        )
        n += 1
    return n
