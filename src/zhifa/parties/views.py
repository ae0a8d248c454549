"""Party pages: the list with its filters and colour counts, and one party's detail.

Each view parses its input, calls selectors and renders; scoping lives in the selectors.
ID numbers are masked on every page (zhifa.core.validators.mask_id_number).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from zhifa.core.errors import NotFound
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.models import AuditEvent
from zhifa.core.scopes import Scope
from zhifa.core.validators import mask_id_number
from zhifa.organizations.selectors import township_regions

from . import rules, selectors
from .forms import PartyFilterForm

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
    return townships.filter(pk=scope.township_region_id) if scope.township_region_id and not scope.everything else townships


@login_required
def party_list(request):
    scope = Scope.for_user(request.user)
    filters = PartyFilterForm(request.GET, _townships(scope))
    parties = selectors.parties(scope, **filters.selector_filters())
    if wants_xlsx(request):
        # No ID numbers in the download: persons are identified by name and township only.
        return xlsx_response("监管对象", "监管对象", ["名称", "类型", "统一社会信用代码", "乡镇（街道）", "行业", "风险等级"], (
            [p.name, p.get_kind_display(), p.uscc, p.township.name, p.get_industry_display(), p.get_risk_color_display()]
            for p in parties.iterator(chunk_size=500)))
    page = Paginator(parties, PAGE_SIZE).get_page(request.GET.get("page"))
    for party in page:
        party.badge = BADGE[party.risk_color]
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.risk_color_counts(scope)
    return render(request, "parties/party_list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "color_counts": [(color, rules.COLOR_LABELS[color], BADGE[color], counts[color]) for color in rules.COLORS],
    })


@login_required
def party_detail(request, party_id: int):
    try:
        party = selectors.party_detail(Scope.for_user(request.user), party_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    events = AuditEvent.objects.filter(object_type="parties.Party", object_id=str(party.pk)).order_by("-seq")[:AUDIT_EVENTS_SHOWN]
    return render(request, "parties/party_detail.html", {
        "party": party,
        "badge": BADGE[party.risk_color],
        "masked_id_number": mask_id_number(party.id_number) if party.id_number else "",
        "config": selectors.active_risk_config(),
        "events": [(e, ACTION_LABELS.get(e.action, e.action)) for e in events],
    })
