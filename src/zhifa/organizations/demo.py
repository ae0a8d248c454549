"""Demo data: a realistic 衢江区 (Quzhou, Zhejiang) for the demo, tests and benchmarks.

``load_demo()`` creates, in one transaction and with one audit event:

* regions 浙江省 → 衢州市 → 衢江区 → its 20 township-level divisions (2 街道, 10 镇, 8 乡);
* one organisation tree: the district government, the command centre, the guidance office, the
  comprehensive enforcement bureau with its internal units and 执法中队 ("1"), the five
  professional departments with their stations ("5"), the regulator departments with their
  stations ("X"), and for every township its government and its own enforcement team;
* officers and certificates, deterministic for a seed, with the distribution the reform
  indicators are about (≈64% of enforcement staff in townships, ≈15% auxiliary staff, some
  certificates expired / expiring / suspended, two remote townships short of certified officers);
* one login per role, a superuser and an API key for the 12345 hotline.

**Township codes.** The 9-digit township codes follow the convention of the statistical
division codes (《县以下行政区划代码编制规则》 GB/T 10114: 001–099 街道, 100–199 镇, 200–299 乡),
numbered in order within each class. They are *not* the official codes: the official series
has gaps (上方镇 330803100 agrees, but e.g. 廿里镇 is officially 330803112 and 杜泽镇
330803115). Replace ``TOWNSHIPS`` with the official list before using the data anywhere real.

**People.** Names, ID numbers and phone numbers are invented. ID numbers are valid per
GB 11643-1999 (checksum, real birth date); officers born before 1985 mostly carry 330821 (衢县,
the district's name until 2001), younger ones 330803.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zhifa.api.models import ApiKey
from zhifa.core import audit
from zhifa.core.validators import make_id_number, validate_id_number

from .demo_geography import build_geography
from .models import Certificate, Officer, Organization, Region, User

DEFAULT_SEED = 2026
DEFAULT_OFFICERS = 300
DEFAULT_PASSWORD = "zhifa-demo-2026"
#: Below this the fixed minimums (two certified officers per township, the 法制科…) no longer fit
#: into the target shares.
MIN_OFFICERS = 80
DEMO_URL = "http://127.0.0.1:8000/"

AUXILIARY_SHARE = Decimal("0.15")
TOWNSHIP_SHARE_TARGET = Decimal("0.64")  # of enforcement staff; the reform's goal is ≥ 60%
EXPIRED_SHARE = Decimal("0.05")  # of all officers
EXPIRING_SHARE = Decimal("0.04")  # valid, ends within EXPIRING_WITHIN days
SUSPENDED_SHARE = Decimal("0.02")
PENDING_SHARE = Decimal("0.01")  # new enforcement staff, certificate not issued yet
EXPIRING_WITHIN = 60
CERTIFICATE_YEARS = 5

PROVINCE = ("330000", "浙江省")
CITY = ("330800", "衢州市")
DISTRICT = ("330803", "衢江区")
ISSUER = "浙江省人民政府"

#: The enforcement domains certificates name (the catalog app's ``Domain`` names).
DOMAINS = (
    "城乡规划",
    "市容环境卫生",
    "住房和城乡建设",
    "园林绿化",
    "燃气管理",
    "自然资源",
    "生态环境",
    "市场监管",
    "农业农村",
    "文化市场",
    "水利",
    "交通运输",
    "卫生健康",
    "应急管理",
    "林业",
    "旅游",
    "畜牧兽医",
    "气象灾害防御",
)
_COMPREHENSIVE_EXTRA_DOMAINS = (
    "住房和城乡建设",
    "自然资源",
    "生态环境",
    "园林绿化",
    "燃气管理",
    "水利",
    "农业农村",
    "文化市场",
    "林业",
    "旅游",
    "畜牧兽医",
    "气象灾害防御",
)
_FAMILY_DOMAINS = {
    "sj": ("市场监管",),
    "hj": ("生态环境",),
    "jt": ("交通运输",),
    "ws": ("卫生健康",),
    "yj": ("应急管理",),
    "zr": ("自然资源",),
    "zj": ("住房和城乡建设",),
    "ny": ("农业农村",),
    "sl": ("水利",),
    "wl": ("文化市场",),
}


# ---------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    level: str
    short: str  # 上方镇 → 上方, for station names
    team_weight: float  # relative size of its enforcement team
    gov_headcount: int


_S, _T, _X = Region.Level.SUBDISTRICT, Region.Level.TOWN, Region.Level.TOWNSHIP

#: The 20 township-level divisions of 衢江区 (codes by convention, see the module docstring).
TOWNSHIPS: tuple[Township, ...] = (
    Township("330803001", "樟潭街道", _S, "樟潭", 7, 75),
    Township("330803002", "浮石街道", _S, "浮石", 6, 70),
    Township("330803100", "上方镇", _T, "上方", 4, 55),
    Township("330803101", "峡川镇", _T, "峡川", 3.5, 50),
    Township("330803102", "莲花镇", _T, "莲花", 4.5, 55),
    Township("330803103", "全旺镇", _T, "全旺", 4.5, 55),
    Township("330803104", "大洲镇", _T, "大洲", 3.5, 50),
    Township("330803105", "后溪镇", _T, "后溪", 3.5, 50),
    Township("330803106", "廿里镇", _T, "廿里", 5, 60),
    Township("330803107", "湖南镇", _T, "湖南", 4, 55),
    Township("330803108", "高家镇", _T, "高家", 5, 60),
    Township("330803109", "杜泽镇", _T, "杜泽", 5, 60),
    Township("330803200", "太真乡", _X, "太真", 2.5, 35),
    Township("330803201", "双桥乡", _X, "双桥", 2.5, 35),
    Township("330803202", "周家乡", _X, "周家", 2.5, 35),
    Township("330803203", "灰坪乡", _X, "灰坪", 0, 30),
    Township("330803204", "岭洋乡", _X, "岭洋", 2.5, 35),
    Township("330803205", "举村乡", _X, "举村", 0, 30),
    Township("330803206", "黄坛口乡", _X, "黄坛口", 3, 40),
    Township("330803207", "云溪乡", _X, "云溪", 2.5, 35),
)
_TOWNSHIP_BY_NAME = {t.name: t for t in TOWNSHIPS}

#: Remote townships whose teams have a single certified officer, so that the indicator
#: "townships short of certified officers" (行政处罚法 art. 42, 55) shows something.
SHORT_OF_CERTIFIED = ("举村乡", "灰坪乡")


def _code(township_name: str) -> str:
    return _TOWNSHIP_BY_NAME[township_name].code


# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    parent: str | None
    region: str  # region code
    headcount: int
    short_name: str = ""
    enforcement_body: bool = False
    domains: str = "zf"  # domain family of its officers (see _domains_for)
    prefix: str = "ZF"  # employee-number prefix


K = Organization.Kind
_BUREAU_STATIONS = ("樟潭街道", "浮石街道", "杜泽镇", "高家镇", "廿里镇")  # 执法中队 ("1+X")
_MARKET_STATIONS = ("樟潭街道", "浮石街道", "杜泽镇", "高家镇", "湖南镇", "全旺镇", "廿里镇")
_LAND_STATIONS = ("樟潭街道", "杜泽镇", "湖南镇", "上方镇")
# Townships the bureau's 直属执法大队 posts officers to (下沉), the small ones first.
_BUREAU_POSTINGS = (
    "上方镇",
    "峡川镇",
    "莲花镇",
    "大洲镇",
    "后溪镇",
    "太真乡",
    "双桥乡",
    "周家乡",
    "岭洋乡",
    "黄坛口乡",
    "云溪乡",
)


def _team_key(t: Township) -> str:
    return f"team:{t.code}"


def _gov_key(t: Township) -> str:
    return f"gov:{t.code}"


def organization_specs() -> list[OrgSpec]:
    """The organisation tree, parents before children."""
    d = DISTRICT[0]
    specs = [
        OrgSpec("root", "衢江区人民政府", K.GOVERNMENT, None, d, 120),
        OrgSpec("command", "衢江区行政执法统一指挥中心", K.COMMAND_CENTER, "root", d, 12),
        OrgSpec("guidance", "衢江区综合行政执法指导办公室", K.GUIDANCE_OFFICE, "root", d, 8),
        # "1": the comprehensive bureau. Internal units carry the bureau's kind but are not
        # enforcement bodies of their own: the bureau decides and signs in its name.
        OrgSpec(
            "bureau", "衢州市衢江区综合行政执法局", K.COMPREHENSIVE_BUREAU, "root", d, 150, "衢江综执", True
        ),
        OrgSpec("bureau:office", "办公室", K.COMPREHENSIVE_BUREAU, "bureau", d, 6),
        OrgSpec("bureau:legal", "法制科", K.COMPREHENSIVE_BUREAU, "bureau", d, 6),
        OrgSpec("bureau:guide", "执法指导科", K.COMPREHENSIVE_BUREAU, "bureau", d, 5),
        OrgSpec("bureau:inspect", "督察科", K.COMPREHENSIVE_BUREAU, "bureau", d, 4),
        OrgSpec("bureau:brigade", "直属执法大队", K.COMPREHENSIVE_BUREAU, "bureau", d, 30),
    ]
    for name in _BUREAU_STATIONS:
        t = _TOWNSHIP_BY_NAME[name]
        specs.append(
            OrgSpec(
                f"bureau:squad:{t.code}", f"{t.short}执法中队", K.DISPATCHED_STATION, "bureau", t.code, 10
            )
        )
    # "5": the professional departments.
    specs += [
        OrgSpec(
            "market",
            "衢州市衢江区市场监督管理局",
            K.PROFESSIONAL_DEPARTMENT,
            "root",
            d,
            110,
            "衢江市监",
            True,
            "sj",
            "SJ",
        ),
    ]
    for name in _MARKET_STATIONS:
        t = _TOWNSHIP_BY_NAME[name]
        specs.append(
            OrgSpec(
                f"market:station:{t.code}",
                f"{t.short}市场监管所",
                K.DISPATCHED_STATION,
                "market",
                t.code,
                8,
                domains="sj",
                prefix="SJ",
            )
        )
    specs += [
        OrgSpec(
            "ecology",
            "衢州市生态环境局衢江分局",
            K.PROFESSIONAL_DEPARTMENT,
            "root",
            d,
            30,
            "衢江环",
            True,
            "hj",
            "HJ",
        ),
        OrgSpec(
            "transport",
            "衢江区交通运输局",
            K.PROFESSIONAL_DEPARTMENT,
            "root",
            d,
            40,
            "衢江交通",
            True,
            "jt",
            "JT",
        ),
        OrgSpec(
            "transport:team",
            "衢江区交通运输行政执法队",
            K.PROFESSIONAL_DEPARTMENT,
            "transport",
            d,
            30,
            "衢江交执",
            True,
            "jt",
            "JT",
        ),
        OrgSpec(
            "health",
            "衢江区卫生健康局",
            K.PROFESSIONAL_DEPARTMENT,
            "root",
            d,
            40,
            "衢江卫健",
            True,
            "ws",
            "WS",
        ),
        OrgSpec(
            "health:team",
            "衢江区卫生监督所",
            K.PROFESSIONAL_DEPARTMENT,
            "health",
            d,
            20,
            "衢江卫",
            True,
            "ws",
            "WS",
        ),
        OrgSpec(
            "emergency",
            "衢江区应急管理局",
            K.PROFESSIONAL_DEPARTMENT,
            "root",
            d,
            25,
            "衢江应急",
            True,
            "yj",
            "YJ",
        ),
        # "X": regulator departments keep supervision after their enforcement moved.
        OrgSpec(
            "land",
            "衢州市自然资源和规划局衢江分局",
            K.REGULATOR_DEPARTMENT,
            "root",
            d,
            60,
            domains="zr",
            prefix="ZR",
        ),
    ]
    for name in _LAND_STATIONS:
        t = _TOWNSHIP_BY_NAME[name]
        specs.append(
            OrgSpec(
                f"land:station:{t.code}",
                f"{t.short}自然资源所",
                K.DISPATCHED_STATION,
                "land",
                t.code,
                4,
                domains="zr",
                prefix="ZR",
            )
        )
    specs += [
        OrgSpec(
            "housing",
            "衢江区住房和城乡建设局",
            K.REGULATOR_DEPARTMENT,
            "root",
            d,
            45,
            domains="zj",
            prefix="ZJ",
        ),
        OrgSpec(
            "agriculture",
            "衢江区农业农村局",
            K.REGULATOR_DEPARTMENT,
            "root",
            d,
            60,
            domains="ny",
            prefix="NY",
        ),
        OrgSpec("water", "衢江区水利局", K.REGULATOR_DEPARTMENT, "root", d, 30, domains="sl", prefix="SL"),
        OrgSpec(
            "culture",
            "衢江区文化和广电旅游体育局",
            K.REGULATOR_DEPARTMENT,
            "root",
            d,
            30,
            domains="wl",
            prefix="WL",
        ),
        OrgSpec("justice", "衢江区司法局", K.REGULATOR_DEPARTMENT, "root", d, 40, prefix="SF"),
        # 区级合法性审查中心 (浙江省综合行政执法条例第二十四条): reviewers pooled for the district.
        OrgSpec(
            "justice:review",
            "衢江区行政执法合法性审查中心",
            K.REGULATOR_DEPARTMENT,
            "justice",
            d,
            6,
            prefix="SC",
        ),
    ]
    # Departments whose enforcement went wholly to the comprehensive bureau ("1+5"): they keep their
    # supervision (监管) and standards, and no enforcement staff.
    specs += [
        OrgSpec(key, name, K.REGULATOR_DEPARTMENT, "root", d, headcount)
        for key, name, headcount in (
            ("development", "衢江区发展和改革局", 40),
            ("economy", "衢江区经济和信息化局", 35),
            ("education", "衢江区教育局", 45),
            ("science", "衢江区科学技术局", 15),
            ("religion", "衢江区民族宗教事务局", 10),
            ("meteorology", "衢江区气象局", 15),
            ("archives", "衢江区档案局", 12),
            ("veterans", "衢江区退役军人事务局", 15),
        )
    ]
    # 智造新城: a development zone inside the district with its own area of jurisdiction (illustrative).
    specs.append(OrgSpec("zone", "衢州智造新城管理委员会（示意）", K.GOVERNMENT, "root", d, 60))
    # Departments that keep part of their enforcement (the rest went to the bureau).
    specs += [
        OrgSpec(key, name, K.REGULATOR_DEPARTMENT, "root", d, headcount, short, True, prefix=prefix)
        for key, name, headcount, short, prefix in (
            ("police", "衢州市公安局衢江分局", 300, "衢江公", "GA"),
            ("civil", "衢江区民政局", 30, "衢江民", "MZ"),
            ("labour", "衢江区人力资源和社会保障局", 40, "衢江人社", "RS"),
            ("commerce", "衢江区商务局", 20, "衢江商务", "SW"),
            ("statistics", "衢江区统计局", 15, "衢江统计", "TJ"),
        )
    ]
    for t in TOWNSHIPS:
        specs.append(
            OrgSpec(
                f"justice:station:{t.code}",
                f"{t.short}司法所",
                K.DISPATCHED_STATION,
                "justice",
                t.code,
                3,
                prefix="SF",
            )
        )
    for t in TOWNSHIPS:
        gov_name = f"{t.name}办事处" if t.level == Region.Level.SUBDISTRICT else f"{t.name}人民政府"
        specs.append(OrgSpec(_gov_key(t), gov_name, K.GOVERNMENT, "root", t.code, t.gov_headcount))
        # Zhejiang townships enforce in their own name after 赋权.
        specs.append(
            OrgSpec(
                _team_key(t),
                f"{t.name}综合行政执法队",
                K.TOWNSHIP_TEAM,
                _gov_key(t),
                t.code,
                max(4, round(t.team_weight * 2.2)),
                enforcement_body=True,
                prefix="XZ",
            )
        )
    return specs


# ---------------------------------------------------------------------------------------------
# Where officers work
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """A place officers work: an organisation, optionally posted (下沉) to a township."""

    org: str
    weight: float
    posted_to: str | None = None  # township code
    minimum: int = 0


def township_placements() -> list[Placement]:
    """Enforcement staff working in townships, except the short-staffed ones (fixed, see
    ``_fixed_short_townships``). Every other township team has at least two officers, who get
    valid certificates."""
    places = [
        Placement(_team_key(t), t.team_weight, minimum=2)
        for t in TOWNSHIPS
        if t.name not in SHORT_OF_CERTIFIED
    ]
    places += [Placement(f"bureau:squad:{_code(n)}", 4) for n in _BUREAU_STATIONS]
    places += [Placement(f"market:station:{_code(n)}", 3) for n in _MARKET_STATIONS]
    places += [Placement(f"land:station:{_code(n)}", 1.5) for n in _LAND_STATIONS]
    # At least one posted officer in the remotest of them, so that even a small demo has postings.
    places += [
        Placement("bureau:brigade", 2.2, posted_to=_code(n), minimum=int(n in ("太真乡", "双桥乡", "周家乡")))
        for n in _BUREAU_POSTINGS
    ]
    places += [Placement("ecology", 0.5, posted_to=_code(n)) for n in ("杜泽镇", "高家镇")]
    places += [Placement("transport:team", 0.5, posted_to=_code("樟潭街道"))]
    return places


def district_placements() -> list[Placement]:
    """Enforcement staff working at district level."""
    return [
        Placement("bureau:legal", 3, minimum=2),
        Placement("bureau:guide", 2),
        Placement("bureau:inspect", 1.5),
        Placement("bureau:office", 1),
        Placement("bureau:brigade", 17.5),
        Placement("market", 10),
        Placement("ecology", 7),
        Placement("transport:team", 7),
        Placement("transport", 1),
        Placement("health:team", 6),
        Placement("emergency", 6),
        # The natural resources, culture market and agriculture teams are no longer kept, and housing and
        # water enforce no more: their officers joined the bureau (编随事走, plan 三.(二)1).
    ]


def auxiliary_placements() -> list[Placement]:
    """执法辅助人员: mostly in township teams and the bureau's squads."""
    places = [
        Placement(_team_key(t), 3 if t.level == Region.Level.SUBDISTRICT else 2)
        for t in TOWNSHIPS
        if t.name not in SHORT_OF_CERTIFIED
    ]
    places += [Placement(f"bureau:squad:{_code(n)}", 2) for n in _BUREAU_STATIONS]
    places += [Placement(f"market:station:{_code(n)}", 0.5) for n in _MARKET_STATIONS]
    places += [Placement("bureau:brigade", 2), Placement("transport:team", 1)]
    return places


def apportion(total: int, places: list[Placement]) -> list[int]:
    """Split ``total`` over ``places``: each its minimum first, the rest by weight (largest
    remainder, ties to the earlier place). Gives more than ``total`` only if the minimums do."""
    counts = [p.minimum for p in places]
    rest = total - sum(counts)
    weight = sum(p.weight for p in places)
    if rest <= 0 or weight <= 0:
        return counts
    quotas = [Decimal(rest) * Decimal(str(p.weight)) / Decimal(str(weight)) for p in places]
    floors = [int(q) for q in quotas]
    left = rest - sum(floors)
    order = sorted(range(len(places)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [c + f for c, f in zip(counts, floors, strict=True)]


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------------------------------------
# The plan of officers (pure: no database)
# ---------------------------------------------------------------------------------------------

VALID, EXPIRING, EXPIRED, SUSPENDED, PENDING = "valid", "expiring", "expired", "suspended", "pending"


@dataclass
class OfficerPlan:
    org: str
    kind: str
    posted_to: str | None = None
    certificate: str | None = None  # VALID, EXPIRING, … or None for auxiliary staff
    protected: bool = False  # must hold a plainly valid certificate
    login: str | None = None  # username of the demo user linked to this officer
    legal_qualified: bool = False


def _fixed_short_townships() -> list[OfficerPlan]:
    """Each short-staffed township: one certified officer, one whose certificate expired, one
    auxiliary — so it has fewer than two certified officers."""
    plans = []
    for name in SHORT_OF_CERTIFIED:
        key = _team_key(_TOWNSHIP_BY_NAME[name])
        plans += [
            OfficerPlan(key, Officer.Kind.ENFORCEMENT, certificate=VALID, protected=True),
            OfficerPlan(key, Officer.Kind.ENFORCEMENT, certificate=EXPIRED, protected=True),
            OfficerPlan(key, Officer.Kind.AUXILIARY),
        ]
    return plans


def plan_officers(total: int, rng: random.Random) -> list[OfficerPlan]:
    """Who works where, as what, with which certificate status."""
    if total < MIN_OFFICERS:
        raise ValueError(f"演示数据至少需要 {MIN_OFFICERS} 名执法人员")
    fixed = _fixed_short_townships()
    fixed_aux = sum(1 for p in fixed if p.kind == Officer.Kind.AUXILIARY)
    fixed_enf = len(fixed) - fixed_aux
    auxiliaries = _round(total * AUXILIARY_SHARE)
    enforcement = total - auxiliaries
    in_townships = _round(enforcement * TOWNSHIP_SHARE_TARGET)
    plans = list(fixed)

    def place(places: list[Placement], counts: list[int], kind: str) -> None:
        for p, n in zip(places, counts, strict=True):
            for i in range(n):
                first_two = kind == Officer.Kind.ENFORCEMENT and i < p.minimum
                plans.append(OfficerPlan(p.org, kind, posted_to=p.posted_to, protected=first_two))

    town = township_placements()
    place(town, apportion(in_townships - fixed_enf, town), Officer.Kind.ENFORCEMENT)
    district = district_placements()
    district_total = max(enforcement - (len(plans) - fixed_aux), sum(p.minimum for p in district))
    place(district, apportion(district_total, district), Officer.Kind.ENFORCEMENT)
    aux = auxiliary_placements()
    place(aux, apportion(auxiliaries - fixed_aux, aux), Officer.Kind.AUXILIARY)

    # Officers the demo logins act as: the first of their unit, with a valid certificate.
    def first(org_key: str) -> OfficerPlan:
        return next(p for p in plans if p.org == org_key and p.kind == Officer.Kind.ENFORCEMENT)

    first(_team_key(_TOWNSHIP_BY_NAME["上方镇"])).login = "shangfang_officer"
    first(_team_key(_TOWNSHIP_BY_NAME["峡川镇"])).login = "xiachuan_officer"
    legal = [p for p in plans if p.org == "bureau:legal"]
    legal[0].login = "legal"
    for i, p in enumerate(legal):
        p.protected = p.protected or i == 0
        p.legal_qualified = i == 0 or rng.random() < 0.6

    # Certificate statuses over the enforcement staff that is not pinned down.
    free = [p for p in plans if p.kind == Officer.Kind.ENFORCEMENT and not p.protected]
    rng.shuffle(free)
    fixed_expired = sum(1 for p in fixed if p.certificate == EXPIRED)
    quotas = [
        (EXPIRED, _round(total * EXPIRED_SHARE) - fixed_expired),
        (EXPIRING, _round(total * EXPIRING_SHARE)),
        (SUSPENDED, _round(total * SUSPENDED_SHARE)),
        (PENDING, _round(total * PENDING_SHARE)),
    ]
    cursor = 0
    for status, n in quotas:
        for p in free[cursor : cursor + max(n, 0)]:
            p.certificate = status
        cursor += max(n, 0)
    for p in plans:
        if p.kind == Officer.Kind.ENFORCEMENT and p.certificate is None:
            p.certificate = VALID
    return plans


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------

# Surnames weighted roughly by national frequency, with the ones common in 衢州 (徐, 毛, 郑, 余,
# 叶, 汪, 方, 姜, 祝, 占, 詹, 柴…) weighted up.
_SURNAMES = (
    ("王", 7),
    ("李", 6),
    ("张", 6),
    ("刘", 4),
    ("陈", 5),
    ("杨", 3),
    ("黄", 2.5),
    ("赵", 2),
    ("吴", 3),
    ("周", 3),
    ("徐", 5),
    ("孙", 1.5),
    ("马", 1),
    ("朱", 1.5),
    ("胡", 1.5),
    ("郭", 1),
    ("何", 1),
    ("高", 1),
    ("林", 1),
    ("郑", 3),
    ("毛", 3),
    ("余", 2.5),
    ("叶", 2.5),
    ("汪", 2),
    ("方", 2),
    ("姜", 2),
    ("祝", 1.2),
    ("占", 1),
    ("詹", 1),
    ("柴", 0.8),
    ("童", 0.8),
    ("江", 0.8),
    ("程", 0.8),
    ("邵", 0.8),
    ("蒋", 0.8),
    ("金", 0.7),
    ("傅", 0.6),
    ("吕", 0.6),
    ("严", 0.5),
    ("杜", 0.5),
    ("钟", 0.5),
    ("龚", 0.4),
    ("华", 0.4),
    ("项", 0.4),
    ("鲁", 0.4),
    ("应", 0.3),
    ("翁", 0.3),
    ("饶", 0.3),
    ("雷", 0.3),
    ("蓝", 0.3),
    ("欧阳", 0.1),
)
_SURNAME_NAMES = tuple(s for s, _ in _SURNAMES)
_SURNAME_WEIGHTS = tuple(w for _, w in _SURNAMES)
# Given names: one character, or a first and a second character from the usual positions.
_GIVEN = {
    Officer.Gender.MALE: (
        "伟强军磊勇杰涛斌波辉刚健峰鹏超浩宇俊飞林亮凯毅",
        "建国志文晓俊家伟海永立明宏新振卫继金荣正子浩宇天",
        "华军平强明伟斌峰勇刚林东杰辉涛波鹏超磊龙飞成良忠民翔",
    ),
    Officer.Gender.FEMALE: (
        "芳娟敏静丽艳玲霞燕萍婷颖琳洁倩丹莉蕾瑶",
        "晓丽美秀雅佳欣海春雪慧文思静月梦若诗",
        "芳娟敏静丽艳玲霞燕萍红婷慧颖琳洁倩丹莉怡蕾瑶梅英",
    ),
}

# Address codes of first registration (GB/T 2260) with weights; see the module docstring.
_BIRTHPLACES = (
    ("330802", 12),
    ("330881", 8),
    ("330825", 8),
    ("330822", 6),
    ("330824", 6),
    ("330702", 3),
    ("330104", 2),
)
_PHONE_PREFIXES = (
    tuple(f"13{i}" for i in range(10))
    + ("150", "151", "152", "153", "155", "156", "157", "158", "159")
    + tuple(f"18{i}" for i in range(10))
)


def chinese_name(rng: random.Random, gender: str) -> str:
    surname = rng.choices(_SURNAME_NAMES, _SURNAME_WEIGHTS)[0]
    single, first, second = _GIVEN[gender]
    if rng.random() < 0.25:
        return surname + rng.choice(single)
    a = rng.choice(first)
    b = rng.choice(second.replace(a, ""))
    return surname + a + b


def _birth_date(rng: random.Random, today: dt.date) -> dt.date:
    """A birthday making the person 23–58 years old today."""
    age = rng.randint(23, 58)
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    latest = today.replace(year=today.year - age, day=day)  # the last birthday giving this age
    return latest - dt.timedelta(days=rng.randint(0, 364))


def _address_code(rng: random.Random, born: dt.date) -> str:
    if rng.random() < 0.6:  # registered in the district itself
        return "330821" if born.year < 1985 else "330803"
    return rng.choices([c for c, _ in _BIRTHPLACES], [w for _, w in _BIRTHPLACES])[0]


def id_number(rng: random.Random, born: dt.date, gender: str, taken: set[str]) -> str:
    """A valid, unused 公民身份号码; the 顺序码 is odd for men, even for women."""
    while True:
        seq = rng.randrange(0, 1000)
        if (seq % 2 == 1) != (gender == Officer.Gender.MALE):
            seq = (seq + 1) % 1000
        number = make_id_number(_address_code(rng, born), born, f"{seq:03d}")
        if number not in taken:
            taken.add(number)
            return number


def _phone(rng: random.Random) -> str:
    return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _domains_for(rng: random.Random, family: str) -> list[str]:
    if family in _FAMILY_DOMAINS:
        return list(_FAMILY_DOMAINS[family])
    chosen = {"城乡规划", "市容环境卫生", *rng.sample(_COMPREHENSIVE_EXTRA_DOMAINS, rng.randint(1, 4))}
    return [d for d in DOMAINS if d in chosen]


def _certificate_dates(rng: random.Random, status: str, today: dt.date) -> tuple[dt.date, dt.date]:
    span = dt.timedelta(days=365 * CERTIFICATE_YEARS + 1)
    if status == EXPIRED:
        valid_to = today - dt.timedelta(days=rng.randint(1, 365))
    elif status == EXPIRING:
        valid_to = today + dt.timedelta(days=rng.randint(1, EXPIRING_WITHIN))
    else:
        valid_to = today + dt.timedelta(days=rng.randint(120, 365 * CERTIFICATE_YEARS - 30))
    return valid_to - span, valid_to


# ---------------------------------------------------------------------------------------------
# Logins
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    org: str
    display_name: str  # replaced by the officer's name when linked to one
    superuser: bool = False


R = User.Role
USERS: tuple[UserSpec, ...] = (
    UserSpec("command", R.COMMAND_CENTER, "command", "徐志华"),
    UserSpec("guidance", R.GUIDANCE_OFFICE, "guidance", "钱丽萍"),
    UserSpec("zfj_admin", R.DEPARTMENT_ADMIN, "bureau", "方建国"),
    UserSpec("shangfang_leader", R.TOWNSHIP_LEADER, _gov_key(_TOWNSHIP_BY_NAME["上方镇"]), "毛国庆"),
    UserSpec("shangfang_officer", R.OFFICER, _team_key(_TOWNSHIP_BY_NAME["上方镇"]), ""),
    UserSpec("xiachuan_officer", R.OFFICER, _team_key(_TOWNSHIP_BY_NAME["峡川镇"]), ""),
    UserSpec("legal", R.LEGAL_REVIEWER, "bureau:legal", ""),
    UserSpec("zfj_head", R.HEAD, "bureau", "王建华"),
    UserSpec("zfj_deputy", R.OFFICER, "bureau", "周立新"),
    UserSpec("review_lead", R.LEGAL_REVIEWER, "justice:review", "郑晓燕"),
    UserSpec("reviewer", R.LEGAL_REVIEWER, "justice:review", "余海波"),
    UserSpec("supervisor", R.SUPERVISOR, "justice", "叶文斌"),
    UserSpec("admin", R.SUPERVISOR, "root", "系统管理员", superuser=True),
)
HOTLINE_KEY_NAME = "12345政务服务便民热线"


@dataclass(frozen=True)
class Login:
    username: str
    role_label: str
    organization: str
    display_name: str
    password: str


def login_rows(password: str = DEFAULT_PASSWORD) -> list[Login]:
    """The demo logins present in the database (for printing)."""
    users = {
        u.username: u
        for u in User.objects.select_related("organization__parent").filter(
            username__in=[s.username for s in USERS]
        )
    }
    rows = []
    for spec in USERS:
        user = users.get(spec.username)
        if user is None:
            continue
        label = "超级管理员" if user.is_superuser else user.get_role_display()
        rows.append(Login(user.username, label, _org_label(user.organization), user.display_name, password))
    return rows


def _org_label(org: Organization | None) -> str:
    """An internal unit (法制科) is named with its body: 衢州市衢江区综合行政执法局法制科."""
    if org is None:
        return ""
    parent = org.parent
    if (
        parent is not None
        and org.kind == parent.kind
        and not org.is_enforcement_body
        and org.kind != Organization.Kind.GOVERNMENT
    ):
        return f"{parent.name}{org.name}"
    return org.name


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_logins(rows: list[Login]) -> str:
    header = ("用户名", "角色", "机构", "姓名", "密码")
    table = [header] + [(r.username, r.role_label, r.organization, r.display_name, r.password) for r in rows]
    widths = [max(_width(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------


@dataclass
class DemoResult:
    counts: dict[str, int]
    logins: list[Login]
    api_key: str
    regions: dict[str, Region] = field(repr=False)
    organizations: dict[str, Organization] = field(repr=False)


def demo_present() -> bool:
    """Whether the database already holds regions (a demo or real data)."""
    return Region.objects.exists()


def build_regions() -> dict[str, Region]:
    """Province, city, district and the 20 townships, keyed by code."""
    province = Region.objects.create(code=PROVINCE[0], name=PROVINCE[1], level=Region.Level.PROVINCE)
    city = Region.objects.create(code=CITY[0], name=CITY[1], level=Region.Level.CITY, parent=province)
    district = Region.objects.create(
        code=DISTRICT[0], name=DISTRICT[1], level=Region.Level.DISTRICT, parent=city
    )
    townships = Region.objects.bulk_create(
        [Region(code=t.code, name=t.name, level=t.level, parent=district) for t in TOWNSHIPS]
    )
    regions = {r.code: r for r in (province, city, district, *townships)}
    if any(r.pk is None for r in townships):  # a backend that does not return ids from bulk inserts
        regions.update({r.code: r for r in Region.objects.filter(code__in=[t.code for t in TOWNSHIPS])})
    return regions


def build_organizations(
    regions: dict[str, Region], planned: Counter | None = None
) -> dict[str, Organization]:
    """The organisation tree (one by one: ``save`` computes ``path``). Headcount is at least the
    planned number of officers of each unit."""
    planned = planned or Counter()
    orgs: dict[str, Organization] = {}
    for spec in organization_specs():
        org = Organization(
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            parent=orgs[spec.parent] if spec.parent else None,
            region=regions[spec.region],
            headcount=max(spec.headcount, planned.get(spec.key, 0)),
            is_enforcement_body=spec.enforcement_body,
        )
        org.save()
        orgs[spec.key] = org
    return orgs


def build_officers(
    rng: random.Random,
    plans: list[OfficerPlan],
    orgs: dict[str, Organization],
    regions: dict[str, Region],
    today: dt.date,
) -> tuple[list[Officer], list[Certificate]]:
    """Officers and certificates for ``plans``, saved with two bulk inserts."""
    families = {s.key: s for s in organization_specs()}
    taken: set[str] = set()
    officers: list[Officer] = []
    numbers = iter(range(rng.randint(100, 400), 10**6))
    pending: list[tuple[OfficerPlan, Officer]] = []
    for seq, plan in enumerate(plans, start=1):
        spec = families[plan.org]
        auxiliary = plan.kind == Officer.Kind.AUXILIARY
        gender = (
            Officer.Gender.MALE if rng.random() < (0.65 if auxiliary else 0.75) else Officer.Gender.FEMALE
        )
        born = _birth_date(rng, today)
        number = id_number(rng, born, gender, taken)
        validate_id_number(number, today=today)
        officer = Officer(
            name=chinese_name(rng, gender),
            gender=gender,
            id_number=number,
            employee_no=f"{'FZ' if auxiliary else spec.prefix}{seq:04d}",
            phone=_phone(rng),
            kind=plan.kind,
            organization=orgs[plan.org],
            posted_to=regions[plan.posted_to] if plan.posted_to else None,
            legal_qualified=plan.legal_qualified,
        )
        if plan.posted_to:
            start = dt.date(2022, 3, 1)
            officer.posted_since = start + dt.timedelta(
                days=rng.randint(0, max((today - start).days - 30, 0))
            )
        officers.append(officer)
        pending.append((plan, officer))
    Officer.objects.bulk_create(officers, batch_size=500)
    if any(o.pk is None for o in officers):
        ids = dict(Officer.objects.filter(id_number__in=taken).values_list("id_number", "pk"))
        for o in officers:
            o.pk = ids[o.id_number]

    certificates = []
    for plan, officer in pending:
        if plan.certificate in (None, PENDING):
            continue
        valid_from, valid_to = _certificate_dates(rng, plan.certificate, today)
        for _ in range(rng.randint(1, 6)):
            next(numbers)  # numbers are provincial: the district's are not consecutive
        certificates.append(
            Certificate(
                officer=officer,
                number=f"浙{DISTRICT[0]}{next(numbers):05d}",
                domains=_domains_for(rng, families[plan.org].domains),
                issuer=ISSUER,
                valid_from=valid_from,
                valid_to=valid_to,
                status=Certificate.Status.SUSPENDED
                if plan.certificate == SUSPENDED
                else Certificate.Status.ACTIVE,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=500)
    return officers, certificates


def build_users(orgs: dict[str, Organization], linked: dict[str, Officer], password: str) -> list[User]:
    """One login per role. Every demo login has the same published password, so it is hashed
    once (Argon2 is deliberately slow)."""
    hashed = make_password(password)
    users = []
    for spec in USERS:
        officer = linked.get(spec.username)
        users.append(
            User(
                username=spec.username,
                password=hashed,
                organization=orgs[spec.org],
                role=spec.role,
                officer=officer,
                display_name=officer.name if officer else spec.display_name,
                is_staff=spec.superuser,
                is_superuser=spec.superuser,
            )
        )
    return User.objects.bulk_create(users)


def build_role_grants() -> int:
    """Roles granted beside the main role, each an audited act of the department administrator: the
    bureau's legal reviewer (法制科) also does its internal enforcement supervision (案卷评查)."""
    from . import services

    admin = User.objects.get(username="zfj_admin")
    granted = 0
    for username, role in (("legal", User.Role.SUPERVISOR),):
        user = User.objects.filter(username=username).first()
        if user is not None and services.grant_role(admin, user.pk, role) is not None:
            granted += 1
    return granted


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    officers: int = DEFAULT_OFFICERS,
    password: str = DEFAULT_PASSWORD,
    today: dt.date | None = None,
) -> DemoResult:
    """Create the whole demo district in one transaction, audited as one ``demo.load`` event.
    Same seed and same ``today`` → same data (except the API key)."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    plans = plan_officers(officers, rng)
    with transaction.atomic():
        regions = build_regions()
        orgs = build_organizations(regions, Counter(p.org for p in plans))
        officer_rows, certificates = build_officers(rng, plans, orgs, regions, today)
        geography = build_geography(orgs, regions)
        linked = {
            plan.login: officer for plan, officer in zip(plans, officer_rows, strict=True) if plan.login
        }
        users = build_users(orgs, linked, password)
        grants = build_role_grants()
        _, raw_key = ApiKey.generate(HOTLINE_KEY_NAME, orgs["command"], User.Role.COMMAND_CENTER)
        statuses = Counter(p.certificate for p in plans if p.kind == Officer.Kind.ENFORCEMENT)
        counts = {
            "regions": len(regions),
            "townships": len(TOWNSHIPS),
            "organizations": len(orgs),
            "officers": len(officer_rows),
            "enforcement": sum(1 for p in plans if p.kind == Officer.Kind.ENFORCEMENT),
            "auxiliary": sum(1 for p in plans if p.kind == Officer.Kind.AUXILIARY),
            "posted": sum(1 for p in plans if p.posted_to),
            "certificates": len(certificates),
            "certificates_expired": statuses[EXPIRED],
            "certificates_expiring": statuses[EXPIRING],
            "certificates_suspended": statuses[SUSPENDED],
            "without_certificate": statuses[PENDING],
            "users": len(users),
            "role_grants": grants,
            "api_keys": 1,
            **geography,
        }
        audit.record(
            None,
            "demo.load",
            object_type="demo",
            object_id=DISTRICT[1],
            after={**counts, "seed": seed, "today": today},
        )
    return DemoResult(
        counts=counts, logins=login_rows(password), api_key=raw_key, regions=regions, organizations=orgs
    )
