#!/usr/bin/env python
"""Fill a migrated PostgreSQL database with a district- or province-scale dataset.

    DATABASE_URL=postgres://... python bench/generate.py --scale {tiny,district,province} [--seed N]
        [--parties N] [--inspections N] [--cases N] [--incidents N] [--audit N] [--districts N]

It starts from the demo district (``load_demo`` is run first when the database has no regions),
then, with COPY through psycopg 3:

* adds districts (province: the 90 county-level divisions of 浙江省, 衢江区 being the demo one),
  each with its townships, its "1+5" organisations (government, command centre, guidance office,
  comprehensive bureau, five professional departments), a township government and enforcement
  team per township, officers (≈15% auxiliary) with certificates — some expired, expiring or
  suspended;
* parties with valid USCC / ID numbers and all four risk colours;
* inspection visits and records with their officers;
* penalty cases over every state of the procedure, with two case officers, a timeline, decided
  fines, payments — and a small share of anomalies for the supervision rules (fines below the
  legal minimum, the same act fined twice, a single officer, an officer without a valid
  certificate, closed but unpaid, decision deadline passed);
* incidents in every state of the closed loop with their timelines, some overdue;
* audit events continuing the hash chain (``python -m django verify_audit`` passes afterwards),
  in time order, one per sampled case / incident transition and inspection record.

District codes other than those of 衢州市 follow the numbering convention, not the official
list; township names are invented. Everything is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
from array import array
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")


import django  # noqa: E402

django.setup()

from _copy import NOW, Progress, Table, through  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhifa.cases.models import Case, CaseEvent, CaseOfficer, Payment  # noqa: E402
from zhifa.catalog.models import EnforcementItem  # noqa: E402
from zhifa.core import audit  # noqa: E402
from zhifa.core.models import AuditEvent  # noqa: E402
from zhifa.core.validators import make_id_number, make_uscc  # noqa: E402
from zhifa.dispatch.models import Incident, IncidentEvent  # noqa: E402
from zhifa.dispatch.past_incidents import PAST_INCIDENTS  # noqa: E402
from zhifa.inspections.models import InspectionRecord, JointInspection  # noqa: E402
from zhifa.organizations.models import Certificate, Officer, Organization, Region  # noqa: E402
from zhifa.parties.models import Party  # noqa: E402


@dataclass(frozen=True)
class Scale:
    districts: int  # including the demo district
    townships: tuple[int, int]  # per new district (min, max)
    officers: int  # per new district
    parties: int
    inspections: int
    cases: int
    incidents: int
    audit: int


SCALES = {
    "tiny": Scale(
        districts=2,
        townships=(4, 5),
        officers=60,
        parties=2_000,
        inspections=2_000,
        cases=1_000,
        incidents=1_000,
        audit=5_000,
    ),
    "district": Scale(
        districts=1,
        townships=(0, 0),
        officers=0,
        parties=60_000,
        inspections=50_000,
        cases=20_000,
        incidents=30_000,
        audit=100_000,
    ),
    "province": Scale(
        districts=90,
        townships=(10, 22),
        officers=445,
        parties=1_500_000,
        inspections=1_000_000,
        cases=500_000,
        incidents=300_000,
        audit=2_000_000,
    ),
}

# 浙江省's 90 county-level divisions by city (GB/T 2260 city codes); 衢江区 is the demo district.
CITIES = (
    ("330100", "杭州市", "上城 拱墅 西湖 滨江 萧山 余杭 临平 钱塘 富阳 临安 桐庐 淳安 建德"),
    ("330200", "宁波市", "海曙 江北 北仑 镇海 鄞州 奉化 象山 宁海 余姚 慈溪"),
    ("330300", "温州市", "鹿城 龙湾 瓯海 洞头 永嘉 平阳 苍南 文成 泰顺 瑞安 乐清 龙港"),
    ("330400", "嘉兴市", "南湖 秀洲 嘉善 海盐 海宁 平湖 桐乡"),
    ("330500", "湖州市", "吴兴 南浔 德清 长兴 安吉"),
    ("330600", "绍兴市", "越城 柯桥 上虞 新昌 诸暨 嵊州"),
    ("330700", "金华市", "婺城 金东 武义 浦江 磐安 兰溪 义乌 东阳 永康"),
    ("330800", "衢州市", "柯城 常山 开化 龙游 江山"),
    ("330900", "舟山市", "定海 普陀 岱山 嵊泗"),
    ("331000", "台州市", "椒江 黄岩 路桥 三门 天台 仙居 温岭 临海 玉环"),
    ("331100", "丽水市", "莲都 青田 缙云 遂昌 松阳 云和 庆元 景宁 龙泉"),
)
QUZHOU_CODES = {"柯城": "330802", "常山": "330822", "开化": "330824", "龙游": "330825", "江山": "330881"}
COUNTY_SUFFIX = {
    "淳安": "县",
    "桐庐": "县",
    "象山": "县",
    "宁海": "县",
    "永嘉": "县",
    "平阳": "县",
    "苍南": "县",
    "文成": "县",
    "泰顺": "县",
    "嘉善": "县",
    "海盐": "县",
    "德清": "县",
    "长兴": "县",
    "安吉": "县",
    "新昌": "县",
    "武义": "县",
    "浦江": "县",
    "磐安": "县",
    "常山": "县",
    "开化": "县",
    "龙游": "县",
    "岱山": "县",
    "嵊泗": "县",
    "三门": "县",
    "天台": "县",
    "仙居": "县",
    "青田": "县",
    "缙云": "县",
    "遂昌": "县",
    "松阳": "县",
    "云和": "县",
    "庆元": "县",
    "景宁": "畲族自治县",
}
CITY_LEVEL = {
    "建德",
    "余姚",
    "慈溪",
    "瑞安",
    "乐清",
    "龙港",
    "海宁",
    "平湖",
    "桐乡",
    "诸暨",
    "嵊州",
    "兰溪",
    "义乌",
    "东阳",
    "永康",
    "江山",
    "温岭",
    "临海",
    "玉环",
    "龙泉",
}
PLACE_SYLLABLES = "东 西 南 北 新 安 平 和 清 溪 湖 山 桥 塘 坑 岭 源 浦 江 石 林 田 口 门 头 坞 村 洋 阳 泉 云 龙 凤 桃 梅 竹 松 岩 沙 港".split()
DEPARTMENTS = (  # the "5": key, name pattern, short-name suffix, certificate domains
    ("market", "{d}市场监督管理局", "市监", ["市场监管"]),
    ("ecology", "{c}生态环境局{s}分局", "环", ["生态环境"]),
    ("transport", "{d}交通运输局", "交通", ["交通运输"]),
    ("health", "{d}卫生健康局", "卫健", ["卫生健康"]),
    ("emergency", "{d}应急管理局", "应急", ["应急管理"]),
)
BUREAU_DOMAINS = [
    "城乡规划",
    "市容环境卫生",
    "住房和城乡建设",
    "园林绿化",
    "燃气管理",
    "自然资源",
    "生态环境",
]

CASE_PATHS = {  # final state -> the actions that lead there (rules.TRANSITIONS)
    "registered": [],
    "filed": ["file"],
    "investigating": ["file", "start_investigation"],
    "notified": ["file", "start_investigation", "notify"],
    "hearing": ["file", "start_investigation", "notify", "request_hearing"],
    "heard": ["file", "start_investigation", "notify", "request_hearing", "hold_hearing"],
    "legal_review": ["file", "start_investigation", "notify", "submit_legal_review"],
    "deliberation": ["file", "start_investigation", "notify", "submit_legal_review", "deliberate"],
    "decided": ["file", "start_investigation", "notify", "submit_legal_review", "decide"],
    "served": ["file", "start_investigation", "notify", "submit_legal_review", "decide", "serve"],
    "partly_paid": [
        "file",
        "start_investigation",
        "notify",
        "submit_legal_review",
        "decide",
        "serve",
        "pay_part",
    ],
    "deferred": ["file", "start_investigation", "notify", "submit_legal_review", "decide", "serve", "defer"],
    "paid": ["file", "start_investigation", "notify", "submit_legal_review", "decide", "serve", "pay"],
    "compulsory_execution": [
        "file",
        "start_investigation",
        "notify",
        "submit_legal_review",
        "decide",
        "serve",
        "demand_payment",
    ],
    "court_enforcement": [
        "file",
        "start_investigation",
        "notify",
        "submit_legal_review",
        "decide",
        "serve",
        "demand_payment",
        "apply_to_court",
    ],
    "no_penalty": ["file", "start_investigation", "decide_no_penalty"],
    "referred": ["file", "start_investigation", "refer_criminal"],
    "transferred": ["file", "transfer"],
    "filing_revoked": ["file", "revoke_filing"],
    "closed": [
        "file",
        "start_investigation",
        "notify",
        "submit_legal_review",
        "decide",
        "serve",
        "pay",
        "close",
    ],
    "archived": [
        "file",
        "start_investigation",
        "notify",
        "submit_legal_review",
        "decide",
        "serve",
        "pay",
        "close",
        "archive",
    ],
}
CASE_STATE_SHARES = {
    "registered": 3,
    "filed": 4,
    "investigating": 9,
    "notified": 4,
    "hearing": 0.5,
    "heard": 0.5,
    "legal_review": 3,
    "deliberation": 1,
    "decided": 2,
    "served": 4,
    "partly_paid": 1,
    "deferred": 0.5,
    "paid": 9,
    "compulsory_execution": 1,
    "court_enforcement": 0.5,
    "no_penalty": 5,
    "referred": 0.5,
    "transferred": 1,
    "filing_revoked": 1,
    "closed": 30,
    "archived": 19,
}
SUMMARY_PATH = ["decide_on_spot", "collect_on_spot", "close"]  # 简易程序 (art. 51, 52, 68): ends closed
STATE_AFTER = {
    "file": "filed",
    "start_investigation": "investigating",
    "notify": "notified",
    "request_hearing": "hearing",
    "hold_hearing": "heard",
    "submit_legal_review": "legal_review",
    "deliberate": "deliberation",
    "decide": "decided",
    "serve": "served",
    "pay_part": "partly_paid",
    "defer": "deferred",
    "pay": "paid",
    "demand_payment": "compulsory_execution",
    "apply_to_court": "court_enforcement",
    "decide_no_penalty": "no_penalty",
    "refer_criminal": "referred",
    "transfer": "transferred",
    "revoke_filing": "filing_revoked",
    "close": "closed",
    "archive": "archived",
    "decide_on_spot": "served",
    "collect_on_spot": "paid",
}
PRE_DECISION = {
    "registered",
    "filed",
    "investigating",
    "notified",
    "hearing",
    "heard",
    "legal_review",
    "deliberation",
}
INCIDENT_PATHS = {
    "reported": [],
    "assigned": ["assign"],
    "accepted": ["assign", "accept"],
    "handling": ["assign", "accept", "handle"],
    "replied": ["assign", "accept", "handle", "reply"],
    "evaluated": ["assign", "accept", "handle", "reply", "evaluate"],
    "closed": ["assign", "accept", "handle", "reply", "evaluate", "close"],
    "returned": ["assign", "return"],
    "merged": ["merge"],
}
INCIDENT_STATE_SHARES = {
    "reported": 3,
    "assigned": 4,
    "accepted": 3,
    "handling": 5,
    "replied": 4,
    "evaluated": 6,
    "closed": 71,
    "returned": 2,
    "merged": 2,
}
INCIDENT_SOURCES = (
    ["hotline"] * 5
    + ["grassroots_platform"] * 3
    + ["patrol"] * 2
    + ["complaint", "non_site_monitoring", "inspection_finding"]
)
OUTCOMES = (
    ("no_issue", "现场检查未发现违法行为。", 70),
    ("rectification", "部分台账记录不全，已责令限期整改。", 20),
    ("case_suggested", "发现涉嫌违法行为，已固定证据，建议立案查处。", 7),
    ("incident_suggested", "发现需其他部门处置的问题，建议转事件。", 3),
)
RISK_SHARES = (("green", 60), ("blue", 25), ("yellow", 10), ("red", 5))
USCC_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class Body:
    """An enforcement body of a district and the officers who may act for it."""

    id: int
    name: str
    short: str
    township_id: int | None
    officers: list[int] = field(default_factory=list)  # enforcement officers with a valid certificate
    uncertified: list[int] = field(default_factory=list)


@dataclass
class District:
    code: str
    name: str
    short: str
    weight: float
    townships: list[tuple[int, str]] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    team_by_township: dict[int, int] = field(default_factory=dict)
    party_ids: array = field(default_factory=lambda: array("q"))
    centre: tuple[float, float] = (28.97, 118.95)


def _weighted_table(shares) -> list:
    items = shares.items() if isinstance(shares, dict) else [(k, w) for k, *_, w in shares]
    table = []
    for key, weight in items:
        table += [key] * int(weight * 2)
    return table


# ---------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, scale: Scale, seed: int, stream=None):
        self.scale, self.seed, self.out = scale, seed, stream or sys.stdout
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now().replace(microsecond=0)
        self.counts: dict[str, tuple[int, float]] = {}
        self.districts: list[District] = []
        # Audit stubs (kept compact): time (epoch seconds), kind code, object id, organisation id, action code.
        self.stub_at, self.stub_kind, self.stub_obj, self.stub_org, self.stub_action = (
            array("q"),
            array("b"),
            array("q"),
            array("q"),
            array("h"),
        )
        self.action_codes: dict[tuple[int, str, str], int] = {}
        self.actions: list[tuple[int, str, str]] = []
        self.org_names: dict[int, str] = {}
        self.stages: dict[str, float] = {}  # wall time of each stage: generating rows and COPY

    # -- bookkeeping ---------------------------------------------------------------------------

    def _count(self, label: str, rows: int, seconds: float) -> None:
        rows0, seconds0 = self.counts.get(label, (0, 0.0))
        self.counts[label] = (rows0 + rows, seconds0 + seconds)

    def _copy(self, table: Table, rows, total: int, label: str | None = None) -> int:
        label = label or table.name
        progress = Progress(label, total)
        n = table.copy(rows, progress)
        self._count(label, n, progress.close())
        return n

    def _stub(self, at: dt.datetime, kind: int, obj: int, org: int, action: tuple[int, str, str]) -> None:
        code = self.action_codes.get(action)
        if code is None:
            code = self.action_codes[action] = len(self.actions)
            self.actions.append(action)
        self.stub_at.append(int(at.timestamp()))
        self.stub_kind.append(kind)
        self.stub_obj.append(obj)
        self.stub_org.append(org)
        self.stub_action.append(code)

    def _day(self, days_back: int) -> dt.date:
        return self.today - dt.timedelta(days=days_back)

    def _moment(self, day: dt.date, rng: random.Random) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(
            minutes=rng.randrange(0, 540), seconds=rng.randrange(60)
        )
        return timezone.make_aware(local).astimezone(dt.UTC)

    # -- the home district ---------------------------------------------------------------------

    def home_district(self) -> District:
        district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("pk").first()
        d = District(code=district.code, name=district.name, short=district.name[:2], weight=1.0)
        townships = Region.objects.filter(parent=district, level__in=Region.TOWNSHIP_LEVELS).order_by("code")
        d.townships = [(t.pk, t.name) for t in townships]
        township_ids = {t for t, _ in d.townships}
        bodies = (
            Organization.objects.filter(is_enforcement_body=True)
            .filter(Q(region=district) | Q(region__in=township_ids))
            .order_by("path")
        )
        valid = set(Certificate.objects.valid_on(self.today).values_list("officer_id", flat=True))
        officers = list(
            Officer.objects.filter(kind=Officer.Kind.ENFORCEMENT, is_active=True).values_list(
                "pk", "organization__path"
            )
        )
        for org in bodies:
            body = Body(
                org.pk,
                org.name,
                org.short_name or d.short + "综执",
                org.region_id if org.region_id in township_ids else None,
            )
            for pk, path in officers:
                if path.startswith(org.path):
                    (body.officers if pk in valid else body.uncertified).append(pk)
            d.bodies.append(body)
            self.org_names[org.pk] = org.name
            if body.township_id:
                d.team_by_township[body.township_id] = org.pk
        d.party_ids.extend(
            Party.objects.filter(township__in=township_ids).order_by("pk").values_list("pk", flat=True)
        )
        return d

    # -- new districts ---------------------------------------------------------------------------

    def district_specs(self, n: int) -> list[tuple[str, str, str, str]]:
        """(code, name, short, city region code) of ``n`` districts besides the demo one."""
        specs = []
        for city_code, city_name, names in CITIES:
            for i, short in enumerate(names.split(), 1):
                code = QUZHOU_CODES.get(short) or (
                    f"{city_code[:4]}{80 + i:02d}"
                    if short in CITY_LEVEL
                    else f"{city_code[:4]}{i + (20 if short in COUNTY_SUFFIX else 1):02d}"
                )
                suffix = "市" if short in CITY_LEVEL else COUNTY_SUFFIX.get(short, "区")
                specs.append((code, short + suffix, short, city_code, city_name))
        return specs[:n]

    def add_districts(self) -> None:
        extra = self.scale.districts - 1
        if extra <= 0:
            return
        started = time.perf_counter()
        rng = random.Random(f"districts|{self.seed}")
        province = Region.objects.get(level=Region.Level.PROVINCE)
        cities = {r.code: r for r in Region.objects.filter(level=Region.Level.CITY)}
        existing = set(Region.objects.values_list("code", flat=True))
        specs = [s for s in self.district_specs(89) if s[0] not in existing][:extra]
        region_t = Table(Region, ["id", "code", "name", "level", "parent_id"])
        org_t = Table(
            Organization,
            [
                "id",
                "name",
                "short_name",
                "kind",
                "parent_id",
                "region_id",
                "path",
                "headcount",
                "is_enforcement_body",
            ],
        )
        region_id, org_id = region_t.next_id(), org_t.next_id()
        regions, orgs = [], []
        for code, name, short, city_code, city_name in specs:
            if city_code not in cities:
                regions.append((region_id, city_code, city_name, "city", province.pk))
                cities[city_code] = Region(pk=region_id, code=city_code, name=city_name)
                region_id += 1
            d = District(
                code=code,
                name=name,
                short=short,
                weight=rng.uniform(0.5, 1.5),
                centre=(rng.uniform(27.2, 30.8), rng.uniform(118.2, 122.2)),
            )
            district_region = region_id
            regions.append((region_id, code, name, "district", cities[city_code].pk))
            region_id += 1
            names = set()
            count = rng.randint(*self.scale.townships)
            for i in range(count):
                level = (
                    "subdistrict" if i < max(1, count // 5) else ("town" if i < count * 0.7 else "township")
                )
                while True:
                    place = rng.choice(PLACE_SYLLABLES) + rng.choice(PLACE_SYLLABLES)
                    if place not in names and place[0] != place[1]:
                        names.add(place)
                        break
                label = {"subdistrict": "街道", "town": "镇", "township": "乡"}[level]
                number = {"subdistrict": 1, "town": 100, "township": 200}[level] + i
                regions.append((region_id, f"{code}{number:03d}", place + label, level, district_region))
                d.townships.append((region_id, place + label))
                region_id += 1

            def org(name, short_name, kind, parent, region, headcount, body=False, d=d):
                nonlocal org_id
                pk = org_id
                org_id += 1
                path = (parent[1] if parent else "/") + f"{pk:08d}/"
                orgs.append(
                    (pk, name, short_name, kind, parent[0] if parent else None, region, path, headcount, body)
                )
                self.org_names[pk] = name
                return pk, path

            root = org(f"{name}人民政府", "", "government", None, district_region, 120)
            org(f"{name}行政执法统一指挥中心", "", "command_center", root, district_region, 12)
            org(f"{name}综合行政执法指导办公室", "", "guidance_office", root, district_region, 8)
            bureau = org(
                f"{city_name}{name}综合行政执法局" if not name.endswith("市") else f"{name}综合行政执法局",
                f"{short}综执",
                "comprehensive_bureau",
                root,
                district_region,
                150,
                True,
            )
            d.bodies.append(Body(bureau[0], "", f"{short}综执", None))
            for _key, pattern, suffix, _domains in DEPARTMENTS:
                dept = org(
                    pattern.format(d=name, c=city_name, s=short),
                    f"{short}{suffix}",
                    "professional_department",
                    root,
                    district_region,
                    40,
                    True,
                )
                d.bodies.append(Body(dept[0], "", f"{short}{suffix}", None))
            for township_id, township_name in d.townships:
                gov = org(
                    f"{township_name}人民政府"
                    if not township_name.endswith("街道")
                    else f"{township_name}办事处",
                    "",
                    "government",
                    root,
                    township_id,
                    50,
                )
                team = org(f"{township_name}综合行政执法队", "", "township_team", gov, township_id, 10, True)
                d.bodies.append(Body(team[0], "", f"{short}{township_name[:2]}综执", township_id))
                d.team_by_township[township_id] = team[0]
            self.districts.append(d)
        self._copy(region_t, iter(regions), len(regions), "regions (districts, townships)")
        self._copy(org_t, iter(orgs), len(orgs), "organizations")
        self.add_officers(rng)
        self.stages["districts"] = time.perf_counter() - started

    def add_officers(self, rng: random.Random) -> None:
        officer_t = Table(
            Officer,
            [
                "id",
                "name",
                "gender",
                "id_number",
                "employee_no",
                "phone",
                "kind",
                "organization_id",
                "legal_qualified",
                "is_active",
            ],
        )
        cert_t = Table(
            Certificate, ["id", "officer_id", "number", "domains", "valid_from", "valid_to", "status"]
        )
        officer_id, cert_id = officer_t.next_id(), cert_t.next_id()
        officers, certificates = [], []
        surnames = "王李张刘陈杨黄赵吴周徐孙朱胡郭何林郑叶汪毛祝邵方余程姜占柴童傅"
        given = "建国 伟 芳 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 志华 海燕 晓东 国平 红梅 永康 春花".split()
        for d in self.districts:
            bodies = d.bodies
            total = max(int(self.scale.officers * d.weight), 3 * len(bodies))
            bureau, depts, teams = bodies[0], bodies[1:6], bodies[6:]
            share = (
                [(bureau, 0.25)]
                + [(b, 0.06) for b in depts]
                + [(b, 0.45 / max(len(teams), 1)) for b in teams]
            )
            n = 0
            for body, fraction in share:
                for i in range(max(3, round(total * fraction))):
                    n += 1
                    auxiliary = i >= 2 and rng.random() < 0.15
                    birth = dt.date(1965, 1, 1) + dt.timedelta(days=n % 13000)
                    officers.append(
                        (
                            officer_id,
                            rng.choice(surnames) + rng.choice(given),
                            rng.choice("MF"),
                            make_id_number(d.code, birth, f"{(n // 13000) % 1000:03d}"),
                            f"P{d.code}{n:05d}",
                            f"13{rng.randrange(10**9):09d}",
                            "auxiliary" if auxiliary else "enforcement",
                            body.id,
                            rng.random() < 0.3,
                            True,
                        )
                    )
                    if not auxiliary:
                        roll = rng.random()
                        if i < 2 or roll >= 0.1:  # the first two of each body hold a valid certificate
                            # Held since before the oldest generated case (cases go back ~750 days), so
                            # only the planted uncertified officers raise the supervision alert.
                            start = self.today - dt.timedelta(days=rng.randrange(760, 1700))
                            end, status = start + dt.timedelta(days=5 * 365), "active"
                            if roll < 0.13 and i >= 2:
                                end = self.today + dt.timedelta(days=rng.randrange(1, 60))  # expiring
                            body.officers.append(officer_id)
                        else:
                            # Expired before the oldest generated case, so every case of theirs raises the alert.
                            start = self.today - dt.timedelta(days=rng.randrange(2600, 3300))
                            end = start + dt.timedelta(days=5 * 365)
                            status = "suspended" if roll < 0.03 else "active"  # expired or suspended
                            if status == "suspended":
                                end = self.today + dt.timedelta(days=400)
                            body.uncertified.append(officer_id)
                        domains = BUREAU_DOMAINS if body is bureau else ["综合行政执法"]
                        certificates.append(
                            (
                                cert_id,
                                officer_id,
                                f"ZJ{d.code}{n:06d}",
                                json.dumps(domains, ensure_ascii=False),
                                start,
                                end,
                                status,
                            )
                        )
                        cert_id += 1
                    officer_id += 1
        self._copy(officer_t, iter(officers), len(officers), "officers")
        self._copy(cert_t, iter(certificates), len(certificates), "certificates")

    # -- parties ---------------------------------------------------------------------------------

    def _shares(self, total: int) -> list[int]:
        weights = [d.weight for d in self.districts]
        counts = [int(total * w / sum(weights)) for w in weights]
        counts[0] += total - sum(counts)
        return counts

    def add_parties(self, total: int) -> None:
        rng = random.Random(f"parties|{self.seed}")
        table = Table(
            Party,
            [
                "id",
                "kind",
                "name",
                "uscc",
                "id_number",
                "representative",
                "phone",
                "address",
                "township_id",
                "industry",
                "risk_color",
                "violation_count_12m",
                "complaint_count_12m",
                "failed_inspection_count_12m",
                "serious_violation",
                "created_at",
                "updated_at",
            ],
        )
        taken = set(Party.objects.exclude(uscc="").values_list("uscc", flat=True))
        taken |= set(Party.objects.filter(kind="person").values_list("id_number", flat=True))
        first = table.next_id()
        colours = _weighted_table(RISK_SHARES)
        trades = (
            "鑫源 恒泰 华盛 瑞丰 金诚 宏达 永兴 天和 聚福 佳禾 锦程 东升 丰收 顺达 新辉 盛和 江南 信安 隆鑫 万家 "
            "福临 百川 嘉禾 康源 绿野 明珠"
        ).split()
        enterprise = [
            ("manufacturing", "机械制造有限公司"),
            ("construction", "建设工程有限公司"),
            ("retail", "商贸有限公司"),
            ("food_production", "食品有限公司"),
            ("catering", "餐饮管理有限公司"),
            ("transport", "物流有限公司"),
            ("hazardous_chemicals", "化工有限公司"),
            ("accommodation", "宾馆有限公司"),
            ("other", "科技有限公司"),
        ]
        shops = [
            ("catering", "餐饮店"),
            ("retail", "便利店"),
            ("catering", "面馆"),
            ("retail", "超市"),
            ("accommodation", "民宿"),
            ("entertainment", "网吧"),
            ("healthcare", "诊所"),
            ("other", "理发店"),
        ]
        people = "王李张刘陈杨黄赵吴周徐孙朱胡郭何林郑叶汪毛祝邵方余"
        given = "建国 伟 芳 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超".split()
        counts = self._shares(total)

        def rows():
            pk = first
            serial = 0
            for d, count in zip(self.districts, counts, strict=True):
                township_ids = [t for t, _ in d.townships]
                township_names = dict(d.townships)
                made = persons = 0
                while made < count:
                    serial += 1
                    roll = rng.random()
                    township = rng.choice(township_ids)
                    colour = rng.choice(colours)
                    uscc = id_number = representative = ""
                    if roll < 0.15:
                        kind, industry = "person", "resident"
                        name = rng.choice(people) + rng.choice(given)
                        n = persons
                        persons += 1
                        id_number = make_id_number(
                            d.code,
                            dt.date(1950, 1, 1) + dt.timedelta(days=n % 20000),
                            f"{(n // 20000) % 1000:03d}",
                        )
                        key = id_number
                    else:
                        body, n = "", serial
                        for _ in range(6):
                            n, r = divmod(n, 31)
                            body += USCC_BODY_CHARS[r]
                        org_code = "MA" + body
                        total_ = sum(
                            (int(c) if c.isdigit() else ord(c) - 55) * w
                            for c, w in zip(org_code, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)
                        )
                        check = 11 - total_ % 11
                        org_code += {10: "X", 11: "0"}.get(check, str(check))
                        if roll < 0.6:
                            kind = "enterprise"
                            industry, suffix = rng.choice(enterprise)
                            name = f"{d.short}{rng.choice(trades)}{suffix}"
                            uscc = make_uscc("91" + d.code + org_code)
                        else:
                            kind = "individual_business"
                            industry, suffix = rng.choice(shops)
                            name = f"{d.name}{township_names[township][:-1]}{rng.choice(trades)}{suffix}"
                            uscc = make_uscc("92" + d.code + org_code)
                        representative = rng.choice(people) + rng.choice(given)
                        key = uscc
                    if key in taken:
                        continue
                    made += 1
                    level = {"green": 0, "blue": 1, "yellow": 2, "red": 3}[colour]
                    d.party_ids.append(pk)
                    yield (
                        pk,
                        kind,
                        name,
                        uscc,
                        id_number,
                        representative,
                        f"13{rng.randrange(10**9):09d}",
                        f"{d.name}{township_names[township]}{rng.randint(1, 399)}号",
                        township,
                        industry,
                        colour,
                        level,
                        level * 2,
                        level,
                        colour == "red" and rng.random() < 0.2,
                        NOW,
                        NOW,
                    )
                    pk += 1

        self._copy(table, rows(), total, "parties")

    # -- inspections -------------------------------------------------------------------------------

    def _two_officers(
        self, body: Body, district: District, rng: random.Random, anomaly: float = 0.0
    ) -> list[int]:
        pool = body.officers if len(body.officers) >= 2 else district.bodies[0].officers
        if len(pool) < 2:
            pool = [o for b in district.bodies for o in b.officers]
        picked = rng.sample(pool, 2)
        if anomaly and rng.random() < anomaly and body.uncertified:
            picked[1] = rng.choice(body.uncertified)
        return picked

    def add_inspections(self, total: int) -> None:
        rng = random.Random(f"inspections|{self.seed}")
        visit_t = Table(JointInspection, ["id", "party_id", "day", "state", "created_at"])
        record_t = Table(
            InspectionRecord,
            [
                "id",
                "visit_id",
                "party_id",
                "department_id",
                "started_at",
                "ended_at",
                "findings",
                "outcome",
                "created_at",
            ],
        )
        officers_t = Table(through(InspectionRecord, "officers"), ["id", "inspectionrecord_id", "officer_id"])
        first_visit, first_record, first_link = visit_t.next_id(), record_t.next_id(), officers_t.next_id()
        counts = self._shares(total)
        outcomes = _weighted_table(OUTCOMES)
        findings = {o: f for o, f, _ in OUTCOMES}
        plan = []  # (visit/record offset, party, department, day, start minute, duration, outcome, officers)
        for d, count in zip(self.districts, counts, strict=True):
            for _ in range(count):
                body = rng.choice(d.bodies)
                day = self._day(rng.randrange(0, 365))
                started = self._moment(day, rng)
                plan.append(
                    (
                        rng.choice(d.party_ids),
                        body.id,
                        day,
                        started,
                        rng.randrange(20, 150),
                        rng.choice(outcomes),
                        self._two_officers(body, d, rng),
                    )
                )
        record_kind = self.kinds["inspections.InspectionRecord"]
        for i, (_party, body, _day, started, _dur, _o, _officers) in enumerate(plan):
            self._stub(started, record_kind, first_record + i, body, (record_kind, "inspection.record", ""))
        self._copy(
            visit_t,
            ((first_visit + i, p[0], p[2], "done", p[3]) for i, p in enumerate(plan)),
            total,
            "joint inspections (visits)",
        )
        self._copy(
            record_t,
            (
                (
                    first_record + i,
                    first_visit + i,
                    p[0],
                    p[1],
                    p[3],
                    p[3] + dt.timedelta(minutes=p[4]),
                    findings[p[5]],
                    p[5],
                    p[3] + dt.timedelta(minutes=p[4]),
                )
                for i, p in enumerate(plan)
            ),
            total,
            "inspection records",
        )
        self._copy(
            officers_t,
            (
                (first_link + 2 * i + j, first_record + i, o)
                for i, p in enumerate(plan)
                for j, o in enumerate(p[6])
            ),
            2 * total,
            "inspection record officers",
        )

    # -- cases -------------------------------------------------------------------------------------

    def add_cases(self, total: int) -> None:
        rng = random.Random(f"cases|{self.seed}")
        items = list(
            EnforcementItem.objects.filter(kind="penalty")
            .order_by("pk")
            .values_list("pk", "fine_min", "fine_max")
        )
        if not items:
            raise SystemExit("没有行政处罚事项：先载入演示目录（load_demo）")
        case_t = Table(
            Case,
            [
                "id",
                "organization_id",
                "number",
                "procedure",
                "state",
                "party_id",
                "item_id",
                "act_key",
                "summary",
                "act_date",
                "discovery_date",
                "filing_date",
                "facts_clear",
                "legal_basis",
                "penalties_intended",
                "penalties_decided",
                "decided_fine",
                "notice_date",
                "legal_review_passed",
                "decision_date",
                "service_date",
                "amount_paid",
                "payment_date",
                "extra_facts",
                "created_at",
                "updated_at",
            ],
        )
        officer_t = Table(CaseOfficer, ["id", "case_id", "officer_id", "role", "assisting"])
        event_t = Table(
            CaseEvent, ["id", "case_id", "action", "from_state", "to_state", "on", "at", "article"]
        )
        payment_t = Table(Payment, ["id", "case_id", "amount", "paid_on", "channel", "receipt_number"])
        case_id, link_id, event_id, payment_id = (
            case_t.next_id(),
            officer_t.next_id(),
            event_t.next_id(),
            payment_t.next_id(),
        )
        states = _weighted_table(CASE_STATE_SHARES)
        counts = self._shares(total)
        kind = self.kinds["cases.Case"]
        cases, links, events, payments = [], [], [], []
        numbers: dict[tuple[int, int], int] = {}
        anomalies = {
            "fine_below_minimum": 0,
            "duplicate_fine": 0,
            "officer_alone": 0,
            "officer_uncertified": 0,
            "closed_unpaid": 0,
            "decision_overdue": 0,
        }
        last_fined: tuple | None = None
        for d, count in zip(self.districts, counts, strict=True):
            for _ in range(count):
                body = rng.choice(d.bodies)
                item_id, fine_min, fine_max = rng.choice(items)
                party = rng.choice(d.party_ids)
                state = rng.choice(states)
                summary_procedure = state == "closed" and rng.random() < 0.25
                path = SUMMARY_PATH if summary_procedure else CASE_PATHS[state]
                # Open cases are recent; finished ones spread over two years; 2% of open ones are stale.
                if state in PRE_DECISION:
                    age = rng.randrange(5, 85) if rng.random() > 0.02 else rng.randrange(120, 300)
                    if age >= 120:
                        anomalies["decision_overdue"] += 1
                else:
                    age = rng.randrange(30, 730)
                discovery = self._day(age + rng.randrange(1, 10))
                act_date = discovery - dt.timedelta(days=rng.randrange(0, 20))
                days = {"discovery": discovery}
                day = discovery
                steps = []
                for action in path:
                    day = min(
                        day + dt.timedelta(days=rng.randrange(1, 12) if action != "archive" else 30),
                        self.today,
                    )
                    steps.append((action, day))
                    days.setdefault(action, day)
                fined = "decide" in days or "decide_on_spot" in days
                low = Decimal(fine_min) if fine_min is not None else Decimal(200)
                high = Decimal(fine_max) if fine_max is not None else max(low * 10, Decimal(5000))
                high = max(high, low)
                fine = (
                    Decimal(rng.randint(int(low), int(high))).quantize(Decimal("0.01"))
                    if fined
                    else Decimal(0)
                )
                if summary_procedure:
                    fine = Decimal(rng.choice([50, 100, 200])).quantize(Decimal("0.01"))
                extra = {}
                if fined and fine_min is not None and rng.random() < 0.005 and fine_min > 1:
                    fine = (Decimal(fine_min) / 2).quantize(
                        Decimal("0.01")
                    )  # below the legal minimum, no reason given
                    anomalies["fine_below_minimum"] += 1
                elif fined and fine_min is not None and fine < Decimal(fine_min):
                    extra = {"mitigation_basis": "行政处罚法第三十二条"}
                act_key = Case.make_act_key(item_id, party, act_date)
                if fined and last_fined is not None and rng.random() < 0.001:  # the same act fined twice
                    party, item_id, act_date, act_key = last_fined
                    anomalies["duplicate_fine"] += 1
                if fined:
                    last_fined = (party, item_id, act_date, act_key)
                paid = Decimal(0)
                payment_day = None
                if state in ("paid", "closed", "archived") or "collect_on_spot" in days:
                    paid, payment_day = fine, days.get("pay") or days.get("collect_on_spot")
                    if state in ("closed", "archived") and fine > 0 and rng.random() < 0.003:
                        paid = (fine / 2).quantize(Decimal("0.01"))  # closed although not fully paid
                        anomalies["closed_unpaid"] += 1
                elif state == "partly_paid":
                    paid, payment_day = (fine / 2).quantize(Decimal("0.01")), days["pay_part"]
                year = (days.get("file") or discovery).year
                numbers[(body.id, year)] = seq = numbers.get((body.id, year), 0) + 1
                penalty = (
                    json.dumps([{"kind": "fine", "amount": str(fine), "duration_days": None}])
                    if fined
                    else "[]"
                )
                created = self._moment(discovery, rng)
                cases.append(
                    (
                        case_id,
                        body.id,
                        f"{body.short}立字〔{year}〕第{seq}号",
                        "summary" if summary_procedure else "general",
                        state,
                        party,
                        item_id,
                        act_key,
                        "经查，当事人涉嫌违法。",
                        act_date,
                        discovery,
                        days.get("file"),
                        fined,
                        "" if not fined else "依据相关法律法规",
                        penalty if "notify" in days else "[]",
                        penalty,
                        fine,
                        days.get("notify"),
                        "submit_legal_review" in days,
                        days.get("decide") or days.get("decide_on_spot"),
                        days.get("serve") or days.get("decide_on_spot"),
                        paid,
                        payment_day,
                        json.dumps(extra, ensure_ascii=False),
                        created,
                        created,
                    )
                )
                officers = self._two_officers(body, d, rng, anomaly=0.005)
                acted = state != "registered"  # the officer rules look at cases acted on: filed onwards
                if rng.random() < 0.003:
                    officers = officers[:1]
                    anomalies["officer_alone"] += acted
                if acted and days.get("file"):
                    anomalies["officer_uncertified"] += sum(o in body.uncertified for o in officers)
                for n, officer in enumerate(officers):
                    links.append((link_id, case_id, officer, "lead" if n == 0 else "assist", False))
                    link_id += 1
                before = "registered"
                for action, on in steps:
                    after = STATE_AFTER[action]
                    at = self._moment(on, rng)
                    events.append((event_id, case_id, action, before, after, on, at, ""))
                    self._stub(at, kind, case_id, body.id, (kind, f"case.{action}", after))
                    event_id += 1
                    before = after
                if paid > 0:
                    payments.append(
                        (
                            payment_id,
                            case_id,
                            paid,
                            payment_day,
                            "on_spot" if summary_procedure else "bank",
                            f"R{case_id:010d}",
                        )
                    )
                    payment_id += 1
                case_id += 1
        self._copy(case_t, iter(cases), len(cases), "cases")
        self._copy(officer_t, iter(links), len(links), "case officers")
        self._copy(event_t, iter(events), len(events), "case events")
        self._copy(payment_t, iter(payments), len(payments), "payments")
        self.anomalies = anomalies

    # -- incidents ---------------------------------------------------------------------------------

    def add_incidents(self, total: int) -> None:
        rng = random.Random(f"incidents|{self.seed}")
        incident_t = Table(
            Incident,
            [
                "id",
                "source",
                "external_id",
                "tracking_code",
                "title",
                "text",
                "lat",
                "lng",
                "address",
                "township_id",
                "reporter_name",
                "reporter_phone",
                "priority",
                "responsible_org_id",
                "suggested_org_id",
                "state",
                "reported_at",
                "assigned_at",
                "replied_at",
                "closed_at",
                "due_at",
                "escalate_at",
                "overdue",
                "escalated",
                "reply",
                "satisfaction",
                "merged_into_id",
                "created_by",
            ],
        )
        event_t = Table(
            IncidentEvent,
            [
                "id",
                "incident_id",
                "at",
                "action",
                "from_state",
                "to_state",
                "actor_name",
                "organization_id",
                "note",
            ],
        )
        first, event_id = incident_t.next_id(), event_t.next_id()
        states = _weighted_table(INCIDENT_STATE_SHARES)
        counts = self._shares(total)
        kind = self.kinds["dispatch.Incident"]
        incidents, events = [], []
        pk = first
        hour = dt.timedelta(hours=1)
        for d, count in zip(self.districts, counts, strict=True):
            district_first = pk
            for _ in range(count):
                state = rng.choice(states)
                if state == "merged" and pk == district_first:
                    state = "closed"
                township, township_name = rng.choice(d.townships)
                team = d.team_by_township.get(township) or d.bodies[0].id
                text = rng.choice(PAST_INCIDENTS)[1]
                title = text[:30]
                open_ = state in ("reported", "assigned", "accepted", "handling", "replied", "returned")
                days_back = (6 if rng.random() > 0.15 else 30) if open_ else 365
                reported = self.now - dt.timedelta(hours=rng.uniform(1, 24 * days_back))
                at = reported
                stamps = {}
                for action in INCIDENT_PATHS[state]:
                    at = min(at + hour * rng.uniform(0.5, 48), self.now)
                    stamps[action] = at
                assigned = stamps.get("assign")
                due = assigned + dt.timedelta(days=5) if assigned else None
                working = state in ("assigned", "accepted", "handling")
                overdue = bool(due) and (
                    (working and due < self.now) or ("reply" in stamps and stamps["reply"] > due)
                )
                satisfaction = (
                    rng.choices([5, 4, 3, 2], weights=[6, 3, 1, 1])[0] if "evaluate" in stamps else None
                )
                if state == "closed" and satisfaction is not None and satisfaction <= 2:
                    satisfaction = 4
                source = rng.choice(INCIDENT_SOURCES)
                incidents.append(
                    (
                        pk,
                        source,
                        f"SIM{pk:010d}" if source == "hotline" else "",
                        f"SG{pk:012d}",
                        title[:200],
                        text,
                        Decimal(f"{d.centre[0] + rng.uniform(-0.2, 0.2):.6f}"),
                        Decimal(f"{d.centre[1] + rng.uniform(-0.2, 0.2):.6f}"),
                        f"{d.name}{township_name}",
                        township,
                        rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("先生", "女士")),
                        f"13{rng.randrange(10**9):09d}",
                        "urgent" if rng.random() < 0.15 else "normal",
                        team if assigned else None,
                        team,
                        state,
                        reported,
                        assigned,
                        stamps.get("reply"),
                        stamps.get("close"),
                        due,
                        due + dt.timedelta(days=2) if due else None,
                        overdue,
                        overdue and working and rng.random() < 0.3,
                        "已到现场核实处置，已整改到位" if "reply" in stamps else "",
                        satisfaction,
                        pk - 1 if state == "merged" else None,
                        "generator",
                    )
                )
                before = "reported"
                events.append((event_id, pk, reported, "report", "", "reported", "12345热线", None, ""))
                event_id += 1
                self._stub(reported, kind, pk, team, (kind, "incident.report", "reported"))
                for action, at in stamps.items():
                    after = {
                        "assign": "assigned",
                        "accept": "accepted",
                        "handle": "handling",
                        "reply": "replied",
                        "evaluate": "evaluated",
                        "close": "closed",
                        "return": "returned",
                        "merge": "merged",
                    }[action]
                    events.append(
                        (
                            event_id,
                            pk,
                            at,
                            action,
                            before,
                            after,
                            "指挥中心" if action == "assign" else "执法队员",
                            team if action != "assign" else None,
                            "",
                        )
                    )
                    event_id += 1
                    self._stub(at, kind, pk, team, (kind, f"incident.{action}", after))
                    before = after
                pk += 1
        self._copy(incident_t, iter(incidents), len(incidents), "incidents")
        self._copy(event_t, iter(events), len(events), "incident events")

    # -- audit -------------------------------------------------------------------------------------

    def add_audit(self, target: int) -> None:
        """Append ``target`` events (a time-ordered sample of the generated transitions) to the chain."""
        rng = random.Random(f"audit|{self.seed}")
        available = len(self.stub_at)
        chosen = (
            sorted(range(available), key=self.stub_at.__getitem__)
            if available <= target
            else sorted(rng.sample(range(available), target), key=self.stub_at.__getitem__)
        )
        # With fewer transitions than the target, some are recorded twice (e.g. a view and an export).
        while len(chosen) < target and available:
            chosen += rng.sample(range(available), min(available, target - len(chosen)))
        chosen.sort(key=self.stub_at.__getitem__)
        table = Table(
            AuditEvent,
            [
                "id",
                "seq",
                "at",
                "actor_id",
                "actor_name",
                "organization_id",
                "organization_name",
                "action",
                "object_type",
                "object_id",
                "before",
                "after",
                "legal_basis",
                "request_id",
                "prev_hash",
                "hash",
            ],
        )
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash", "at").first()
        seq, prev = (last.seq, last.hash) if last else (0, audit.GENESIS_HASH)
        first_id = table.next_id()
        kinds = {v: k for k, v in self.kinds.items()}
        dumps = json.dumps
        sha256 = hashlib.sha256

        def rows():
            nonlocal seq, prev
            last_at = 0
            for n, i in enumerate(chosen):
                kind_code, action, after_state = self.actions[self.stub_action[i]]
                # Seconds from the stub, microseconds from the position: strictly increasing times.
                ts = max(self.stub_at[i], last_at)
                last_at = ts
                at = dt.datetime.fromtimestamp(ts, dt.UTC).replace(microsecond=n % 1_000_000)
                org = self.stub_org[i]
                seq += 1
                after = {"state": after_state} if after_state else None
                fields = {
                    "seq": seq,
                    "at": at.isoformat(timespec="microseconds"),
                    "actor_id": None,
                    "actor_name": "system",
                    "organization_id": org,
                    "organization_name": self.org_names.get(org, ""),
                    "action": action,
                    "object_type": kinds[kind_code],
                    "object_id": str(self.stub_obj[i]),
                    "before": None,
                    "after": after,
                    "legal_basis": "",
                    "request_id": "",
                }
                digest = sha256(
                    (prev + dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))).encode(
                        "utf-8"
                    )
                ).hexdigest()
                yield (
                    first_id + n,
                    seq,
                    at,
                    None,
                    "system",
                    org,
                    fields["organization_name"],
                    action,
                    fields["object_type"],
                    fields["object_id"],
                    None,
                    dumps(after, ensure_ascii=False) if after else None,
                    "",
                    "",
                    prev,
                    digest,
                )
                prev = digest

        self._copy(table, rows(), len(chosen), "audit events")

    kinds = {"cases.Case": 1, "dispatch.Incident": 2, "inspections.InspectionRecord": 3}

    def add_certificate_history(self, days_back: int = 760) -> None:
        """Officers renew their certificates every five years. A current certificate issued after
        the oldest generated case gets its predecessor, so a case filed two years ago by an officer
        renewed last spring is not flagged as handled without a valid certificate; only the planted
        uncertified officers are."""
        cutoff = self.today - dt.timedelta(days=days_back)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('organizations_certificate', 'id'), "
                "(SELECT coalesce(max(id), 1) FROM organizations_certificate))"
            )
            cursor.execute(
                "INSERT INTO organizations_certificate (officer_id, number, domains, issuer, valid_from, valid_to, status, "
                "status_reason) "
                "SELECT officer_id, number || '-R', domains, issuer, (valid_from - interval '5 years')::date, "
                "valid_from - 1, status, '' FROM organizations_certificate c "
                "WHERE status = 'active' AND valid_from > %s "
                "AND NOT EXISTS (SELECT 1 FROM organizations_certificate p WHERE p.number = c.number || '-R')",
                [cutoff],
            )
            self.counts["certificate history"] = (cursor.rowcount, 0.0)

    # -- all ---------------------------------------------------------------------------------------

    def run(self, parties: int, inspections: int, cases: int, incidents: int, audit_events: int) -> None:
        self.districts = [self.home_district()]
        with transaction.atomic():
            self.add_districts()
            self.add_certificate_history()
        steps = [
            (self.add_parties, parties),
            (self.add_inspections, inspections),
            (self.add_cases, cases),
            (self.add_incidents, incidents),
            (self.add_audit, audit_events),
        ]
        for step, n in steps:
            started = time.perf_counter()
            with transaction.atomic():
                step(n)
            self.stages[step.__name__.removeprefix("add_")] = time.perf_counter() - started
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self._count("ANALYZE", 0, time.perf_counter() - started)


def ensure_demo(out) -> float:
    """Load the demo district into an empty database; return the seconds it took."""
    if Region.objects.exists():
        return 0.0
    started = time.perf_counter()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fill the database at DATABASE_URL with generated data.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="tiny")
    parser.add_argument("--seed", type=int, default=2026)
    for name in ("parties", "inspections", "cases", "incidents", "audit", "districts"):
        parser.add_argument(
            f"--{name}", type=int, default=None, help=f"override the scale's number of {name}"
        )
    args = parser.parse_args(argv)

    if connection.vendor != "postgresql":
        print(
            "generate.py 只支持 PostgreSQL：请把 DATABASE_URL 设为 postgres://…（SQLite 不适合千万级数据）",
            file=sys.stderr,
        )
        return 2
    if "core_auditevent" not in connection.introspection.table_names():
        print("数据库尚未迁移：先运行 python -m django migrate", file=sys.stderr)
        return 2

    scale = SCALES[args.scale]
    if args.districts is not None:
        scale = Scale(
            **{
                **scale.__dict__,
                "districts": max(args.districts, 1),
                "townships": scale.townships if scale.townships[1] else (10, 22),
                "officers": scale.officers or 445,
            }
        )
    sizes = {
        name: getattr(args, name) if getattr(args, name) is not None else getattr(scale, name)
        for name in ("parties", "inspections", "cases", "incidents", "audit")
    }
    started = time.perf_counter()
    print(
        f"generate.py --scale {args.scale} --seed {args.seed}: {scale.districts} districts, "
        + ", ".join(f"{k} {v:,}" for k, v in sizes.items())
    )
    demo_seconds = ensure_demo(sys.stdout)
    generator = Generator(scale, args.seed)
    if demo_seconds:
        generator._count("demo district (load_demo)", 0, demo_seconds)
    generator.run(sizes["parties"], sizes["inspections"], sizes["cases"], sizes["incidents"], sizes["audit"])
    total = time.perf_counter() - started
    print(f"\n{'table':<34}{'rows':>14}{'COPY s':>10}{'rows/s':>12}")
    for label, (rows, seconds) in generator.counts.items():
        rate = f"{rows / seconds:,.0f}" if rows and seconds else ""
        print(f"{label:<34}{rows:>14,}{seconds:>10.1f}{rate:>12}")
    print(
        "stages (generating rows + COPY + indexes): "
        + ", ".join(f"{k} {v:.1f}s" for k, v in generator.stages.items())
    )
    print(f"{'total':<34}{sum(r for r, _ in generator.counts.values()):>14,}{total:>10.1f}")
    if getattr(generator, "anomalies", None):
        print(
            "anomalies for the supervision rules: "
            + ", ".join(f"{k} {v}" for k, v in generator.anomalies.items())
        )
    parties_seconds = generator.stages.get("parties")
    if sizes["parties"] and parties_seconds:
        minutes = 8_000_000 / (sizes["parties"] / parties_seconds) / 60
        print(
            f"at this rate the province's 8,000,000 parties take about {minutes:.1f} minutes (--parties 8000000)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
