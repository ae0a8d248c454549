"""Forms of the roster pages. They only parse input; the services decide and validate the rules."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from .models import Certificate, Officer, Organization

# 执法领域 may be typed separated by commas (half or full width), 、, semicolons or spaces.
DOMAIN_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_domains(text: str) -> list[str]:
    return [part for part in DOMAIN_SEPARATORS.split(text or "") if part]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class OrganizationChoiceField(forms.ModelChoiceField):
    """Organisations in tree order, indented by depth."""

    def label_from_instance(self, obj: Organization) -> str:
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class OfficerFilterForm(forms.Form):
    """The GET filters of the officer list. Invalid values are ignored, never an error page."""

    CERTIFICATE_CHOICES = [
        ("", "全部"),
        ("valid", "持有效执法证"),
        ("expiring", "90 天内到期"),
        ("none", "无有效执法证"),
    ]
    POSTED_CHOICES = [("", "全部"), ("1", "下沉人员"), ("0", "非下沉人员")]

    q = forms.CharField(label="姓名 / 工号 / 证件号", max_length=50, required=False)
    organization_id = OrganizationChoiceField(
        label="机构", queryset=Organization.objects.none(), required=False, empty_label="全部机构"
    )
    kind = forms.ChoiceField(label="岗位类别", choices=[("", "全部"), *Officer.Kind.choices], required=False)
    certificate = forms.ChoiceField(label="证件状态", choices=CERTIFICATE_CHOICES, required=False)
    posted = forms.ChoiceField(label="下沉", choices=POSTED_CHOICES, required=False)

    def __init__(self, data, organizations):
        super().__init__(data)
        self.fields["organization_id"].queryset = organizations

    def selector_filters(self) -> dict:
        """Keyword arguments for ``selectors.officers`` from the fields that parsed."""
        self.is_valid()
        data = self.cleaned_data
        organization = data.get("organization_id")
        posted = data.get("posted")
        return {
            "q": data.get("q") or None,
            "organization_id": organization.pk if organization else None,
            "kind": data.get("kind") or None,
            "certificate": data.get("certificate") or None,
            "posted": {"1": True, "0": False}.get(posted or ""),
        }


class OfficerForm(forms.Form):
    """新增执法人员. The organisation list is limited to the user's scope."""

    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(
        label="性别", choices=[("", "未填写"), *Officer.Gender.choices], required=False
    )
    id_number = forms.CharField(
        label="公民身份号码", max_length=18, min_length=18, help_text="18 位，末位校验码为 X 时请填写大写 X"
    )
    employee_no = forms.CharField(label="工号", max_length=30)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    kind = forms.ChoiceField(label="岗位类别", choices=Officer.Kind.choices, initial=Officer.Kind.ENFORCEMENT)
    organization = OrganizationChoiceField(
        label="所属机构", queryset=Organization.objects.none(), empty_label="请选择"
    )
    legal_qualified = forms.BooleanField(label="通过国家统一法律职业资格考试", required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper()


class CertificateForm(forms.Form):
    """登记执法证."""

    number = forms.CharField(label="证件号", max_length=40)
    domains = forms.CharField(label="执法领域", max_length=500, help_text="多个领域用逗号或顿号（、）分隔")
    issuer = forms.CharField(
        label="发证机关", max_length=100, initial=Certificate._meta.get_field("issuer").default
    )
    valid_from = forms.DateField(label="有效期起", widget=DateInput)
    valid_to = forms.DateField(label="有效期止", widget=DateInput)

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()

    def clean_domains(self) -> list[str]:
        domains = split_domains(self.cleaned_data["domains"])
        if not domains:
            raise ValidationError("请至少填写一个执法领域", code="required")
        return domains

    def clean(self):
        data = super().clean()
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        if valid_from and valid_to and valid_to <= valid_from:
            self.add_error("valid_to", ValidationError("有效期止必须晚于有效期起", code="dates_reversed"))
        return data


class PostingForm(forms.Form):
    """下沉: post a district officer to a township."""

    posted_to = forms.ModelChoiceField(
        label="下沉到乡镇（街道）",
        queryset=None,
        empty_label="请选择乡镇（街道）",
        error_messages={"invalid_choice": "只能下沉到乡镇（街道），请从列表中选择"},
    )
    posted_since = forms.DateField(
        label="下沉日期", required=False, widget=DateInput, help_text="不填则为今天"
    )

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posted_to"].queryset = townships


class CertificateStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="变更为", choices=[("suspended", "暂扣"), ("revoked", "注销"), ("active", "恢复有效")]
    )
    reason = forms.CharField(label="理由", max_length=300)


class EndCertificateForm(forms.Form):
    last_day = forms.DateField(label="有效至（含当日）", widget=DateInput)
    reason = forms.CharField(label="理由", max_length=300)


class CoverageForm(forms.Form):
    station = forms.ModelChoiceField(label="派驻站所", queryset=None, empty_label="请选择")
    since = forms.DateField(label="起始日期", widget=DateInput, required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        self.fields["station"].label_from_instance = lambda s: (
            f"{s.parent.name if s.parent_id else ''} {s.name}（{s.region.name}）"
        )
