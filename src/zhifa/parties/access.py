"""The parties' part of the access policy (``zhifa.core.access``): a township's bodies see the
parties of their township; district bodies see the district's parties."""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope

from .models import Party


@access.register_visibility(Party)
def _parties(actor, queryset):
    scope = Scope.for_user(actor)
    if scope.is_empty:
        return queryset.none()
    if scope.everything or not scope.township_region_id:
        return queryset
    return queryset.filter(township_id=scope.township_region_id)
