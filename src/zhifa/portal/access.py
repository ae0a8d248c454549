"""The portal's part of the access policy (``zhifa.core.access``): who publishes decided penalty
cases and withdraws them (行政处罚法第四十八条) — the legal reviewers and department
administrators of the deciding body's scope."""

from __future__ import annotations

from zhifa.core import access

from .rules import PUBLISHER_ROLES

PUBLISH = "portal.publish"

access.permission(
    PUBLISH,
    "公开或撤回行政处罚决定",
    (*sorted(PUBLISHER_ROLES), access.ADMIN),
    refusal="只有法制审核人员或部门管理员可以公开或撤回行政处罚决定",
    basis="行政处罚法第四十八条",
)
