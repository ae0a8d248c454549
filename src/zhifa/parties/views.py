"""Party pages: the list with its filters and colour counts, one party's detail with the reasons of
its colour and its 无感监管 standing, the credit facts and a recolour by hand; the credit rules
(企业四色管理) with their versions and the form to change them; and the public page of the rules and
the 无感监管 list. Each view parses its input, calls a selector or one service and renders; scoping
lives in the selectors, permissions in the services. ID numbers are masked on every page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import NotFound
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.models import AuditEvent
from zhifa.core.scopes import Scope
from zhifa.core.validators import mask_id_number
from zhifa.core.web import service_view
from zhifa.organizations.forms import add_service_errors
from zhifa.organizations.selectors import township_regions

from . import rules, selectors, services
from .forms import CreditFactsForm, PartyEditForm, PartyFilterForm, RiskConfigForm
from .models import Party, RiskConfig

PAGE_SIZE = 50
AUDIT_EVENTS_SHOWN = 20

#: Risk colour → badge modifier of site.css (good = green, info = blue, warn = yellow, bad = red).
BADGE = {rules.GREEN: "good", rules.BLUE: "info", rules.YELLOW: "warn", rules.RED: "bad"}

ACTION_LABELS = {
    "party.create": "登记监管对象",
    "party.update": "修改监管对象信息",
    "party.credit_facts": "更新信用记录",
    "party.risk_color": "重新评定风险等级",
}


def _townships(scope: Scope):
    townships = township_regions()
    return (
        townships.filter(pk=scope.township_region_id)
        if scope.township_region_id and not scope.everything
        else townships
    )


def _event_label(event: AuditEvent) -> str:
    """The action, and for a correction the fields it changed (the ID number only by name)."""
    label = ACTION_LABELS.get(event.action, event.action)
    if event.action == "party.update" and event.before and event.after:
        changed = [
            str(Party._meta.get_field(name).verbose_name)
            for name in services.EDITABLE_FIELDS
            if event.before.get(name) != event.after.get(name)
        ]
        if changed:
            label += "：" + "、".join(changed)
    return label


@login_required
def party_list(request):
    scope = Scope.for_user(request.user)
    filters = PartyFilterForm(request.GET, _townships(scope))
    parties = selectors.parties(scope, **filters.selector_filters())
    if wants_xlsx(request):
        # No ID numbers in the download: persons are identified by name and township only.
        return xlsx_response(
            "监管对象",
            "监管对象",
            ["名称", "类型", "统一社会信用代码", "乡镇（街道）", "行业", "风险等级"],
            (
                [
                    p.name,
                    p.get_kind_display(),
                    p.uscc,
                    p.township.name,
                    p.get_industry_display(),
                    p.get_risk_color_display(),
                ]
                for p in parties.iterator(chunk_size=500)
            ),
        )
    page = Paginator(parties, PAGE_SIZE).get_page(request.GET.get("page"))
    for party in page:
        party.badge = BADGE[party.risk_color]
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.risk_color_counts(scope)
    return render(
        request,
        "parties/party_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "color_counts": [
                (color, rules.COLOR_LABELS[color], BADGE[color], counts[color]) for color in rules.COLORS
            ],
        },
    )


@login_required
def party_detail(request, party_id: int):
    try:
        party = selectors.party_detail(Scope.for_user(request.user), party_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    events = AuditEvent.objects.filter(object_type="parties.Party", object_id=str(party.pk)).order_by("-seq")[
        :AUDIT_EVENTS_SHOWN
    ]
    may_manage = access.can(request.user, "parties.manage_credit")
    return render(
        request,
        "parties/party_detail.html",
        {
            "party": party,
            "badge": BADGE[party.risk_color],
            "masked_id_number": mask_id_number(party.id_number) if party.id_number else "",
            "config": selectors.active_risk_config(),
            "events": [(e, _event_label(e)) for e in events],
            "may_manage": may_manage,
            "may_edit": access.can(request.user, "parties.edit", party),
            "facts_form": CreditFactsForm(initial={f: getattr(party, f) for f in services.FACT_FIELDS})
            if may_manage
            else None,
        },
    )


@service_view
def party_edit(request, party_id: int):
    """Correct a party (名称、代码、地址、联系人…) through ``services.update_party``: the party is
    resolved in the actor's scope (404 outside it), the permission checked before the form shows
    (403), and a form opened on an older version is refused with the user's input kept."""
    scope = Scope.for_user(request.user)
    party = access.get_visible(request.user, Party.objects.select_related("township"), party_id)
    access.require(request.user, "parties.edit", party)
    masked = mask_id_number(party.id_number) if party.id_number else ""
    form = PartyEditForm(
        request.POST or None, party=party, townships=_townships(scope), masked_id_number=masked
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_party(
                request.user,
                party.pk,
                form.party_data(),
                expected_updated_at=form.cleaned_data["updated_at"],
            )
        except services.PartyChanged as exc:
            # Keep what the user typed; the form now carries the current version, so saving again
            # (after checking the current values shown beside it) is a deliberate overwrite.
            current = exc.party
            data = request.POST.copy()
            data["updated_at"] = current.updated_at.isoformat()
            form = PartyEditForm(data, party=current, townships=_townships(scope), masked_id_number=masked)
            form.is_valid()
            form.add_error(None, exc.message)
            conflict = [
                (form.fields[name].label, _shown(current, name))
                for name in PartyEditForm.FIELDS
                if name != "id_number"
                and str(form.cleaned_data.get(name) or "") != str(getattr(current, name) or "")
            ]
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存监管对象信息")
            return redirect("parties:party_detail", party_id=party.pk)
    return render(request, "parties/party_edit.html", {"party": party, "form": form, "conflict": conflict})


def _shown(party: Party, name: str) -> str:
    display = getattr(party, f"get_{name}_display", None)
    value = display() if display else getattr(party, name)
    return str(value) if value not in (None, "") else "—"


@service_view
@require_POST
def party_facts(request, party_id: int):
    """Record the credit facts of a party and recolour it (the reasons follow)."""
    form = CreditFactsForm(request.POST)
    if form.is_valid():
        try:
            services.record_credit_facts(request.user, party_id, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已更新信用记录并重新评定风险等级")
    else:
        messages.error(request, "信用记录填写有误：次数应为 0 以上的整数")
    return redirect("parties:party_detail", party_id=party_id)


@service_view
@require_POST
def party_recompute(request, party_id: int):
    party = services.recompute_party_risk(request.user, party_id)
    messages.success(request, f"已重新评定：{party.get_risk_color_display()}")
    return redirect("parties:party_detail", party_id=party_id)


@service_view
def credit_rules(request):
    """企业四色管理的评定规则: the rules in force, the ones to come and the earlier versions; the
    form for those who set them."""
    may_manage = access.can(request.user, "parties.manage_credit")
    current = selectors.active_risk_config_row()
    initial = (
        {name: getattr(current, name) for name in RiskConfig.FIELDS}
        if current
        else {
            **{name: getattr(rules.RiskConfig(), name) for name in RiskConfig.FIELDS},
            "key_industries": list(rules.RiskConfig().key_industries),
        }
    )
    form = RiskConfigForm(request.POST or None, initial={**initial, "effective_from": timezone.localdate()})
    if request.method == "POST":
        access.require(request.user, "parties.manage_credit")
        if form.is_valid():
            try:
                config = services.set_risk_config(request.user, form.config_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if config.is_active:
                    messages.success(request, "新的评定规则已施行，已重新评定全部监管对象")
                else:
                    messages.success(
                        request,
                        f"新的评定规则将于 {config.effective_from:%Y-%m-%d} 由每晚的任务启用并重新评定",
                    )
                return redirect("parties:credit_rules")
    return render(
        request,
        "parties/credit_rules.html",
        {
            "current": current,
            "rules": selectors.active_risk_config(),
            "form": form if may_manage else None,
            "pending": selectors.pending_risk_configs(),
            "history": selectors.risk_config_history()[:20],
            "counts": selectors.risk_color_counts(Scope(everything=True)) if may_manage else None,
        },
    )


@service_view
@require_POST
def credit_recompute(request):
    access.require(request.user, "parties.manage_credit")
    summary = services.recompute_all_risk(request.user)
    messages.success(request, f"已重新评定 {summary['checked']} 户，{len(summary['changed'])} 户风险等级变化")
    return redirect("parties:credit_rules")


# ---- public (no login) ----


@cache_control(public=True, max_age=300)
def public_credit(request):
    """The published credit rules and the 无感监管 list (enterprises and businesses by name, with
    the reason; persons are never listed)."""
    light = (
        Party.objects.filter(light_touch=True)
        .exclude(kind=Party.Kind.PERSON)
        .select_related("township")
        .order_by("township__code", "name")
    )
    page = Paginator(light, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "parties/public_credit.html",
        {
            "rules": selectors.active_risk_config(),
            "current": selectors.active_risk_config_row(),
            "page": page,
            "industries": dict(Party.Industry.choices),
        },
    )
