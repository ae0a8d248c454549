"""The body appraisal (the comprehensive enforcement work as its own line, manual items only with
evidence, each body's officers, the yearly report, the trend), 执法评议 (questionnaires with one
answer per invitation, expert review of sampled files, results per department, rectification)
and 双向案件咨询 — against PostgreSQL."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.parties.conftest import add_party
from zhifa.cases.models import CaseEvent
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.core.scopes import Scope
from zhifa.dispatch.models import Incident
from zhifa.inspections.models import InspectionPlan, InspectionRecord, InspectionTask
from zhifa.supervision import (
    appraisal,
    appraisal_report,
    consultation,
    evaluation,
    rules,
    selectors,
    services,
)
from zhifa.supervision.models import Answer, AppraisalResult, Finding

from .conftest import make_case

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
BODY_DIMENSIONS = [
    {"name": "办案质效", "weight": 50, "metrics": ["case_timeliness"]},
    {"name": "事件处置", "weight": 30, "metrics": ["incident_timeliness"]},
    {"name": "队伍建设", "weight": 20, "metrics": ["training"]},
]
FOUR = [
    {"name": "执法岗位考评", "weight": 55, "enforcement_post": True, "metrics": ["cases", "inspections"]},
    {"name": "日常考评", "weight": 45, "metrics": ["incidents_on_time"]},
]


def _pdf(name="佐证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", "application/pdf")


@pytest.fixture
def body_scheme(sv):
    return appraisal.create_body_scheme(
        sv.supervisor, appraisal.BodySchemeInput.parse({"name": "单列考核", "dimensions": BODY_DIMENSIONS})
    )


def test_body_rules():
    """Weights must sum to 100 over known metrics; a ratio metric without data has no score."""
    spec = rules.DimensionSpec
    assert (
        rules.check_body_weights([spec("a", 60, False, ("training",)), spec("b", 30, False, ("cases",))])[0]
        == "weights_not_100"
    )
    assert rules.check_body_weights([spec("a", 100, False, ("astrology",))])[0] == "metric_unknown"
    assert rules.body_metric_score("training", {"officers": 0}, {})[0] is None
    assert rules.body_metric_score("training", {"officers": 4, "trained": 3}, {})[0] == 75.0
    assert (
        rules.check_evidence("x.exe", 10)
        and rules.check_evidence("x.pdf", 0)
        and rules.check_evidence("x.pdf", 10) is None
    )


def test_body_line_scored_from_platform_data_with_reasons(sv, body_scheme):
    """Team A this year: cases decided 2 (one on time: 30 days; one late: 120 days) → 50 %;
    incidents replied with a due time 2, on time 1 → 50 %; training: 2 officers (officer_a,
    second), none with 60 hours → 0 %. Total 50×0.5 + 50×0.3 + 0×0.2 = 40.00."""
    start = dt.date(YEAR, 1, 2)
    make_case(sv, state="decided", filing_date=start, decision_date=start + dt.timedelta(days=30))
    make_case(
        sv,
        state="decided",
        filing_date=start,
        decision_date=start + dt.timedelta(days=120),
        act_date=dt.date(YEAR - 1, 12, 1),
    )
    now = timezone.now()
    for replied in (now - dt.timedelta(hours=2), now + dt.timedelta(hours=2)):
        Incident.objects.create(
            source="hotline",
            tracking_code=f"AP{replied:%H%M%S%f}"[:16],
            responsible_org=sv.world.team_a,
            state="replied",
            reported_at=now - dt.timedelta(days=2),
            due_at=now,
            replied_at=replied,
        )
    result = appraisal.appraise_body(
        sv.supervisor,
        appraisal.BodyAppraisalInput.parse(
            {"scheme": body_scheme.pk, "organization": sv.world.team_a.pk, "year": YEAR}
        ),
    )
    assert result.data["cases_decided"] == 2 and result.data["cases_on_time"] == 1
    assert result.total == Decimal("40.00") and result.platform_score == Decimal("40.00")
    reasons = " ".join(r for d in result.dimensions for r in d["reasons"])
    assert "案件按期决定率：1/2" in reasons and "培训学时达标率：0/2" in reasons
    assert AuditEvent.objects.filter(action="supervision.body_appraisal.compute").exists()


def test_manual_items_need_evidence_and_are_bounded(sv, body_scheme):
    result = appraisal.appraise_body(
        sv.supervisor,
        appraisal.BodyAppraisalInput.parse(
            {"scheme": body_scheme.pk, "organization": sv.world.team_a.pk, "year": YEAR}
        ),
    )
    cmd = appraisal.ManualScoreInput.parse({"appraisal": result.pk, "title": "获市级表彰", "points": "3"})
    with pytest.raises(ValidationError) as exc:
        appraisal.add_manual_score(sv.supervisor, cmd, None)
    assert exc.value.error_dict["evidence"][0].code == "evidence_required"
    with pytest.raises(ValidationError) as exc:
        appraisal.add_manual_score(
            sv.supervisor, cmd, SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")
        )
    assert exc.value.error_dict["evidence"][0].code == "evidence_invalid"
    with pytest.raises(ValidationError) as exc:
        appraisal.ManualScoreInput.parse({"appraisal": result.pk, "title": "越界", "points": "11"})
    assert "points" in exc.value.error_dict
    item = appraisal.add_manual_score(sv.supervisor, cmd, _pdf())
    assert len(item.evidence_sha256) == 64 and item.evidence_name == "佐证.pdf"
    result.refresh_from_db()
    assert result.manual_score == Decimal(3) and result.total == result.platform_score + 3
    # recomputing the line keeps the manual items
    again = appraisal.appraise_body(
        sv.supervisor,
        appraisal.BodyAppraisalInput.parse(
            {"scheme": body_scheme.pk, "organization": sv.world.team_a.pk, "year": YEAR}
        ),
    )
    assert again.pk == result.pk and again.manual_score == Decimal(3)
    with pytest.raises(PermissionDenied):
        appraisal.add_manual_score(sv.world.leader_a, cmd, _pdf())


def test_each_body_appraises_its_own_officers_and_the_report(sv, body_scheme):
    four = services.create_scheme(sv.supervisor, {"name": "四维考评", "dimensions": FOUR})
    result = appraisal.appraise_body(
        sv.supervisor,
        appraisal.BodyAppraisalInput.parse(
            {
                "scheme": body_scheme.pk,
                "organization": sv.world.team_a.pk,
                "year": YEAR,
                "officer_scheme": four.pk,
            }
        ),
    )
    appraised = set(AppraisalResult.objects.values_list("officer__name", flat=True))
    assert appraised == {"甲镇队员", "甲镇队员二"}  # team A's staff only, not team B's
    appraisal.appraise_body(
        sv.supervisor,
        appraisal.BodyAppraisalInput.parse(
            {"scheme": body_scheme.pk, "organization": sv.world.team_a.pk, "year": YEAR - 1}
        ),
    )
    assert [a.year for a in appraisal.trend(sv.world.team_a, body_scheme)] == [YEAR - 1, YEAR]
    from pypdf import PdfReader

    pdf = appraisal_report.pdf_bytes(result)
    text = (
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "").replace("\n", "")
    )
    assert (
        "上方镇综合行政执法队" in text
        and "各维度得分及理由" in text
        and "甲镇队员" in text
        and "历年趋势" in text
    )
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(appraisal_report.xlsx_bytes(result)))
    assert book.sheetnames == ["单位考评", "人工考评项", "执法人员四维考评", "历年"]
    assert book["历年"].max_row == 3


def test_body_appraisal_is_scoped(sv, body_scheme):
    result = appraisal.appraise_body(
        sv.supervisor,
        appraisal.BodyAppraisalInput.parse(
            {"scheme": body_scheme.pk, "organization": sv.world.team_a.pk, "year": YEAR}
        ),
    )
    assert [r.pk for r in selectors.body_appraisals(sv.world.leader_a)] == [result.pk]
    assert list(selectors.body_appraisals(sv.world.leader_b)) == []
    with pytest.raises(NotFound):
        selectors.get_body_appraisal(sv.world.leader_b, result.pk)
    with pytest.raises(PermissionDenied):
        appraisal.appraise_body(
            sv.world.leader_a,
            appraisal.BodyAppraisalInput.parse(
                {"scheme": body_scheme.pk, "organization": sv.world.team_a.pk, "year": YEAR}
            ),
        )


# ---- 执法评议 ----


@pytest.fixture
def campaign(sv):
    plan = InspectionPlan.objects.create(
        department=sv.world.team_a,
        name="计划",
        period_start=dt.date(YEAR, 1, 1),
        period_end=dt.date(YEAR, 12, 31),
        ratios={},
        draw_nonce="n",
    )
    start = timezone.now() - dt.timedelta(days=3)
    for _ in range(3):
        party = add_party(sv.world.shangfang)
        task = InspectionTask.objects.create(
            plan=plan,
            party=party,
            department=sv.world.team_a,
            window_start=dt.date(YEAR, 1, 1),
            window_end=dt.date(YEAR, 12, 31),
        )
        InspectionRecord.objects.create(
            task=task,
            party=party,
            department=sv.world.team_a,
            started_at=start,
            ended_at=start + dt.timedelta(hours=1),
        )
    closed = make_case(
        sv,
        state="closed",
        filing_date=timezone.localdate() - dt.timedelta(days=40),
        decision_date=timezone.localdate() - dt.timedelta(days=10),
    )
    CaseEvent.objects.create(case=closed, action="close", from_state="paid", to_state="closed")
    return evaluation.create_campaign(
        sv.supervisor,
        evaluation.CampaignInput.parse(
            {
                "title": "年度执法评议",
                "year": YEAR,
                "period_start": f"{YEAR}-01-01",
                "period_end": timezone.localdate().isoformat(),
                "departments": [sv.world.team_a.pk],
            }
        ),
    )


def test_questionnaires_go_to_inspected_and_penalised_parties_one_answer_each(sv, campaign):
    """Team A inspected 3 parties and penalised the firm (the closed case): 4 parties, 4 invitations;
    inviting again adds none."""
    rows = evaluation.invite(sv.supervisor, evaluation.InviteInput.parse({"campaign": campaign.pk}))
    assert len(rows) == 4 and {r.subject_type for r in rows} == {"inspection", "case"}
    assert evaluation.invite(sv.supervisor, evaluation.InviteInput.parse({"campaign": campaign.pk})) == []
    first, second = rows[0], rows[1]
    scores = {str(i): 4 for i in range(len(campaign.questions))}
    answer = evaluation.answer_by_link(first.token, evaluation.AnswerInput.parse({"scores": scores}))
    assert answer.mean == Decimal("4.00") and answer.channel == "link"
    with pytest.raises(DomainError) as exc:
        evaluation.answer_by_link(first.token, evaluation.AnswerInput.parse({"scores": scores}))
    assert exc.value.code == "already_answered"
    with pytest.raises(DomainError):
        evaluation.answer_by_phone(sv.supervisor, first.pk, evaluation.AnswerInput.parse({"scores": scores}))
    with pytest.raises(ValidationError) as exc:  # a question left out
        evaluation.answer_by_phone(
            sv.supervisor, second.pk, evaluation.AnswerInput.parse({"scores": {"0": 5}})
        )
    assert "scores" in exc.value.error_dict
    with pytest.raises(ValidationError):  # out of 1..5
        evaluation.answer_by_phone(
            sv.supervisor, second.pk, evaluation.AnswerInput.parse({"scores": {**scores, "0": 9}})
        )
    phone = evaluation.answer_by_phone(
        sv.supervisor, second.pk, evaluation.AnswerInput.parse({"scores": {**scores, "0": 2}})
    )
    assert phone.channel == "phone" and phone.recorded_by == sv.supervisor
    assert Answer.objects.count() == 2
    with pytest.raises(NotFound):
        evaluation.answer_by_link("no-such-token", evaluation.AnswerInput.parse({"scores": scores}))
    results = selectors.campaign_results(sv.supervisor, campaign)
    assert [(r["invited"], r["answered"]) for r in results] == [(4, 2)]
    assert results[0]["mean"] == Decimal("3.80")  # (4.00 + 3.60) / 2


def test_expert_review_findings_and_rectification(sv, campaign):
    reviews = evaluation.sample_case_files(
        sv.supervisor, evaluation.SampleInput.parse({"campaign": campaign.pk})
    )
    assert len(reviews) == 1
    evaluation.score_expert_review(
        sv.supervisor,
        evaluation.ExpertScoreInput.parse(
            {"review": reviews[0].pk, "expert": "王专家", "score": "86", "opinion": "证据充分"}
        ),
    )
    finding = evaluation.add_finding(
        sv.supervisor,
        evaluation.FindingInput.parse(
            {
                "campaign": campaign.pk,
                "organization": sv.world.team_a.pk,
                "source": "expert",
                "text": "文书不规范",
                "due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            }
        ),
    )
    with pytest.raises(ValidationError):  # not a department of the campaign
        evaluation.add_finding(
            sv.supervisor,
            evaluation.FindingInput.parse(
                {
                    "campaign": campaign.pk,
                    "organization": sv.world.team_b.pk,
                    "source": "other",
                    "text": "x",
                    "due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
                }
            ),
        )
    with pytest.raises((NotFound, PermissionDenied)):
        evaluation.rectify(
            sv.world.leader_b, evaluation.RectifyInput.parse({"finding": finding.pk, "rectification": "x"})
        )
    with pytest.raises(DomainError):
        evaluation.verify(sv.supervisor, finding.pk, True)  # nothing reported yet
    evaluation.rectify(
        sv.world.leader_a,
        evaluation.RectifyInput.parse({"finding": finding.pk, "rectification": "已统一文书模板"}),
    )
    evaluation.verify(sv.supervisor, finding.pk, False, "未附模板")
    finding.refresh_from_db()
    assert finding.state == Finding.State.OPEN
    evaluation.rectify(
        sv.world.leader_a,
        evaluation.RectifyInput.parse({"finding": finding.pk, "rectification": "已附新模板"}),
    )
    assert evaluation.verify(sv.supervisor, finding.pk, True).state == Finding.State.VERIFIED
    row = selectors.campaign_results(sv.supervisor, campaign)[0]
    assert (row["reviewed"], row["expert_score"], row["findings"], row["open"]) == (1, Decimal("86.0"), 1, 0)
    assert list(selectors.campaigns(sv.world.leader_b)) == []  # team B is not reviewed


def test_public_survey_page_answers_once(client, sv, campaign):
    invitation = evaluation.invite(sv.supervisor, evaluation.InviteInput.parse({"campaign": campaign.pk}))[0]
    url = f"/supervision/survey/{invitation.token}/"
    html = client.get(url).content.decode()
    assert campaign.questions[0] in html and "上方镇综合行政执法队" in html
    data = {f"q_{i}": "5" for i in range(len(campaign.questions))}
    assert "请为第2题" in client.post(url, {"q_0": "5"}).content.decode()
    assert 'id="survey-done"' in client.post(url, {**data, "comment": "很好"}).content.decode()
    assert 'id="survey-answered"' in client.post(url, data).content.decode()
    assert client.get("/supervision/survey/wrong-token/").status_code == 404


# ---- 双向案件咨询 ----


def test_two_way_consultation_linked_to_the_case_and_its_referral(sv):
    case = make_case(sv, state="referred")
    asked = consultation.ask(
        sv.world.leader_a,
        consultation.ConsultationInput.parse(
            {
                "direction": "outgoing",
                "organization": sv.world.team_a.pk,
                "counterpart": "public_security",
                "counterpart_name": "衢江分局",
                "case": case.pk,
                "question": "是否涉嫌非法采矿罪？",
            }
        ),
    )
    assert consultation.referral_of(asked) is None
    CaseEvent.objects.create(
        case=case,
        action="refer_criminal",
        from_state="investigating",
        to_state="referred",
        on=timezone.localdate(),
    )
    assert consultation.referral_of(asked).action == "refer_criminal"
    with pytest.raises(ValidationError) as exc:  # an answer before the question was asked
        consultation.answer(
            sv.world.leader_a,
            consultation.AnswerConsultationInput.parse(
                {
                    "consultation": asked.pk,
                    "conclusion": "suspected_crime",
                    "answer": "涉嫌",
                    "answered_by": "李警官",
                    "answered_at": (asked.asked_at - dt.timedelta(days=1)).isoformat(),
                }
            ),
        )
    assert "answered_at" in exc.value.error_dict
    done = consultation.answer(
        sv.world.leader_a,
        consultation.AnswerConsultationInput.parse(
            {
                "consultation": asked.pk,
                "conclusion": "suspected_crime",
                "answer": "达到立案追诉标准",
                "answered_by": "李警官",
            }
        ),
    )
    assert done.state == "answered" and done.get_conclusion_display().startswith("涉嫌犯罪")
    with pytest.raises(DomainError):
        consultation.answer(
            sv.world.leader_a,
            consultation.AnswerConsultationInput.parse(
                {"consultation": asked.pk, "conclusion": "not_crime", "answer": "x", "answered_by": "y"}
            ),
        )
    incoming = consultation.ask(
        sv.world.bureau_admin,
        consultation.ConsultationInput.parse(
            {
                "direction": "incoming",
                "organization": sv.world.bureau.pk,
                "counterpart": "procuratorate",
                "counterpart_name": "衢江区人民检察院",
                "question": "请提供处罚及整改情况",
            }
        ),
    )
    assert incoming.case is None
    # scope: township B neither sees nor links team A's case
    assert list(selectors.consultations(sv.world.leader_b)) == []
    with pytest.raises(NotFound):
        consultation.ask(
            sv.world.leader_b,
            consultation.ConsultationInput.parse(
                {
                    "direction": "outgoing",
                    "organization": sv.world.team_b.pk,
                    "counterpart": "public_security",
                    "counterpart_name": "x",
                    "case": case.pk,
                    "question": "q",
                }
            ),
        )
    with pytest.raises(PermissionDenied):
        consultation.ask(
            sv.world.leader_b,
            consultation.ConsultationInput.parse(
                {
                    "direction": "outgoing",
                    "organization": sv.world.team_a.pk,
                    "counterpart": "public_security",
                    "counterpart_name": "x",
                    "question": "q",
                }
            ),
        )


def test_pages_render_for_their_roles(client, sv, body_scheme, campaign):
    result = appraisal.appraise_body(
        sv.supervisor,
        appraisal.BodyAppraisalInput.parse(
            {"scheme": body_scheme.pk, "organization": sv.world.team_a.pk, "year": YEAR}
        ),
    )
    client.force_login(sv.supervisor)
    for url in (
        "/supervision/appraisals/bodies/",
        f"/supervision/appraisals/bodies/{result.pk}/",
        "/supervision/evaluation/",
        f"/supervision/evaluation/{campaign.pk}/",
        "/supervision/consultations/",
        f"/supervision/appraisals/bodies/{result.pk}/report.xlsx",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(f"/supervision/appraisals/bodies/{result.pk}/", {"title": "表彰", "points": "2"})
    assert "人工考评项须上传佐证材料" in response.content.decode()
    client.force_login(sv.world.leader_a)
    assert client.get("/supervision/evaluation/findings/").status_code == 200
    assert client.get(f"/supervision/evaluation/{campaign.pk}/").status_code == 200
    client.force_login(sv.world.leader_b)
    assert client.get(f"/supervision/appraisals/bodies/{result.pk}/").status_code == 404
    assert client.get(f"/supervision/evaluation/{campaign.pk}/").status_code == 404
    assert Scope.for_user(sv.world.leader_b).everything is False
