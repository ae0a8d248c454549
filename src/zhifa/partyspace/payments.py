"""Payment channels for fines paid online (行政处罚法第六十七条第三款：电子支付).

An adapter turns a ``PaymentOrder`` into the address the party is sent to, and reads the
channel's confirmation back. ``ZHIFA_PAYMENT_ADAPTER`` names the adapter (dotted path).
``TestAdapter`` is a stand-in for the province's non-tax payment platform (统一公共支付平台): its
"gateway" is a page of this site, and its confirmation is signed with a key derived from
``SECRET_KEY``, so a forged or altered confirmation is refused like a real channel's would be."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string


class CallbackRefused(Exception):
    """A confirmation that does not come from the channel (bad signature, malformed)."""


@dataclass(frozen=True)
class Confirmation:
    reference: str  # our order number
    external_ref: str  # the channel's transaction number (the receipt number of the payment)
    amount: Decimal
    paid_at: dt.datetime


class PaymentAdapter:
    name = ""
    label = ""

    def checkout_url(self, order) -> str:
        raise NotImplementedError

    def confirmation(self, data) -> Confirmation:
        """Read and verify the channel's confirmation (a QueryDict or dict)."""
        raise NotImplementedError


class TestAdapter(PaymentAdapter):
    name = "test"
    label = "测试支付渠道"

    @staticmethod
    def _key() -> bytes:
        return hmac.new(
            settings.SECRET_KEY.encode(), b"zhifa.partyspace.payments.test", hashlib.sha256
        ).digest()

    @classmethod
    def sign(cls, reference: str, external_ref: str, amount: str, paid_at: str) -> str:
        message = f"{reference}|{external_ref}|{amount}|{paid_at}".encode()
        return hmac.new(cls._key(), message, hashlib.sha256).hexdigest()

    def checkout_url(self, order) -> str:
        return reverse("partyspace:test_gateway", args=[order.reference])

    def confirm_fields(self, order) -> dict[str, str]:
        """What the test gateway posts back when the party pays (signed)."""
        paid_at = timezone.now().isoformat()
        external_ref = (
            "TEST" + hashlib.sha256(f"{order.reference}|{paid_at}".encode()).hexdigest()[:16].upper()
        )
        amount = f"{order.amount:.2f}"
        return {
            "reference": order.reference,
            "external_ref": external_ref,
            "amount": amount,
            "paid_at": paid_at,
            "signature": self.sign(order.reference, external_ref, amount, paid_at),
        }

    def confirmation(self, data) -> Confirmation:
        try:
            fields = {
                k: str(data[k]) for k in ("reference", "external_ref", "amount", "paid_at", "signature")
            }
            expected = self.sign(
                fields["reference"], fields["external_ref"], fields["amount"], fields["paid_at"]
            )
            if not hmac.compare_digest(expected, fields["signature"]):
                raise CallbackRefused("签名不符")
            return Confirmation(
                fields["reference"],
                fields["external_ref"][:80],
                Decimal(fields["amount"]),
                dt.datetime.fromisoformat(fields["paid_at"]),
            )
        except (KeyError, ValueError, InvalidOperation) as exc:
            raise CallbackRefused("支付确认格式不正确") from exc


def adapter() -> PaymentAdapter | None:
    """The configured channel, or None when no online payment channel is open."""
    path = getattr(settings, "ZHIFA_PAYMENT_ADAPTER", "")
    return import_string(path)() if path else None


def adapter_named(name: str) -> PaymentAdapter | None:
    current = adapter()
    return current if current is not None and current.name == name else None
