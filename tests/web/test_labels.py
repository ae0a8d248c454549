"""People read labels, not codes: every audit action the code records has a Chinese label, and
system actors are named in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from zhifa.core.templatetags.zhifa import audit_action, audit_actor, audit_labels

SRC = Path(__file__).resolve().parents[2] / "src" / "zhifa"
#: audit.record(actor, "claim.create", …) and record_many entries {"action": "item.create", …}
RECORDED = re.compile(
    r'(?:record\(\s*[\w.]+(?:\s+if\s+[\w.]+\s+else\s+"[\w.]+")?,\s*|"action":\s*)"([a-z_]+(?:\.[a-z_]+)+)"'
)


def _recorded_actions() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found |= set(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_recorded_audit_action_has_a_label():
    actions = _recorded_actions()
    assert "claim.create" in actions and "case.open" in actions  # the scan finds them
    missing = sorted(a for a in actions if a not in audit_labels())
    assert missing == []


def test_actions_built_from_the_state_machines_have_labels():
    labels = audit_labels()
    assert labels["case.file"] == "立案" and labels["incident.assign"] == "交办"


def test_codes_become_labels():
    assert audit_action("claim.create") == "认领事项"
    assert audit_action("something.unknown_thing") == "操作记录"
    assert audit_action("other.approve") == "审批"
    assert audit_actor("system") == "系统" and audit_actor("") == "系统"
    assert audit_actor("apikey:12345热线") == "接口：12345热线"
    assert audit_actor("leader_a") == "leader_a"


def test_the_item_page_shows_labels_not_codes(client, world):
    from zhifa.catalog import services
    from zhifa.catalog.demo_items import DOMAINS, ITEMS

    services.load_catalog(None, DOMAINS, ITEMS[:3])
    code = ITEMS[0]["code"] if isinstance(ITEMS[0], dict) else ITEMS[0].code
    client.force_login(world.guidance_user, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(f"/catalog/items/{code}/").content.decode()
    assert "claim.create" not in html and "item.create" not in html and "system" not in html
