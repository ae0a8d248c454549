"""Every write to parties and their credit rules: transactional, permission-checked and audited.

Articles: 国发〔2019〕5号 (信用风险分类监管); 个人信息保护法第六条 (no more personal data than needed).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import access, audit
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.scopes import Scope
from zhifa.core.validators import IdentifierError, validate_id_number, validate_uscc
from zhifa.core.workdays import add_months

from . import rules, selectors
from .models import Party, RiskConfig

EDITABLE_FIELDS = (
    "kind",
    "name",
    "uscc",
    "id_number",
    "representative",
    "phone",
    "address",
    "township",
    "industry",
)
FACT_FIELDS = (
    "violation_count_12m",
    "complaint_count_12m",
    "failed_inspection_count_12m",
    "serious_violation",
)
RISK_FIELDS = (
    "risk_color",
    "risk_reasons",
    "risk_updated_at",
    "risk_score",
    "light_touch",
    "light_touch_reason",
)
AUDITED_RISK = ("risk_color", "risk_reasons", "risk_score", "light_touch", "light_touch_reason")
PARTY_FIELDS = EDITABLE_FIELDS + FACT_FIELDS + ("risk_color", "risk_reasons")

# ---- facts providers -----------------------------------------------------------------------

#: ``provider(party_ids, since) -> {party_id: {PartyFacts field: value}}``. Apps that know a fact
#: (cases: penalty decisions; dispatch: complaints; inspections: failed inspections) register a
#: provider; the values it returns replace the counts recorded on the party. ``since`` is the
#: first day of the window (``RiskConfig.window_months`` before today).
FactsProvider = Callable[[list[int], dt.date], Mapping[int, Mapping[str, Any]]]
FACTS_PROVIDERS: list[FactsProvider] = []


def register_facts_provider(provider: FactsProvider) -> FactsProvider:
    """Add a provider (usable as a decorator, e.g. in another app's ``AppConfig.ready``)."""
    if provider not in FACTS_PROVIDERS:
        FACTS_PROVIDERS.append(provider)
    return provider


def recorded_facts(party: Party, config: rules.RiskConfig) -> dict[str, Any]:
    """The facts recorded on the party itself (no providers, no database access)."""
    return {
        "violations": party.violation_count_12m,
        "complaints": party.complaint_count_12m,
        "failed_inspections": party.failed_inspection_count_12m,
        "serious_violation": party.serious_violation,
        "key_industry": party.get_industry_display() if party.industry in config.key_industries else "",
    }


def facts_for(
    parties: list[Party], config: rules.RiskConfig, today: dt.date | None = None
) -> dict[int, rules.PartyFacts]:
    """Each saved party's facts: what is recorded on it, overridden by the registered providers."""
    values = {p.pk: recorded_facts(p, config) for p in parties}
    since = add_months(today or timezone.localdate(), -config.window_months)
    for provider in FACTS_PROVIDERS:
        for pk, provided in provider(list(values), since).items():
            if pk in values:
                values[pk].update(provided)
    return {pk: rules.PartyFacts(**v) for pk, v in values.items()}


def assess(party: Party, facts: rules.PartyFacts, config: rules.RiskConfig, now: dt.datetime) -> bool:
    """Set the party's colour, reasons, score and 无感监管 standing (in memory; the caller saves);
    True when anything changed."""
    color, reasons = rules.risk_color(facts, config)
    score = rules.score(facts, config)
    light, light_reason = rules.light_touch(facts, config, color)
    new = (color, reasons, score, light, light_reason)
    if new == (
        party.risk_color,
        party.risk_reasons,
        party.risk_score,
        party.light_touch,
        party.light_touch_reason,
    ):
        return False
    party.risk_color, party.risk_reasons, party.risk_score, party.light_touch, party.light_touch_reason = new
    party.risk_updated_at = now
    return True


# ---- permissions ---------------------------------------------------------------------------


def _require_editor(actor) -> None:
    access.require(actor, "parties.edit")


def _require_township(actor, township) -> None:
    """Township users keep the parties of their own township; district bodies keep all."""
    if Scope.for_user(actor).is_empty:
        raise PermissionDenied("未归属机构的用户不能维护监管对象")
    access.require(actor, "parties.edit", Party(township=township) if township is not None else None)


def _require_risk_manager(actor) -> None:
    if actor is not None:
        access.require(actor, "parties.manage_credit")


def _locked_party(actor, party_id: int) -> Party:
    """The party, row-locked for the write, or NotFound when outside the actor's scope."""
    queryset = selectors.visible_parties(Scope.for_user(actor)).select_for_update(of=("self",))
    party = queryset.select_related("township").filter(pk=party_id).first()
    if party is None:
        raise NotFound()
    return party


def _normalised(value: str, validate) -> str:
    """Identifiers stripped and upper-cased (full-width folded) when valid; as typed otherwise,
    so that the field validator reports what is wrong."""
    value = (value or "").strip()
    try:
        return validate(value) if value else ""
    except IdentifierError:
        return value


def _apply(party: Party, data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if key not in EDITABLE_FIELDS:
            raise ValidationError({key: ValidationError("该字段不能在此修改", code="not_editable")})
        setattr(party, key, value)
    party.uscc = _normalised(party.uscc, validate_uscc)
    party.id_number = _normalised(party.id_number, validate_id_number)


# ---- parties -------------------------------------------------------------------------------


@transaction.atomic
def create_party(actor, data: Mapping[str, Any]) -> Party:
    _require_editor(actor)
    _require_township(actor, data.get("township"))
    party = Party()
    _apply(party, data)
    party.full_clean()
    config = selectors.active_risk_config()
    assess(party, rules.PartyFacts(**recorded_facts(party, config)), config, timezone.now())
    party.save()
    audit.record(actor, "party.create", party, after=audit.snapshot(party, PARTY_FIELDS))
    return party


class PartyChanged(DomainError):
    """The party was saved by someone else after the form was opened (optimistic check)."""

    status = 409

    def __init__(self, party: Party):
        super().__init__(
            "party_changed",
            f"该监管对象已于 {timezone.localtime(party.updated_at):%Y-%m-%d %H:%M:%S} 被他人修改，"
            "请核对当前信息后再保存",
            "updated_at",
        )
        self.party = party


def _ms(moment: dt.datetime) -> dt.datetime:
    """A version compared to the millisecond: JSON (DjangoJSONEncoder) keeps no more."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@transaction.atomic
def update_party(
    actor, party_id: int, data: Mapping[str, Any], *, expected_updated_at: dt.datetime | None = None
) -> Party:
    """Correct a party's data. With ``expected_updated_at`` (the form's copy of ``updated_at``), a
    party saved by someone else in the meantime is refused (``PartyChanged``) instead of
    overwritten; the row is locked for the write either way."""
    party = _locked_party(actor, party_id)
    _require_editor(actor)
    if expected_updated_at is not None and _ms(party.updated_at) != _ms(expected_updated_at):
        raise PartyChanged(party)
    before = audit.snapshot(party, PARTY_FIELDS)
    _apply(party, data)
    _require_township(actor, party.township if party.township_id else None)
    party.full_clean()
    config = selectors.active_risk_config()
    assess(party, facts_for([party], config)[party.pk], config, timezone.now())
    party.save()
    audit.record(actor, "party.update", party, before=before, after=audit.snapshot(party, PARTY_FIELDS))
    return party


@transaction.atomic
def record_credit_facts(actor, party_id: int, data: Mapping[str, Any]) -> Party:
    """Record the counts behind a party's colour (until the cases, dispatch and inspections apps
    provide them) and recompute the colour."""
    _require_risk_manager(actor)
    party = _locked_party(actor, party_id)
    before = audit.snapshot(party, PARTY_FIELDS)
    for key, value in data.items():
        if key not in FACT_FIELDS:
            raise ValidationError({key: ValidationError("该字段不能在此修改", code="not_editable")})
        setattr(party, key, value)
    party.full_clean()
    config = selectors.active_risk_config()
    assess(party, facts_for([party], config)[party.pk], config, timezone.now())
    party.save()
    audit.record(actor, "party.credit_facts", party, before=before, after=audit.snapshot(party, PARTY_FIELDS))
    return party


@transaction.atomic
def recompute_party_risk(actor, party_id: int) -> Party:
    """Reassess one party. ``actor=None`` is the system (a periodic job)."""
    _require_risk_manager(actor)
    party = (
        _locked_party(actor, party_id)
        if actor is not None
        else Party.objects.select_for_update().filter(pk=party_id).first()
    )
    if party is None:
        raise NotFound()
    config = selectors.active_risk_config()
    before = audit.snapshot(party, AUDITED_RISK)
    if assess(party, facts_for([party], config)[party.pk], config, timezone.now()):
        party.save(update_fields=[*RISK_FIELDS, "updated_at"])
        audit.record(
            actor, "party.risk_color", party, before=before, after=audit.snapshot(party, AUDITED_RISK)
        )
    return party


@transaction.atomic
def recompute_all_risk(actor=None, batch_size: int = 2000) -> dict[str, Any]:
    """Reassess every party (after the rules change, or nightly); ``actor=None`` is the system.
    Only changed rows are written; one audit event lists the colour changes (none for a system run
    that changed nothing, so the nightly task is idempotent)."""
    _require_risk_manager(actor)
    config = selectors.active_risk_config()
    now = timezone.now()
    counts: Counter = Counter()
    changes: dict[str, list[str]] = {}
    checked = written = 0
    last_pk = 0
    while True:
        batch = list(Party.objects.select_for_update().filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        facts = facts_for(batch, config)
        dirty = []
        for party in batch:
            old = party.risk_color
            if assess(party, facts[party.pk], config, now):
                dirty.append(party)
                if party.risk_color != old:
                    changes[str(party.pk)] = [old, party.risk_color]
            counts[party.risk_color] += 1
        Party.objects.bulk_update(dirty, RISK_FIELDS, batch_size=batch_size)
        checked += len(batch)
        written += len(dirty)
    summary = {"checked": checked, "counts": {c: counts[c] for c in rules.COLORS}, "changed": changes}
    if written or actor is not None:  # a person's request is always recorded; an idle night is not
        audit.record(
            actor, "party.risk_recompute_all", object_type="parties.Party", object_id="*", after=summary
        )
    return summary


# ---- credit rules ----

CONFIG_KEYS = (*RiskConfig.FIELDS, "effective_from", "note")


@transaction.atomic
def set_risk_config(actor, data: Mapping[str, Any]) -> RiskConfig:
    """New credit rules (the previous rows are kept as history). In force today: at once, and every
    party is recoloured. With a later ``effective_from``: kept as the rules to come, put in force
    and applied by the nightly task on that date (a later setting replaces one still to come)."""
    _require_risk_manager(actor)
    if actor is None:
        raise PermissionDenied("调整信用风险评定规则须由具体人员操作")
    unknown = set(data) - set(CONFIG_KEYS)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field: ValidationError("该字段不能在此修改", code="not_editable")})
    today = timezone.localdate()
    effective_from = data.get("effective_from") or today
    if effective_from < today:
        raise ValidationError(
            {"effective_from": ValidationError("施行日期不能早于今天", code="effective_from_past")}
        )
    current = RiskConfig.objects.select_for_update().filter(is_active=True).first()
    before = {name: getattr(current, name) for name in RiskConfig.FIELDS} if current else None
    base = before or {name: RiskConfig._meta.get_field(name).get_default() for name in RiskConfig.FIELDS}
    values = {k: v for k, v in data.items() if k in RiskConfig.FIELDS}
    user = actor if isinstance(actor, get_user_model()) else None
    config = RiskConfig(
        **{**base, **values},
        is_active=False,
        effective_from=effective_from,
        note=(data.get("note") or "").strip()[:300],
        created_by=user,
    )
    config.full_clean()
    for pending in RiskConfig.objects.select_for_update().filter(is_active=False, activated_at__isnull=True):
        audit.record(
            actor, "party.risk_config_replaced", pending, before={"effective_from": pending.effective_from}
        )
        pending.delete()
    if effective_from > today:
        config.save()
        audit.record(
            actor,
            "party.risk_config_scheduled",
            config,
            before=before,
            after={
                **{name: getattr(config, name) for name in RiskConfig.FIELDS},
                "effective_from": effective_from,
            },
        )
        return config
    if current is not None:
        current.is_active = False
        current.save(update_fields=["is_active"])
    config.is_active, config.activated_at = True, timezone.now()
    config.save()
    audit.record(
        actor,
        "party.risk_config",
        config,
        before=before,
        after={
            **{name: getattr(config, name) for name in RiskConfig.FIELDS},
            "effective_from": effective_from,
        },
    )
    recompute_all_risk(actor)
    return config


def nightly_recompute(today: dt.date | None = None) -> dict[str, Any]:
    """The nightly task: put in force the credit rules whose date has come, then reassess every
    party (the window of facts moves every day) — each change with its reasons, one audit event."""
    today = today or timezone.localdate()
    activated = None
    with transaction.atomic():
        due = (
            RiskConfig.objects.select_for_update()
            .filter(is_active=False, activated_at__isnull=True, effective_from__lte=today)
            .order_by("-effective_from", "-pk")
            .first()
        )
        if due is not None:
            current = RiskConfig.objects.select_for_update().filter(is_active=True).first()
            before = {name: getattr(current, name) for name in RiskConfig.FIELDS} if current else None
            if current is not None:
                current.is_active = False
                current.save(update_fields=["is_active"])
            due.is_active, due.activated_at = True, timezone.now()
            due.save(update_fields=["is_active", "activated_at"])
            audit.record(
                None,
                "party.risk_config",
                due,
                before=before,
                after={
                    **{name: getattr(due, name) for name in RiskConfig.FIELDS},
                    "effective_from": due.effective_from,
                },
            )
            activated = due.pk
    summary = recompute_all_risk(None)
    return {"activated": activated, **summary}
