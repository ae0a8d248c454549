"""Template helpers shared by every page: the list machinery (page numbers, page size, sorting by
column), the labels of audit actions, and the filter card's fold."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django import template
from django.apps import apps
from django.core.paginator import Page
from django.db import models
from django.db.models import QuerySet
from django.utils.html import json_script

register = template.Library()

#: The page sizes a user may choose; the view's own size is always allowed too.
PER_PAGE_CHOICES = (20, 50, 100, 200)
#: Field types a list may be sorted by (text blobs, JSON and files are not).
_UNSORTABLE = (models.TextField, models.JSONField, models.FileField, models.BinaryField)


@register.filter
def has_more_filters(form) -> bool:
    """Whether any filter other than the search box is set, so the folded filters open."""
    data = getattr(form, "cleaned_data", None) or {}
    return any(value for name, value in data.items() if name != "q")


# --------------------------------------------------------------------------------------------
# Lists: page numbers, page size, sort by column
# --------------------------------------------------------------------------------------------


@dataclass
class Listing:
    """What the shared pagination bar needs, computed once per list page by ``{% listing %}``."""

    page: Page
    per_page: int
    default_per_page: int
    sort: str = ""
    sortable: dict[str, str] = field(default_factory=dict)  # column label -> field name

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def per_page_choices(self) -> list[int]:
        return sorted({*PER_PAGE_CHOICES, self.default_per_page})

    @property
    def page_range(self) -> list:
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1))

    @property
    def ellipsis(self) -> str:
        return self.page.paginator.ELLIPSIS


def sortable_fields(queryset: QuerySet) -> dict[str, str]:
    """``{verbose name: field name}`` of the model's columns a list can be ordered by."""
    return _sortable(queryset.model)


@cache
def _sortable(model) -> dict[str, str]:
    out = {}
    for f in model._meta.concrete_fields:
        label = str(f.verbose_name)
        if isinstance(f, _UNSORTABLE) or f.name == "id" or label.isascii():  # no Chinese label: no column
            continue
        out.setdefault(label, f.name)
    return out


def _per_page(request, default: int) -> int:
    raw = request.GET.get("per_page", "")
    value = int(raw) if raw.isdigit() else default
    return value if value in {*PER_PAGE_CHOICES, default} else default


@register.simple_tag(takes_context=True)
def listing(context) -> str:
    """Apply the request's ``per_page`` and ``sort`` to the page a list view put in the context,
    and leave ``listing`` for the pagination bar. Used once, in base.html, before the content:
    every list page gets page sizes and column sorting without a change to its view. With
    neither parameter the view's page is left untouched (no extra query)."""
    page, request = context.get("page"), context.get("request")
    if not isinstance(page, Page) or request is None:
        return ""
    paginator = page.paginator
    default = paginator.per_page
    per_page = _per_page(request, default)
    objects = paginator.object_list
    sortable = {}
    if isinstance(objects, QuerySet) and not objects.query.combinator and not objects.query.distinct_fields:
        sortable = sortable_fields(objects)
    sort = request.GET.get("sort", "")
    ordering = None
    if sort.lstrip("-") in sortable.values():
        ordering = (sort, "-pk" if sort.startswith("-") else "pk")
    else:
        sort = ""
    if per_page != default or ordering:
        repaged = type(paginator)(
            objects.order_by(*ordering) if ordering else objects,
            per_page,
            orphans=paginator.orphans,
            allow_empty_first_page=paginator.allow_empty_first_page,
        )
        repaged.__dict__["count"] = paginator.count  # the count does not change with order or page size
        page = repaged.get_page(request.GET.get("page"))
        context.dicts[-1]["page"] = page
    context.dicts[-1]["listing"] = Listing(page, per_page, default, sort, sortable)
    return ""


@register.simple_tag(takes_context=True)
def listing_sorts(context) -> str:
    """The sortable columns of the list as JSON, for site.js to turn the table's headers into links."""
    current = context.get("listing")
    if not current or not current.sortable:
        return ""
    return json_script({"columns": current.sortable, "sort": current.sort}, "zhifa-sortable")


@register.simple_tag(takes_context=True)
def query_pairs(context, only: str = "", skip: str = "") -> list[tuple[str, str]]:
    """The request's GET parameters as (name, value) pairs — ``only`` those named, or all but
    ``skip`` (comma-separated) — for the hidden inputs of a GET form that changes the others, so a
    new filter keeps the sort and the page size, and a new page size keeps the filters."""
    request = context.get("request")
    if request is None:
        return []
    keep, drop = {n for n in only.split(",") if n}, {n for n in skip.split(",") if n}
    return [
        (k, v) for k in request.GET for v in request.GET.getlist(k) if (k in keep if keep else k not in drop)
    ]


# --------------------------------------------------------------------------------------------
# Labels instead of codes
# --------------------------------------------------------------------------------------------


@register.filter
def lookup(mapping, key):
    """``mapping[key]`` in a template (a rule by its code, a label by its value); None if absent."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@cache
def audit_labels() -> dict[str, str]:
    """``{action code: label}`` from every app's ``AppConfig.audit_labels`` (a dict, or a method
    returning one when the labels come from the app's rules)."""
    labels: dict[str, str] = {}
    for config in apps.get_app_configs():
        declared = getattr(config, "audit_labels", {})
        labels.update(declared() if callable(declared) else declared)
    return labels


_VERBS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "approve": "审批",
    "publish": "公示",
    "withdraw": "撤回",
    "send": "发送",
    "receive": "接收",
    "assign": "交办",
    "close": "关闭",
    "import": "导入",
    "load": "载入",
}


@register.filter
def audit_action(code: str) -> str:
    """The Chinese label of an audit action (``claim.create`` → 认领事项); an unknown action
    shows its verb in Chinese rather than the code."""
    code = str(code or "")
    if code in audit_labels():
        return audit_labels()[code]
    verb = code.rsplit(".", 1)[-1]
    return _VERBS.get(verb, "操作记录")


@register.filter
def audit_actor(name: str) -> str:
    """Who acted: the system's own sweeps and loads are 系统, an integration names its key."""
    name = str(name or "")
    if name in ("", "system", "None"):
        return "系统"
    if name.startswith("apikey:"):
        return f"接口：{name[7:]}"
    return name


@register.simple_tag
def form_problems(form) -> dict:
    """For a refused bound form: ``fields`` — (id, Chinese label, message) of each field error;
    ``files`` — names of chosen files the browser will not send again."""
    if not getattr(form, "is_bound", False) or not form.errors:
        return {"fields": [], "files": []}
    fields, files = [], []
    for bound in form:
        fields += [(bound.id_for_label, bound.label, error) for error in bound.errors]
        if getattr(bound.field.widget, "input_type", "") == "file":
            upload = bound.value()
            if upload and hasattr(upload, "name"):
                files.append(upload.name)
    return {"fields": fields, "files": files}
