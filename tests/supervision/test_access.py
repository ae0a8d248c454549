"""The access policy of the assurance apps: who may do what, in one table — and no role list left
in the code of supervision, the cockpit, training, the indicators or the reports."""

import re
from pathlib import Path

import pytest

from tests.conftest import new_user
from zhifa.core import access
from zhifa.organizations.models import User

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "zhifa"
#: (permission, object) → the demo roles that hold it.
EXPECTED = {
    "supervision.handle_alert": {"supervisor", "guidance"},
    "supervision.evaluate": {"supervisor", "guidance"},
    "supervision.appraise": {"supervisor", "guidance"},
    "supervision.send_notice": {"guidance"},
    "supervision.review_files": {"supervisor", "guidance"},
    "training.manage": {"guidance", "leader_a"},
    "reports.generate": {"supervisor", "guidance", "command"},
    "indicators.import_library": {"guidance"},
    "cockpit.view": {"supervisor", "guidance", "command", "leader_a", "officer_a"},
}


def test_permission_table(world):
    actors = {
        "supervisor": new_user("sup", world.guidance, User.Role.SUPERVISOR),
        "guidance": world.guidance_user,
        "command": new_user("cmd", world.root, User.Role.COMMAND_CENTER),
        "leader_a": world.leader_a,
        "officer_a": world.user_a,
    }
    for name, holders in EXPECTED.items():
        obj = world.team_a if name.startswith("training") else None
        allowed = {who for who, actor in actors.items() if access.can(actor, name, obj)}
        assert allowed == holders, name
    # a township leader keeps his own township's training, not another's
    assert not access.can(world.leader_a, "training.manage", world.team_b)
    assert access.can(world.leader_a, "supervision.rectify", world.team_a)
    assert not access.can(world.leader_b, "supervision.rectify", world.team_a)
    assert access.can(world.user_a, "supervision.consult", world.team_a)
    assert not access.can(world.user_a, "supervision.consult", world.team_b)


ROLE_CHECKS = re.compile(r"\.role\s*(==|!=|in\b)|role__in=|is_superuser|SUPERVISING_ROLES|RESPONDING_ROLES")


@pytest.mark.parametrize("app", ["supervision", "cockpit", "training", "indicators", "reports"])
def test_no_role_lists_outside_the_access_policy(app):
    """Role checks live in each app's access.py; demo loaders pick users by role to act as them."""
    offenders = []
    for path in (SRC / app).rglob("*.py"):
        if path.name in ("access.py", "demo.py") or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ROLE_CHECKS.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []
