"""Discretion pages: baselines (list, detail with the levels table, approval, Excel import and
export), the flexible lists, the recommendation form; and the public lists without login.

Views parse, call one selector or service, render. Services check the permissions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.selectors import audit_trail
from zhifa.core.web import service_view

from . import excel, rules, selectors, services
from .forms import BaselineFilterForm, EntryFilterForm, ImportForm, RecommendForm
from .models import DRAFT

PAGE_SIZE = 50


@service_view
def baseline_list(request):
    filters = BaselineFilterForm(request.GET)
    baselines = selectors.baselines(**filters.selector_filters())
    if wants_xlsx(request):
        return xlsx_response(
            "裁量基准",
            "行政裁量权基准",
            ["事项编码", "事项名称", "版本", "状态", "施行日期", "废止日期", "法定幅度", "情节档次"],
            (
                [
                    b.item.code,
                    b.item.name,
                    b.version,
                    b.get_status_display(),
                    b.effective_from,
                    b.effective_to,
                    str(b.statutory),
                    b.level_count,
                ]
                for b in baselines.iterator(chunk_size=500)
            ),
        )
    page = Paginator(baselines, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "discretion/baseline_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "indicator": selectors.indicator(),
            "missing": selectors.high_frequency_without_baseline()[:20],
            "may_import": access.can(request.user, "discretion.draft"),
        },
    )


@service_view
def baseline_detail(request, baseline_id: int):
    baseline = selectors.baseline_detail(baseline_id)
    return render(
        request,
        "discretion/baseline_detail.html",
        {
            "baseline": baseline,
            "levels": list(baseline.levels.all()),
            "versions": selectors.item_versions(baseline.item_id),
            "entries": selectors.flexible_entries(on_date=timezone.localdate()).filter(
                item_id=baseline.item_id
            ),
            "may_approve": baseline.status == DRAFT and access.can(request.user, "discretion.approve"),
            "may_draft": access.can(request.user, "discretion.draft", baseline.item),
            "events": audit_trail([("discretion.DiscretionBaseline", [baseline.pk])], 20),
        },
    )


@service_view
@require_POST
def baseline_approve(request, baseline_id: int):
    try:
        baseline = services.approve_baseline(request.user, baseline_id)
    except PermissionDenied:
        raise
    except (DomainError, ValidationError) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else exc.message)
    else:
        messages.success(
            request, f"已批准第{baseline.version}版，自 {baseline.effective_from:%Y-%m-%d} 施行并公布"
        )
    return redirect("discretion:baseline_detail", baseline_id=baseline_id)


@service_view
def baseline_import(request):
    access.require(request.user, "discretion.draft")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = excel.import_baselines(
            request.user, form.cleaned_data["file"].read(), dry_run=form.cleaned_data["dry_run"]
        )
        if result.ok and not result.dry_run:
            messages.success(request, f"已导入 {len(result.created)} 个裁量基准草稿，批准后施行")
            return redirect("discretion:baseline_list")
    return render(
        request, "discretion/import.html", {"form": form, "result": result, "headers": excel.HEADERS}
    )


@service_view
def baseline_export(request):
    baselines = selectors.baselines(status=request.GET.get("status") or None).prefetch_related("levels")
    response = HttpResponse(
        excel.export_workbook(baselines),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E8%A3%81%E9%87%8F%E5%9F%BA%E5%87%86.xlsx"
    return response


@service_view
def entry_list(request):
    filters = EntryFilterForm(request.GET)
    entries = selectors.flexible_entries(**filters.selector_filters())
    if wants_xlsx(request):
        return xlsx_response(
            "柔性执法清单",
            "柔性执法清单",
            [
                "清单",
                "事项编码",
                "事项名称",
                "情形",
                "适用条件",
                "法律依据",
                "施行日期",
                "废止日期",
                "首违不罚",
            ],
            (
                [
                    e.get_kind_display(),
                    e.item.code,
                    e.item.name,
                    e.title,
                    e.conditions_text,
                    e.legal_basis,
                    e.effective_from,
                    e.effective_to,
                    "是" if e.first_offence_waiver else "",
                ]
                for e in entries.iterator(chunk_size=500)
            ),
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "discretion/entry_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "kinds": rules.ENTRY_LABELS,
            "may_draft": access.can(request.user, "discretion.draft"),
            "drafts": selectors.draft_entries().count(),
        },
    )


@service_view
def recommend(request):
    today = timezone.localdate()
    form = RecommendForm(
        request.GET if "item" in request.GET else None, items=selectors.items_with_baseline(today)
    )
    recommendation = deviation = baseline = None
    if form.is_bound and form.is_valid():
        on_date = form.cleaned_data["on_date"] or today
        try:
            recommendation = services.recommend_for(form.cleaned_data["item"], form.facts(), on_date)
            baseline = selectors.baseline_in_force(form.cleaned_data["item"], on_date)
        except DomainError as exc:
            form.add_error("on_date" if exc.code == "no_baseline" else None, exc.message)
        else:
            if form.cleaned_data["decided_amount"] is not None:
                deviation = rules.deviation_check(
                    recommendation, form.cleaned_data["decided_amount"], form.cleaned_data["deviation_reason"]
                )
    return render(
        request,
        "discretion/recommend.html",
        {
            "form": form,
            "rec": recommendation,
            "deviation": deviation,
            "baseline": baseline,
            "entry_label": rules.ENTRY_LABELS.get(recommendation.applicable_entry)
            if recommendation and recommendation.applicable_entry
            else None,
        },
    )


# ---- public pages (no login) ----

PUBLIC_INTRO = {
    rules.NO_PENALTY: "违法行为轻微并及时改正、没有造成危害后果的，不予行政处罚；初次违法且危害后果轻微并及时改正的，可以不予行政处罚（行政处罚法第三十三条第一款）。",
    rules.FIRST_OFFENCE_WAIVER: "初次违法且危害后果轻微并及时改正的，可以不予行政处罚（行政处罚法第三十三条第一款）。不予处罚的，仍应对当事人进行教育。",
    rules.MITIGATED: "符合下列情形的，依法减轻行政处罚（行政处罚法第三十二条）。",
    rules.LIGHTER: "符合下列情形的，依法从轻行政处罚（行政处罚法第三十二条）。",
    rules.NO_COMPULSION: "符合下列情形的，可以不采取行政强制措施（行政强制法第十六条第二款）。",
    rules.NOTICE_AND_PLEDGE: "当事人书面承诺在期限内改正的，依照告知承诺制办理。",
}


@cache_control(public=True, max_age=300)
def public_list(request, kind: str):
    if kind not in rules.ENTRY_LABELS:
        raise Http404("没有这个清单")
    today = timezone.localdate()
    return render(
        request,
        "discretion/public_list.html",
        {
            "title": rules.ENTRY_LABELS[kind],
            "intro": PUBLIC_INTRO[kind],
            "entries": selectors.public_entries(kind, today),
            "today": today,
            "kind": kind,
            "kinds": rules.ENTRY_LABELS,
        },
    )
