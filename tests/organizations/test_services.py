"""Roster services: validation names the field and saves nothing; scopes and roles are enforced."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import new_officer
from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.core.scopes import Scope
from zhifa.organizations import selectors, services
from zhifa.organizations.models import Certificate, Officer


def _codes(exc_info, field):
    return [e.code for e in exc_info.value.error_dict[field]]


CERT = {
    "number": "浙33080312345",
    "domains": ["市容环境卫生"],
    "valid_from": dt.date(2026, 1, 1),
    "valid_to": dt.date(2031, 1, 1),
}


def test_certificate_added_and_audited_with_article(world):
    certificate = services.add_certificate(world.leader_a, world.officer_a.pk, CERT)
    assert certificate.officer == world.officer_a
    event = AuditEvent.objects.get(action="certificate.create")
    assert event.legal_basis == "行政处罚法第四十二条" and event.after["number"] == "浙33080312345"


def test_reversed_certificate_dates_refused_nothing_saved(world):
    with pytest.raises(ValidationError) as exc:
        services.add_certificate(
            world.leader_a,
            world.officer_a.pk,
            {**CERT, "valid_from": dt.date(2031, 1, 1), "valid_to": dt.date(2026, 1, 1)},
        )
    assert _codes(exc, "valid_to") == ["certificate_dates_reversed"]
    assert not Certificate.objects.filter(number=CERT["number"]).exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_certificate_number_refused(world):
    services.add_certificate(world.leader_a, world.officer_a.pk, CERT)
    with pytest.raises(ValidationError) as exc:
        services.add_certificate(world.leader_b, world.officer_b.pk, CERT)
    assert _codes(exc, "number") == ["unique"]
    assert Certificate.objects.filter(number=CERT["number"]).count() == 1


def test_certificate_needs_a_domain(world):
    with pytest.raises(ValidationError) as exc:
        services.add_certificate(world.leader_a, world.officer_a.pk, {**CERT, "domains": []})
    assert _codes(exc, "domains") == ["required"]


def test_auxiliary_staff_cannot_hold_a_certificate(world):
    helper = new_officer(world.team_a, kind=Officer.Kind.AUXILIARY)
    with pytest.raises(ValidationError) as exc:
        services.add_certificate(world.leader_a, helper.pk, CERT)
    assert _codes(exc, "officer") == ["auxiliary_no_certificate"]


def test_invalid_id_number_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.create_officer(
            world.leader_a,
            {
                "name": "新人",
                "id_number": "110105194912310021",
                "employee_no": "N1",
                "organization": world.team_a,
            },
        )
    assert _codes(exc, "id_number") == ["id_number_checksum"]
    assert not Officer.objects.filter(employee_no="N1").exists()


def test_posting_to_a_non_township_region_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.post_officer(world.bureau_admin, world.bureau_officer.pk, world.district)
    assert _codes(exc, "posted_to") == ["posting_not_township"]
    world.bureau_officer.refresh_from_db()
    assert world.bureau_officer.posted_to is None
    assert not AuditEvent.objects.exists()


def test_posting_and_ending_a_posting(world):
    officer = services.post_officer(
        world.bureau_admin, world.bureau_officer.pk, world.shangfang, dt.date(2026, 3, 1)
    )
    assert (officer.posted_to, officer.posted_since) == (world.shangfang, dt.date(2026, 3, 1))
    officer = services.post_officer(world.bureau_admin, world.bureau_officer.pk, None)
    assert officer.posted_to is None and officer.posted_since is None
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["officer.post", "officer.unpost"]


def test_township_leader_cannot_post_or_touch_other_township(world):
    with pytest.raises(PermissionDenied):
        services.post_officer(world.leader_a, world.officer_a.pk, world.xiachuan)
    with pytest.raises(NotFound):
        services.update_officer(world.leader_a, world.officer_b.pk, {"phone": "13900000000"})
    with pytest.raises(NotFound):
        services.add_certificate(world.leader_a, world.officer_b.pk, CERT)


def test_plain_officer_cannot_change_the_roster(world):
    with pytest.raises(PermissionDenied):
        services.update_officer(world.user_a, world.officer_a.pk, {"phone": "13900000000"})


def test_cannot_create_officer_in_another_township(world):
    with pytest.raises(PermissionDenied):
        services.create_officer(
            world.leader_a,
            {
                "name": "x",
                "id_number": "11010519491231002X",
                "employee_no": "N2",
                "organization": world.team_b,
            },
        )


def test_certified_officer_cannot_become_auxiliary(world):
    with pytest.raises(ValidationError) as exc:
        services.update_officer(world.leader_a, world.officer_a.pk, {"kind": Officer.Kind.AUXILIARY})
    assert _codes(exc, "kind") == ["auxiliary_with_certificate"]


def test_staffing_share_counts_township_staff_and_postings(world):
    everything = Scope(everything=True)
    before = selectors.staffing_indicators(everything)
    assert (before.enforcement_staff, before.in_townships) == (3, 2)
    assert not before.meets_goal or before.township_share >= before.goal
    services.post_officer(world.bureau_admin, world.bureau_officer.pk, world.xiachuan)
    after = selectors.staffing_indicators(everything)
    assert after.in_townships == 3 and after.township_share == 1
    new_officer(world.team_a, kind=Officer.Kind.AUXILIARY)  # auxiliaries are not enforcement staff
    assert selectors.staffing_indicators(everything).enforcement_staff == 3


def test_townships_short_of_certified_officers(world):
    everything = Scope(everything=True)
    short = {
        r.name: r.certified for r in selectors.townships_short_of_certified(everything, dt.date(2026, 6, 1))
    }
    assert short == {"上方镇": 1, "峡川镇": 1}
    new_officer(world.team_a)
    new_officer(world.team_b, valid_to=dt.date(2026, 5, 31))  # expired before the day: does not count
    short = {
        r.name: r.certified for r in selectors.townships_short_of_certified(everything, dt.date(2026, 6, 1))
    }
    assert short == {"峡川镇": 1}
    services.post_officer(world.bureau_admin, world.bureau_officer.pk, world.xiachuan)
    assert not selectors.townships_short_of_certified(everything, dt.date(2026, 6, 1)).exists()


def test_scope_of_township_leader_excludes_other_township(world):
    scope = Scope.for_user(world.leader_a)
    assert set(selectors.officers(scope).values_list("name", flat=True)) == {"甲镇队员"}
    with pytest.raises(NotFound):
        selectors.officer_detail(scope, world.officer_b.pk)


def test_user_without_organization_sees_nothing(world):
    from zhifa.organizations.models import User

    orphan = User.objects.create_user("orphan", password="x" * 12)
    assert not selectors.officers(Scope.for_user(orphan)).exists()


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(db):
    from zhifa.organizations.models import User

    user = User.objects.create_user("argon", password="correct-horse-battery")
    assert user.password.startswith("argon2$")
    assert user.check_password("correct-horse-battery")
