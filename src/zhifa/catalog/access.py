"""The catalog's part of the access policy (``zhifa.core.access``): the catalog of enforcement
items is public (三项制度: 事前公开), so every signed-in actor may read it."""

from __future__ import annotations

from zhifa.core import access

from .models import EnforcementItem


@access.register_visibility(EnforcementItem)
def _items(actor, queryset):
    return queryset
