"""Routing an incident: which enforcement item its text is about, how sure we are, and which body
must act.

The text goes to the routing model (``routing_model.RoutingModel``): character and pinyin
n-grams plus the catalog text index (``catalog.search.TextIndex``, BM25 over each penalty item in
force), a linear classifier calibrated so that its confidence is a probability. The model in use
is the active ``RoutingModelVersion`` (retrained from the dispatchers' corrections, see
``services.retrain_router``) or, before any, the baseline trained from the generated labelled set
(``routing_data``) — trained at first use or by ``manage.py train_router`` and cached under
``var/cache/routing/``. Below the model's threshold the incident waits in the command centre's
triage queue with the two closest items. The body follows from the catalog
(``rules.responsible_body``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import CatalogVersion, Claim, EnforcementItem, TownshipItemChoice
from zhifa.core import refdata
from zhifa.organizations.models import Organization, Region

from . import rules
from .past_incidents import PAST_INCIDENTS
from .routing_data import generator
from .routing_model import NONE, RoutingModel, fingerprint

log = logging.getLogger(__name__)

#: What a change of the training code or data changes (the baseline's fingerprint).
SOURCES = (
    "routing_model.py",
    "routing_data/generator.py",
    "routing_data/phrases.py",
    "routing_data/phrases.txt",
    "routing_data/noise.py",
)


@dataclass(frozen=True)
class Suggestion:
    item_id: int
    code: str
    name: str
    score: float  # the calibrated probability that this is the item

    def as_dict(self) -> dict:
        return {"item_id": self.item_id, "code": self.code, "name": self.name, "score": self.score}


@dataclass(frozen=True)
class Routing:
    """The router's answer for one text."""

    suggestions: list[Suggestion] = field(default_factory=list)
    abstain: bool = True
    reason: str = ""
    confidence: float | None = None
    threshold: float | None = None
    model_version: str = ""

    @property
    def triage_reason(self) -> str:
        """Why the incident waits for a person, with the two closest items."""
        if not self.abstain:
            return ""
        closest = "、".join(f"{s.name}（{s.score:.0%}）" for s in self.suggestions[:2])
        head = self.reason or "没有把握的匹配"
        if self.confidence is not None and self.threshold is not None and "执法事项" not in head:
            head += f"（置信度 {self.confidence:.0%}，低于 {self.threshold:.0%}）"
        return (f"{head}；最接近：{closest}" if closest else head)[:200]


def item_document(item: EnforcementItem) -> str:
    bases = " ".join(b.text for b in item.legal_bases.all())
    return " ".join((item.name, item.name, item.keywords, item.keywords, item.domain.name, bases))


def catalog_items() -> list[EnforcementItem]:
    return list(
        EnforcementItem.objects.in_force()
        .filter(kind=catalog_rules.PENALTY)
        .select_related("domain")
        .prefetch_related("legal_bases")
        .order_by("code")
    )


# ---- training data -------------------------------------------------------------------------------


def keyword_texts(items: Iterable[EnforcementItem]) -> list[tuple[str, str]]:
    """Each item's name and each of its keywords as a short labelled text."""
    out = []
    for item in items:
        out.append((item.name, item.code))
        out.extend((word, item.code) for word in item.keywords.split() if word)
    return out


def labelled_set(
    codes: Iterable[str],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[generator.Example]]:
    """(train, dev, test) of the generated set for the catalog's ``codes``: train and dev as
    (text, main code or ""), test as examples."""
    examples = generator.cached(tuple(sorted(codes)))
    train = [(e.text, e.code) for e in examples if e.split == generator.TRAIN]
    dev = [(e.text, e.code) for e in examples if e.split == generator.DEV]
    test = [e for e in examples if e.split == generator.TEST]
    return train, dev, test


def test_pairs(test: list[generator.Example]) -> list[tuple[str, tuple[str, ...]]]:
    return [(e.text, e.codes) for e in test]


def train_model(
    items: list[EnforcementItem], extra: Iterable[tuple[str, str]] = (), *, version: str
) -> RoutingModel:
    """A model for ``items`` from the generated set, the items' keywords, the seed incidents and
    ``extra`` (text, code) examples (the dispatchers' labelled examples)."""
    codes = {item.code for item in items}
    train, dev, _ = labelled_set(codes)
    seeds = [(text, code) for code, text in PAST_INCIDENTS if code in codes]
    data = train + keyword_texts(items) + seeds + [(t, c) for t, c in extra if c in codes]
    if not any(code for _, code in dev):
        dev = dev + keyword_texts(items)  # a catalog the generated set does not know: calibrate on keywords
    return RoutingModel.train(data, dev, {item.code: item_document(item) for item in items}, version=version)


def baseline_fingerprint(items: list[EnforcementItem]) -> str:
    here = Path(__file__).resolve().parent
    sources = [hashlib.sha256((here / name).read_bytes()).hexdigest() for name in SOURCES]
    return fingerprint(sources, [(i.code, item_document(i)) for i in items], PAST_INCIDENTS)


def cache_dir() -> Path:
    return Path(os.environ.get("ZHIFA_ROUTING_CACHE", settings.VAR_DIR / "cache" / "routing"))


def cached_model(items: list[EnforcementItem], extra: list[tuple[str, str]], *, version: str) -> RoutingModel:
    """``train_model`` with a file cache keyed by ``version`` (a fingerprint of the inputs):
    training is deterministic, so the same inputs give the same model."""
    with _train_lock:
        path = cache_dir() / f"{version}.bin"
        if path.exists():
            try:
                return RoutingModel.loads(path.read_bytes())
            except Exception:  # noqa: BLE001 (a stale or broken cache file is retrained)
                log.warning("routing model cache %s unreadable; retraining", path)
        model = train_model(items, extra, version=version)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(model.dumps())
        tmp.replace(path)
        return model


def baseline_model(items: list[EnforcementItem]) -> RoutingModel:
    """The model trained on the generated set for these items: from memory, from the file cache,
    or trained now (about half a minute for the demo catalog, once)."""
    version = f"base-{baseline_fingerprint(items)}"
    with _train_lock:
        if version not in _baselines:
            model = cached_model(items, [], version=version)
            _baselines.clear()  # one baseline per process is enough
            _baselines[version] = model
        return _baselines[version]


# ---- the model in use ----------------------------------------------------------------------------

_train_lock = threading.RLock()
_baselines: dict[str, RoutingModel] = {}
_lock = threading.Lock()
_cache: dict = {}


def invalidate() -> None:
    """Forget the cached model choice and items (after a catalog load or a retraining)."""
    with _lock:
        _cache.clear()


def _active_version() -> str:
    from .models import RoutingModelVersion

    return RoutingModelVersion.objects.filter(active=True).values_list("version", flat=True).first() or ""


def _versions_in_use() -> tuple[str, str]:
    """The catalog's version token and the version of the model in use, in one query."""
    from django.db.models import Subquery

    from .models import RoutingModelVersion

    row = (
        CatalogVersion.objects.annotate(
            active=Subquery(RoutingModelVersion.objects.filter(active=True).values("version")[:1])
        )
        .values_list("token", "active")
        .first()
    )
    return (row[0] or "", row[1] or "") if row else ("", _active_version())


def current() -> tuple[RoutingModel | None, dict[str, tuple[int, str]]]:
    """The model in use and the items in force it may suggest (code → (id, name))."""
    token, active = refdata.kept("routing:versions", _versions_in_use)
    with _lock:
        if _cache.get("key") == (token, active):
            return _cache["model"], _cache["items"]
    items = catalog_items()
    known = {item.code: (item.pk, item.name) for item in items}
    model = None
    if active:
        model = _load_version(active)
    if model is None and items:
        model = baseline_model(items)
    with _lock:
        _cache.update(key=(token, active), model=model, items=known)
    return model, known


_versions: dict[str, RoutingModel] = {}


def _load_version(version: str) -> RoutingModel | None:
    from .models import RoutingModelVersion

    if version in _versions:
        return _versions[version]
    blob = RoutingModelVersion.objects.filter(version=version).values_list("blob", flat=True).first()
    if not blob:
        return None
    model = RoutingModel.loads(bytes(blob))
    _versions.clear()
    _versions[version] = model
    return model


def route(text: str, k: int = 3) -> Routing:
    """Suggestions for ``text`` with their probabilities, and whether to route automatically."""
    if not (text or "").strip():
        return Routing(reason="没有诉求内容，无法推荐执法事项")
    model, known = current()
    if model is None:
        return Routing(reason="执法事项目录中没有可推荐的处罚事项")
    prediction = model.predict(text, k=k + 3)
    suggestions = [
        Suggestion(known[c.code][0], c.code, known[c.code][1], c.probability)
        for c in prediction.candidates
        if c.code in known and c.code != NONE
    ][:k]
    abstain = prediction.abstain or not suggestions
    reason = prediction.reason if abstain else ""
    if abstain and not reason:
        reason = "没有把握的匹配"
    confidence = suggestions[0].score if suggestions else None
    return Routing(suggestions, abstain, reason, confidence, prediction.threshold, model.version)


def warm() -> None:
    """Load the model in use and the word segmenter now, at a web worker's start: otherwise the
    first incident each worker receives waits seconds for them (every restart, every recycle)."""
    try:
        route("小区门口餐馆油烟直排")
    except Exception:  # noqa: BLE001 - a database not migrated yet: the first request loads it
        log.warning("routing model not warmed at start", exc_info=True)


def suggest(text: str, k: int = 3) -> list[Suggestion]:
    return route(text, k).suggestions


def evaluation(model: RoutingModel, items: list[EnforcementItem]) -> dict:
    """The model's figures on the fixed test split of the generated set: overall, per domain
    (of the text's main item; no-match texts under "无对应事项") and per kind of text."""
    from .routing_model import measure

    domain_of = {item.code: item.domain.name for item in items}
    _, _, test = labelled_set(domain_of)
    pairs = test_pairs(test)
    predictions = model.predict_many([t for t, _ in pairs])
    groups: dict[str, list[int]] = {}
    kinds: dict[str, list[int]] = {}
    for n, example in enumerate(test):
        groups.setdefault(domain_of.get(example.code, "无对应事项"), []).append(n)
        for kind in example.kinds:
            kinds.setdefault(kind, []).append(n)

    def part(indexes):
        return measure([pairs[i] for i in indexes], [predictions[i] for i in indexes])

    return {
        "overall": measure(pairs, predictions),
        "domains": {d: part(ix) for d, ix in sorted(groups.items())},
        "kinds": {k: part(ix) for k, ix in kinds.items()},
        "predictions": predictions,
        "test": test,
    }


# ---- responsibility -------------------------------------------------------------------------


def comprehensive_bureau() -> Organization | None:
    return (
        Organization.objects.filter(kind=Organization.Kind.COMPREHENSIVE_BUREAU, is_active=True)
        .order_by("path")
        .first()
    )


def township_team(region: Region | None) -> Organization | None:
    if region is None:
        return None
    return (
        Organization.objects.filter(region=region, kind=Organization.Kind.TOWNSHIP_TEAM, is_active=True)
        .order_by("path")
        .first()
    )


def responsible_for(item: EnforcementItem, township: Region | None) -> tuple[Organization | None, str]:
    """The body that must act on ``item`` at ``township`` and why (see ``rules.responsible_body``)."""
    return refdata.kept(
        ("dispatch.responsible_for", item.pk, township.pk if township else None),
        lambda: _responsible_for(item, township),
    )


def _responsible_for(item: EnforcementItem, township: Region | None) -> tuple[Organization | None, str]:
    on_list = township is not None and (
        item.township_library == catalog_rules.BASE
        or (
            item.township_library == catalog_rules.OPTIONAL
            and TownshipItemChoice.objects.filter(region=township, item=item).exists()
        )
    )
    team = township_team(township) if on_list else None
    claim = (
        Claim.objects.filter(item=item, level=catalog_rules.DISTRICT_LEVEL)
        .values_list("organization_id", flat=True)
        .first()
    )
    bureau = (
        comprehensive_bureau() if item.enforcing_body != catalog_rules.PROFESSIONAL and not claim else None
    )
    decision = rules.responsible_body(
        enforcing_body=item.enforcing_body,
        on_township_list=on_list,
        township_team_id=team.pk if team else None,
        district_claimant_id=claim,
        bureau_id=bureau.pk if bureau else None,
    )
    fetched = {o.pk: o for o in (team, bureau) if o is not None}
    org = fetched.get(decision.org_id) or (
        Organization.objects.filter(pk=decision.org_id).first() if decision.org_id else None
    )
    return org, decision.reason


def townships() -> dict[str, Region]:
    """The townships (乡镇、街道) by name."""
    return refdata.kept(
        "dispatch.townships",
        lambda: {r.name: r for r in Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS)},
    )


def locate(address: str, lat, lng) -> Region | None:
    """The township of an address or a point (``rules.township_name_for``)."""
    by_name = townships()
    name = rules.township_name_for(
        address,
        float(lat) if lat is not None else None,
        float(lng) if lng is not None else None,
        list(by_name),
    )
    return by_name.get(name)


def suggested_item(item_id: int) -> EnforcementItem | None:
    """A suggested item, with its domain."""
    return refdata.kept(
        ("dispatch.item", item_id),
        lambda: EnforcementItem.objects.select_related("domain").filter(pk=item_id).first(),
    )
