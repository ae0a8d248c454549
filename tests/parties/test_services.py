"""Party services: validation names the field and saves nothing; township scope and roles are
enforced; risk colours follow the recorded facts, the providers and the configured rules."""

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import new_user
from tests.parties.conftest import add_party, id_number, uscc
from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import User
from zhifa.parties import services
from zhifa.parties.models import Party, RiskConfig


def _codes(exc_info, field):
    return [e.code for e in exc_info.value.error_dict[field]]


def _enterprise(world, **overrides):
    return {
        "kind": Party.Kind.ENTERPRISE,
        "name": "浙江恒泰化工有限公司",
        "uscc": uscc(),
        "township": world.shangfang,
        "industry": Party.Industry.CATERING,
        **overrides,
    }


def _refused(actor, data, field):
    with pytest.raises(ValidationError) as exc:
        services.create_party(actor, data)
    assert not Party.objects.exists() and not AuditEvent.objects.exists()
    return _codes(exc, field)


def test_create_enterprise_is_audited_and_assessed(world):
    party = services.create_party(world.leader_a, _enterprise(world))
    assert party.pk and party.risk_color == "green" and party.risk_reasons and party.risk_updated_at
    event = AuditEvent.objects.get(action="party.create")
    assert (
        event.object_id == str(party.pk)
        and event.after["uscc"] == party.uscc
        and event.after["township"] == world.shangfang.pk
    )


def test_identifiers_are_normalised(world):
    code = uscc()
    party = services.create_party(world.leader_a, _enterprise(world, uscc=f"  {code.lower()} "))
    assert party.uscc == code
    person = services.create_party(
        world.leader_a,
        {"kind": "person", "name": "张三", "township": world.shangfang, "id_number": "11010519491231002x"},
    )
    assert person.id_number == "11010519491231002X"


def test_invalid_uscc_refused(world):
    code = uscc()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert _refused(world.leader_a, _enterprise(world, uscc=wrong), "uscc") == ["uscc_checksum"]


def test_enterprise_and_individual_business_need_a_uscc(world):
    assert _refused(world.leader_a, _enterprise(world, uscc=""), "uscc") == ["required"]
    assert _refused(world.leader_a, _enterprise(world, kind="individual_business", uscc=""), "uscc") == [
        "required"
    ]


def test_uscc_must_match_the_kind(world):
    assert _refused(
        world.leader_a, _enterprise(world, kind="individual_business", uscc=uscc("91")), "uscc"
    ) == ["uscc_kind_mismatch"]
    assert _refused(world.leader_a, _enterprise(world, uscc=uscc("92")), "uscc") == ["uscc_kind_mismatch"]


def test_person_needs_a_valid_id_number_and_no_uscc(world):
    person = {"kind": "person", "name": "李四", "township": world.shangfang}
    assert _refused(world.leader_a, person, "id_number") == ["required"]
    assert _refused(world.leader_a, {**person, "id_number": "110105194912310021"}, "id_number") == [
        "id_number_checksum"
    ]
    assert _refused(world.leader_a, {**person, "id_number": id_number(), "uscc": uscc()}, "uscc") == [
        "uscc_not_applicable"
    ]


def test_individual_business_may_give_the_operators_id_number(world):
    data = _enterprise(world, kind="individual_business", uscc=uscc("92"), name="衢州市衢江区上方老王面馆")
    assert services.create_party(world.leader_a, {**data, "id_number": id_number()}).id_number


def test_enterprise_keeps_no_id_number(world):
    assert _refused(world.leader_a, _enterprise(world, id_number=id_number()), "id_number") == [
        "id_number_not_applicable"
    ]


def test_township_must_be_township_level(world):
    assert _refused(world.guidance_user, _enterprise(world, township=world.district), "township") == [
        "township_not_township"
    ]


def test_duplicate_uscc_and_person_id_number_refused(world):
    first = services.create_party(world.leader_a, _enterprise(world))
    with pytest.raises(ValidationError) as exc:
        services.create_party(world.leader_a, _enterprise(world, uscc=first.uscc, name="另一家"))
    assert _codes(exc, "uscc") == ["unique"]
    number = id_number()
    services.create_party(
        world.leader_a, {"kind": "person", "name": "王五", "township": world.shangfang, "id_number": number}
    )
    with pytest.raises(ValidationError) as exc:
        services.create_party(
            world.leader_a,
            {"kind": "person", "name": "王五", "township": world.shangfang, "id_number": number},
        )
    assert _codes(exc, "id_number") == ["unique"]
    assert Party.objects.count() == 2


def test_township_user_cannot_register_or_touch_another_townships_party(world):
    with pytest.raises(PermissionDenied):
        services.create_party(world.leader_a, _enterprise(world, township=world.xiachuan))
    other = add_party(world.xiachuan)
    with pytest.raises(NotFound):
        services.update_party(world.leader_a, other.pk, {"phone": "13900000000"})
    mine = add_party(world.shangfang)
    with pytest.raises(PermissionDenied):
        services.update_party(world.leader_a, mine.pk, {"township": world.xiachuan})
    assert Party.objects.get(pk=mine.pk).township == world.shangfang


def test_district_body_registers_parties_anywhere(world):
    assert services.create_party(world.bureau_admin, _enterprise(world, township=world.xiachuan)).pk


def test_reviewers_and_users_without_organisation_cannot_write(world):
    reviewer = new_user("reviewer", world.bureau, User.Role.LEGAL_REVIEWER)
    with pytest.raises(PermissionDenied):
        services.create_party(reviewer, _enterprise(world))
    loose = new_user("loose", None, User.Role.OFFICER)
    with pytest.raises(PermissionDenied):
        services.create_party(loose, _enterprise(world))


def test_update_recolours_when_the_industry_becomes_key_supervised(world):
    party = services.create_party(world.leader_a, _enterprise(world))
    party = services.update_party(world.leader_a, party.pk, {"industry": Party.Industry.HAZARDOUS_CHEMICALS})
    assert party.risk_color == "blue" and "属于重点监管行业（危险化学品）" in party.risk_reasons
    event = AuditEvent.objects.get(action="party.update")
    assert (event.before["risk_color"], event.after["risk_color"]) == ("green", "blue")


def test_update_refuses_fields_outside_the_form(world):
    party = add_party(world.shangfang)
    with pytest.raises(ValidationError) as exc:
        services.update_party(world.leader_a, party.pk, {"risk_color": "green"})
    assert _codes(exc, "risk_color") == ["not_editable"]


def test_credit_facts_recolour_and_only_risk_managers_record_them(world):
    party = add_party(world.shangfang)
    with pytest.raises(PermissionDenied):
        services.record_credit_facts(world.leader_a, party.pk, {"violation_count_12m": 2})
    party = services.record_credit_facts(
        world.guidance_user, party.pk, {"violation_count_12m": 2, "complaint_count_12m": 1}
    )
    assert party.risk_color == "yellow"
    assert party.risk_reasons[:2] == ["近12个月受到行政处罚2次", "近12个月被投诉举报1次"]
    assert AuditEvent.objects.filter(action="party.credit_facts").count() == 1


def test_facts_providers_override_recorded_counts(world):
    party = add_party(world.shangfang)
    calls = []

    def penalties(party_ids, since):
        calls.append(since)
        return {pk: {"violations": 3} for pk in party_ids}

    services.register_facts_provider(penalties)
    try:
        assert services.recompute_party_risk(world.guidance_user, party.pk).risk_color == "red"
    finally:
        services.FACTS_PROVIDERS.remove(penalties)
    assert calls and AuditEvent.objects.filter(action="party.risk_color").count() == 1


def test_recompute_all_writes_only_changes_and_audits_once(world):
    stale = add_party(world.shangfang, violation_count_12m=3)  # created red-worthy but stored green
    fresh = add_party(world.xiachuan)
    services.recompute_party_risk(None, fresh.pk)
    summary = services.recompute_all_risk(None)
    assert summary["checked"] == 2 and summary["changed"] == {str(stale.pk): ["green", "red"]}
    assert summary["counts"] == {"green": 1, "blue": 0, "yellow": 0, "red": 1}
    assert Party.objects.get(pk=stale.pk).risk_color == "red"
    assert AuditEvent.objects.filter(action="party.risk_recompute_all").count() == 1
    assert services.recompute_all_risk(None)["changed"] == {}  # nothing changed: nothing recorded
    assert AuditEvent.objects.filter(action="party.risk_recompute_all").count() == 1
    with pytest.raises(PermissionDenied):
        services.recompute_all_risk(world.leader_a)


def test_new_rules_are_kept_as_history_and_recolour_everyone(world):
    party = add_party(world.shangfang, complaint_count_12m=3)
    services.recompute_all_risk(None)
    assert Party.objects.get(pk=party.pk).risk_color == "blue"
    services.set_risk_config(world.guidance_user, {"weight_complaint": 3})
    second = services.set_risk_config(world.guidance_user, {"blue_threshold": 3})
    assert RiskConfig.objects.count() == 2 and RiskConfig.objects.get(is_active=True) == second
    assert second.weight_complaint == 3 and second.created_by == world.guidance_user
    assert Party.objects.get(pk=party.pk).risk_color == "red"  # 3 × 3 = 9
    with pytest.raises(ValidationError) as exc:
        services.set_risk_config(world.guidance_user, {"red_threshold": 1})
    assert _codes(exc, "red_threshold") == ["risk_config_invalid"]
    with pytest.raises(ValidationError) as exc:
        services.set_risk_config(world.guidance_user, {"key_industries": ["unknown"]})
    assert _codes(exc, "key_industries") == ["invalid_choice"]
    assert RiskConfig.objects.get(is_active=True) == second
    with pytest.raises(PermissionDenied):
        services.set_risk_config(world.leader_a, {"weight_complaint": 1})
