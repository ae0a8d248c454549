"""Indicators of the enforcement staff and bodies (执法力量): 力量下沉率, 乡镇持证“执法岗”配备
(≥ 2 per township), 执法主体纳入率 and 执法人员纳入率 — plan 二（一）二, 三（二）3, 三（三）2.

A certificate counts when it is valid on the day measured (status active, within its dates:
``Certificate.objects.valid_on``), never merely because an officer is on the roster.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from zhifa.core.sql import SubqueryCount
from zhifa.organizations.models import Certificate, Officer, Organization, Region

from .base import RATE, Column, Indicator

GROUP = "执法力量"
PLAN_DOWN = "实现60%以上行政执法力量下沉乡镇（街道）"
PLAN_POSTS = "属地乡镇（街道）要配备持执法证的“执法岗”干部2名以上"
PLAN_ONBOARD = "推进区乡执法主体、执法人员100%纳入平台"
#: The township bodies whose own cadres are the township's 执法岗 (not officers posted there by a
#: district department, who belong to that department).
TOWNSHIP_BODY = Organization.Kind.TOWNSHIP_TEAM
MIN_CERTIFIED_POSTS = 2


def _officer_link(officer) -> str:
    return reverse("organizations:officer_detail", args=[officer.pk])


OFFICER_COLUMNS = (
    Column("工号", lambda r: r.employee_no),
    Column("姓名", lambda r: r.name),
    Column("所属机构", lambda r: r.organization.name),
    Column("下沉至", lambda r: r.posted_to.name if r.posted_to_id else ""),
)
BODY_COLUMNS = (
    Column("执法主体", lambda r: r.name),
    Column("类型", lambda r: r.get_kind_display()),
    Column("所在区划", lambda r: r.region.name),
)


def enforcement_officers(scope, period):
    """Active officers on enforcement posts (执法岗; auxiliary staff are not enforcement power)."""
    qs = Officer.objects.filter(is_active=True, kind=Officer.Kind.ENFORCEMENT)
    return (
        scope.filter(qs, "organization", "posted_to")
        .select_related("organization", "posted_to")
        .order_by("organization__path", "employee_no")
    )


def working_in_township() -> Q:
    """Employed by a body of a township, or posted (下沉) to one by a district body."""
    return Q(organization__region__level__in=Region.TOWNSHIP_LEVELS) | Q(posted_to__isnull=False)


def has_valid_certificate(day) -> Q:
    return Q(Exists(Certificate.objects.valid_on(day).filter(officer=OuterRef("pk"))))


def townships(scope, period):
    """The townships, each with ``certified``: officers of its own township team on an enforcement
    post, active, holding a certificate valid on the day measured."""
    certified = (
        Officer.objects.filter(
            is_active=True,
            kind=Officer.Kind.ENFORCEMENT,
            organization__kind=TOWNSHIP_BODY,
            organization__region=OuterRef("pk"),
        )
        .filter(has_valid_certificate(period.as_of))
        .values("pk")
    )
    regions = Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS)
    if not scope.everything:
        regions = regions.filter(pk=scope.township_region_id) if scope.township_region_id else regions.none()
    return regions.annotate(certified=SubqueryCount(certified)).order_by("code")


def enforcement_bodies(scope, period):
    """The bodies that should be on the platform: active enforcement bodies (执法主体) of the
    district and its townships (township teams enforce in their own name after 赋权)."""
    qs = Organization.objects.filter(is_active=True, is_enforcement_body=True).select_related("region")
    if not scope.everything:
        qs = qs.filter(path__startswith=scope.org_path) if scope.org_path else qs.none()
    return qs.order_by("path")


def body_on_platform(scope, period) -> Q:
    """Registered with its enforcement power: at least one of its officers (in the body or its
    units) on an enforcement post, active, with a certificate valid on the day measured — a body
    with none cannot act on the platform (行政处罚法 art. 42: two certified officers)."""
    officers = Officer.objects.filter(
        is_active=True, kind=Officer.Kind.ENFORCEMENT, organization__path__startswith=OuterRef("path")
    ).filter(has_valid_certificate(period.as_of))
    return Q(Exists(officers))


INDICATORS = (
    Indicator(
        key="staff_township_share",
        name="行政执法力量下沉率",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 二（一）二、三（二）3",
        quote=PLAN_DOWN,
        definition="在岗执法岗人员中，在乡镇（街道）工作（乡镇机构人员或由区级部门下沉乡镇）的比例。",
        numerator="所属机构在乡镇（街道）或已下沉乡镇的在岗执法岗人员",
        denominator="在岗执法岗人员（不含辅助人员）",
        population=enforcement_officers,
        counted=lambda s, p: working_in_township(),
        columns=OFFICER_COLUMNS,
        counted_title="在乡镇（街道）工作的执法人员",
        missed_title="在区级工作的执法人员",
        target=Decimal("0.60"),
        link=_officer_link,
    ),
    Indicator(
        key="township_certified_posts",
        name="乡镇持证“执法岗”配备达标率",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 三（二）3",
        quote=PLAN_POSTS,
        definition=f"乡镇（街道）中，本乡镇综合行政执法队在岗执法岗干部持有统计时点有效执法证者不少于"
        f"{MIN_CERTIFIED_POSTS}名的比例。下沉人员属派出部门，不计入；执法证须在有效期内且未暂扣、注销。",
        numerator=f"持有效执法证的本乡镇执法岗干部 ≥ {MIN_CERTIFIED_POSTS} 名的乡镇（街道）",
        denominator="乡镇（街道）",
        population=townships,
        counted=lambda s, p: Q(certified__gte=MIN_CERTIFIED_POSTS),
        columns=(
            Column("乡镇（街道）", lambda r: r.name),
            Column("区划代码", lambda r: r.code),
            Column("持有效证执法岗（人）", lambda r: r.certified),
        ),
        counted_title="持证执法岗达到2名的乡镇（街道）",
        missed_title="持证执法岗不足2名的乡镇（街道）",
        target=Decimal("1"),
    ),
    Indicator(
        key="bodies_onboarded",
        name="执法主体纳入率",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 三（三）2",
        quote=PLAN_ONBOARD,
        definition="区、乡两级执法主体中，已在平台登记至少一名持统计时点有效执法证的在岗执法人员的比例。",
        numerator="有持有效执法证的在岗执法岗人员登记在平台的执法主体",
        denominator="在用的执法主体（含乡镇综合行政执法队）",
        population=enforcement_bodies,
        counted=body_on_platform,
        columns=BODY_COLUMNS,
        counted_title="已纳入平台的执法主体",
        missed_title="尚未纳入平台的执法主体",
        target=Decimal("1"),
    ),
    Indicator(
        key="officers_onboarded",
        name="执法人员纳入率（持有效证）",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 三（三）2",
        quote=PLAN_ONBOARD,
        definition="在岗执法岗人员中，以统计时点有效的执法证登记在平台的比例（证件过期、暂扣、注销或未领证者不计入）。",
        numerator="持统计时点有效执法证的在岗执法岗人员",
        denominator="在岗执法岗人员（不含辅助人员）",
        population=enforcement_officers,
        counted=lambda s, p: has_valid_certificate(p.as_of),
        columns=OFFICER_COLUMNS,
        counted_title="持有效执法证的执法人员",
        missed_title="无有效执法证的执法人员",
        target=Decimal("1"),
        link=_officer_link,
    ),
)
