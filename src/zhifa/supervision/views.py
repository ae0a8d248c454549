"""Supervision pages: alerts with their loop, notices, case file review and appraisal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.selectors import audit_trail
from zhifa.core.web import service_view
from zhifa.organizations.models import Organization

from . import rules, selectors, services
from .forms import (
    FOUR_DIMENSIONS,
    AlertFilterForm,
    ComputeForm,
    DimensionFormSet,
    DrawForm,
    NoticeForm,
    SchemeForm,
    scheme_data,
)
from .models import Alert, Notice, Review, ScoreSheet
from .rules_registry import RULES

PAGE_SIZE = 50


def _error_text(exc) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    return "；".join(exc.messages)


def _page(request, qs):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


# ---- alerts ----


@service_view
def alerts(request):
    scope = Scope.for_user(request.user)
    organizations = Organization.objects.filter(
        is_active=True, pk__in=selectors.visible_alerts(scope).order_by().values("organization_id")
    ).order_by("path")
    filters = AlertFilterForm(request.GET, organizations)
    qs = selectors.alert_list(scope, **filters.selector_filters())
    q = (getattr(filters, "cleaned_data", {}) or {}).get("q")
    if q:
        qs = qs.filter(Q(message__icontains=q))
    if wants_xlsx(request):
        return xlsx_response(
            "监督预警",
            "监督预警",
            [
                "编号",
                "规则",
                "等级",
                "责任单位",
                "预警内容",
                "状态",
                "预警时间",
                "最近发现",
                "条件消除",
                "关闭时间",
                "情况说明",
            ],
            (
                [
                    a.pk,
                    RULES[a.rule_code].name if a.rule_code in RULES else a.rule_code,
                    a.get_severity_display(),
                    a.organization.name if a.organization_id else "",
                    a.message,
                    a.get_state_display(),
                    a.raised_at,
                    a.last_seen_at,
                    a.cleared_at,
                    a.closed_at,
                    a.explanation,
                ]
                for a in qs.iterator(chunk_size=500)
            ),
        )
    page, query = _page(request, qs)
    counts = {}
    for row in selectors.alert_counts(selectors.visible_alerts(scope)):
        entry = counts.setdefault(row["rule_code"], {"open": 0, "closed": 0})
        entry["closed" if row["state"] == rules.CLOSED else "open"] += row["n"]
    rule_rows = [(r, counts.get(r.code, {"open": 0, "closed": 0})) for r in RULES.values()]
    return render(
        request,
        "supervision/alerts.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "rule_rows": rule_rows,
            "rules_by_code": RULES,
        },
    )


def _alert_actions(user, alert: Alert) -> list[tuple[str, str]]:
    out = []
    supervisor = services.is_supervisor(user)
    for action in ("assign", "explain", "correct", "return", "close"):
        if rules.next_state(alert.state, action) is None:
            continue
        if action in ("explain", "correct") and not services._may_respond(user, alert):
            continue
        if action in ("assign", "return", "close") and not supervisor:
            continue
        label = rules.ACTION_LABELS[action]
        if action == "close":
            step = rules.close_step(alert.severity, alert.close_requested_by_id, user.pk)
            if step == "same_person":
                continue  # his own request waits for another supervisor
            if rules.needs_second_supervisor(alert.severity):
                label = "确认关闭" if step == "close" else "申请关闭（须另一名监督人员确认）"
        out.append((action, label))
    return out


@service_view
def alert_detail(request, alert_id: int):
    alert = selectors.get_alert(Scope.for_user(request.user), alert_id)
    return render(
        request,
        "supervision/alert_detail.html",
        {
            "alert": alert,
            "rule": RULES.get(alert.rule_code),
            "actions": _alert_actions(request.user, alert),
            "subject": selectors.subject_link(alert),
            "trail": audit_trail([("supervision.Alert", [alert.pk])]),
            "notices": list(alert.notices.select_related("to_org")),
            "supervisors": selectors.supervisors(),
            "responsible": services.responsible_supervisor(alert),
            "may_send_notice": access.can(request.user, "supervision.send_notice"),
        },
    )


@service_view
@require_POST
def alert_action(request, alert_id: int, action: str):
    try:
        if action == "assign":
            services.assign(request.user, alert_id, int(request.POST.get("assignee") or 0) or None)
        elif action in ("explain", "correct"):
            services.explain(
                request.user, alert_id, request.POST.get("explanation", ""), corrected=action == "correct"
            )
        elif action == "return":
            services.send_back(request.user, alert_id, request.POST.get("reason", ""))
        elif action == "close":
            alert = services.close(request.user, alert_id, request.POST.get("reason", ""))
            if alert.state != rules.CLOSED:
                messages.success(request, "已申请关闭，待另一名监督人员确认")
                return redirect("supervision:alert_detail", alert_id)
        else:
            raise DomainError("unknown_action", "未知操作")
    except (DomainError, ValidationError) as exc:
        if getattr(exc, "status", 400) in (403, 404):
            raise
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"已{rules.ACTION_LABELS.get(action, action)}")
    return redirect("supervision:alert_detail", alert_id)


# ---- notices ----


@service_view
def notices(request):
    qs = selectors.notices(Scope.for_user(request.user))
    if wants_xlsx(request):
        return xlsx_response(
            "执法建议通报",
            "执法建议/通报",
            ["类型", "标题", "接收单位", "发送时间", "回复期限", "状态", "回复"],
            (
                [
                    n.get_kind_display(),
                    n.title,
                    n.to_org.name,
                    n.sent_at,
                    n.reply_due,
                    n.get_state_display(),
                    n.reply,
                ]
                for n in qs.iterator(chunk_size=500)
            ),
        )
    page, query = _page(request, qs)
    return render(
        request,
        "supervision/notices.html",
        {"page": page, "query": query, "may_send": access.can(request.user, "supervision.send_notice")},
    )


@service_view
def notice_new(request):
    form = NoticeForm(request.POST or None, initial={"alert": request.GET.get("alert")})
    alert_id = request.POST.get("alert") or request.GET.get("alert")
    alert = (
        selectors.get_alert(Scope.for_user(request.user), int(alert_id))
        if str(alert_id or "").isdigit()
        else None
    )
    if alert and not request.POST:
        form.initial.update(
            to_org=alert.organization_id,
            title=f"关于“{RULES[alert.rule_code].name}”的执法建议" if alert.rule_code in RULES else "",
            body=alert.message,
        )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.send_notice(request.user, {**form.cleaned_data, "alert": alert})
        except (DomainError, ValidationError) as exc:
            if getattr(exc, "status", 400) in (403, 404):
                raise
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "已发送")
            return redirect("supervision:notice_detail", notice.pk)
    return render(request, "supervision/notice_form.html", {"form": form, "alert": alert})


@service_view
def notice_detail(request, notice_id: int):
    notice = selectors.get_notice(Scope.for_user(request.user), notice_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "acknowledge":
                services.acknowledge_notice(request.user, notice_id)
            else:
                services.reply_notice(request.user, notice_id, request.POST.get("reply", ""))
        except (DomainError, ValidationError) as exc:
            if getattr(exc, "status", 400) in (403, 404):
                raise
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "已办理")
        return redirect("supervision:notice_detail", notice_id)
    receiver = access.can(request.user, "supervision.receive_notice", notice)
    return render(
        request,
        "supervision/notice_detail.html",
        {
            "notice": notice,
            "receiver": receiver and notice.state != Notice.State.REPLIED,
            "trail": audit_trail([("supervision.Notice", [notice.pk])]),
        },
    )


# ---- case file review ----


@service_view
def reviews(request):
    scope = Scope.for_user(request.user)
    sheets = ScoreSheet.objects.filter(is_active=True).prefetch_related("items")
    form = DrawForm(request.POST or None, sheets=sheets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.draw_reviews(
                request.user,
                sheet_id=data["sheet"].pk,
                period_start=data["period_start"],
                period_end=data["period_end"],
                seed=data["seed"],
                share=float(data["share"]),
                per_body=data["per_body"],
            )
        except (DomainError, ValidationError) as exc:
            if getattr(exc, "status", 400) in (403, 404):
                raise
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, f"已抽取{batch.reviews.count()}卷（可抽{batch.population}卷，种子 {batch.seed}）"
            )
            return redirect("supervision:review_batch", batch.pk)
    mine = selectors.reviews(Scope(everything=True)).filter(reviewer=request.user, state=Review.State.PENDING)
    return render(
        request,
        "supervision/reviews.html",
        {
            "batches": selectors.review_batches()[:50],
            "form": form,
            "sheets": sheets,
            "mine": mine[:50],
            "may_draw": access.can(request.user, "supervision.review_files"),
            "by_body": selectors.review_results_by_body(scope),
        },
    )


@service_view
def review_batch(request, batch_id: int):
    scope = Scope.for_user(request.user)
    batch = selectors.review_batches().filter(pk=batch_id).first()
    if batch is None:
        from django.http import Http404

        raise Http404
    if request.method == "POST":
        try:
            services.assign_reviewer(
                request.user, int(request.POST.get("review") or 0), int(request.POST.get("reviewer") or 0)
            )
        except (DomainError, ValidationError) as exc:
            if getattr(exc, "status", 400) in (403, 404):
                raise
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "已指定评查人")
        return redirect("supervision:review_batch", batch_id)
    items = selectors.reviews(scope, batch_id)
    if wants_xlsx(request):
        return xlsx_response(
            f"案卷评查{batch.pk}",
            batch.title,
            ["案件", "办案机关", "评查人", "状态", "得分", "满分", "评查意见"],
            (
                [
                    str(r.case),
                    r.organization.name,
                    r.reviewer.username if r.reviewer_id else "",
                    r.get_state_display(),
                    r.total,
                    r.max_total,
                    r.comments,
                ]
                for r in items
            ),
        )
    return render(
        request,
        "supervision/review_batch.html",
        {
            "batch": batch,
            "reviews": items,
            "reviewers": selectors.reviewers(),
            "may_assign": access.can(request.user, "supervision.review_files"),
            "query": "",
            "by_body": selectors.review_results_by_body(scope, batch_id),
            "by_officer": selectors.review_results_by_officer(scope, batch_id),
        },
    )


@service_view
def review_detail(request, review_id: int):
    review = selectors.get_review(
        Scope(everything=True)
        if access.can(request.user, "supervision.review_files")
        or Review.objects.filter(pk=review_id, reviewer=request.user).exists()
        else Scope.for_user(request.user),
        review_id,
    )
    items = list(review.batch.sheet.items.all())
    scores = {s.item_id: s for s in review.scores.all()}
    errors = {}
    if request.method == "POST":
        points = {item.pk: request.POST.get(f"item_{item.pk}", "") for item in items}
        notes = {item.pk: request.POST.get(f"note_{item.pk}", "") for item in items}
        try:
            services.score_review(request.user, review_id, points, request.POST.get("comments", ""), notes)
        except ValidationError as exc:
            errors = (
                {k: "；".join(e.messages) for k, e in exc.error_dict.items()}
                if hasattr(exc, "error_dict")
                else {}
            )
            messages.error(request, "评分有误，请检查各项得分")
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存评分")
            return redirect("supervision:review_detail", review_id)
    rows = [
        {
            "item": item,
            "score": scores.get(item.pk),
            "error": errors.get(f"item_{item.pk}"),
            "value": request.POST.get(f"item_{item.pk}")
            if request.method == "POST"
            else (scores[item.pk].points if item.pk in scores else ""),
        }
        for item in items
    ]
    return render(
        request,
        "supervision/review_detail.html",
        {
            "review": review,
            "rows": rows,
            "conflict": services.handled_case(request.user, review.case_id),
            "trail": audit_trail([("supervision.Review", [review.pk])]),
        },
    )


# ---- appraisal ----


@service_view
def appraisals(request):
    scope = Scope.for_user(request.user)
    schemes = selectors.officer_schemes()
    form = ComputeForm(request.POST or None, schemes=schemes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            n = services.compute_appraisal(
                request.user, data["scheme"].pk, data["period_start"], data["period_end"]
            )
        except (DomainError, ValidationError) as exc:
            if getattr(exc, "status", 400) in (403, 404):
                raise
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"已计算{n}名乡镇执法人员的考评结果")
            return redirect(f"{request.path}?scheme={data['scheme'].pk}")
    scheme_id = request.GET.get("scheme")
    results = selectors.appraisal_results(scope, int(scheme_id) if str(scheme_id or "").isdigit() else None)
    latest = results.values_list("period_end", flat=True).first()
    if latest and not request.GET.get("all"):
        results = results.filter(period_end=latest)
    if wants_xlsx(request):
        return xlsx_response(
            "四维考评",
            "四维考评结果",
            ["考评单位", "执法人员", "考评期起", "考评期止", "总分", "各维度"],
            (
                [
                    r.organization.name,
                    r.officer.name,
                    r.period_start,
                    r.period_end,
                    r.total,
                    "；".join(f"{d['name']}{d['score']}分×{d['weight']}%" for d in r.dimensions),
                ]
                for r in results.iterator(chunk_size=500)
            ),
        )
    page, query = _page(request, results)
    return render(
        request,
        "supervision/appraisals.html",
        {
            "page": page,
            "query": query,
            "form": form,
            "schemes": schemes,
            "may_compute": access.can(request.user, "supervision.appraise"),
            "metric_labels": rules.METRIC_LABELS,
        },
    )


@service_view
def scheme_new(request):
    """A new 四维考评 scheme (e.g. next year's) for the 执法指导办 and supervisors: the rows start
    as a copy of the newest scheme in use (or the four standard dimensions), with blank rows to add."""
    access.require(request.user, "supervision.appraise")
    previous = selectors.officer_schemes().first()
    if previous is not None:
        rows = [
            {
                "name": d.name,
                "weight": d.weight,
                "enforcement_post": d.enforcement_post,
                "metrics": list(d.metrics),
            }
            for d in previous.dimensions.all()
        ]
        targets = {**rules.DEFAULT_TARGETS, **(previous.targets or {})}
        neutral = previous.neutral_score
    else:
        rows, targets, neutral = FOUR_DIMENSIONS, dict(rules.DEFAULT_TARGETS), 80
    year = timezone.localdate().year + 1
    form = SchemeForm(
        request.POST or None,
        initial={
            "name": f"{year}年度乡镇（街道）执法人员四维考评",
            "cases_target": targets.get("cases"),
            "inspections_target": targets.get("inspections"),
            "neutral_score": neutral,
        },
    )
    formset = DimensionFormSet(request.POST or None, prefix="dim", initial=rows)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data, row_of = scheme_data(form, formset)
        try:
            scheme = services.create_scheme(request.user, data)
        except (DomainError, ValidationError) as exc:
            if getattr(exc, "status", 400) in (403, 404):
                raise
            _scheme_errors(form, formset, row_of, exc)
        else:
            messages.success(request, f"已建立考评方案“{scheme.name}”")
            return redirect(f"{reverse('supervision:appraisals')}?scheme={scheme.pk}")
    elif request.method == "POST":
        form.is_valid()
        if formset.non_form_errors():
            form.add_error(None, "考评维度：" + "；".join(formset.non_form_errors()))
        for i, row in enumerate(formset.forms):
            for field, errors in row.errors.items():
                label = row.fields[field].label if field in row.fields else ""
                form.add_error(None, f"考评维度第{i + 1}行{label}：{'；'.join(errors)}")
    return render(
        request,
        "supervision/scheme_form.html",
        {
            "form": form,
            "formset": formset,
            "previous": previous,
            "minimum": rules.ENFORCEMENT_POST_MIN_WEIGHT,
        },
    )


def _scheme_errors(form, formset, row_of: list[int], exc) -> None:
    """A service error on the page: a dimension's field on its row, the rest named above the form."""
    if isinstance(exc, DomainError):
        form.add_error(None, f"考评维度：{exc.message}" if exc.field == "dimensions" else exc.message)
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        parts = key.split(".")
        if (
            parts[0] == "dimensions"
            and len(parts) == 3
            and parts[1].isdigit()
            and int(parts[1]) < len(row_of)
        ):
            formset.forms[row_of[int(parts[1])]].add_error(parts[2], errors)
            form.add_error(None, f"考评维度第{row_of[int(parts[1])] + 1}行：{'；'.join(errors)}")
        elif key in form.fields:
            form.add_error(key, errors)
        else:
            label = {"targets": "计分标准", "dimensions": "考评维度"}.get(key, "")
            form.add_error(None, (f"{label}：" if label else "") + "；".join(errors))


@service_view
def appraisal_detail(request, result_id: int):
    result = selectors.get_result(Scope.for_user(request.user), result_id)
    return render(request, "supervision/appraisal_detail.html", {"result": result})
