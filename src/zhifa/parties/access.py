"""The parties' part of the access policy (``zhifa.core.access``).

* Parties are district-wide master data: township users see and keep the parties of their
  township, district bodies all of them; legal reviewers and supervisors only read.
* The credit rules (企业四色管理: facts, weights, the thresholds of the four colours, the 无感监管 rule)
  are set by the command centre, the 执法指导办 or the administrator, versioned and audited; the
  same roles record credit facts and recolour by hand (国发〔2019〕5号).
"""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.models import User

from .models import Party, RiskConfig
from .selectors import visible_parties

R = User.Role

EDITORS = (
    R.COMMAND_CENTER,
    R.GUIDANCE_OFFICE,
    R.DEPARTMENT_ADMIN,
    R.TOWNSHIP_LEADER,
    R.OFFICER,
    access.ADMIN,
)
CREDIT_MANAGERS = (R.COMMAND_CENTER, R.GUIDANCE_OFFICE, access.ADMIN)


@access.predicate
def in_township(actor, party) -> bool:
    """Township users keep the parties of their own township; district bodies keep all."""
    scope = Scope.for_user(actor)
    if scope.is_empty:
        return False
    township = getattr(party, "township", None) if party is not None else None
    return township is None or not scope.township_region_id or township.pk == scope.township_region_id


@access.register_visibility(Party)
def _parties(actor, queryset):
    return queryset.filter(pk__in=visible_parties(Scope.for_user(actor)).values("pk"))


@access.register_visibility(RiskConfig)
def _configs(actor, queryset):
    return queryset  # the credit rules are published


access.permission(
    "parties.edit", "维护监管对象信息", EDITORS, in_township, refusal="只能维护本乡镇（街道）的监管对象"
)
access.permission(
    "parties.manage_credit",
    "设置信用风险评定规则、登记信用记录",
    CREDIT_MANAGERS,
    basis="国发〔2019〕5号（信用风险分类监管）",
)
