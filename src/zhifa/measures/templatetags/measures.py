"""``{% case_measures case as m %}``: the measures of a case the current user sees, for the panel the
case page includes (``measures/_case_panel.html``)."""

from django import template

from zhifa.core import access

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def case_measures(context, case):
    user = context.get("user") or getattr(context.get("request"), "user", None)
    measures = selectors.case_measures(user, case)
    measures.may_act = any(
        access.can(user, p, case)
        for p in ("measures.preserve", "measures.seize", "measures.refer", "measures.share_evidence")
    )
    return measures


@register.filter
def when(value):
    """A due date or moment as the page shows it (moments in the district's time, to the minute)."""
    import datetime as dt

    from django.utils import timezone

    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if value else "—"
