"""Keeping baselines and lists in the UI: a new version of an item's baseline drafted by its
department (levels with their conditions and ranges), entries of the flexible lists drafted and
revised, and their review and publication by the 执法指导办. Views parse, call one service, render;
the services check the permissions (``access.py``) and validate."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import Claim, EnforcementItem
from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, user_message
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view
from zhifa.organizations.forms import add_service_errors

from . import selectors, services
from .forms import BaselineForm, EntryForm, LevelForm
from .models import FlexibleListEntry

LEVELS = 4


def _own_items(user, *, penalties_only: bool = True):
    """The items the user drafts for: every in-force item for the 执法指导办, his bodies' claimed or
    regulated items for a department's administrator."""
    items = EnforcementItem.objects.in_force().select_related("domain").order_by("domain__sort_order", "code")
    if penalties_only:
        items = items.filter(kind=catalog_rules.PENALTY)
    scope = Scope.for_user(user)
    if scope.everything or access.has_role(user, "guidance_office", access.ADMIN):
        return items
    path = scope.org_path or "-"
    unowned = Q(regulator__isnull=True) & ~Exists(Claim.objects.filter(item=OuterRef("pk")))
    return items.filter(
        Q(claims__organization__path__startswith=path) | Q(regulator__path__startswith=path) | unowned
    ).distinct()


@service_view
def baseline_new(request):
    """A new version of an item's baseline (``?from=<baseline>`` starts from an existing one)."""
    access.require(request.user, "discretion.draft")
    source = None
    if request.GET.get("from"):
        source = (
            selectors.baseline_detail(int(request.GET["from"])) if request.GET["from"].isdigit() else None
        )
    initial = {"item": source.item_id, "document_number": source.document_number} if source else {}
    form = BaselineForm(request.POST or None, initial=initial, items=_own_items(request.user))
    level_initial = [LevelForm.initial_from(level) for level in source.levels.all()] if source else []
    levels = [
        LevelForm(
            request.POST or None,
            prefix=f"level{n}",
            initial=level_initial[n] if n < len(level_initial) else None,
        )
        for n in range(LEVELS)
    ]
    if request.method == "POST" and form.is_valid() and all(level.is_valid() for level in levels):
        rows = [row for row in (level.level() for level in levels) if row]
        try:
            baseline = services.create_baseline(
                request.user, form.cleaned_data["item"], form.baseline_data(rows)
            )
        except ValidationError as exc:
            for key, errors in exc.error_dict.items():
                parts = key.split(".")
                if parts[0] == "levels" and len(parts) == 3:
                    index = sum(
                        1 for level in levels[: int(parts[1]) + 1] if not level.cleaned_data.get("name")
                    )
                    target = levels[min(int(parts[1]) + index, LEVELS - 1)]
                    for error in errors:
                        target.add_error(parts[2] if parts[2] in target.fields else None, error)
                else:
                    for error in errors:
                        form.add_error(key if key in form.fields else None, error)
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(request, f"已提交第{baseline.version}版裁量基准，待执法指导办审核后施行并公布")
            return redirect("discretion:baseline_detail", baseline_id=baseline.pk)
    return render(
        request, "discretion/baseline_form.html", {"form": form, "levels": levels, "source": source}
    )


@service_view
def entry_new(request):
    access.require(request.user, "discretion.draft")
    revising = None
    if request.GET.get("revise", "").isdigit() or request.POST.get("revise", "").isdigit():
        revising = (
            FlexibleListEntry.objects.select_related("item")
            .filter(pk=int(request.GET.get("revise") or request.POST.get("revise")))
            .first()
        )
        if revising is None:
            raise NotFound()
    initial = {}
    if revising is not None:
        c = revising.conditions or {}
        initial = {
            "kind": revising.kind,
            "item": revising.item_id,
            "title": revising.title,
            "conditions_text": revising.conditions_text,
            "legal_basis": revising.legal_basis,
            "first_offence_waiver": revising.first_offence_waiver,
            "first_offence": bool(c.get("first_offence")),
            "corrected_in_time": bool(c.get("corrected_in_time")),
            "harm_max": c.get("harm_max", ""),
            "amount_max": c.get("amount_max"),
        }
    form = EntryForm(
        request.POST or None, initial=initial, items=_own_items(request.user, penalties_only=False)
    )
    if revising is not None:
        form.fields["item"].disabled = True
        form.fields["item"].widget = forms.HiddenInput()
    if request.method == "POST" and form.is_valid():
        try:
            if revising is not None:
                entry = services.revise_list_entry(request.user, revising.pk, form.entry_data())
            else:
                entry = services.add_list_entry(request.user, form.cleaned_data["item"], form.entry_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(request, "已提交清单条目，待执法指导办审核后公布")
            return redirect(f"{_lists_url()}?status=draft#entry-{entry.pk}")
    return render(request, "discretion/entry_form.html", {"form": form, "revising": revising})


def _lists_url() -> str:
    from django.urls import reverse

    return reverse("discretion:entry_review")


@service_view
def entry_review(request):
    """待审核的清单条目: drafts and revisions; the 执法指导办 publishes them."""
    return render(
        request,
        "discretion/entry_review.html",
        {
            "drafts": list(selectors.draft_entries()[:200]),
            "may_approve": access.can(request.user, "discretion.approve"),
            "may_draft": access.can(request.user, "discretion.draft"),
        },
    )


@service_view
@require_POST
def entry_approve(request, entry_id: int):
    try:
        entry = services.approve_list_entry(request.user, entry_id)
    except (DomainError, ValidationError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, f"已审核公布：{entry.title}")
    return redirect("discretion:entry_review")
