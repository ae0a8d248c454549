"""A small district for service and API tests: two townships, each with its own team."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest

from tests.browsing import browser, desktop, phone  # noqa: F401  (shared browser fixtures)
from zhifa.core.validators import make_id_number
from zhifa.organizations.models import Certificate, Officer, Organization, Region, User

_seq = itertools.count(1)


def new_officer(
    org: Organization,
    *,
    kind: str = Officer.Kind.ENFORCEMENT,
    name: str | None = None,
    posted_to: Region | None = None,
    certified: bool = True,
    valid_to: dt.date | None = None,
) -> Officer:
    n = next(_seq)
    officer = Officer.objects.create(
        name=name or f"测试员{n}",
        id_number=make_id_number("330803", dt.date(1985, 1, 1) + dt.timedelta(days=n), f"{n % 1000:03d}"),
        employee_no=f"T{n:05d}",
        kind=kind,
        organization=org,
        posted_to=posted_to,
    )
    if certified and kind == Officer.Kind.ENFORCEMENT:
        Certificate.objects.create(
            officer=officer,
            number=f"浙TEST{n:06d}",
            domains=["市容环境卫生"],
            valid_from=dt.date(2024, 1, 1),
            valid_to=valid_to or dt.date(2030, 12, 31),
        )
    return officer


def new_user(
    username: str, org: Organization | None, role: str, officer: Officer | None = None, **extra
) -> User:
    return User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        organization=org,
        role=role,
        officer=officer,
        **extra,
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(request):
    """Argon2 is deliberately slow; tests hash with MD5 unless marked ``argon2``."""
    if request.node.get_closest_marker("argon2"):
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache is shared (Redis in tests): counters of one test must not limit the next, and
    reference data one test kept (rolled back with it) must not be seen by the next."""
    from django.core.cache import cache

    from zhifa.core import refdata

    cache.clear()
    refdata.clear()
    yield


@pytest.fixture
def world(db):
    district = Region.objects.create(code="330803", name="衢江区", level=Region.Level.DISTRICT)
    shangfang = Region.objects.create(
        code="330803100", name="上方镇", level=Region.Level.TOWN, parent=district
    )
    xiachuan = Region.objects.create(
        code="330803101", name="峡川镇", level=Region.Level.TOWN, parent=district
    )
    root = Organization.objects.create(
        name="衢江区人民政府", kind=Organization.Kind.GOVERNMENT, region=district
    )
    guidance = Organization.objects.create(
        name="综合行政执法指导办公室", kind=Organization.Kind.GUIDANCE_OFFICE, region=district, parent=root
    )
    bureau = Organization.objects.create(
        name="综合行政执法局",
        kind=Organization.Kind.COMPREHENSIVE_BUREAU,
        region=district,
        parent=root,
        short_name="衢江综执",
        is_enforcement_body=True,
    )
    team_a = Organization.objects.create(
        name="上方镇综合行政执法队", kind=Organization.Kind.TOWNSHIP_TEAM, region=shangfang, parent=root
    )
    team_b = Organization.objects.create(
        name="峡川镇综合行政执法队", kind=Organization.Kind.TOWNSHIP_TEAM, region=xiachuan, parent=root
    )
    officer_a = new_officer(team_a, name="甲镇队员")
    officer_b = new_officer(team_b, name="乙镇队员")
    bureau_officer = new_officer(bureau, name="局队员")
    return SimpleNamespace(
        district=district,
        shangfang=shangfang,
        xiachuan=xiachuan,
        root=root,
        guidance=guidance,
        bureau=bureau,
        team_a=team_a,
        team_b=team_b,
        officer_a=officer_a,
        officer_b=officer_b,
        bureau_officer=bureau_officer,
        user_a=new_user("officer_a", team_a, User.Role.OFFICER, officer_a),
        leader_a=new_user("leader_a", team_a, User.Role.TOWNSHIP_LEADER),
        leader_b=new_user("leader_b", team_b, User.Role.TOWNSHIP_LEADER),
        bureau_admin=new_user("bureau_admin", bureau, User.Role.DEPARTMENT_ADMIN),
        guidance_user=new_user("guidance", guidance, User.Role.GUIDANCE_OFFICE),
    )
