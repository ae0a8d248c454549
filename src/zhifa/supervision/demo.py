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
    {"category": "执法主体", "text": "执法主体合法，执法人员具有执法资格且不少于两人", "max_points": 10, "basis": "行政处罚法第四十二条、第五十五条"},
    {"category": "事实证据", "text": "违法事实清楚，证据确凿、充分，取证程序合法", "max_points": 25, "basis": "行政处罚法第四十条、第四十六条"},
    {"category": "适用依据", "text": "适用法律、法规、规章正确，裁量适当并符合裁量基准", "max_points": 20, "basis": "行政处罚法第三十四条"},
    {"category": "程序", "text": "立案、告知、陈述申辩、听证、法制审核、决定等程序合法", "max_points": 25, "basis": "行政处罚法第四十四条、第五十八条、第六十三条"},
    {"category": "文书", "text": "文书规范、送达合法，执行到位", "max_points": 10, "basis": "行政处罚法第五十九条、第六十一条"},
    {"category": "归档", "text": "案卷材料完整，按规定归档", "max_points": 10, "basis": "行政处罚法第四十七条"},
]
SCHEME_NAME = "乡镇（街道）执法人员四维考评"
SCHEME_DIMENSIONS = [
    {"name": "执法岗位考评", "weight": 55, "enforcement_post": True, "metrics": ["cases", "inspections", "review_score"]},
    {"name": "乡镇（街道）日常考评", "weight": 20, "metrics": ["incidents_on_time"]},
    {"name": "派出部门业务考评", "weight": 10, "metrics": ["review_score"]},
    {"name": "服务对象评价", "weight": 15, "metrics": ["satisfaction"]},
]


def load(now: dt.datetime | None = None) -> dict:
    """Idempotent: the sheet and the scheme are created once; the sweep raises nothing twice."""
    now = now or timezone.now()
    actor = (User.objects.filter(role=User.Role.SUPERVISOR).order_by("pk").first()
             or User.objects.filter(role=User.Role.GUIDANCE_OFFICE).order_by("pk").first()
             or User.objects.filter(is_superuser=True).order_by("pk").first())
    out = {"sheet": None, "scheme": None, "alerts": 0, "reviews": 0, "appraised": 0}
    if actor is None:
        return out
    sheet = (ScoreSheet.objects.filter(name=SHEET_NAME, is_active=True).first()
             or services.create_sheet(actor, SHEET_NAME, SHEET_ITEMS))
    scheme = (AppraisalScheme.objects.filter(name=SCHEME_NAME).first()
              or services.create_scheme(actor, SCHEME_NAME, SCHEME_DIMENSIONS, targets={"cases": 6, "inspections": 20}))
    out.update(sheet=sheet.pk, scheme=scheme.pk, alerts=sum(services.sweep(now).values()))
    today = timezone.localdate(now)
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=62)
    start = start.replace(day=1)
    if not sheet.batches.exists():
        batch = services.draw_reviews(actor, sheet_id=sheet.pk, period_start=start, period_end=today, seed="demo",
                                      share=0.2, per_body=1, title="演示：近期结案案卷评查")
        out["reviews"] = batch.reviews.count()
    out["appraised"] = services.compute_appraisal(actor, scheme.pk, start, today)
    return out
