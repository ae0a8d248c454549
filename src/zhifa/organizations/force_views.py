"""Pages of the enforcement force: a certificate suspended, revoked, restored or ended early (with
its reason), and the townships — each with its bodies, the 1+X stations covering it (kept here),
the officers posted to it and the count of certified 执法岗 against the minimum of two.
Views parse, call one service or selector, render; the services check the permissions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view

from . import selectors, services
from .forms import CertificateStatusForm, CoverageForm, EndCertificateForm
from .models import Certificate, Region, StationCoverage


def _refusal(exc) -> str:
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else exc.message


@service_view
@require_POST
def certificate_status(request, certificate_id: int):
    certificate = access.get_visible(request.user, Certificate, certificate_id)
    form = CertificateStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择变更方式并写明理由")
    else:
        try:
            services.set_certificate_status(
                request.user, certificate.pk, form.cleaned_data["status"], form.cleaned_data["reason"]
            )
        except (ValidationError, DomainError) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(
                request,
                f"执法证 {certificate.number} 已{dict(form.fields['status'].choices)[form.cleaned_data['status']]}",
            )
    return redirect("organizations:officer_detail", officer_id=certificate.officer_id)


@service_view
@require_POST
def certificate_end(request, certificate_id: int):
    certificate = access.get_visible(request.user, Certificate, certificate_id)
    form = EndCertificateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效至日期和理由")
    else:
        try:
            services.end_certificate(
                request.user, certificate.pk, form.cleaned_data["last_day"], form.cleaned_data["reason"]
            )
        except (ValidationError, DomainError) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(
                request, f"执法证 {certificate.number} 有效至 {form.cleaned_data['last_day']:%Y-%m-%d}"
            )
    return redirect("organizations:officer_detail", officer_id=certificate.officer_id)


@service_view
def township_list(request):
    """乡镇（街道）执法力量: certified 执法岗 per township (≥ 2), posted officers, 1+X stations."""
    scope = Scope.for_user(request.user)
    return render(
        request,
        "organizations/township_list.html",
        {
            "townships": list(selectors.township_forces(scope)),
            "staffing": selectors.staffing_indicators(scope),
            "minimum": selectors.rules.MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP,
        },
    )


@service_view
def township_detail(request, region_id: int):
    region = Region.objects.filter(pk=region_id, level__in=Region.TOWNSHIP_LEVELS).first()
    if region is None:
        raise NotFound()
    force = selectors.township_force(region)
    may_cover = access.can(request.user, "organizations.manage_stations", StationCoverage(region=region))
    covered = {c.station_id for c in force["coverages"]}
    form = CoverageForm(request.POST or None, stations=selectors.stations().exclude(pk__in=covered))
    if request.method == "POST" and form.is_valid():
        try:
            services.cover_township(
                request.user, form.cleaned_data["station"].pk, region, form.cleaned_data["since"]
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, f"{form.cleaned_data['station'].name}已纳入{region.name}的“1+X”")
            return redirect("organizations:township_detail", region_id=region.pk)
    coverages = [
        (c, access.can(request.user, "organizations.manage_stations", c)) for c in force["coverages"]
    ]
    return render(
        request,
        "organizations/township_detail.html",
        {**force, "coverages": coverages, "form": form if may_cover else None},
    )


@service_view
@require_POST
def township_uncover(request, region_id: int, coverage_id: int):
    try:
        services.uncover_township(request.user, coverage_id)
    except (ValidationError, DomainError) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, "已退出该乡镇（街道）的“1+X”")
    return redirect("organizations:township_detail", region_id=region_id)
