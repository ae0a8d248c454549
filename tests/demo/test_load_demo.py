"""The demo app owns ``load_demo``; core, the ground floor, imports no domain app."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

SRC = Path(__file__).resolve().parents[2] / "src" / "zhifa"
CORE_MAY_IMPORT = {"core", "celery"}


def test_load_demo_belongs_to_the_demo_app():
    assert get_commands()["load_demo"] == "zhifa.demo"


def test_the_command_calls_each_apps_loader_from_one_list():
    text = (SRC / "demo" / "management" / "commands" / "load_demo.py").read_text(encoding="utf-8")
    for loader in (
        "load_demo_catalog",
        "load_demo_discretion",
        "load_demo_parties",
        "load_demo_inspections",
        "load_demo_incidents",
        "load_demo_supervision",
    ):
        assert f"{loader}(" in text


def test_core_imports_no_domain_app():
    """Imports only (``from zhifa.x`` / ``import zhifa.x``, also inside functions): names such as
    a signal's ``dispatch_uid="zhifa.audit…"`` are not imports."""
    offenders = []
    for path in (SRC / "core").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for app in re.findall(r"^\s*(?:from|import)\s+zhifa\.(\w+)", line):
                if app not in CORE_MAY_IMPORT:
                    offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_every_demo_login_finds_work_waiting(db):
    """DESIGN.md, "Demo data": work waiting in every role's queue — the demo officers have visits,
    incidents and cases of their own the moment they sign in."""
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from zhifa.core import todo
    from zhifa.organizations.models import User

    call_command("load_demo", stdout=io.StringIO())
    for username in ("shangfang_officer", "xiachuan_officer"):
        user = User.objects.get(username=username)
        [desk] = todo.desks_for(user, timezone.localdate())
        counts = {s.key: s.count for s in desk.sections}
        assert counts["my-incidents"] >= 3 and counts["my-cases"] >= 2 and counts["inspections"] >= 1, (
            username,
            counts,
        )
