"""Catalog pages: browse and filter items, item detail, township lists with the choice of
optional items, claims report, indicators, revisions; and two public pages without login.

Views parse, call one selector or service, render. Services check the permissions; the
templates only hide forms a user may not use.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.selectors import audit_trail
from zhifa.core.web import service_view
from zhifa.organizations.models import Region

from . import rules, selectors, services
from .edit_views import claim_choices
from .forms import ItemFilterForm, RejectForm, ReviewForm
from .validation import Lookups, clean_row, format_basis

PAGE_SIZE = 50
AUDIT_EVENTS_SHOWN = 20


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return getattr(exc, "message", str(exc))


@service_view
def item_list(request):
    filters = ItemFilterForm(request.GET, selectors.township_regions())
    selector_filters = filters.selector_filters()
    items = selectors.items(**selector_filters)
    list_name = selector_filters["list_name"]
    list_label = selectors.LIST_LABELS.get(list_name, selectors.LIST_LABELS["master"])
    if wants_xlsx(request):
        return xlsx_response(
            list_label,
            list_label,
            ["事项编码", "事项名称", "类别", "领域", "实施主体", "认领单位"],
            (
                [
                    item.code,
                    item.name,
                    item.get_kind_display(),
                    item.domain.name,
                    item.get_enforcing_body_display(),
                    "、".join(claim.organization.name for claim in item.claims.all()) or "未认领",
                ]
                for item in items.iterator(chunk_size=500)
            ),
        )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    user = request.user
    return render(
        request,
        "catalog/item_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "list_label": list_label,
            "lists": selectors.LIST_LABELS,
            "may_propose": access.can(user, "catalog.propose"),
            "may_claim": access.can(user, "catalog.claim"),
            "may_manage": access.can(user, "catalog.manage"),
            "unpublished": services.unpublished_count() if access.can(user, "catalog.manage") else 0,
            "pending_revisions": selectors.revisions(rules.DRAFT).count()
            if access.can(user, "catalog.review")
            else 0,
        },
    )


@service_view
def item_detail(request, code: str):
    item = selectors.item_detail(code)
    claims = list(item.claims.all())
    history = list(item.history.all())
    events = audit_trail(
        [("catalog.EnforcementItem", [item.pk]), ("catalog.Claim", [c.pk for c in claims])],
        AUDIT_EVENTS_SHOWN,
    )
    user = request.user
    return render(
        request,
        "catalog/item_detail.html",
        {
            "item": item,
            "claims": [(c, access.can(user, "catalog.claim", c)) for c in claims],
            "history": history,
            "events": events,
            "revision_changes": selectors.item_revisions(code),
            "needs_district_claim": rules.needs_district_claim(item.enforcing_body, item.township_library),
            "claim_choices": claim_choices(user, item) if item.status == rules.IN_FORCE else [],
            "may_propose": access.can(user, "catalog.propose") and item.status == rules.IN_FORCE,
            "transfers": list(item.transfers.select_related("from_organization", "to_organization")),
        },
    )


def _default_township(user) -> Region | None:
    org = getattr(user, "organization", None)
    if org is not None and org.region.is_township:
        return org.region
    return selectors.township_regions().first()


def _may_choose_for(user, region: Region) -> bool:
    return access.can(user, "catalog.choose", region)


@service_view
def township_list(request, region_id: int | None = None):
    region = (
        get_object_or_404(selectors.township_regions(), pk=region_id)
        if region_id
        else _default_township(request.user)
    )
    if region is None:
        return render(request, "catalog/township_list.html", {"region": None, "townships": []})
    may_choose = _may_choose_for(request.user, region)
    return render(
        request,
        "catalog/township_list.html",
        {
            "region": region,
            "townships": selectors.township_indicators(),
            "items": selectors.township_list(region).order_by(
                "township_library", "domain__sort_order", "code"
            ),
            "optional": selectors.optional_items_for(region) if may_choose else None,
            "may_choose": may_choose,
        },
    )


@service_view
@require_POST
def township_choose(request, region_id: int):
    region = get_object_or_404(selectors.township_regions(), pk=region_id)
    try:
        item_id = int(request.POST.get("item", ""))
    except ValueError:
        messages.error(request, "请选择事项")
        return redirect("catalog:township_list", region_id=region.pk)
    try:
        if request.POST.get("action") == "remove":
            services.unchoose_optional_item(request.user, item_id, region)
            messages.success(request, "已退回该自选事项，本乡镇（街道）的认领一并撤销")
        else:
            services.choose_optional_item(request.user, item_id, region)
            messages.success(request, "已选择该自选事项，并由本乡镇（街道）综合执法队认领")
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, _error_text(exc))
    return redirect("catalog:township_list", region_id=region.pk)


@service_view
def claims_report(request):
    return render(request, "catalog/claims_report.html", {"report": selectors.claim_report()})


@service_view
def indicators(request):
    ind = selectors.indicators()
    rates = [
        ("事项要素完整率", "有实施依据且有监管主体的事项占比", ind.coverage),
        ("认领率", "在所需各层级均已认领的事项占比", ind.claim_rate),
        ("公示率", "已在门户公示的事项占比", ind.publication_rate),
        ("综合执法事项占比", "行政处罚事项中由综合执法部门或乡镇（街道）实施的占比", ind.comprehensive_share),
        ("三高事项占比", "综合执法的行政处罚事项中高频、高需或高综合事项的占比", ind.high_three_share),
    ]
    return render(
        request,
        "catalog/indicators.html",
        {
            "ind": ind,
            "rates": rates,
            "domains": selectors.domain_indicators(),
            "townships": selectors.township_indicators(),
        },
    )


@service_view
def revision_list(request):
    return render(request, "catalog/revision_list.html", {"revisions": selectors.revisions()})


@service_view
def revision_detail(request, revision_id: int):
    revision = selectors.revision_detail(revision_id)
    user = request.user
    changes = list(revision.changes.all())
    current = services.items_by_code(c.item_code for c in changes)
    rows = [(change, revision_diff(change, current.get(change.item_code))) for change in changes]
    may_review = (
        revision.state == rules.DRAFT
        and access.can(user, "catalog.review")
        and revision.proposed_by_id != user.pk
    )
    return render(
        request,
        "catalog/revision_detail.html",
        {
            "revision": revision,
            "rows": rows,
            "may_review": may_review,
            "review_form": ReviewForm(initial={"effective_on": revision.effective_on}),
            "reject_form": RejectForm(),
            "events": audit_trail([("catalog.CatalogRevision", [revision.pk])], AUDIT_EVENTS_SHOWN),
        },
    )


DIFF_LABELS = {
    "name": "事项名称",
    "kind": "事项类别",
    "domain": "执法领域",
    "legal_bases": "实施依据",
    "penalty_types": "处罚种类",
    "fine_min": "罚款下限",
    "fine_max": "罚款上限",
    "fine_note": "幅度说明",
    "regulator": "监管主体",
    "enforcing_body": "实施主体类别",
    "township_library": "乡镇事项库",
    "high_frequency": "高频",
    "high_demand": "高需",
    "high_comprehensiveness": "高综合",
    "key_supervision": "重点监管",
    "keywords": "关键词",
    "checklist": "检查要点",
}


def revision_diff(change, item) -> list[tuple[str, str, str]]:
    """(field label, now, after) for each field a change alters; the whole content for a new item."""
    if change.action == rules.RETIRE:
        return []
    before = services.item_content(item) if item is not None else {}
    after = Lookups.load(strict_regulator=False)
    clean, _ = clean_row({**change.content, "code": change.item_code}, None, after)
    new = clean.content if clean is not None else change.content
    return [
        (label, _show(before.get(key)), _show(new.get(key)))
        for key, label in DIFF_LABELS.items()
        if before.get(key) != new.get(key)
    ]


def _show(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(
            format_basis(v)
            if isinstance(v, dict) and "law" in v
            else (v.get("text", "") if isinstance(v, dict) else str(v))
            for v in value
        )
    return str(value)


# ---- public pages (no login) ----


@cache_control(public=True, max_age=300)
def public_list(request, list_name: str):
    """A published list, 50 items a page with a keyword search, or the whole list as .xlsx."""
    title, _, intro = selectors.PUBLIC_LISTS[list_name]
    search = request.GET.get("q", "").strip()[:100]
    items = selectors.public_list(list_name, search=search)
    if wants_xlsx(request):
        return xlsx_response(
            title,
            title,
            [
                "事项编码",
                "事项名称",
                "类别",
                "执法领域",
                "实施依据",
                "处罚种类",
                "罚款幅度",
                "实施主体",
                "监管主体",
            ],
            (_public_row(item) for item in items),
        )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/public_list.html",
        {
            "title": title,
            "intro": intro,
            "page": page,
            "search": search,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "list_name": list_name,
            "lists": [(name, label) for name, (label, _, _) in selectors.PUBLIC_LISTS.items()],
        },
    )


def _public_row(item) -> list:
    fine = ""
    if item.fine_min is not None or item.fine_max is not None:
        fine = f"{item.fine_min if item.fine_min is not None else ''}–{item.fine_max if item.fine_max is not None else ''} 元"
    return [
        item.code,
        item.name,
        item.get_kind_display(),
        item.domain.name,
        "；".join(f"《{b.law}》{b.article}{b.clause}" for b in item.legal_bases.all()),
        "、".join(item.penalty_type_labels),
        " ".join(x for x in (fine, item.fine_note) if x),
        "、".join(claim.organization.name for claim in item.district_claims)
        or item.get_enforcing_body_display(),
        item.regulator.name if item.regulator else "",
    ]
