"""证据共享 (浙江省综合行政执法条例第十八条): evidence another enforcement body lawfully gathered is
attached to a case by reference — the source body, its case and the SHA-256 of the evidence — and
appears in the case's own evidence list (行政处罚法第四十六条). When the platform holds the source
evidence (same digest, in a case of that number of that body) the reference is marked verified."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from zhifa.cases import services as cases_services
from zhifa.cases.models import Evidence
from zhifa.core import access, audit
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Organization

from .. import commands, rules
from ..models import SharedEvidence
from .common import locked_case, raise_if, today, user_of

BASIS = "《浙江省综合行政执法条例》第十八条"
#: Organisations that enforce (执法主体 or their teams and stations); not the government, the command
#: centre, the guidance office or a regulator that kept only supervision duties.
ENFORCING_KINDS = frozenset(
    {
        Organization.Kind.COMPREHENSIVE_BUREAU,
        Organization.Kind.PROFESSIONAL_DEPARTMENT,
        Organization.Kind.TOWNSHIP_TEAM,
        Organization.Kind.DISPATCHED_STATION,
    }
)


def _source_on_platform(source: Organization, case_number: str, sha256: str) -> Evidence | None:
    """The evidence with this digest in the named case of the source body (or a unit under it).
    Only its existence is used — the referring officer already holds the number and the digest."""
    return (
        Evidence.objects.filter(
            sha256=sha256, case__number=case_number, case__organization__path__startswith=source.path
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def share_evidence(actor, case_id: int, data: dict[str, Any] | commands.ShareEvidenceIn) -> SharedEvidence:
    command = parse(commands.ShareEvidenceIn, data)
    case = locked_case(actor, case_id, "measures.share_evidence")
    source = access.get_visible(
        actor, Organization, command.source_organization_id, input_field="source_organization_id"
    )
    if not (source.body().is_enforcement_body or source.kind in ENFORCING_KINDS):
        raise_if(
            rules.refuse(
                "not_enforcement_body", (rules.Z(18),), "来源机关不是行政执法机关", "source_organization_id"
            )
        )
    raise_if(
        rules.shared_evidence_refusal(
            same_body=source.body().pk == case.organization.body().pk,
            sha256=command.sha256,
            gathered_on=command.gathered_on,
            today=today(),
        )
    )
    if SharedEvidence.objects.filter(case=case, sha256=command.sha256).exists():
        raise DomainError("already_shared", "本案已引用该证据", "sha256")
    found = _source_on_platform(source, command.source_case_number, command.sha256)
    description = (
        f"【共享证据】{command.description}（来源：{source.name}，案件{command.source_case_number}，"
        f"收集于{command.gathered_on}{'，' + command.transfer_letter if command.transfer_letter else ''}；"
        f"{'平台已核验' if found else '平台外证据'}；浙江省综合行政执法条例第十八条）"
    )
    evidence = cases_services.add_evidence(actor, case.pk, {"kind": command.kind, "description": description})
    # The reference carries the source's digest: the evidence list shows what the content hashes to.
    Evidence.objects.filter(pk=evidence.pk).update(sha256=command.sha256)
    try:
        with transaction.atomic():
            shared = SharedEvidence.objects.create(
                case=case,
                evidence=evidence,
                source_organization=source,
                source_case_number=command.source_case_number,
                source_evidence=found,
                sha256=command.sha256,
                gathered_on=command.gathered_on,
                transfer_letter=command.transfer_letter,
                created_by=user_of(actor),
            )
    except IntegrityError:
        raise DomainError("already_shared", "本案已引用该证据", "sha256") from None
    audit.record(
        actor,
        "measures.share_evidence",
        shared,
        after={
            "case": case.pk,
            "evidence": evidence.pk,
            "source": source.pk,
            "source_case": command.source_case_number,
            "sha256": command.sha256,
            "verified": bool(found),
        },
        legal_basis=BASIS,
    )
    return shared
