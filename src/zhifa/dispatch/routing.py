"""Routing an incident: which enforcement items its text is about, and which body must act.

The text is matched with jieba + BM25 (``catalog.search.TextIndex``) against one document per
penalty item in force (name, keywords, domain, legal basis text) and against past incidents
labelled with their item: the small seed set in ``past_incidents.py`` and the district's own
closed incidents. An item's score is its best item-document score plus its best past-incident
score, so either kind of evidence can carry it. The body follows from the catalog
(``rules.responsible_body``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import CatalogVersion, Claim, EnforcementItem, TownshipItemChoice
from zhifa.catalog.search import TextIndex
from zhifa.organizations.models import Organization, Region

from . import rules
from .past_incidents import PAST_INCIDENTS

#: Weight of the best past incident against the best item document.
PAST_WEIGHT = 1.0


@dataclass(frozen=True)
class Suggestion:
    item_id: int
    code: str
    name: str
    score: float

    def as_dict(self) -> dict:
        return {"item_id": self.item_id, "code": self.code, "name": self.name, "score": self.score}


def item_document(item: EnforcementItem) -> str:
    bases = " ".join(b.text for b in item.legal_bases.all())
    return " ".join((item.name, item.keywords, item.keywords, item.domain.name, bases))


class Router:
    def __init__(self, index: TextIndex, items: dict[int, tuple[str, str]]):
        self.index = index
        self.items = items  # pk → (code, name)

    @classmethod
    def build(cls, past: Iterable[tuple[str, str]] = PAST_INCIDENTS, history: Iterable[tuple[int, str]] = ()) -> Router:
        """``past``: (item code, text) seeds; ``history``: (item id, text) of closed incidents."""
        items = list(EnforcementItem.objects.in_force().filter(kind=catalog_rules.PENALTY)
                     .select_related("domain").prefetch_related("legal_bases"))
        by_code = {item.code: item.pk for item in items}
        docs: list[tuple[tuple, str]] = [(("i", item.pk), item_document(item)) for item in items]
        for n, (code, text) in enumerate(past):
            if code in by_code:
                docs.append((("p", by_code[code], n), text))
        known = set(by_code.values())
        for n, (item_id, text) in enumerate(history):
            if item_id in known:
                docs.append((("h", item_id, n), text))
        return cls(TextIndex.build(docs), {item.pk: (item.code, item.name) for item in items})

    def suggest(self, text: str, k: int = 3) -> list[Suggestion]:
        item_best: dict[int, float] = {}
        past_best: dict[int, float] = {}
        for doc_id, score in self.index.search(text, k=60):
            pk = doc_id[1]
            target = item_best if doc_id[0] == "i" else past_best
            if score > target.get(pk, 0.0):
                target[pk] = score
        totals = {pk: item_best.get(pk, 0.0) + PAST_WEIGHT * past_best.get(pk, 0.0)
                  for pk in item_best.keys() | past_best.keys()}
        best = sorted(totals.items(), key=lambda kv: (-kv[1], self.items[kv[0]][0]))[:k]
        return [Suggestion(pk, *self.items[pk], round(score, 3)) for pk, score in best]


#: The router learns from closed incidents; it is rebuilt (≈0.6 s for the demo catalog) at most
#: this often for them, and at once after any catalog write.
MAX_AGE_SECONDS = 600

_cache: tuple[str, float, Router] | None = None
_lock = threading.Lock()


def _history():
    from .models import Incident

    return (Incident.objects.filter(state=rules.CLOSED, item__isnull=False).exclude(text="")
            .order_by("-closed_at").values_list("item_id", "text")[:5000])


def invalidate() -> None:
    """Forget the cached router (after loading history in bulk, or in tests)."""
    global _cache
    with _lock:
        _cache = None


def router() -> Router:
    """The cached router; rebuilt after a catalog write, or when older than ``MAX_AGE_SECONDS``."""
    global _cache
    token = CatalogVersion.objects.values_list("token", flat=True).first() or ""
    with _lock:
        if _cache is None or _cache[0] != token or time.monotonic() - _cache[1] > MAX_AGE_SECONDS:
            _cache = (token, time.monotonic(), Router.build(history=list(_history())))
        return _cache[2]


def suggest(text: str, k: int = 3) -> list[Suggestion]:
    return router().suggest(text, k) if (text or "").strip() else []


# ---- responsibility -------------------------------------------------------------------------

def comprehensive_bureau() -> Organization | None:
    return (Organization.objects.filter(kind=Organization.Kind.COMPREHENSIVE_BUREAU, is_active=True)
            .order_by("path").first())


def township_team(region: Region | None) -> Organization | None:
    if region is None:
        return None
    return (Organization.objects.filter(region=region, kind=Organization.Kind.TOWNSHIP_TEAM, is_active=True)
            .order_by("path").first())


def responsible_for(item: EnforcementItem, township: Region | None) -> tuple[Organization | None, str]:
    """The body that must act on ``item`` at ``township`` and why (see ``rules.responsible_body``)."""
    on_list = township is not None and (
        item.township_library == catalog_rules.BASE
        or (item.township_library == catalog_rules.OPTIONAL
            and TownshipItemChoice.objects.filter(region=township, item=item).exists()))
    team = township_team(township) if on_list else None
    claim = Claim.objects.filter(item=item, level=catalog_rules.DISTRICT_LEVEL).values_list("organization_id", flat=True).first()
    bureau = comprehensive_bureau() if item.enforcing_body != catalog_rules.PROFESSIONAL and not claim else None
    decision = rules.responsible_body(
        enforcing_body=item.enforcing_body, on_township_list=on_list, township_team_id=team.pk if team else None,
        district_claimant_id=claim, bureau_id=bureau.pk if bureau else None)
    org = Organization.objects.filter(pk=decision.org_id).first() if decision.org_id else None
    return org, decision.reason


def locate(address: str, lat, lng) -> Region | None:
    """The township of an address or a point (``rules.township_name_for``)."""
    townships = {r.name: r for r in Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS)}
    name = rules.township_name_for(address, float(lat) if lat is not None else None,
                                   float(lng) if lng is not None else None, list(townships))
    return townships.get(name) if name else None
