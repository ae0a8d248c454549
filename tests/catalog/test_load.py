"""``services.load_catalog`` with a tiny sample in the demo data's format."""

import datetime as dt

import pytest

from zhifa.catalog import services
from zhifa.catalog.models import Claim, Domain, EnforcementItem
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import Organization

DOMAINS = [("C01", "城乡规划"), ("C02", "市容环境卫生"), ("C09", "市场监管")]
BASIS = [
    {
        "law": "中华人民共和国城乡规划法",
        "article": "第六十四条",
        "clause": "",
        "text": "未取得建设工程规划许可证进行建设的……",
    }
]
ITEMS = [
    {
        "code": "330217010000",
        "name": "对未取得建设工程规划许可证进行建设的行政处罚",
        "kind": "penalty",
        "domain": "城乡规划",
        "legal_bases": BASIS,
        "penalty_types": ["fine", "order_suspension"],
        "fine_min": None,
        "fine_max": None,
        "fine_note": "建设工程造价5%以上10%以下",
        "regulator": "自然资源和规划分局",
        "enforcing_body": "comprehensive",
        "high_frequency": True,
        "high_demand": False,
        "high_comprehensiveness": True,
        "key_supervision": False,
        "township_library": "none",
        "keywords": "违建 违法建设",
    },
    {
        "code": "330202001000",
        "name": "对擅自在街道两侧摆摊设点的行政处罚",
        "kind": "penalty",
        "domain": "市容环境卫生",
        "legal_bases": [
            {"law": "城市市容和环境卫生管理条例", "article": "第三十六条", "clause": "", "text": ""}
        ],
        "penalty_types": ["fine"],
        "fine_min": None,
        "fine_max": "1000",
        "fine_note": "",
        "regulator": "不存在的管理局",
        "enforcing_body": "township",
        "high_frequency": True,
        "high_demand": True,
        "high_comprehensiveness": False,
        "key_supervision": False,
        "township_library": "base",
        "keywords": "占道经营",
    },
    {
        "code": "330202002000",
        "name": "对露天烧烤的行政处罚",
        "kind": "penalty",
        "domain": "市容环境卫生",
        "legal_bases": [
            {
                "law": "中华人民共和国大气污染防治法",
                "article": "第一百一十八条",
                "clause": "第三款",
                "text": "",
            }
        ],
        "penalty_types": ["fine"],
        "fine_min": "500",
        "fine_max": "20000",
        "fine_note": "",
        "regulator": None,
        "enforcing_body": "township",
        "high_frequency": False,
        "high_demand": False,
        "high_comprehensiveness": False,
        "key_supervision": False,
        "township_library": "optional",
        "keywords": "露天烧烤",
    },
    {
        "code": "330209001000",
        "name": "对生产经营不符合食品安全标准的食品的行政处罚",
        "kind": "penalty",
        "domain": "市场监管",
        "legal_bases": [
            {"law": "中华人民共和国食品安全法", "article": "第一百二十四条", "clause": "", "text": ""}
        ],
        "penalty_types": ["fine"],
        "fine_min": None,
        "fine_max": None,
        "fine_note": "货值金额十倍以上二十倍以下",
        "regulator": "市场监督管理局",
        "enforcing_body": "professional",
        "high_frequency": False,
        "high_demand": False,
        "high_comprehensiveness": False,
        "key_supervision": True,
        "township_library": "none",
        "keywords": "食品安全",
    },
]


def _claims():
    return {
        (c.item.code, c.level, c.organization.name)
        for c in Claim.objects.select_related("item", "organization")
    }


def test_load_catalog_creates_domains_items_and_default_claims(world, orgs):
    result = services.load_catalog(None, DOMAINS, ITEMS, day=dt.date(2026, 1, 1))
    assert result.domains == 3 and len(result.items.created) == 4
    assert Domain.objects.count() == 3
    stalls = EnforcementItem.objects.get(code="330202001000")
    assert stalls.regulator is None  # unknown regulator name: left empty, shows as not covered
    assert EnforcementItem.objects.get(code="330217010000").regulator == orgs.land
    assert set(EnforcementItem.objects.values_list("published_on", flat=True)) == {dt.date(2026, 1, 1)}
    assert _claims() == {
        ("330217010000", "district", "综合行政执法局"),  # comprehensive → the bureau
        ("330202001000", "township", "上方镇综合行政执法队"),  # base → every township team
        ("330202001000", "township", "峡川镇综合行政执法队"),
        ("330202002000", "district", "综合行政执法局"),  # optional → the bureau until a township chooses
        ("330209001000", "district", "市场监督管理局"),  # professional → its regulating department
    }
    assert AuditEvent.objects.filter(action="catalog.load").count() == 1


def test_loading_twice_changes_nothing(world, orgs):
    services.load_catalog(None, DOMAINS, ITEMS)
    claims, events = _claims(), AuditEvent.objects.count()
    again = services.load_catalog(None, DOMAINS, ITEMS)
    assert (again.domains, again.items.created, again.items.updated, again.claims) == (0, [], [], 0)
    assert _claims() == claims and AuditEvent.objects.count() == events + 1  # only the catalog.load event


def test_professional_item_without_a_known_regulator_stays_unclaimed(world, orgs):
    services.load_catalog(None, DOMAINS, [{**ITEMS[3], "regulator": "不存在的管理局"}])
    assert not Claim.objects.exists()


def test_a_regulator_department_that_kept_enforcement_claims_its_professional_item(world, orgs):
    services.load_catalog(None, DOMAINS, [{**ITEMS[3], "regulator": "自然资源和规划分局"}])
    assert Claim.objects.get().organization == orgs.land


def test_bad_demo_item_loads_nothing(world, orgs):
    with pytest.raises(DomainError) as exc:
        services.load_catalog(
            None, DOMAINS, [*ITEMS, {**ITEMS[0], "code": "330217020000", "legal_bases": []}]
        )
    assert exc.value.code == "import_invalid" and "第 5 条" in exc.value.message
    assert not EnforcementItem.objects.exists() and not Domain.objects.exists()


def test_the_bureau_is_found_by_its_demo_name(world, orgs):
    Organization.objects.create(
        name=services.COMPREHENSIVE_BUREAU_NAME,
        kind=Organization.Kind.COMPREHENSIVE_BUREAU,
        region=world.district,
        parent=world.root,
    )
    services.load_catalog(None, DOMAINS, ITEMS[:1])
    assert Claim.objects.get().organization.name == services.COMPREHENSIVE_BUREAU_NAME
