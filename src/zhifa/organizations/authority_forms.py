"""Forms of the pages where authority is given: roles granted to users, approvals delegated by a
head. They parse input only; the services decide (``services.grant_role``, ``services.delegate``)."""

from __future__ import annotations

from django import forms

from .forms import DateInput, OrganizationChoiceField
from .models import Organization, User


class UserFilterForm(forms.Form):
    """GET filters of the user list; invalid values are ignored, never an error page."""

    q = forms.CharField(label="用户名 / 姓名", max_length=50, required=False)
    organization_id = OrganizationChoiceField(
        label="机构", queryset=Organization.objects.none(), required=False, empty_label="全部机构"
    )
    role = forms.ChoiceField(label="角色", choices=[("", "全部角色"), *User.Role.choices], required=False)

    def __init__(self, data, organizations):
        super().__init__(data)
        self.fields["organization_id"].queryset = organizations

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "organization": data.get("organization_id"),
            "role": data.get("role") or "",
        }


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(label="授予角色", choices=[("", "请选择"), *User.Role.choices])
    confirm = forms.BooleanField(
        label="确认授予（将记入审计日志，并在对方下次打开页面时生效）",
        error_messages={"required": "请勾选“确认授予”"},
    )

    def __init__(self, *args, held: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            ("", "请选择"),
            *((v, label) for v, label in User.Role.choices if v not in held),
        ]
        self.fields["role"].error_messages["required"] = "请选择授予角色"


class DelegationForm(forms.Form):
    organization_id = forms.ModelChoiceField(
        label="机关", queryset=Organization.objects.none(), empty_label=None
    )
    deputy_id = forms.ModelChoiceField(
        label="受委托的负责人", queryset=User.objects.none(), empty_label="请选择"
    )
    permissions = forms.MultipleChoiceField(
        label="委托的审批事项", choices=(), widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label="起始日期", widget=DateInput())
    valid_to = forms.DateField(
        label="截止日期", widget=DateInput(), required=False, help_text="不填为长期有效，直至撤销"
    )

    def __init__(self, *args, bodies, deputies, permissions: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization_id"].queryset = Organization.objects.filter(pk__in=[b.pk for b in bodies])
        self.fields["deputy_id"].queryset = deputies
        self.fields["deputy_id"].label_from_instance = lambda u: f"{u}（{u.username}，{u.organization}）"
        self.fields["permissions"].choices = list(permissions.items())
        self.fields["deputy_id"].error_messages["required"] = "请选择受委托的负责人"
        self.fields["deputy_id"].error_messages["invalid_choice"] = "受委托的负责人须为本机关的在职用户"
        self.fields["permissions"].error_messages["required"] = "请至少选择一项委托的审批事项"
        self.fields["valid_from"].error_messages["required"] = "请填写起始日期"
        self.fields["valid_from"].error_messages["invalid"] = "起始日期须为日期（年-月-日）"
        self.fields["valid_to"].error_messages["invalid"] = "截止日期须为日期（年-月-日）"
        if len(bodies) == 1:
            self.fields["organization_id"].widget = forms.HiddenInput()
            self.fields["organization_id"].initial = bodies[0].pk

    def command_data(self) -> dict:
        data = self.cleaned_data
        return {
            "organization_id": data["organization_id"].pk,
            "deputy_id": data["deputy_id"].pk,
            "permissions": data["permissions"],
            "valid_from": data["valid_from"],
            "valid_to": data.get("valid_to"),
        }


class AccountForm(forms.Form):
    """开设账号: the fields of ``commands.AccountIn``; the service decides (scope, roles, roster)."""

    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录用，3 位以上字母、数字或 _ . @ + -，开设后不能修改"
    )
    organization_id = OrganizationChoiceField(
        label="所属机构", queryset=Organization.objects.none(), empty_label="请选择"
    )
    role = forms.ChoiceField(label="主要角色", choices=())
    officer_employee_no = forms.CharField(
        label="对应执法人员工号",
        max_length=30,
        required=False,
        help_text="执法人员账号必填：名册中本机构在职人员的工号，姓名随之带出",
    )
    display_name = forms.CharField(label="姓名", max_length=50, required=False)
    legal_qualification_number = forms.CharField(
        label="法律职业资格证书编号",
        max_length=40,
        required=False,
        help_text="法制审核人员填写（《行政处罚法》第五十八条第二款）",
    )

    def __init__(self, *args, organizations, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization_id"].queryset = organizations
        self.fields["role"].choices = [("", "请选择"), *roles]
        self.fields["username"].error_messages["required"] = "请填写用户名"
        self.fields["organization_id"].error_messages["required"] = "请选择所属机构"
        self.fields["organization_id"].error_messages["invalid_choice"] = "所属机构须为本机构或下属机构"
        self.fields["role"].error_messages["required"] = "请选择主要角色"

    def command_data(self) -> dict:
        data = self.cleaned_data
        return {**data, "organization_id": data["organization_id"].pk}


class MainRoleForm(forms.Form):
    role = forms.ChoiceField(label="新的主要角色")
    reason = forms.CharField(label="更改理由", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, current: str = "", **kwargs):
        kwargs.setdefault("auto_id", "main_%s")  # the grant form on the same page has a "role" too
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            ("", "请选择"),
            *((v, label) for v, label in User.Role.choices if v != current),
        ]


class AccountStatusForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
