"""The indicators' part of the access policy. Every logged-in user reads the indicators of his
own data scope (the catalog ones are the district's); only the guidance office and the system
administrator import the provincial library and set a department's publication time limit."""

from zhifa.core import access
from zhifa.organizations.models import User

from .models import LibraryImport, ProvincialItem, PublicationLimit

R = User.Role


@access.register_visibility(ProvincialItem)
def _library(actor, queryset):
    return queryset  # the provincial library is public


@access.register_visibility(LibraryImport)
def _imports(actor, queryset):
    return queryset


@access.register_visibility(PublicationLimit)
def _limits(actor, queryset):
    return queryset


access.permission(
    "indicators.import_library",
    "导入省权力事项库",
    (R.GUIDANCE_OFFICE, access.ADMIN),
    basis="方案 三（一）1：对接省权力事项库（监管库）",
)
access.permission(
    "indicators.set_publication_limit",
    "设定部门处罚决定公开时限",
    (R.GUIDANCE_OFFICE, access.ADMIN),
    basis="国办发〔2018〕118号：行政处罚决定自作出之日起7个工作日内公开，部门另有规定的从其规定",
)
