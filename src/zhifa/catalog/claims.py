"""Claims (认领) and township choices (乡镇自选): who answers for an item, at district level and in
each township. Transactional, permission-checked (``catalog.claim``, ``catalog.choose``), audited.

* plan 三.(一)3: every item claimed (事项认领率100%) by the body that exercises it; one claim per item
  at district level and one per item and township at township level (the database enforces it);
* 行政处罚法第二十四条: a township exercises the powers given to it — every base item (基础库) and the
  optional items (自选库) it chose, which its own team claims in the same step;
* 行政处罚法第三十八条: a claim is not withdrawn while open cases or inspections rely on the item.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhifa.core import access, audit
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.organizations.models import Organization, Region

from . import rules, services
from .models import Claim, EnforcementItem, TownshipItemChoice
from .references import open_reference_count

CLAIM_FIELDS = ("item", "organization", "level", "region")


def _item(item_id: int, *, lock: bool = False) -> EnforcementItem:
    qs = EnforcementItem.objects.select_for_update() if lock else EnforcementItem.objects.all()
    item = qs.filter(pk=item_id).first()
    if item is None:
        raise NotFound("事项不存在")
    return item


def on_township_list(item: EnforcementItem, region: Region) -> bool:
    if item.status != rules.IN_FORCE:
        return False
    if item.township_library == rules.BASE:
        return True
    return (
        item.township_library == rules.OPTIONAL
        and TownshipItemChoice.objects.filter(item=item, region=region).exists()
    )


def claim_refusal(item: EnforcementItem, organization: Organization) -> tuple[str, str] | None:
    """Why ``organization`` may not claim ``item`` at its level (None: it may)."""
    region = organization.region
    level = rules.claim_level(region.is_township)
    if item.status != rules.IN_FORCE:
        return "item_repealed", "该事项已废止，不能认领"
    return rules.claim_refusal(
        enforcing_body=item.enforcing_body,
        township_library=item.township_library,
        org_kind=organization.kind,
        level=level,
        on_township_list=level == rules.DISTRICT_LEVEL or on_township_list(item, region),
    )


def create_claim(actor, item: EnforcementItem, organization: Organization) -> Claim:
    """The claim itself, without the permission check (the loader and the township choice use it)."""
    region = organization.region
    level = rules.claim_level(region.is_township)
    refusal = claim_refusal(item, organization)
    if refusal:
        raise ValidationError({"organization": ValidationError(refusal[1], code=refusal[0])})
    same_place = Claim.objects.filter(item=item, level=level)
    if level == rules.TOWNSHIP_LEVEL:
        same_place = same_place.filter(region=region)
    holder = same_place.select_related("organization").first()
    if holder is not None:
        raise ValidationError(
            {
                "organization": ValidationError(
                    f"该事项在{rules.CLAIM_LEVEL_LABELS[level]}已由{holder.organization.name}认领，同一层级只能有一个认领单位",
                    code="already_claimed",
                )
            }
        )
    claim = Claim(
        item=item, organization=organization, level=level, region=region, claimed_by=services.person(actor)
    )
    try:
        with transaction.atomic():  # the unique constraints are the guard against a concurrent claim
            claim.save()
    except IntegrityError:
        raise ValidationError(
            {"organization": ValidationError("该事项在此层级已有认领单位", code="already_claimed")}
        ) from None
    audit.record(
        actor, "claim.create", claim, after=audit.snapshot(claim, CLAIM_FIELDS), organization=organization
    )
    return claim


@transaction.atomic
def claim_item(actor, item_id: int, organization: Organization) -> Claim:
    """认领: ``organization`` accepts responsibility for the item at its level (district or
    township, from where it sits)."""
    access.require(actor, "catalog.claim", organization)
    return create_claim(actor, _item(item_id, lock=True), organization)


@transaction.atomic
def claim_items(actor, item_ids: list[int], organization: Organization) -> list[Claim]:
    """Several claims of one body in one step: all of them or none."""
    access.require(actor, "catalog.claim", organization)
    if not item_ids:
        raise ValidationError({"items": ValidationError("请至少选择一个事项", code="required")})
    claims = []
    for item_id in sorted(set(item_ids)):
        item = _item(item_id, lock=True)
        try:
            claims.append(create_claim(actor, item, organization))
        except ValidationError as exc:
            message = "；".join(exc.messages)
            raise ValidationError(
                {
                    "items": ValidationError(
                        f"{item.code} {item.name}：{message}", code=exc.error_dict["organization"][0].code
                    )
                }
            ) from None
    return claims


@transaction.atomic
def withdraw_claim(actor, claim_id: int) -> None:
    """撤回认领. Refused while open cases, inspections or incidents rely on the item: the body
    answering for them would be gone."""
    claim = (
        Claim.objects.select_for_update().select_related("organization", "item").filter(pk=claim_id).first()
    )
    if claim is None:
        raise NotFound()
    access.require(actor, "catalog.claim", claim.organization)
    in_use = open_reference_count(claim.item_id)
    if in_use and claim.level == rules.DISTRICT_LEVEL:
        raise DomainError(
            "item_in_use", f"该事项仍被 {in_use} 件未办结的案件或其他业务引用，办结后才能撤回认领", "claim"
        )
    before = audit.snapshot(claim, CLAIM_FIELDS)
    claim.delete()
    audit.record(
        actor,
        "claim.withdraw",
        object_type="catalog.Claim",
        object_id=claim_id,
        before=before,
        organization=claim.organization,
    )


def _chooser_region(actor, region: Region | None) -> Region:
    """Only a township's leaders choose, and only for their own township."""
    org = getattr(actor, "organization", None)
    own = org.region if org is not None else None
    if access.has_role(actor, access.ADMIN) and region is not None:
        return region
    message = access.why_not(actor, "catalog.choose", region or own)
    if message is not None or own is None or not own.is_township:
        raise PermissionDenied(
            message or "只有乡镇（街道）领导可以为本乡镇（街道）选择自选事项", code="not_township_leader"
        )
    return own


def township_team(region: Region) -> Organization | None:
    """The township's own enforcement team (乡镇（街道）综合执法队)."""
    return (
        Organization.objects.filter(region=region, kind=Organization.Kind.TOWNSHIP_TEAM, is_active=True)
        .order_by("path")
        .first()
    )


@transaction.atomic
def choose_optional_item(actor, item_id: int, region: Region | None = None) -> TownshipItemChoice:
    """A township takes on an optional item (自选库); its enforcement team claims it at township
    level in the same step, so the item never sits on a list without a body answering for it."""
    region = _chooser_region(actor, region)
    item = _item(item_id, lock=True)
    refusal = rules.choice_refusal(item.enforcing_body, item.township_library, item.status)
    if refusal:
        raise ValidationError({"item": ValidationError(refusal[1], code=refusal[0])})
    if TownshipItemChoice.objects.filter(item=item, region=region).exists():
        raise ValidationError({"item": ValidationError(f"{region.name}已选择该事项", code="already_chosen")})
    choice = TownshipItemChoice.objects.create(item=item, region=region, chosen_by=services.person(actor))
    audit.record(
        actor,
        "township_choice.add",
        choice,
        after={"region": region.pk, "item": item.pk, "code": item.code},
        legal_basis="行政处罚法第二十四条",
    )
    team = township_team(region)
    if (
        team is not None
        and not Claim.objects.filter(item=item, level=rules.TOWNSHIP_LEVEL, region=region).exists()
    ):
        create_claim(actor, item, team)
    return choice


@transaction.atomic
def unchoose_optional_item(actor, item_id: int, region: Region | None = None) -> None:
    """A township gives an optional item back; its township-level claim goes with it."""
    region = _chooser_region(actor, region)
    choice = TownshipItemChoice.objects.select_for_update().filter(item_id=item_id, region=region).first()
    if choice is None:
        raise NotFound("本乡镇（街道）未选择该事项")
    item = _item(item_id)
    in_use = open_reference_count(item.pk)
    if in_use:
        raise DomainError("item_in_use", rules.in_use_message(in_use), "item")
    for claim in Claim.objects.filter(item_id=item_id, level=rules.TOWNSHIP_LEVEL, region=region):
        before = audit.snapshot(claim, CLAIM_FIELDS)
        pk = claim.pk
        claim.delete()
        audit.record(actor, "claim.withdraw", object_type="catalog.Claim", object_id=pk, before=before)
    choice_pk = choice.pk
    choice.delete()
    audit.record(
        actor,
        "township_choice.remove",
        object_type="catalog.TownshipItemChoice",
        object_id=choice_pk,
        before={"region": region.pk, "item": item.pk, "code": item.code},
    )
