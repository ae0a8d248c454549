"""Catalog maintenance pages: new items and revision proposals (form and Excel file), claims and
withdrawals, the review of revisions by the 执法指导办, publication (公示), transfers (划转).

Each view parses its input, calls one service and renders; the services check the permissions
(``access.py``) and validate (one row validator for the form, the file and the API). Buttons are
shown only to those who may use them (``access.can``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied, user_message
from zhifa.core.web import service_view
from zhifa.organizations.forms import add_service_errors
from zhifa.organizations.models import Organization, Region

from . import excel, imports, rules, selectors, services
from .claims import claim_items, claim_refusal
from .forms import (
    ImportCommitForm,
    ImportUploadForm,
    ItemForm,
    RejectForm,
    RetireForm,
    ReviewForm,
    RevisionForm,
)
from .models import CatalogImport, Claim, Domain, EnforcementItem
from .revisions import approve_revision, propose_revision, reject_revision
from .validation import Lookups, clean_row


def _item_form(data=None, initial=None) -> ItemForm:
    regulators = (
        Organization.objects.filter(is_active=True)
        .exclude(region__level__in=Region.TOWNSHIP_LEVELS)
        .exclude(kind=Organization.Kind.GOVERNMENT)
        .order_by("path")
        .only("pk", "name")
    )
    return ItemForm(
        data, initial=initial, domains=Domain.objects.order_by("sort_order", "code"), regulators=regulators
    )


def _revision_errors(form, exc: ValidationError, prefix: str = "changes.0.content.") -> None:
    """A revision's errors on the page: the item's fields on the item form, the rest above it."""
    for key, errors in exc.error_dict.items():
        field = key.removeprefix(prefix) if key.startswith(prefix) else key
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


# ---------------------------------------------------------------------------------------------
# New item / change of an item: proposed as a revision (or entered directly by the 执法指导办)
# ---------------------------------------------------------------------------------------------


@service_view
def item_new(request):
    access.require(request.user, "catalog.propose")
    form = _item_form(request.POST or None)
    meta = RevisionForm(
        request.POST or None, prefix="rev", initial={"reason": "other", "effective_on": timezone.localdate()}
    )
    direct = request.POST.get("direct") == "1"
    if request.method == "POST" and form.is_valid() and (direct or meta.is_valid()):
        row = form.row()
        clean, errors = clean_row(row, None, Lookups.load())
        if errors:
            form.add_row_errors(errors)
        else:
            try:
                if direct:
                    item = services.create_item(request.user, row, publish=True)
                    messages.success(request, f"已新增并公示事项 {item.code}")
                    return redirect("catalog:item_detail", code=item.code)
                revision = propose_revision(
                    request.user,
                    meta.revision_data(),
                    [{"action": rules.ADD, "item_code": clean.code, "content": row}],
                    source="form",
                )
            except ValidationError as exc:
                _revision_errors(form, exc)
            except DomainError as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, "已提交新增事项，待执法指导办审核")
                return redirect("catalog:revision_detail", revision_id=revision.pk)
    return render(
        request,
        "catalog/item_form.html",
        {"form": form, "meta": meta, "item": None, "may_direct": access.can(request.user, "catalog.manage")},
    )


@service_view
def item_edit(request, code: str):
    access.require(request.user, "catalog.propose")
    item = selectors.item_detail(code)
    if item.status != rules.IN_FORCE:
        raise NotFound("该事项已废止")
    content = services.item_content(item)
    form = _item_form(request.POST or None, initial=ItemForm.initial_from(content))
    form.fields["code"].disabled = True
    meta = RevisionForm(
        request.POST or None,
        prefix="rev",
        initial={"title": f"调整“{item.name}”", "effective_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid() and meta.is_valid():
        row = {**form.row(), "code": item.code}
        try:
            revision = propose_revision(
                request.user,
                meta.revision_data(),
                [{"action": rules.CHANGE, "item_code": item.code, "content": row}],
                source="form",
            )
        except ValidationError as exc:
            _revision_errors(form, exc)
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已提交调整，待执法指导办审核；审核通过后按生效日期发布")
            return redirect("catalog:revision_detail", revision_id=revision.pk)
    return render(
        request, "catalog/item_form.html", {"form": form, "meta": meta, "item": item, "may_direct": False}
    )


@service_view
def item_retire(request, code: str):
    access.require(request.user, "catalog.propose")
    item = selectors.item_detail(code)
    form = RetireForm(
        request.POST or None,
        initial={
            "title": f"取消“{item.name}”",
            "reason": "law_repealed",
            "effective_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            revision = propose_revision(
                request.user,
                form.revision_data(),
                [{"action": rules.RETIRE, "item_code": item.code}],
                source="form",
            )
        except ValidationError as exc:
            _revision_errors(form, exc, prefix="changes.0.")
        else:
            messages.success(request, "已提出取消该事项，待执法指导办审核")
            return redirect("catalog:revision_detail", revision_id=revision.pk)
    return render(
        request,
        "catalog/item_retire.html",
        {"form": form, "item": item, "refusals": services.change_refusals(item, None)},
    )


# ---------------------------------------------------------------------------------------------
# Excel: check (preview with every error), commit (all or nothing), export
# ---------------------------------------------------------------------------------------------


@service_view
def import_upload(request):
    access.require(request.user, "catalog.propose")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = imports.check_file(request.user, form.cleaned_data["file"])
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error("file", exc.message)
        else:
            return redirect("catalog:import_detail", import_id=check.pk)
    return render(
        request,
        "catalog/import_upload.html",
        {
            "form": form,
            "headers": excel.HEADERS,
            "optional": list(excel.OPTIONAL_COLUMNS.values()),
            "recent": selectors.catalog_imports(request.user)[:10],
        },
    )


@service_view
def import_detail(request, import_id: int):
    check = access.get_visible(
        request.user, CatalogImport.objects.select_related("revision", "uploaded_by"), import_id
    )
    form = ImportCommitForm(
        request.POST or None,
        initial={
            "title": f"导入《{check.file_name}》",
            "reason": "other",
            "effective_on": timezone.localdate(),
            "mode": "revision",
        },
    )
    may_direct = access.can(request.user, "catalog.manage")
    if not may_direct:
        form.fields["mode"].choices = form.fields["mode"].choices[:1]
    if request.method == "POST" and form.is_valid():
        try:
            check = imports.commit_file(
                request.user, check.pk, mode=form.cleaned_data["mode"], revision=form.revision_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            if isinstance(exc, PermissionDenied | NotFound):
                raise
            form.add_error(None, exc.message)
        else:
            if check.revision_id:
                messages.success(request, f"已提交 {len(check.rows)} 行，生成清单调整，待执法指导办审核")
                return redirect("catalog:revision_detail", revision_id=check.revision_id)
            messages.success(request, f"已导入并公示 {len(check.rows)} 行")
            return redirect("catalog:item_list")
    return render(request, "catalog/import_detail.html", {"check": check, "form": form})


@service_view
def export_template(request):
    """The items of a list in the import template's layout (a round trip loses nothing)."""
    items = selectors.master_catalog().prefetch_related("legal_bases", "checklist")
    response = HttpResponse(
        excel.export_workbook(services.item_content(i) for i in items.iterator(chunk_size=500)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%89%A7%E6%B3%95%E4%BA%8B%E9%A1%B9.xlsx"
    return response


# ---------------------------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------------------------


@service_view
def claim_page(request):
    """待认领: the items a body of the user's could claim, several at once."""
    access.require(request.user, "catalog.claim")
    bodies = list(selectors.claimable_organizations(request.user))
    chosen = next(
        (
            b
            for b in bodies
            if str(b.pk) == (request.POST.get("organization") or request.GET.get("organization"))
        ),
        bodies[0] if bodies else None,
    )
    if request.method == "POST" and chosen is not None:
        try:
            claims = claim_items(
                request.user, [int(i) for i in request.POST.getlist("items") if i.isdigit()], chosen
            )
        except ValidationError as exc:
            messages.error(request, user_message(exc))
        else:
            messages.success(request, f"{chosen.name}已认领 {len(claims)} 个事项")
        return redirect(f"{request.path}?organization={chosen.pk}")
    return render(
        request,
        "catalog/claim_page.html",
        {
            "bodies": bodies,
            "chosen": chosen,
            "items": list(selectors.claimable_items(chosen)[:300]) if chosen else [],
            "claims": list(selectors.claims_of(chosen)[:300]) if chosen else [],
        },
    )


@service_view
@require_POST
def claim_one(request, code: str):
    item = selectors.item_detail(code)
    organization = access.get_visible(request.user, Organization, request.POST.get("organization"))
    try:
        services.claim_item(request.user, item.pk, organization)
    except ValidationError as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, f"{organization.name}已认领该事项")
    return redirect("catalog:item_detail", code=code)


@service_view
@require_POST
def claim_withdraw(request, claim_id: int):
    claim = access.get_visible(request.user, Claim.objects.select_related("item"), claim_id)
    try:
        services.withdraw_claim(request.user, claim.pk)
    except DomainError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回认领")
    return redirect("catalog:item_detail", code=claim.item.code)


def claim_choices(user, item: EnforcementItem) -> list[Organization]:
    """The user's bodies that could claim ``item`` now (for the item page's claim form)."""
    if not access.can(user, "catalog.claim"):
        return []
    return [org for org in selectors.claimable_organizations(user) if claim_refusal(item, org) is None]


# ---------------------------------------------------------------------------------------------
# Review and publication
# ---------------------------------------------------------------------------------------------


@service_view
@require_POST
def revision_approve(request, revision_id: int):
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        revision = approve_revision(
            request.user, revision_id, effective_on=form.cleaned_data.get("effective_on")
        )
    except DomainError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(
            request,
            "已审批，调整已生效并公示"
            if revision.state == rules.APPLIED
            else f"已审批，将于 {revision.effective_on:%Y-%m-%d} 生效并公示",
        )
    return redirect("catalog:revision_detail", revision_id=revision_id)


@service_view
@require_POST
def revision_reject(request, revision_id: int):
    form = RejectForm(request.POST)
    try:
        reject_revision(request.user, revision_id, request.POST.get("reason", "") if form.is_valid() else "")
    except ValidationError as exc:
        messages.error(request, user_message(exc))
    except DomainError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "已退回")
    return redirect("catalog:revision_detail", revision_id=revision_id)


@service_view
def publish_page(request):
    """待公示: items in force not yet on the portal; the 执法指导办 publishes them."""
    access.require(request.user, "catalog.manage")
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
        count = services.publish_items(request.user, ids)
        messages.success(request, f"已公示 {count} 个事项")
        return redirect("catalog:publish_page")
    return render(request, "catalog/publish_page.html", {"items": list(selectors.unpublished_items()[:500])})


@service_view
def transfer_list(request):
    """划转: which items moved from which body to which, from when (the "1+5" reform)."""
    return render(
        request,
        "catalog/transfer_list.html",
        {"summary": selectors.transfer_summary(), "transfers": list(selectors.transfers()[:500])},
    )
