"""Shape and proportions of the demo catalog. Pure Python, no database::

    .venv/bin/python -m pytest tests/catalog/test_demo_items.py -p no:django --noconftest

(``--noconftest`` because the shared conftest files import Django models.)
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from zhifa.catalog.demo_items import (
    DOMAINS,
    ENFORCING_BODIES,
    ITEMS,
    KINDS,
    PENALTY_TYPES,
    REGULATORS,
    TOWNSHIP_LIBRARIES,
)

ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条")
CLAUSE = re.compile(r"^(第[一二三四五六七八九十百零]+款)?(第[一二三四五六七八九十百零]+项)?$")
CODE = re.compile(r"^33\d{10}$")
KIND_CODE = {"penalty": "02", "compulsory_measure": "03", "inspection": "06"}
REQUIRED_KEYS = {
    "code",
    "name",
    "kind",
    "domain",
    "legal_bases",
    "penalty_types",
    "fine_min",
    "fine_max",
    "fine_note",
    "regulator",
    "enforcing_body",
    "high_frequency",
    "high_demand",
    "high_comprehensiveness",
    "key_supervision",
    "township_library",
    "keywords",
}

PENALTIES = [i for i in ITEMS if i["kind"] == "penalty"]
COMPREHENSIVE = [i for i in PENALTIES if i["enforcing_body"] in ("comprehensive", "township")]


def _three_high(item: dict) -> bool:
    return item["high_frequency"] or item["high_demand"] or item["high_comprehensiveness"]


def test_counts():
    assert len(ITEMS) >= 150
    assert len(DOMAINS) >= 15
    assert len({i["domain"] for i in ITEMS}) >= 15


def test_domains_are_unique_and_every_used_domain_is_declared():
    codes = [c for c, _ in DOMAINS]
    names = [n for _, n in DOMAINS]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert {i["domain"] for i in ITEMS} <= set(names)


def test_codes_are_unique_and_follow_the_pattern():
    codes = [i["code"] for i in ITEMS]
    assert len(set(codes)) == len(codes), [c for c, n in Counter(codes).items() if n > 1]
    domain_no = dict((n, c) for c, n in DOMAINS)
    for item in ITEMS:
        assert CODE.match(item["code"]), item["code"]
        assert item["code"][2:4] == KIND_CODE[item["kind"]], item["code"]
        assert item["code"][4:6] == domain_no[item["domain"]], item["code"]


def test_every_item_has_the_full_shape():
    for item in ITEMS:
        assert REQUIRED_KEYS <= set(item), item["code"]
        assert item["name"].strip()
        assert ("checklist" in item) == (item["kind"] == "inspection"), item["code"]
        for flag in ("high_frequency", "high_demand", "high_comprehensiveness", "key_supervision"):
            assert isinstance(item[flag], bool)
        assert item["keywords"].strip(), item["code"]


def test_penalty_names_follow_the_library_wording():
    for item in PENALTIES:
        assert item["name"].startswith("对") and item["name"].endswith("的行政处罚"), item["name"]


def test_every_item_has_a_well_formed_legal_basis():
    for item in ITEMS:
        assert item["legal_bases"], item["code"]
        for basis in item["legal_bases"]:
            assert set(basis) == {"law", "article", "clause", "text"}
            assert basis["law"].strip() and "《" not in basis["law"], item["code"]
            assert ARTICLE.match(basis["article"]), (item["code"], basis["article"])
            assert basis["article"].endswith("条")
            assert CLAUSE.match(basis["clause"]), (item["code"], basis["clause"])
            assert basis["text"].strip() and "\n" not in basis["text"], item["code"]


def test_enum_values_are_valid():
    for item in ITEMS:
        assert item["kind"] in KINDS
        assert item["enforcing_body"] in ENFORCING_BODIES
        assert item["township_library"] in TOWNSHIP_LIBRARIES
        assert item["regulator"] in REGULATORS, item["regulator"]
        assert set(item["penalty_types"]) <= set(PENALTY_TYPES), item["code"]
        assert len(set(item["penalty_types"])) == len(item["penalty_types"])


def test_penalties_have_types_and_others_have_none():
    for item in ITEMS:
        if item["kind"] == "penalty":
            assert item["penalty_types"], item["code"]
        else:
            assert item["penalty_types"] == [] and item["fine_min"] is None and item["fine_max"] is None


def test_fine_amounts_are_whole_yuan_strings_and_ordered():
    for item in ITEMS:
        for key in ("fine_min", "fine_max"):
            value = item[key]
            assert value is None or (isinstance(value, str) and value.isdigit()), (item["code"], value)
        if item["fine_min"] is not None and item["fine_max"] is not None:
            assert Decimal(item["fine_min"]) <= Decimal(item["fine_max"]), item["code"]
        if item["fine_min"] is not None or item["fine_max"] is not None:
            assert "fine" in item["penalty_types"], item["code"]


def test_a_fine_without_fixed_amounts_is_explained():
    for item in PENALTIES:
        if "fine" in item["penalty_types"] and item["fine_min"] is None and item["fine_max"] is None:
            assert item["fine_note"].strip(), item["code"]


def test_most_penalties_are_exercised_by_comprehensive_enforcement():
    # The plan (三.(一)1) moves every item of fifteen departments and some of seven more to the
    # comprehensive bureau and the townships; its goal is at least 45%. The professional
    # departments keep the rest (市场监管、生态环境、交通运输、卫生健康、应急管理 and others).
    share = len(COMPREHENSIVE) / len(PENALTIES)
    assert 0.45 <= share <= 0.80, share


def test_most_comprehensive_items_carry_a_three_high_flag():
    flagged = [i for i in COMPREHENSIVE if _three_high(i)]
    assert len(flagged) / len(COMPREHENSIVE) >= 0.60


def test_township_libraries():
    libraries = Counter(i["township_library"] for i in ITEMS)
    assert 25 <= libraries["base"] <= 35, libraries
    assert 15 <= libraries["optional"] <= 25, libraries
    for item in ITEMS:
        # Items exercised by townships are exactly those of the township libraries (rules.library_refusal).
        assert (item["enforcing_body"] == "township") == (item["township_library"] != "none"), item["code"]
        if item["township_library"] != "none":
            assert item["kind"] == "penalty", item["code"]
    base = [i for i in ITEMS if i["township_library"] == "base"]
    assert all(i["high_frequency"] for i in base)
    in_core_domains = [i for i in base if i["domain"] in ("市容环境卫生", "城乡规划")]
    assert len(in_core_domains) / len(base) >= 0.6


def test_inspection_items_have_checklists():
    inspections = [i for i in ITEMS if i["kind"] == "inspection"]
    assert len(inspections) >= 15
    for item in inspections:
        assert len(item["checklist"]) >= 3, item["code"]
        assert all(point.strip() and "\n" not in point for point in item["checklist"])


def test_key_supervision_list():
    key = [i for i in ITEMS if i["key_supervision"]]
    assert 12 <= len(key) <= 22, len(key)
    # High-risk fields: food and drugs, special equipment, gas, safe production, hazardous waste.
    assert {i["domain"] for i in key} >= {"市场监管", "燃气管理", "应急管理", "生态环境"}


def test_compulsory_measures_exist():
    assert sum(1 for i in ITEMS if i["kind"] == "compulsory_measure") >= 5
