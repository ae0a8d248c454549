"""The discretion app's part of the access policy (``zhifa.core.access``).

国办发〔2022〕27号: a department sets the discretion baselines of its own field, the government's legal
office reviews them, and they are published (行政处罚法第三十四条). Here: a department's administrator
drafts the baselines and list entries of the items his body claimed; the 执法指导办 drafts for any
item and reviews and publishes them. Baselines and lists are published rules: every logged-in user
reads them; the public reads the published ones.
"""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.models import User

from .models import CircumstanceLevel, DiscretionBaseline, FlexibleListEntry

R = User.Role

DRAFTERS = (R.GUIDANCE_OFFICE, R.DEPARTMENT_ADMIN, access.ADMIN)
REVIEWERS = (R.GUIDANCE_OFFICE,)


@access.predicate
def item_of_own_body(actor, item) -> bool:
    """The item's department drafts for it: a body in the actor's scope claimed or regulates it.
    An item nobody claimed or regulates yet has no department: any drafter may start its baseline."""
    if item is None or access.has_role(actor, R.GUIDANCE_OFFICE, access.ADMIN):
        return True
    scope = Scope.for_user(actor)
    if scope.everything:
        return True
    if scope.org_path is None:
        return False
    item = getattr(item, "item", item)  # a baseline or an entry: its item
    owners = [claim.organization.path for claim in item.claims.select_related("organization")]
    if item.regulator_id is not None:
        owners.append(item.regulator.path)
    return not owners or any(path.startswith(scope.org_path) for path in owners)


def _everyone(actor, queryset):
    return queryset


for model in (DiscretionBaseline, CircumstanceLevel, FlexibleListEntry):
    access.register_visibility(model)(_everyone)

access.permission(
    "discretion.draft",
    "制定裁量基准和包容审慎监管清单",
    DRAFTERS,
    item_of_own_body,
    refusal="只能为本部门认领或监管的事项制定裁量基准和清单",
    basis="国办发〔2022〕27号",
)
access.permission("discretion.approve", "审核并公布裁量基准和清单", REVIEWERS, basis="行政处罚法第三十四条")
