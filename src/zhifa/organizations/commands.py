"""The typed inputs of the roster's acts of authority (DESIGN.md, "Inputs"): the same command for
the page, the API and imports; unknown fields are refused naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from zhifa.core.commands import Command

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
PermissionName = Annotated[str, Field(min_length=1, max_length=100)]


class DelegateIn(Command):
    """审批委托: the head of a body names a deputy (分管负责人) and the approvals he may give for the
    body in a period (《行政处罚法》第五十七条). ``organization_id`` defaults to the head's own body."""

    deputy_id: Id = Field(title="受委托的负责人")
    permissions: Annotated[list[PermissionName], Field(min_length=1, max_length=30)] = Field(
        title="委托的审批事项"
    )
    valid_from: dt.date = Field(title="起始日期")
    valid_to: dt.date | None = Field(default=None, title="截止日期")
    organization_id: Id | None = Field(default=None, title="机关")


class RoleGrantIn(Command):
    """A role granted beside the main role, or taken back."""

    role: Annotated[str, Field(min_length=1, max_length=30)] = Field(title="角色")


class MainRoleIn(Command):
    """A new main role (主要角色) for a person whose job changed, with the reason."""

    role: Annotated[str, Field(min_length=1, max_length=30)] = Field(title="主要角色")
    reason: Annotated[str, Field(max_length=200)] = Field(default="", title="理由")


class AccountIn(Command):
    """A login account for a person of the actor's scope. An officer's account names his roster
    entry by 工号 (``officer_employee_no``) in the same organisation; the name defaults to his."""

    username: Annotated[str, Field(min_length=3, max_length=150, pattern=r"^[A-Za-z0-9_.@+-]+$")] = Field(
        title="用户名"
    )
    organization_id: Id = Field(title="所属机构")
    role: Annotated[str, Field(min_length=1, max_length=30)] = Field(title="主要角色")
    display_name: Annotated[str, Field(max_length=50)] = Field(default="", title="姓名")
    officer_employee_no: Annotated[str, Field(max_length=30)] = Field(default="", title="对应执法人员工号")
    legal_qualification_number: Annotated[str, Field(max_length=40)] = Field(
        default="", title="法律职业资格证书编号"
    )


class AccountStatusIn(Command):
    """停用 or 启用 an account, with the reason (recorded in the audit log)."""

    active: bool = Field(title="启用")
    reason: Annotated[str, Field(max_length=200)] = Field(default="", title="理由")
