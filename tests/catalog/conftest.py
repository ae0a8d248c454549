"""A small catalog on top of the ``world`` district, counted by hand for the indicator tests.

======  ==========================  ================  ===========  ========  ====  =========  =======
code    about                       enforcing body    library      regulator 三高  published  claims
======  ==========================  ================  ===========  ========  ====  =========  =======
P1      building without a permit   comprehensive     none         land      hf hc yes        bureau
P2      stalls on the street        township          base         land      hf hd yes        上方镇 only
P3      open-air barbecue           township          optional     land      –     yes        bureau
P4      unsafe food                 professional      none         market    –     yes        market
I1      gas safety inspection       comprehensive     none         –         –     yes        bureau
P5      food without a licence      professional      none         market    –     no         –
======  ==========================  ================  ===========  ========  ====  =========  =======

In force 6, penalties 5; comprehensive list 4 (P1 P2 P3 I1), comprehensive penalties 3 (P1 P2 P3),
三高 among them 2; covered 5 (I1 has no regulator); published 5; fully claimed 4 (P2 lacks 峡川镇,
P5 has no claim); key supervision: P4, I1, P5.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.conftest import new_user
from zhifa.catalog import services
from zhifa.catalog.models import Domain, EnforcementItem
from zhifa.organizations.models import Organization, User

LOAD_DAY = dt.date(2026, 1, 1)

DOMAINS = [("C01", "城乡规划"), ("C02", "市容环境卫生"), ("C03", "市场监管"), ("C04", "燃气管理")]


def row(code: str, **overrides) -> dict:
    """A valid row in the demo-data format; override what a test is about."""
    base = {
        "code": code,
        "name": f"测试事项{code}",
        "kind": "penalty",
        "domain": "城乡规划",
        "legal_bases": [
            {"law": "中华人民共和国城乡规划法", "article": "第六十四条", "clause": "", "text": "……"}
        ],
        "penalty_types": ["fine"],
        "fine_min": None,
        "fine_max": None,
        "fine_note": "",
        "regulator": "自然资源和规划分局",
        "enforcing_body": "comprehensive",
        "high_frequency": False,
        "high_demand": False,
        "high_comprehensiveness": False,
        "key_supervision": False,
        "township_library": "none",
        "keywords": "",
        "checklist": [],
    }
    return {**base, **overrides}


CATALOG_ROWS = [
    row(
        "P1",
        name="对未取得建设工程规划许可证进行建设的行政处罚",
        penalty_types=["fine", "order_suspension"],
        fine_note="建设工程造价5%以上10%以下",
        high_frequency=True,
        high_comprehensiveness=True,
        keywords="违建 违法建设 违章建筑 无证建设",
    ),
    row(
        "P2",
        name="对擅自在街道两侧和公共场地堆放物料、摆摊设点的行政处罚",
        domain="市容环境卫生",
        legal_bases=[
            {
                "law": "城市市容和环境卫生管理条例",
                "article": "第三十六条",
                "text": "擅自在街道两侧和公共场地堆放物料，搭建建筑物、构筑物或者其他设施的",
            }
        ],
        enforcing_body="township",
        township_library="base",
        high_frequency=True,
        high_demand=True,
        fine_max="1000",
        penalty_types=["warning", "fine"],
        keywords="占道经营 店外经营 流动摊贩 乱摆摊",
    ),
    row(
        "P3",
        name="对在禁止区域露天烧烤食品的行政处罚",
        domain="市容环境卫生",
        legal_bases=[
            {"law": "中华人民共和国大气污染防治法", "article": "第一百一十八条", "clause": "第三款"}
        ],
        enforcing_body="township",
        township_library="optional",
        fine_min="500",
        fine_max="20000",
        penalty_types=["fine", "confiscate_illegal_property"],
        keywords="露天烧烤 油烟 夜宵摊",
    ),
    row(
        "P4",
        name="对生产经营不符合食品安全标准的食品的行政处罚",
        domain="市场监管",
        regulator="市场监督管理局",
        legal_bases=[{"law": "中华人民共和国食品安全法", "article": "第一百二十四条"}],
        enforcing_body="professional",
        key_supervision=True,
        penalty_types=["fine", "confiscate_illegal_gains", "revoke_license"],
        keywords="食品安全 不合格食品",
    ),
    row(
        "I1",
        name="对燃气经营者安全生产的行政检查",
        kind="inspection",
        domain="燃气管理",
        regulator=None,
        legal_bases=[{"law": "城镇燃气管理条例", "article": "第四十一条"}],
        penalty_types=[],
        key_supervision=True,
        checklist=[
            {"text": "是否取得燃气经营许可证", "legal_basis": "城镇燃气管理条例第十五条"},
            "气瓶是否按规定检验",
        ],
        keywords="燃气 瓶装燃气 液化气",
    ),
]
UNPUBLISHED_ROW = row(
    "P5",
    name="对未取得食品经营许可从事食品经营的行政处罚",
    domain="市场监管",
    regulator="市场监督管理局",
    legal_bases=[{"law": "中华人民共和国食品安全法", "article": "第一百二十二条"}],
    enforcing_body="professional",
    key_supervision=True,
    keywords="无证经营 食品经营许可",
)


@pytest.fixture
def orgs(world):
    """The regulators and a professional department the catalog names."""
    land = Organization.objects.create(
        name="自然资源和规划分局",
        kind=Organization.Kind.REGULATOR_DEPARTMENT,
        region=world.district,
        parent=world.root,
    )
    market = Organization.objects.create(
        name="市场监督管理局",
        kind=Organization.Kind.PROFESSIONAL_DEPARTMENT,
        region=world.district,
        parent=world.root,
        is_enforcement_body=True,
    )
    return SimpleNamespace(
        land=land,
        market=market,
        market_admin=new_user("market_admin", market, User.Role.DEPARTMENT_ADMIN),
        approver=new_user("guidance2", world.guidance, User.Role.GUIDANCE_OFFICE),
    )


@pytest.fixture
def domains(db):
    return {
        name: Domain.objects.create(code=code, name=name, sort_order=n)
        for n, (code, name) in enumerate(DOMAINS, 1)
    }


@pytest.fixture
def catalog(world, orgs, domains):
    """The catalog of the module docstring, loaded on LOAD_DAY."""
    actor = world.guidance_user
    result = services.import_items(actor, CATALOG_ROWS, publish=True, day=LOAD_DAY)
    assert result.ok, result.errors
    assert services.import_items(actor, [UNPUBLISHED_ROW], day=LOAD_DAY).ok
    items = {item.code: item for item in EnforcementItem.objects.all()}
    services.claim_item(actor, items["P1"].pk, world.bureau)
    services.claim_item(actor, items["P2"].pk, world.team_a)
    services.claim_item(actor, items["P3"].pk, world.bureau)
    services.claim_item(actor, items["P4"].pk, orgs.market)
    services.claim_item(actor, items["I1"].pk, world.bureau)
    return SimpleNamespace(**items)
