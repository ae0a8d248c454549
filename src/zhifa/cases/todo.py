"""Cases' part of the landing pages (待办).

* the officer's own open cases, by their next statutory deadline (``deadlines.case_deadlines``);
* the township's open cases, likewise;
* the legal reviewer's queue and the head's approvals inbox, read from the review and approval
  records (the same selectors as their own pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from zhifa.core import todo
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Certificate

from . import rules, selectors, services
from .deadlines import Deadline, case_deadlines
from .facts import build_facts
from .models import OPEN_STATES, Case, CaseOfficer

#: At most this many open cases get their deadlines computed for one section (each costs a few
#: queries); the oldest first, as they are the nearest to their deadlines.
MAX_COMPUTED = 40

S = rules.State


def visible_cases(user) -> QuerySet[Case]:
    """The cases the user may see: the access policy's, or the user's scope until cases registers one."""
    return todo.visible(user, Case, lambda qs: Scope.for_user(user).filter(qs))


def _with_facts(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("party", "item__domain", "organization").prefetch_related(
        Prefetch(
            "case_officers",
            CaseOfficer.objects.select_related("officer").prefetch_related(
                Prefetch("officer__certificates", Certificate.objects.all())
            ),
        ),
        "item__legal_bases",
    )


def next_deadline(
    case: Case, today: dt.date, config=None, names: Iterable[str] | None = None
) -> Deadline | None:
    """The case's nearest deadline not yet met that the authority must meet (the party's own
    periods are left out); ``names`` keeps only those deadlines (e.g. "decision")."""
    config = config or services.case_config()
    facts = build_facts(case, {"as_of": today})
    pending = [
        d
        for d in case_deadlines(facts, config.calendar, config, today=today)
        if d.met_on is None and not d.party and (names is None or d.name in names)
    ]
    return min(pending, key=lambda d: d.due, default=None)


def _case_items(cases: Iterable[Case], today: dt.date, names: Iterable[str] | None = None) -> list[todo.Item]:
    config = services.case_config()
    names = tuple(names) if names is not None else None
    items = []
    for case in cases:
        deadline = next_deadline(case, today, config, names)
        items.append(
            todo.Item(
                title=f"{case.number or '案件' + str(case.pk)} {case.party.name}",
                url=reverse("cases:detail", args=[case.pk]),
                due=deadline.due if deadline else None,
                detail=f"{deadline.label}（{deadline.article}）" if deadline else case.item.name,
                badge=case.get_state_display(),
            )
        )
    far = dt.date.max
    return sorted(items, key=lambda i: (i.due_date or far, i.title))


def _section(
    key: str, title: str, qs: QuerySet[Case], today: dt.date, *, names=None, **extra
) -> todo.Section:
    count = qs.count()
    rows = list(_with_facts(qs.order_by("created_at", "pk"))[:MAX_COMPUTED]) if count else []
    return todo.Section(key, title, count=count, items=_case_items(rows, today, names)[: todo.SHOWN], **extra)


@todo.provider("officer", order=30)
def my_cases(user, today):
    """The open cases the officer handles, by the next deadline the law sets (行政处罚法第六十条 etc.)."""
    officer_id = getattr(user, "officer_id", None)
    if officer_id is None:
        return None
    qs = visible_cases(user).filter(state__in=OPEN_STATES, case_officers__officer_id=officer_id).distinct()
    return _section(
        "my-cases",
        "我承办的案件",
        qs,
        today,
        more_url=reverse("cases:list"),
        empty="没有在办案件",
        note="按下一个法定期限排列：立案、作出决定、送达、缴款……",
        action_url=reverse("cases:open_on_spot"),
        action_label="现场办案",
    )


@todo.provider("township_leader", order=20)
def township_cases(user, today):
    qs = visible_cases(user).filter(state__in=OPEN_STATES)
    return _section(
        "township-cases",
        "本乡镇（街道）在办案件",
        qs,
        today,
        more_url=reverse("cases:list"),
        empty="没有在办案件",
        note="按下一个法定期限排列",
    )


# --------------------------------------------------------------------------------------------
# Legal review queue and the head's approvals inbox: the review and approval records themselves
# (``LegalReview``, ``Approval``), as on their own pages.
# --------------------------------------------------------------------------------------------


@todo.provider("legal_reviewer", order=10)
def legal_review_queue(user, today):
    """Reviews waiting or in hand, the nearest review due date first (行政处罚法第五十八条)."""
    reviews = selectors.review_queue(user)
    count = reviews.count()
    items = [
        todo.Item(
            title=f"{r.case.number or '案件' + str(r.case_id)} {r.case.party.name}",
            url=reverse("cases:review_detail", args=[r.pk]),
            due=r.due_on,
            detail=f"{r.case.organization.name} · {r.case.item.name}",
            badge=r.get_status_display()
            + (f" · {r.reviewer.get_full_name() or r.reviewer.username}" if r.reviewer else ""),
        )
        for r in reviews[: todo.SHOWN]
    ]
    return todo.Section(
        "legal-review",
        "待法制审核",
        count=count,
        items=items,
        more_url=reverse("cases:reviews"),
        empty="没有待审核的案件",
        note="重大执法决定须经法制审核（行政处罚法第五十八条），按审核期限排列",
    )


@todo.provider("head", "deputy", order=10)
def approvals_inbox(user, today):
    """Approvals the head (or his delegate) may give, the oldest request first (第五十四条、第五十七条 …)."""
    pending = selectors.approvals_inbox(user)
    items = [
        todo.Item(
            title=f"{a.case.number or '案件' + str(a.case_id)} {a.case.party.name}",
            url=reverse("cases:approvals") + f"#approval-{a.pk}",
            due=None,
            detail=f"{a.get_kind_display()} · {a.case.item.name}",
            badge=f"提请人 {a.requested_by.get_full_name() or a.requested_by.username}"
            if a.requested_by
            else "",
        )
        for a in pending[: todo.SHOWN]
    ]
    return todo.Section(
        "approvals",
        "待审批",
        count=len(pending),
        items=items,
        more_url=reverse("cases:approvals"),
        empty="没有待审批的事项",
        note="立案、处罚决定、延期、结案等由行政机关负责人批准",
    )
