"""The demo catalog of real enforcement items (执法事项) with their real legal bases (实施依据),
read from ``data/demo_items.json``. No Django: ``DOMAINS`` lists the enforcement domains as
``(code, name)``, ``ITEMS`` the items as dicts in the row format of ``validation`` (the format the
Excel import reads and writes), ``TRANSFERS`` the "1+5" transfers of whole fields to the
comprehensive bureau (plan 三.(一)1).

What is real and what is illustrative:

* Item names, laws, article numbers and the paraphrased penalties are taken from the national laws
  and State Council regulations in force (the 2021 行政处罚法 era). Paraphrases are short and not
  quotations; before an item is used in a real case its basis must be checked against the official
  text (see docs: catalog revision / 动态调整).
* Where an amount depends on facts (货值金额, 工程造价, 违法所得 …) or where the article leaves the
  amount to local rules, ``fine_min``/``fine_max`` are ``None`` and ``fine_note`` says how the fine
  is computed. Amounts are strings of whole yuan.
* Item codes follow the pattern of the Zhejiang provincial power-item library
  (``33`` + kind ``02`` penalty / ``03`` compulsory measure / ``06`` inspection + two-digit domain
  number + three-digit sequence + ``000``) but the numbers themselves are illustrative, not the
  library's real codes.
* Which body exercises an item (comprehensive bureau, professional department, township), the
  三高 flags and the township library assignment model 衢江区 after the 大综合一体化 reform as the
  district plan describes it; they are a plausible configuration, not an official list.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).with_name("data") / "demo_items.json"
_data = json.loads(DATA.read_text(encoding="utf-8"))

DOMAINS: list[tuple[str, str]] = [(code, name) for code, name in _data["domains"]]
ITEMS: list[dict] = _data["items"]
TRANSFERS: list[dict] = _data.get("transfers", [])

KINDS = ("penalty", "inspection", "compulsory_measure")
PENALTY_TYPES = (
    "warning",
    "circulated_criticism",
    "fine",
    "confiscate_illegal_gains",
    "confiscate_illegal_property",
    "suspend_license",
    "lower_qualification",
    "revoke_license",
    "restrict_production",
    "order_suspension",
    "order_closure",
    "restrict_practice",
    "other",
)
ENFORCING_BODIES = ("comprehensive", "professional", "township")
TOWNSHIP_LIBRARIES = ("base", "optional", "none")

ORGANIZATIONS: dict[str, str] = _data["organizations"]
COMPREHENSIVE_BUREAU = ORGANIZATIONS["COMPREHENSIVE_BUREAU"]
MARKET = ORGANIZATIONS["MARKET"]
ECOLOGY = ORGANIZATIONS["ECOLOGY"]
TRANSPORT = ORGANIZATIONS["TRANSPORT"]
HEALTH = ORGANIZATIONS["HEALTH"]
EMERGENCY = ORGANIZATIONS["EMERGENCY"]
NATURAL_RESOURCES = ORGANIZATIONS["NATURAL_RESOURCES"]
HOUSING = ORGANIZATIONS["HOUSING"]
AGRICULTURE = ORGANIZATIONS["AGRICULTURE"]
WATER = ORGANIZATIONS["WATER"]
CULTURE = ORGANIZATIONS["CULTURE"]

#: Every organisation the items name as regulator, in the order of the data file.
REGULATORS = tuple(dict.fromkeys(ORGANIZATIONS.values()))
