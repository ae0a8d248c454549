"""Demo parties: enterprises, individual businesses and persons spread over the district's
townships, with valid identifiers and credit records that give all four risk colours
(about 60% green, 25% blue, 10% yellow, 5% red).

Call :func:`load_demo_parties` after the regions exist (``zhifa.organizations.demo``).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from zhifa.core import audit
from zhifa.core.validators import make_id_number, make_uscc
from zhifa.organizations.models import Region

from . import rules, selectors, services
from .models import Party

DISTRICT_CODE = "330803"  # 衢州市衢江区 (GB/T 2260)
ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # USCC charset (GB 32100-2015), so the code stays valid

TARGET_SHARES = {rules.GREEN: 60, rules.BLUE: 25, rules.YELLOW: 10, rules.RED: 5}
KIND_SHARES = {Party.Kind.ENTERPRISE: 45, Party.Kind.INDIVIDUAL_BUSINESS: 40, Party.Kind.PERSON: 15}

Ind = Party.Industry
INDUSTRY_SHARES = {
    Party.Kind.ENTERPRISE: {
        Ind.MANUFACTURING: 25,
        Ind.CONSTRUCTION: 12,
        Ind.RETAIL: 12,
        Ind.FOOD_PRODUCTION: 8,
        Ind.CATERING: 8,
        Ind.TRANSPORT: 8,
        Ind.HAZARDOUS_CHEMICALS: 6,
        Ind.ACCOMMODATION: 5,
        Ind.AGRICULTURE: 5,
        Ind.HEALTHCARE: 3,
        Ind.ENTERTAINMENT: 3,
        Ind.OTHER: 5,
    },
    Party.Kind.INDIVIDUAL_BUSINESS: {
        Ind.CATERING: 35,
        Ind.RETAIL: 35,
        Ind.ACCOMMODATION: 8,
        Ind.ENTERTAINMENT: 5,
        Ind.HEALTHCARE: 5,
        Ind.TRANSPORT: 5,
        Ind.AGRICULTURE: 4,
        Ind.OTHER: 3,
    },
    Party.Kind.PERSON: {Ind.RESIDENT: 60, Ind.AGRICULTURE: 20, Ind.TRANSPORT: 10, Ind.CONSTRUCTION: 10},
}

TRADE_NAMES = (
    "鑫源 恒泰 华盛 瑞丰 金诚 宏达 永兴 天和 聚福 佳禾 锦程 东升 丰收 顺达 新辉 盛和 江南 信安 "
    "隆鑫 万家 福临 百川 嘉禾 康源 绿野 明珠 衢兴 钱江 仙霞 乌溪 峡川 双桥 汇丰 利民 同心 润泽"
).split()
ENTERPRISE_SUFFIX = {
    Ind.MANUFACTURING: [
        "机械制造有限公司",
        "新材料有限公司",
        "纸业有限公司",
        "木业有限公司",
        "电子科技有限公司",
    ],
    Ind.CONSTRUCTION: ["建设工程有限公司", "建筑劳务有限公司", "市政工程有限公司"],
    Ind.RETAIL: ["商贸有限公司", "超市有限公司", "贸易有限公司"],
    Ind.FOOD_PRODUCTION: ["食品有限公司", "茶业有限公司", "酒业有限公司"],
    Ind.CATERING: ["餐饮管理有限公司", "酒店管理有限公司"],
    Ind.TRANSPORT: ["物流有限公司", "运输有限公司", "客运有限公司"],
    Ind.HAZARDOUS_CHEMICALS: ["化工有限公司", "化学品有限公司", "氟化工有限公司"],
    Ind.ACCOMMODATION: ["宾馆有限公司", "旅游开发有限公司"],
    Ind.AGRICULTURE: ["农业开发有限公司", "生态农业有限公司", "农业科技有限公司"],
    Ind.HEALTHCARE: ["医院有限公司", "大药房有限公司"],
    Ind.ENTERTAINMENT: ["文化传媒有限公司", "娱乐有限公司"],
    Ind.OTHER: ["科技有限公司", "企业管理咨询有限公司"],
}
SHOP_SUFFIX = {
    Ind.CATERING: ["餐饮店", "小吃店", "面馆", "饭店", "烧烤店"],
    Ind.RETAIL: ["便利店", "超市", "商行", "五金店", "副食品店"],
    Ind.ACCOMMODATION: ["宾馆", "民宿", "旅馆"],
    Ind.ENTERTAINMENT: ["网吧", "KTV", "棋牌室"],
    Ind.HEALTHCARE: ["诊所", "药店"],
    Ind.TRANSPORT: ["货运部", "汽车修理店"],
    Ind.AGRICULTURE: ["家庭农场", "农资店"],
    Ind.OTHER: ["理发店", "洗衣店", "打印店"],
}
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙朱胡郭何林郑叶汪毛祝邵方余程姜占柴童傅")
GIVEN = "建国 伟 芳 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 志华 海燕 晓东 国平 红梅 永康 春花".split()
ROADS = "人民路 振兴路 衢江路 滨江路 新华街 樟潭路 工业园区 东港路 府前路 沿江路 创业大道 文化路".split()


def _weighted(rng: random.Random, shares: dict):
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _org_code(rng: random.Random) -> str:
    """A 主体标识码 (GB 11714-1997 组织机构代码) in the post-2015 "MA…" form, with its own check
    character: C9 = 11 − Σ(Ci × Wi) mod 11, W = 3 7 9 10 5 8 4 2; 10 → X, 11 → 0."""
    body = "MA" + "".join(rng.choice(ORG_CODE_CHARS) for _ in range(6))
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)
    )
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _facts_for(rng: random.Random, target: str) -> dict:
    """Recorded counts likely to give ``target``; the caller keeps drawing until they do."""
    ranges = {
        rules.GREEN: ((0, 0), (0, 1), (0, 0)),
        rules.BLUE: ((0, 1), (0, 3), (0, 1)),
        rules.YELLOW: ((1, 2), (0, 4), (0, 2)),
        rules.RED: ((2, 4), (1, 6), (1, 3)),
    }[target]
    violations, complaints, failed = (rng.randint(lo, hi) for lo, hi in ranges)
    return {
        "violation_count_12m": violations,
        "complaint_count_12m": complaints,
        "failed_inspection_count_12m": failed,
        "serious_violation": target == rules.RED and rng.random() < 0.2,
    }


@transaction.atomic
def load_demo_parties(seed, count: int = 400) -> int:
    """Create ``count`` demo parties (deterministic for a seed; rerunning adds nothing already
    there, USCC and person ID numbers being unique). Returns how many were created."""
    townships = list(Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS).order_by("code"))
    if not townships:
        raise ValueError("请先加载行政区划（乡镇、街道）")
    rng = random.Random(f"parties|{seed}")
    config = selectors.active_risk_config()
    now = timezone.now()
    parties, usccs, id_numbers, names = [], set(), set(), set()
    attempts = 0
    while len(parties) < count:
        attempts += 1
        if attempts > 20 * count:
            raise ValueError(f"演示数据无法生成{count}个互不重复的监管对象")
        kind = _weighted(rng, KIND_SHARES)
        township = rng.choice(townships)
        target = _weighted(rng, TARGET_SHARES)
        for _ in range(50):  # draw industry and record until the colour is the target one
            industry = _weighted(rng, INDUSTRY_SHARES[kind])
            party = Party(kind=kind, township=township, industry=industry, **_facts_for(rng, target))
            facts = rules.PartyFacts(**services.recorded_facts(party, config))
            if rules.risk_color(facts, config)[0] == target:
                break
        services.assess(party, facts, config, now)

        trade = rng.choice(TRADE_NAMES)
        place = township.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        party.phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
        party.address = f"衢州市衢江区{township.name}{rng.choice(ROADS)}{rng.randint(1, 399)}号"
        if kind == Party.Kind.PERSON:
            party.name = _person_name(rng)
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
            party.id_number = make_id_number(DISTRICT_CODE, birth, f"{rng.randrange(1000):03d}")
            if party.id_number in id_numbers:
                continue
            id_numbers.add(party.id_number)
        else:
            prefix = "91" if kind == Party.Kind.ENTERPRISE else "92"
            party.uscc = make_uscc(prefix + DISTRICT_CODE + _org_code(rng))
            if party.uscc in usccs:
                continue
            usccs.add(party.uscc)
            party.representative = _person_name(rng)
            if kind == Party.Kind.ENTERPRISE:
                province = rng.choice(["浙江", "衢州市衢江区", "衢州"])
                party.name = f"{province}{trade}{rng.choice(ENTERPRISE_SUFFIX[industry])}"
            else:
                party.name = f"衢州市衢江区{place}{trade}{rng.choice(SHOP_SUFFIX[industry])}"
                if rng.random() < 0.5:  # the operator's ID number is optional for an individual business
                    party.id_number = make_id_number(
                        DISTRICT_CODE,
                        dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40)),
                        f"{rng.randrange(1000):03d}",
                    )
            if party.name in names:
                continue
            names.add(party.name)
        parties.append(party)

    before = Party.objects.count()
    Party.objects.bulk_create(parties, ignore_conflicts=True, batch_size=500)
    created = Party.objects.count() - before
    audit.record(
        None,
        "party.demo_load",
        object_type="parties.Party",
        object_id="*",
        after={"seed": str(seed), "requested": count, "created": created},
    )
    return created
