"""The calendar page: a year's computed holidays, the package's data and the district's entries,
the forms to enter the yearly notice (guidance office, administrators) and a deadline calculator
everyone may use."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import access, calendar_services, calendars
from .access_rules import MANAGE_CALENDAR
from .web import service_view

STATUS_CHOICES = [("work", "上班（工作日）"), ("rest", "休息")]
KIND_CHOICES = [("working", "工作日"), ("calendar", "日（自然日，末日遇休息日顺延）")]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE_INPUT)
    status = forms.ChoiceField(label="安排", choices=STATUS_CHOICES)
    name = forms.CharField(
        label="说明",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：春节调休上班"}),
    )


class ImportForm(forms.Form):
    notice = forms.CharField(
        label="通知名称和文号",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：国务院办公厅关于2027年部分节假日安排的通知"}),
    )
    text = forms.CharField(
        label="放假安排（每行一条）",
        max_length=20_000,
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "2027-02-05至2027-02-12 休息 春节\n2027-02-20 上班 春节调休"}
        ),
        help_text="每行：日期（或“开始日期至结束日期”）、上班或休息、说明。以 # 开头的行不导入。",
    )
    replace = forms.BooleanField(label="同时删除本年度已录入但上面没有的日期", required=False)


class DeadlineForm(forms.Form):
    start = forms.DateField(label="起算日", widget=DATE_INPUT)
    days = forms.IntegerField(label="期间（天）", min_value=0, max_value=366)
    kind = forms.ChoiceField(label="计算方式", choices=KIND_CHOICES, initial="working")

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not calendars.FIRST_YEAR <= start.year <= calendars.LAST_YEAR - 1:
            raise ValidationError(f"起算日应在{calendars.FIRST_YEAR}年至{calendars.LAST_YEAR - 1}年之间")
        return start


def _add_errors(form: forms.Form, exc: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """A service's ValidationError on the form field it names (through ``mapping``), else above."""
    mapping = mapping or {}
    for field, errors in exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]:
        target = mapping.get(field, field)
        form.add_error(target if target in form.fields else None, errors)


def _year_or_404(year: int) -> int:
    if not calendars.FIRST_YEAR <= year <= calendars.LAST_YEAR:
        raise Http404("年份超出范围")
    return year


def _deadline(request, year: int):
    """The calculator: a GET form, so its result can be linked and reloaded after an entry."""
    if "start" not in request.GET:
        return DeadlineForm(initial={"start": dt.date(year, 2, 1), "days": 7, "kind": "working"}), None
    form = DeadlineForm(request.GET)
    if not form.is_valid():
        return form, None
    calendar = calendars.district_calendar()
    start, days = form.cleaned_data["start"], form.cleaned_data["days"]
    if form.cleaned_data["kind"] == "working":
        end = calendar.add_working_days(start, days)
        rule = "工作日：不计法定节假日和周末，调休上班日计入"
    else:
        end = calendar.calendar_deadline(start, days)
        rule = "自然日：起算日不计，期间届满的最后一日是休息日的，以其后第一个工作日为期间届满日"
    return form, {
        "start": start,
        "days": days,
        "end": end,
        "rule": rule,
        "weekday": calendars.WEEKDAYS[end.weekday()],
    }


def _render(request, year: int, *, day_form=None, import_form=None, status=200):
    may_manage = access.can(request.user, MANAGE_CALENDAR)
    deadline_form, deadline = _deadline(request, year)
    context = {
        "view": calendars.year_view(year),
        "year": year,
        "previous_year": year - 1 if year > calendars.FIRST_YEAR else None,
        "next_year": year + 1 if year < calendars.LAST_YEAR else None,
        "may_manage": may_manage,
        "deadline_form": deadline_form,
        "deadline": deadline,
    }
    if may_manage:
        context.update(
            day_form=day_form or DayForm(initial={"date": dt.date(year, 1, 1), "status": "work"}),
            import_form=import_form or ImportForm(),
            history=calendars.history(year),
        )
    return render(request, "core/calendar.html", context, status=status)


@service_view
def calendar_now(request):
    return redirect("calendar:year", year=calendars.today().year)


@service_view
def calendar_year(request, year: int):
    return _render(request, _year_or_404(year))


def _back(year: int, anchor: str = "entries"):
    return redirect(reverse("calendar:year", kwargs={"year": year}) + f"#{anchor}")


@service_view
@require_POST
def set_day(request, year: int):
    _year_or_404(year)
    access.require(request.user, MANAGE_CALENDAR)
    form = DayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = calendar_services.set_day(
                request.user,
                {"date": data["date"], "is_workday": data["status"] == "work", "name": data["name"]},
            )
        except ValidationError as exc:
            _add_errors(form, exc, {"is_workday": "status"})
        else:
            messages.success(request, f"已录入：{entry}")
            return _back(entry.date.year)
    return _render(request, year, day_form=form, status=422)


@service_view
@require_POST
def remove_day(request, entry_id: int):
    day = calendar_services.remove_day(request.user, entry_id)
    messages.success(request, f"已删除 {day.isoformat()} 的录入，该日恢复按日历包或法定节日计算")
    return _back(day.year)


@service_view
@require_POST
def import_announcement(request, year: int):
    _year_or_404(year)
    access.require(request.user, MANAGE_CALENDAR)
    form = ImportForm(request.POST)
    if form.is_valid():
        try:
            result = calendar_services.import_announcement(request.user, {"year": year, **form.cleaned_data})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                f"已导入{year}年放假安排：新增 {result.created} 天，修改 {result.changed} 天，"
                f"未变 {result.unchanged} 天，删除 {result.removed} 天",
            )
            return _back(year)
    return _render(request, year, import_form=form, status=422)
