"""The catalog's part of the access policy (``zhifa.core.access``): who keeps the catalog of
enforcement items, who proposes and who reviews its revisions, who claims items and who chooses a
township's optional items.

* The 执法指导办 keeps the district's catalog (统筹协调, plan 三.(六)3) and reviews and publishes every
  revision (动态调整, plan 三.(一)3); a department's administrator proposes the revisions of his field,
  by form or by Excel file; nobody reviews his own proposal.
* Bodies claim the items they answer for (认领, plan 三.(一)3: 事项认领率100%); a township's leaders
  choose its optional items (行政处罚法第二十四条: powers go to the townships that can take them on).
* The catalog is the district's published list of powers (国办发〔2018〕118号): every logged-in user
  reads all of it. Excel imports are seen by the uploading body and the guidance office.
"""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.access import in_scope
from zhifa.organizations.models import Region, User

from .models import (
    CatalogImport,
    CatalogRevision,
    ChecklistEntry,
    Claim,
    Domain,
    EnforcementItem,
    ItemHistory,
    ItemTransfer,
    LegalBasis,
    RevisionChange,
    TownshipItemChoice,
)

R = User.Role

MANAGERS = (R.GUIDANCE_OFFICE, access.ADMIN)
PROPOSERS = (R.GUIDANCE_OFFICE, R.DEPARTMENT_ADMIN, access.ADMIN)
REVIEWERS = (R.GUIDANCE_OFFICE,)
CLAIMANTS = (R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER, R.GUIDANCE_OFFICE, access.ADMIN)
CHOOSERS = (R.TOWNSHIP_LEADER, access.ADMIN)


@access.predicate
def own_township(actor, region) -> bool:
    """A township leader chooses for his own township only; the administrator for any."""
    if access.has_role(actor, access.ADMIN):
        return True
    org = getattr(actor, "organization", None)
    if org is None or not org.region.is_township:
        return False
    return region is None or (isinstance(region, Region) and region.pk == org.region_id)


def _everyone(actor, queryset):
    return queryset  # the catalog is published (三项制度): every logged-in user reads all of it


for model in (
    Domain,
    EnforcementItem,
    LegalBasis,
    ChecklistEntry,
    Claim,
    TownshipItemChoice,
    CatalogRevision,
    RevisionChange,
    ItemHistory,
    ItemTransfer,
):
    access.register_visibility(model)(_everyone)


@access.register_visibility(CatalogImport)
def _imports(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "organization")


access.permission(
    "catalog.manage", "维护执法事项清单（直接新增、导入、公示）", MANAGERS, basis="国办发〔2018〕118号"
)
access.permission("catalog.propose", "提出执法事项清单调整", PROPOSERS, basis="行政处罚法第三十八条")
access.permission("catalog.review", "审核发布执法事项清单调整", REVIEWERS, basis="国办发〔2018〕118号")
access.permission("catalog.claim", "认领执法事项", CLAIMANTS, in_scope, refusal="只能为本机构认领或撤回认领")
access.permission(
    "catalog.choose",
    "选择乡镇自选事项",
    CHOOSERS,
    own_township,
    refusal="只能为本乡镇（街道）选择自选事项",
    basis="行政处罚法第二十四条",
)
