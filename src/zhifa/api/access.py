"""Who issues and revokes API keys: administrators, for their own organisation."""

from zhifa.core import access
from zhifa.organizations.models import User

from .models import ApiKey

KEY_ADMINS = (User.Role.DEPARTMENT_ADMIN, access.ADMIN)


def _own_organization(actor, obj) -> bool:
    """The key's organisation is the actor's own (or below it); a superuser administers all."""
    if access.has_role(actor, access.ADMIN):
        return True
    org = getattr(obj, "organization", obj)
    own = getattr(actor, "organization", None)
    return org is None or (own is not None and org.path.startswith(own.path))


access.permission(
    "api.manage_keys",
    "签发或撤销接口密钥",
    KEY_ADMINS,
    _own_organization,
    refusal="只能为本单位签发或撤销接口密钥",
)


@access.register_visibility(ApiKey)
def _keys(actor, queryset):
    if access.has_role(actor, access.ADMIN):
        return queryset
    if not access.has_role(actor, *KEY_ADMINS) or getattr(actor, "organization", None) is None:
        return queryset.none()
    return queryset.filter(organization__path__startswith=actor.organization.path)
