"""Payments (行政处罚法第六十六条至第七十二条): the amount, the channel and the receipt; the action —
paid in full, in part, or collected on the spot — follows from the amount due including the late
surcharge (第七十二条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import Field

from zhifa.core import audit
from zhifa.core.commands import Command, parse

from .. import rules
from ..facts import build_facts
from ..models import Payment
from .common import case_config, locked_case, user_of
from .procedure import apply_action


class PaymentIn(Command):
    amount: Annotated[Decimal, Field(gt=0, le=Decimal("1000000000"), max_digits=14, decimal_places=2)]
    paid_on: dt.date
    channel: Literal["bank", "electronic", "on_spot"] = "bank"
    receipt_number: Annotated[str, Field(max_length=60)] = ""


@transaction.atomic
def record_payment(
    actor,
    case_id: int,
    amount: Any,
    paid_on: dt.date | None = None,
    channel: str = Payment.Channel.BANK,
    receipt_number: str = "",
) -> Payment:
    """Record a payment. Fen only (two decimals); never more than is due; dated between service
    and today (第六十七条); on the spot only within art. 68–69 and with the official receipt (第七十条)."""
    command = parse(
        PaymentIn,
        {
            "amount": str(amount) if amount is not None else None,
            "paid_on": paid_on,
            "channel": channel,
            "receipt_number": receipt_number,
        },
    )
    case = locked_case(actor, case_id)
    config = case_config()
    paid_total = case.amount_paid + command.amount
    facts = build_facts(case, {"payment_date": command.paid_on, "amount_paid": paid_total})
    due = rules.amount_due(facts, command.paid_on, config)
    if paid_total > due:
        raise ValidationError({"amount": ValidationError(f"缴纳金额超过应缴金额{due}元", code="overpayment")})
    deadline = rules.payment_due(facts, config)
    surcharge = (
        rules.late_surcharge(
            rules.fine_total(facts.penalties_decided), deadline, command.paid_on, config.late_surcharge_rate
        )
        if deadline
        else Decimal("0")
    )
    data: dict[str, Any] = {"payment_date": command.paid_on, "amount_paid": paid_total}
    if command.channel == Payment.Channel.ON_SPOT:
        action = rules.Action.COLLECT_ON_SPOT
        data = {**data, "collected_on_spot_on": command.paid_on, "receipt_number": command.receipt_number}
    else:
        action = rules.Action.PAY if paid_total >= due else rules.Action.PAY_PART
    apply_action(
        actor, case, action, data, note=f"缴纳{command.amount}元（{Payment.Channel(command.channel).label}）"
    )
    payment = Payment.objects.create(
        case=case,
        amount=command.amount,
        surcharge=min(surcharge, command.amount),
        paid_on=command.paid_on,
        channel=command.channel,
        receipt_number=command.receipt_number,
        recorded_by=user_of(actor),
    )
    audit.record(
        actor,
        "case.payment",
        payment,
        after={
            "case": case.pk,
            "amount": command.amount,
            "surcharge": payment.surcharge,
            "paid_on": command.paid_on,
            "channel": command.channel,
            "receipt_number": command.receipt_number,
        },
        legal_basis="《行政处罚法》第六十七条至第七十条",
    )
    return payment
