"""The district's working-day calendar on PostgreSQL: who may enter the State Council's yearly
notice, the audit of each change, the order of truth, the warning when next year's notice is
missing, and the calendar page.

Law: 《全国年节及纪念日放假办法》 as revised by 国务院令第795号 (2024) — 第二条 the festival days,
第六条 the substitute days, 第七条 the bridging days and make-up working days the yearly notice
(国务院办公厅关于部分节假日安排的通知) sets, which only an entry can bring in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import checks
from django.core.exceptions import ValidationError

from zhifa.core import access, calendar_services, calendars
from zhifa.core.access_rules import GUIDANCE_OFFICE, MANAGE_CALENDAR
from zhifa.core.checks import calendar_announcement_check
from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.core.models import AuditEvent, HolidayOverride
from zhifa.organizations.models import User

D = dt.date
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
#: The day the platform is shown on: the notice for 2027 is awaited and missing.
DECEMBER_4 = D(2026, 12, 4)


@pytest.fixture(autouse=True)
def district_today(monkeypatch):
    monkeypatch.setattr(calendars, "today", lambda: DECEMBER_4)
    return DECEMBER_4


@pytest.fixture
def admin(world):
    return User.objects.create_superuser("root", password="correct-horse-battery", organization=world.root)


def _login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _events(action_prefix: str = "calendar."):
    return list(AuditEvent.objects.filter(action__startswith=action_prefix).order_by("seq"))


# --- who may enter the notice -----------------------------------------------------------


def test_the_permission_names_the_guidance_office_role_of_the_roster():
    assert GUIDANCE_OFFICE == User.Role.GUIDANCE_OFFICE
    assert access.get_permission(MANAGE_CALENDAR).roles == {User.Role.GUIDANCE_OFFICE, access.ADMIN}


@pytest.mark.parametrize("who", ["user_a", "leader_a", "bureau_admin"])
def test_other_roles_may_not_enter_the_notice(world, who):
    actor = getattr(world, who)
    data = {"date": D(2027, 2, 20), "is_workday": True, "name": "春节调休"}
    with pytest.raises(PermissionDenied) as refused:
        calendar_services.set_day(actor, data)
    assert "执法指导办" in refused.value.message
    with pytest.raises(PermissionDenied):
        calendar_services.import_announcement(actor, {"year": 2027, "text": "2027-02-20 上班"})
    assert not HolidayOverride.objects.exists() and _events() == []


def test_the_guidance_office_and_an_administrator_may(world, admin):
    calendar_services.set_day(
        world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True, "name": "春节调休"}
    )
    calendar_services.set_day(admin, {"date": D(2027, 1, 30), "is_workday": True, "name": ""})
    assert sorted(HolidayOverride.objects.values_list("date", flat=True)) == [D(2027, 1, 30), D(2027, 2, 20)]


def test_a_granted_guidance_office_role_is_enough(world):
    from zhifa.organizations.models import RoleGrant

    RoleGrant.objects.create(user=world.bureau_admin, role=User.Role.GUIDANCE_OFFICE)
    world.bureau_admin.forget_roles()
    calendar_services.set_day(world.bureau_admin, {"date": D(2027, 2, 20), "is_workday": True})
    assert HolidayOverride.objects.get().is_workday


# --- each change audited with before and after ------------------------------------------


def test_entering_and_changing_a_day_is_audited(world):
    calendar_services.set_day(
        world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True, "name": "春节调休"}
    )
    calendar_services.set_day(
        world.guidance_user, {"date": D(2027, 2, 20), "is_workday": False, "name": "更正"}
    )
    first, second = _events()
    assert (first.action, first.object_type, first.object_id) == (
        "calendar.set_day",
        "core.HolidayOverride",
        "2027-02-20",
    )
    assert first.before is None
    assert first.after == {"date": "2027-02-20", "is_workday": True, "name": "春节调休"}
    assert second.before == first.after
    assert second.after == {"date": "2027-02-20", "is_workday": False, "name": "更正"}
    assert "全国年节及纪念日放假办法" in second.legal_basis and second.actor_name == "guidance"
    assert HolidayOverride.objects.get().name == "更正"


def test_removing_a_day_is_audited_and_an_unknown_id_is_not_found(world):
    entry = calendar_services.set_day(world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True})
    assert calendar_services.remove_day(world.guidance_user, entry.pk) == D(2027, 2, 20)
    removal = _events()[-1]
    assert removal.action == "calendar.remove_day" and removal.after is None
    assert removal.before == {"date": "2027-02-20", "is_workday": True, "name": ""}
    with pytest.raises(NotFound):
        calendar_services.remove_day(world.guidance_user, entry.pk)
    with pytest.raises(NotFound):
        calendar_services.remove_day(world.guidance_user, "x")


def test_a_festival_day_cannot_be_entered_as_a_working_day(world):
    """第二条: 正月初一 (2027-02-06) is every citizen's day off; nothing is saved."""
    with pytest.raises(ValidationError) as refused:
        calendar_services.set_day(
            world.guidance_user, {"date": D(2027, 2, 6), "is_workday": True, "name": "春节调休"}
        )
    assert "第二条" in refused.value.message_dict["date"][0]
    assert not HolidayOverride.objects.exists() and _events() == []


def test_unknown_fields_and_out_of_range_dates_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        calendar_services.set_day(
            world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True, "source": "x"}
        )
    assert "source" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        calendar_services.set_day(world.guidance_user, {"date": D(1999, 2, 20), "is_workday": True})
    assert "2000年至2100年" in refused.value.message_dict["date"][0]


# --- importing the notice ------------------------------------------------------------------

NOTICE_2027 = """# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-02-05至2027-02-13 休息 春节
2027-01-30 上班 春节调休
2027-02-20 上班 春节调休
"""


def test_importing_the_notice_enters_every_line_and_audits_each_day(world):
    result = calendar_services.import_announcement(
        world.guidance_user, {"year": 2027, "text": NOTICE_2027, "notice": "国办发明电〔2026〕示例号"}
    )
    assert (result.created, result.changed, result.unchanged, result.removed) == (11, 0, 0, 0)
    assert HolidayOverride.objects.filter(is_workday=False).count() == 9
    events = _events()
    assert [e.action for e in events] == ["calendar.import_day"] * 11 + ["calendar.import_announcement"]
    assert all(e.before is None for e in events[:-1])
    assert events[0].legal_basis.startswith("国办发明电〔2026〕示例号；")
    assert events[-1].object_type == "core.HolidayYear" and events[-1].object_id == "2027"
    assert events[-1].after["created"] == 11
    # the same notice again changes nothing but is recorded as imported
    again = calendar_services.import_announcement(world.guidance_user, {"year": 2027, "text": NOTICE_2027})
    assert (again.created, again.changed, again.unchanged) == (0, 0, 11)
    assert len(_events()) == 13


def test_reimporting_with_replace_removes_the_days_the_notice_no_longer_names(world):
    calendar_services.import_announcement(world.guidance_user, {"year": 2027, "text": NOTICE_2027})
    calendar_services.set_day(
        world.guidance_user, {"date": D(2026, 12, 31), "is_workday": False, "name": "2026年"}
    )
    corrected = "2027-02-05至2027-02-12 休息 春节\n2027-02-20 上班 春节调休\n"
    result = calendar_services.import_announcement(
        world.guidance_user, {"year": 2027, "text": corrected, "replace": True}
    )
    assert (result.created, result.changed, result.unchanged, result.removed) == (0, 0, 9, 2)
    dates = set(HolidayOverride.objects.values_list("date", flat=True))
    assert D(2027, 2, 13) not in dates and D(2027, 1, 30) not in dates
    assert D(2026, 12, 31) in dates  # another year's entry is kept
    removed = [e for e in _events() if e.action == "calendar.remove_day"]
    assert {e.object_id for e in removed} == {"2027-01-30", "2027-02-13"}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2027-02-20 上班\n2027-02-31 休息", "第2行：日期 2027-02-31 不存在"),
        (
            "2027-02-20 上班\n2027-02-06 上班 春节调休",
            "第2行：2027-02-06 是春节（正月初一），法定节日不能调为工作日",
        ),
        ("2027-02-20 上班\n2028-01-03 休息", "第2行：2028-01-03 不属于2027年的放假安排"),
        ("# 只有注释\n", "没有可导入的行"),
    ],
)
def test_one_bad_line_saves_nothing(world, text, fragment):
    with pytest.raises(ValidationError) as refused:
        calendar_services.import_announcement(world.guidance_user, {"year": 2027, "text": text})
    assert fragment in refused.value.message_dict["text"][0]
    assert not HolidayOverride.objects.exists() and _events() == []


def test_the_notice_for_a_year_may_name_late_december_before_it(world):
    calendar_services.import_announcement(
        world.guidance_user, {"year": 2027, "text": "2026-12-27 上班 元旦调休"}
    )
    assert HolidayOverride.objects.get().date == D(2026, 12, 27)


# --- the order of truth --------------------------------------------------------------------


def test_entries_override_the_package_and_the_law(world):
    """An entry beats the package (2026, whose notice it carries) and the law's computation
    (2027, which the package does not know)."""
    calendar = calendars.district_calendar()
    assert not calendar.is_workday(D(2026, 10, 7)) and calendar.is_workday(D(2026, 10, 10))  # the package
    assert not calendar.is_workday(D(2027, 1, 1))  # 元旦, 第二条
    assert not calendar.is_workday(D(2027, 2, 10)) and not calendar.is_workday(D(2027, 2, 20))
    calendar_services.import_announcement(
        world.guidance_user, {"year": 2027, "text": "2027-02-10 上班\n2027-02-20 上班"}
    )
    calendar_services.set_day(
        world.guidance_user, {"date": D(2026, 10, 7), "is_workday": True, "name": "地方更正"}
    )
    calendar = calendars.district_calendar()
    assert calendar.is_workday(D(2026, 10, 7))
    assert calendar.is_workday(D(2027, 2, 10)) and calendar.is_workday(D(2027, 2, 20))
    assert calendar.add_working_days(D(2027, 2, 18), 3) == D(2027, 2, 22)


# --- the warning when next year's notice is missing -------------------------------------


def test_next_years_notice_is_awaited_from_the_first_of_december(world):
    assert calendars.missing_announcements(D(2026, 11, 30)) == []  # 2026 is in the package
    assert calendars.missing_announcements(D(2026, 12, 1)) == [2027]
    assert calendars.missing_announcements(DECEMBER_4) == [2027]
    assert calendars.missing_announcements(D(2027, 3, 1)) == [2027]  # still missing in the year itself
    calendar_services.set_day(world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True})
    assert calendars.missing_announcements(DECEMBER_4) == []
    assert calendars.missing_announcements(D(2027, 12, 1)) == [2028]


def test_the_system_check_warns_when_the_notice_is_missing(world):
    warnings = [m for m in checks.run_checks() if m.id == "zhifa.W001"]
    assert len(warnings) == 1 and warnings[0].level == checks.WARNING
    assert "2027年的节假日安排尚未录入" in warnings[0].msg and "/calendar/2027/" in warnings[0].hint
    calendar_services.set_day(world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True})
    assert calendar_announcement_check() == []


def test_the_banner_shows_to_those_who_enter_the_notice(client, world):
    page = _login(client, world.guidance_user).get("/").content.decode()
    assert 'data-calendar-warning="2027"' in page and "/calendar/2027/#import" in page
    officer_page = _login(client, world.user_a).get("/").content.decode()
    assert "data-calendar-warning" not in officer_page and "/calendar/2027/" not in officer_page
    assert 'href="/calendar/"' in officer_page  # everyone may read the calendar and try a deadline
    calendar_services.set_day(world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True})
    assert "data-calendar-warning" not in _login(client, world.guidance_user).get("/").content.decode()


# --- the calendar page -----------------------------------------------------------------------


def test_the_page_lists_the_law_the_package_and_the_entries(client, world):
    calendar_services.set_day(
        world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True, "name": "春节调休"}
    )
    page = _login(client, world.guidance_user).get("/calendar/2027/").content.decode()
    assert 'data-day="2027-02-06" data-workday="0"' in page and "春节（正月初一）" in page
    assert "春节补假（推定）" in page and 'data-day="2027-02-20" data-workday="1"' in page
    assert "国务院令第795号" in page and 'id="import"' in page and "修改记录" in page
    known = client.get("/calendar/2026/").content.decode()
    assert "日历包已收录" in known and 'data-day="2026-02-14" data-workday="1"' in known


def test_anyone_may_read_the_page_but_only_the_guidance_office_sees_the_forms(client, world):
    page = _login(client, world.user_a).get("/calendar/2027/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-day="2027-01-01" data-workday="0"' in html
    assert 'id="import"' not in html and "修改记录" not in html


def test_an_officer_posting_an_entry_is_refused_and_the_refusal_recorded(client, world):
    response = _login(client, world.user_a).post(
        "/calendar/2027/days/", {"date": "2027-02-20", "status": "work"}
    )
    assert response.status_code == 403
    assert not HolidayOverride.objects.exists()
    assert AuditEvent.objects.filter(action="access.refused", actor_name="officer_a").exists()


def test_the_forms_enter_import_and_remove(client, world):
    _login(client, world.guidance_user)
    response = client.post(
        "/calendar/2027/days/", {"date": "2027-02-20", "status": "work", "name": "春节调休"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/calendar/2027/#entries")
    response = client.post(
        "/calendar/2027/announcement/", {"text": "2027-01-30 上班 春节调休", "notice": "通知"}
    )
    assert response.status_code == 302
    assert set(HolidayOverride.objects.values_list("date", flat=True)) == {D(2027, 1, 30), D(2027, 2, 20)}
    entry = HolidayOverride.objects.get(date=D(2027, 1, 30))
    assert client.post(f"/calendar/days/{entry.pk}/remove/").status_code == 302
    assert not HolidayOverride.objects.filter(date=D(2027, 1, 30)).exists()


def test_form_errors_are_shown_in_chinese_and_save_nothing(client, world):
    _login(client, world.guidance_user)
    response = client.post("/calendar/2027/days/", {"date": "2027-02-06", "status": "work"})
    assert response.status_code == 422
    assert "法定节日不能调为工作日" in response.content.decode()
    response = client.post("/calendar/2027/announcement/", {"text": "2027-02-20 加班"})
    assert response.status_code == 422 and "第1行：格式应为" in response.content.decode()
    assert not HolidayOverride.objects.exists()


def test_the_deadline_calculator_counts_an_entered_make_up_day(client, world):
    """3 working days from Thursday 18 February 2027: Fri 19, Mon 22, Tue 23 — until Saturday
    20 February is entered as a make-up working day."""
    _login(client, world.guidance_user)
    url = "/calendar/2027/?start=2027-02-18&days=3&kind=working"
    assert 'data-deadline="2027-02-23"' in client.get(url).content.decode()
    calendar_services.set_day(world.guidance_user, {"date": D(2027, 2, 20), "is_workday": True})
    assert 'data-deadline="2027-02-22"' in client.get(url).content.decode()
    # calendar days: 15 days from 2027-01-17 end on 1 Feb (a Monday): unchanged
    assert (
        'data-deadline="2027-02-01"'
        in client.get("/calendar/2027/?start=2027-01-17&days=15&kind=calendar").content.decode()
    )
    refused = client.get("/calendar/2027/?start=9999-12-31&days=366&kind=working")
    assert refused.status_code == 200 and "起算日应在2000年至2099年之间" in refused.content.decode()


def test_years_outside_the_calendar_are_not_found(client, world):
    _login(client, world.user_a)
    assert client.get("/calendar/1999/").status_code == 404
    assert client.get("/calendar/2101/").status_code == 404
    assert client.get("/calendar/").status_code == 302
