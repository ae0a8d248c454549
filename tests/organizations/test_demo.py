"""The demo district: regions, organisations, officers and logins that make every screen real."""

import datetime as dt
import io
import random
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from zhifa.api.models import ApiKey, hash_key
from zhifa.catalog.demo_items import ITEMS
from zhifa.catalog.models import EnforcementItem
from zhifa.core.audit import verify_chain
from zhifa.core.models import AuditEvent
from zhifa.core.scopes import Scope
from zhifa.core.validators import validate_id_number
from zhifa.organizations import demo, selectors
from zhifa.organizations.models import Certificate, Officer, Organization, Region, User
from zhifa.parties.models import Party

SMALL = 120
EVERYTHING = Scope(everything=True)


def _load(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def small(db):
    return demo.load_demo(officers=SMALL, seed=7)


# ---- regions and organisations ----


def test_regions_province_to_twenty_townships(small):
    province = Region.objects.get(code="330000", name="浙江省", level=Region.Level.PROVINCE)
    city = Region.objects.get(code="330800", name="衢州市", level=Region.Level.CITY, parent=province)
    district = Region.objects.get(code="330803", name="衢江区", level=Region.Level.DISTRICT, parent=city)
    townships = list(selectors.township_regions())
    assert len(townships) == 20 and all(t.parent_id == district.pk for t in townships)
    assert Counter(t.level for t in townships) == {"subdistrict": 2, "town": 10, "township": 8}
    ranges = {"subdistrict": range(1, 100), "town": range(100, 200), "township": range(200, 300)}
    for t in townships:
        assert re.fullmatch(r"330803\d{3}", t.code) and int(t.code[6:]) in ranges[t.level], t
        assert t.name.endswith({"subdistrict": "街道", "town": "镇", "township": "乡"}[t.level])
    assert Region.objects.get(code="330803001").name == "樟潭街道"
    assert Region.objects.get(code="330803100").name == "上方镇"


def test_one_plus_five_and_a_team_in_every_township(small):
    root = Organization.objects.get(parent=None)
    assert root.name == "衢江区人民政府" and not root.is_enforcement_body
    assert all(o.path.startswith(root.path) for o in Organization.objects.all())
    bureau = Organization.objects.get(kind=Organization.Kind.COMPREHENSIVE_BUREAU, is_enforcement_body=True)
    assert (bureau.name, bureau.short_name, bureau.parent_id) == (
        "衢州市衢江区综合行政执法局",
        "衢江综执",
        root.pk,
    )
    assert Organization.objects.get(kind=Organization.Kind.COMMAND_CENTER).parent_id == root.pk
    assert Organization.objects.get(kind=Organization.Kind.GUIDANCE_OFFICE).parent_id == root.pk
    professional = set(
        Organization.objects.filter(kind=Organization.Kind.PROFESSIONAL_DEPARTMENT).values_list(
            "short_name", flat=True
        )
    )
    assert {"衢江市监", "衢江环", "衢江交执", "衢江卫", "衢江应急"} <= professional
    assert not Organization.objects.filter(
        kind=Organization.Kind.PROFESSIONAL_DEPARTMENT, is_enforcement_body=False
    )
    assert Organization.objects.get(name="法制科").parent_id == bureau.pk
    stations = Organization.objects.filter(kind=Organization.Kind.DISPATCHED_STATION).select_related("region")
    assert stations and all(s.region.is_township for s in stations)
    assert {"市场监管所", "执法中队", "自然资源所", "司法所"} == {
        re.sub(r"^.*?(市场监管所|执法中队|自然资源所|司法所)$", r"\1", s.name) for s in stations
    }
    for township in selectors.township_regions():
        team = Organization.objects.get(kind=Organization.Kind.TOWNSHIP_TEAM, region=township)
        assert team.is_enforcement_body and team.name == f"{township.name}综合行政执法队"
        assert team.parent.kind == Organization.Kind.GOVERNMENT and team.parent.region_id == township.pk
    assert all(o.headcount > 0 for o in Organization.objects.all())


# ---- officers and certificates ----


def test_officers_have_valid_unique_identifiers(small):
    officers = list(Officer.objects.all())
    assert len(officers) == SMALL
    today = timezone.localdate()
    for officer in officers:
        assert validate_id_number(officer.id_number) == officer.id_number
        assert (int(officer.id_number[16]) % 2 == 1) == (officer.gender == Officer.Gender.MALE)
        born = dt.date(
            int(officer.id_number[6:10]), int(officer.id_number[10:12]), int(officer.id_number[12:14])
        )
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        assert 23 <= age <= 58
        assert 2 <= len(officer.name) <= 4 and re.fullmatch(r"1[358]\d{9}", officer.phone)
    assert len({o.id_number for o in officers}) == len({o.employee_no for o in officers}) == SMALL
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) > 0
    assert all(re.fullmatch(r"浙330803\d{5}", n) for n in numbers)


def test_certificates_match_the_officers_work(small):
    assert not Certificate.objects.filter(officer__kind=Officer.Kind.AUXILIARY).exists()
    for certificate in Certificate.objects.select_related("officer__organization"):
        assert certificate.domains and set(certificate.domains) <= set(demo.DOMAINS)
        assert certificate.valid_from < certificate.valid_to
        org = certificate.officer.organization
        if "市场监" in org.name:
            assert certificate.domains == ["市场监管"]
        if org.kind == Organization.Kind.TOWNSHIP_TEAM:
            assert {"城乡规划", "市容环境卫生"} <= set(certificate.domains)
    assert Officer.objects.filter(organization__name="法制科", legal_qualified=True).exists()


def test_distribution_meets_the_reform_indicators(small):
    staffing = selectors.staffing_indicators(EVERYTHING)
    assert 0.60 <= staffing.township_share <= 0.70 and staffing.meets_goal
    assert staffing.enforcement_staff == Officer.objects.filter(kind=Officer.Kind.ENFORCEMENT).count()
    auxiliary = Officer.objects.filter(kind=Officer.Kind.AUXILIARY).count()
    assert auxiliary == round(SMALL * 0.15)
    posted = Officer.objects.filter(posted_to__isnull=False)
    assert posted and all(
        o.posted_since and o.posted_to.is_township and not o.organization.region.is_township
        for o in posted.select_related("posted_to", "organization__region")
    )
    short = {r.name for r in selectors.townships_short_of_certified(EVERYTHING)}
    assert short == set(demo.SHORT_OF_CERTIFIED) == {"举村乡", "灰坪乡"}
    today = timezone.localdate()
    expired = Certificate.objects.filter(valid_to__lt=today).count()
    expiring = Certificate.objects.valid_on(today).filter(valid_to__lte=today + dt.timedelta(days=60)).count()
    suspended = Certificate.objects.filter(status=Certificate.Status.SUSPENDED).count()
    assert (expired, expiring, suspended) == (round(SMALL * 0.05), round(SMALL * 0.04), round(SMALL * 0.02))


@pytest.mark.parametrize("total", [demo.MIN_OFFICERS, SMALL, demo.DEFAULT_OFFICERS, 1000])
def test_plan_keeps_the_indicators_for_any_seed_and_size(total):
    """The distribution does not depend on luck: every seed gives the same shares."""
    region_of = {s.key: s.region for s in demo.organization_specs()}
    district = demo.DISTRICT[0]
    for seed in range(10):
        plans = demo.plan_officers(total, random.Random(seed))
        assert len(plans) == total
        enforcement = [p for p in plans if p.kind == Officer.Kind.ENFORCEMENT]
        in_townships = [p for p in enforcement if p.posted_to or region_of[p.org] != district]
        assert 0.60 <= len(in_townships) / len(enforcement) <= 0.70
        certified = Counter(
            p.posted_to or region_of[p.org]
            for p in in_townships
            if p.certificate in (demo.VALID, demo.EXPIRING)
        )
        short = {t.code for t in demo.TOWNSHIPS if certified[t.code] < 2}
        assert short == {t.code for t in demo.TOWNSHIPS if t.name in demo.SHORT_OF_CERTIFIED}


def test_same_seed_same_people_other_seed_other_people():
    def people(seed):
        rng = random.Random(seed)
        plans = demo.plan_officers(demo.DEFAULT_OFFICERS, rng)
        return [(p.org, p.certificate, demo.chinese_name(rng, Officer.Gender.MALE)) for p in plans]

    assert people(1) == people(1) != people(2)


def test_too_few_officers_refused(db):
    with pytest.raises(CommandError):
        _load("--officers", str(demo.MIN_OFFICERS - 1))
    assert not Region.objects.exists()


# ---- logins, API key, audit ----


def test_every_demo_login_works(client, small):
    users = {u.username: u for u in User.objects.select_related("officer")}
    assert set(users) == {s.username for s in demo.USERS}
    assert users["admin"].is_superuser and not any(u.is_superuser for n, u in users.items() if n != "admin")
    today = timezone.localdate()
    for name in ("shangfang_officer", "xiachuan_officer", "legal"):
        officer = users[name].officer
        assert (
            officer.certificates.valid_on(today).exists()
            and officer.organization_id == users[name].organization_id
        )
        assert users[name].display_name == officer.name
    assert users["legal"].officer.legal_qualified
    assert users["shangfang_leader"].organization.name == "上方镇人民政府"
    for i, spec in enumerate(demo.USERS):
        response = client.post(
            "/login/",
            {"username": spec.username, "password": demo.DEFAULT_PASSWORD},
            REMOTE_ADDR=f"10.9.0.{i + 1}",
        )
        assert response.status_code == 302, spec.username
        assert int(client.session["_auth_user_id"]) == users[spec.username].pk
        client.logout()


def test_command_prints_logins_and_a_working_api_key_and_audits_once(db):
    out = _load("--officers", str(SMALL), "--password", "another-demo-pass")
    for spec in demo.USERS:
        assert spec.username in out
    assert "another-demo-pass" in out and demo.DEMO_URL in out and "衢州市衢江区综合行政执法局法制科" in out
    assert re.search(r"shangfang_leader\s+\S+\s+上方镇人民政府\s", out)
    raw = re.search(r"zf_[0-9a-f]{8}_\S+", out).group(0)
    key = ApiKey.objects.get()
    assert key.key_hash == hash_key(raw) and key.role == User.Role.COMMAND_CENTER
    assert key.organization.kind == Organization.Kind.COMMAND_CENTER
    event = AuditEvent.objects.get(action="demo.load")  # the roster as one audited action
    assert (event.object_type, event.object_id) == ("demo", "衢江区")
    assert event.after["officers"] == SMALL and event.after["users"] == len(demo.USERS)
    assert verify_chain()[1] is None


def test_if_empty_twice_is_idempotent(db):
    first = _load("--if-empty", "--officers", str(SMALL))
    counts = (
        Region.objects.count(),
        Organization.objects.count(),
        Officer.objects.count(),
        Certificate.objects.count(),
        User.objects.count(),
        ApiKey.objects.count(),
    )
    second = _load("--if-empty", "--officers", str(SMALL))
    assert "已载入" in first and "已存在" in second and "已载入" not in second
    assert "shangfang_officer" in second and demo.DEMO_URL in second
    assert counts == (
        Region.objects.count(),
        Organization.objects.count(),
        Officer.objects.count(),
        Certificate.objects.count(),
        User.objects.count(),
        ApiKey.objects.count(),
    )
    assert AuditEvent.objects.filter(action="demo.load").count() == 1
    assert verify_chain()[1] is None
    with pytest.raises(CommandError):
        _load("--officers", str(SMALL))


def test_default_demo_loads_the_whole_district(db):
    _load()
    assert Officer.objects.count() == demo.DEFAULT_OFFICERS
    assert 0.60 <= selectors.staffing_indicators(EVERYTHING).township_share <= 0.70
    assert {r.name for r in selectors.townships_short_of_certified(EVERYTHING)} == set(
        demo.SHORT_OF_CERTIFIED
    )
    assert EnforcementItem.objects.count() == len(ITEMS) and Party.objects.exists()
