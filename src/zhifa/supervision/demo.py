"""Demo data of supervision: a case file scoring sheet, a four-dimension appraisal scheme, one
sweep of every alert rule over the demo district, a review draw and an appraisal of the last
quarter when the data has closed cases and township staff."""

import datetime as dt

from django.utils import timezone

from zhifa.organizations.models import User

from . import services
from .models import AppraisalScheme, ScoreSheet

SHEET_NAME = "行政处罚案卷评查表"
SHEET_ITEMS = [
    {
        "category": "执法主体",
        "text": "执法主体合法，执法人员具有执法资格且不少于两人",
        "max_points": 10,
        "basis": "行政处罚法第四十二条、第五十五条",
    },
    {
        "category": "事实证据",
        "text": "违法事实清楚，证据确凿、充分，取证程序合法",
        "max_points": 25,
        "basis": "行政处罚法第四十条、第四十六条",
    },
    {
        "category": "适用依据",
        "text": "适用法律、法规、规章正确，裁量适当并符合裁量基准",
        "max_points": 20,
        "basis": "行政处罚法第三十四条",
    },
    {
        "category": "程序",
        "text": "立案、告知、陈述申辩、听证、法制审核、决定等程序合法",
        "max_points": 25,
        "basis": "行政处罚法第四十四条、第五十八条、第六十三条",
    },
    {
        "category": "文书",
        "text": "文书规范、送达合法，执行到位",
        "max_points": 10,
        "basis": "行政处罚法第五十九条、第六十一条",
    },
    {
        "category": "归档",
        "text": "案卷材料完整，按规定归档",
        "max_points": 10,
        "basis": "行政处罚法第四十七条",
    },
]
SCHEME_NAME = "乡镇（街道）执法人员四维考评"
SCHEME_DIMENSIONS = [
    {
        "name": "执法岗位考评",
        "weight": 55,
        "enforcement_post": True,
        "metrics": ["cases", "inspections", "review_score"],
    },
    {"name": "乡镇（街道）日常考评", "weight": 20, "metrics": ["incidents_on_time"]},
    {"name": "派出部门业务考评", "weight": 10, "metrics": ["review_score"]},
    {"name": "服务对象评价", "weight": 15, "metrics": ["satisfaction"]},
]


def load(now: dt.datetime | None = None) -> dict:
    """Idempotent: the sheet and the scheme are created once; the sweep raises nothing twice."""
    now = now or timezone.now()
    actor = (
        User.objects.filter(role=User.Role.SUPERVISOR).order_by("pk").first()
        or User.objects.filter(role=User.Role.GUIDANCE_OFFICE).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    out = {"sheet": None, "scheme": None, "alerts": 0, "reviews": 0, "appraised": 0}
    if actor is None:
        return out
    sheet = ScoreSheet.objects.filter(name=SHEET_NAME, is_active=True).first() or services.create_sheet(
        actor, SHEET_NAME, SHEET_ITEMS
    )
    scheme = AppraisalScheme.objects.filter(name=SCHEME_NAME).first() or services.create_scheme(
        actor,
        {"name": SCHEME_NAME, "dimensions": SCHEME_DIMENSIONS, "targets": {"cases": 6, "inspections": 20}},
    )
    out.update(sheet=sheet.pk, scheme=scheme.pk, alerts=sum(services.sweep(now).values()))
    today = timezone.localdate(now)
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=62)
    start = start.replace(day=1)
    if not sheet.batches.exists():
        batch = services.draw_reviews(
            actor,
            sheet_id=sheet.pk,
            period_start=start,
            period_end=today,
            seed="demo",
            share=0.2,
            per_body=1,
            title="演示：近期结案案卷评查",
        )
        out["reviews"] = batch.reviews.count()
    out["appraised"] = services.compute_appraisal(actor, scheme.pk, start, today)
    return out


# ---- 单位考评, 执法评议, 双向案件咨询 ----

BODY_SCHEME_NAME = "综合行政执法工作单列考核（部门、乡镇）"
BODY_DIMENSIONS = [
    {"name": "办案质效", "weight": 30, "metrics": ["cases", "case_timeliness", "review_score"]},
    {"name": "事件处置", "weight": 25, "metrics": ["incident_timeliness", "complaints"]},
    {"name": "群众评价", "weight": 20, "metrics": ["satisfaction", "evaluation"]},
    {"name": "队伍建设", "weight": 25, "metrics": ["training"]},
]
#: A small PDF standing in for a scanned commendation (the evidence of a manual item).
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_assurance(now: dt.datetime | None = None) -> dict:
    """The body appraisal of this year (and last, for the trend), an 执法评议 campaign with answers
    and findings, and consultations. Idempotent: nothing is written twice."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhifa.organizations.models import Organization

    from . import appraisal, consultation, evaluation
    from .models import BodyAppraisal, Consultation, EvaluationCampaign

    now = now or timezone.now()
    year = timezone.localdate(now).year
    supervisor = User.objects.filter(role=User.Role.SUPERVISOR, is_superuser=False).order_by("pk").first()
    guidance = User.objects.filter(role=User.Role.GUIDANCE_OFFICE).order_by("pk").first()
    actor = supervisor or guidance
    out = {"appraised": 0, "invitations": 0, "findings": 0, "consultations": 0}
    if actor is None:
        return out
    bodies = [
        o
        for o in (
            Organization.objects.filter(kind="comprehensive_bureau", is_enforcement_body=True).first(),
            Organization.objects.filter(kind="township_team", region__name="上方镇").first(),
            Organization.objects.filter(kind="township_team", region__name="峡川镇").first(),
            Organization.objects.filter(kind="professional_department", name__contains="市场").first(),
        )
        if o is not None
    ]
    if not BodyAppraisal.objects.exists():
        scheme = AppraisalScheme.objects.filter(
            name=BODY_SCHEME_NAME
        ).first() or appraisal.create_body_scheme(
            actor,
            appraisal.BodySchemeInput.parse(
                {"name": BODY_SCHEME_NAME, "dimensions": BODY_DIMENSIONS, "targets": {"cases": 30}}
            ),
        )
        officers = AppraisalScheme.objects.filter(name=SCHEME_NAME).first()
        for body in bodies:
            for y in (year - 1, year):
                result = appraisal.appraise_body(
                    actor,
                    appraisal.BodyAppraisalInput.parse(
                        {
                            "scheme": scheme.pk,
                            "organization": body.pk,
                            "year": y,
                            "officer_scheme": officers.pk if officers and y == year else None,
                        }
                    ),
                )
                out["appraised"] += 1
        township = bodies[1] if len(bodies) > 1 else bodies[0]
        result = BodyAppraisal.objects.get(scheme=scheme, organization=township, year=year)
        appraisal.add_manual_score(
            actor,
            appraisal.ManualScoreInput.parse(
                {
                    "appraisal": result.pk,
                    "title": "获市级“枫桥式”基层执法队伍称号",
                    "points": "3",
                    "note": "市综合执法局通报表扬",
                }
            ),
            SimpleUploadedFile("表彰通报.pdf", EVIDENCE_PDF, "application/pdf"),
        )
    if not EvaluationCampaign.objects.exists() and bodies:
        campaign = evaluation.create_campaign(
            actor,
            evaluation.CampaignInput.parse(
                {
                    "title": f"{year}年度行政执法评议",
                    "year": year,
                    "period_start": dt.date(year, 1, 1).isoformat(),
                    "period_end": timezone.localdate(now).isoformat(),
                    "departments": [b.pk for b in bodies],
                }
            ),
        )
        invitations = evaluation.invite(
            actor, evaluation.InviteInput.parse({"campaign": campaign.pk, "per_department": 8})
        )
        out["invitations"] = len(invitations)
        for i, invitation in enumerate(invitations[: len(invitations) // 2]):
            scores = {str(q): 5 - (i + q) % 3 for q in range(len(campaign.questions))}
            answer = evaluation.AnswerInput.parse(
                {"scores": scores, "comment": "执法人员出示证件，态度文明" if i % 2 else ""}
            )
            if i % 3 == 0:
                evaluation.answer_by_phone(actor, invitation.pk, answer)
            else:
                evaluation.answer_by_link(invitation.token, answer)
        due = timezone.localdate(now) + dt.timedelta(days=30)
        texts = {0: "部分检查记录未上传现场照片，全过程记录不完整", 1: "个别当事人反映检查前未告知检查依据"}
        for i, body in enumerate(bodies[:2]):
            evaluation.add_finding(
                actor,
                evaluation.FindingInput.parse(
                    {
                        "campaign": campaign.pk,
                        "organization": body.pk,
                        "source": "questionnaire" if i else "other",
                        "text": texts[i],
                        "due_on": due.isoformat(),
                    }
                ),
            )
            out["findings"] += 1
        evaluation.sample_case_files(
            actor, evaluation.SampleInput.parse({"campaign": campaign.pk, "per_department": 2})
        )
    if not Consultation.objects.exists() and len(bodies) > 1:
        team, bureau = bodies[1], bodies[0]
        first = consultation.ask(
            actor if guidance is None else guidance,
            consultation.ConsultationInput.parse(
                {
                    "direction": "outgoing",
                    "organization": team.pk,
                    "counterpart": "public_security",
                    "counterpart_name": "衢州市公安局衢江分局",
                    "counterpart_contact": "法制大队 李警官",
                    "question": "辖区内发现有人在河道内非法采砂，采砂量初步估算超过500立方米，是否达到非法采矿罪立案追诉标准？",
                    "asked_at": (now - dt.timedelta(days=6)).isoformat(),
                }
            ),
        )
        consultation.answer(
            guidance or actor,
            consultation.AnswerConsultationInput.parse(
                {
                    "consultation": first.pk,
                    "conclusion": "suspected_crime",
                    "answered_by": "衢江分局法制大队 李警官",
                    "answer": "按估算数量已可能达到立案追诉标准，建议固定现场证据、委托价格认定后依法移送。",
                    "answered_at": (now - dt.timedelta(days=4)).isoformat(),
                }
            ),
        )
        consultation.ask(
            guidance or actor,
            consultation.ConsultationInput.parse(
                {
                    "direction": "incoming",
                    "organization": bureau.pk,
                    "counterpart": "procuratorate",
                    "counterpart_name": "衢州市衢江区人民检察院",
                    "counterpart_contact": "第四检察部 陈检察官",
                    "question": "某餐饮企业油烟直排被多次投诉，行政处罚后是否仍在违法经营？请提供处罚及整改情况。",
                    "asked_at": (now - dt.timedelta(days=2)).isoformat(),
                }
            ),
        )
        consultation.ask(
            guidance or actor,
            consultation.ConsultationInput.parse(
                {
                    "direction": "outgoing",
                    "organization": team.pk,
                    "counterpart": "procuratorate",
                    "counterpart_name": "衢州市衢江区人民检察院",
                    "question": "擅自占用林地建房案件是否涉嫌非法占用农用地罪，请予研判。",
                    "asked_at": (now - dt.timedelta(days=1)).isoformat(),
                }
            ),
        )
        out["consultations"] = 3
    return out
