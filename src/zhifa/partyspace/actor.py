"""The actors of the party's space: the party itself, signed in with a one-time code, and the
payment channel that confirms a payment. Neither is a staff ``User``; both carry the attributes the
access policy and the audit log read from an actor.

* ``PartyActor`` holds no role, so it performs no act an officer or a head holds. The cases app lets
  it see its own cases (``cases.access``) and accepts the party's own acts where a service takes an
  ``electronic_signature`` (statement, waiver, consent to electronic service).
* ``PaymentChannelActor`` is the payment platform posting a completed payment back, for the body
  whose fine was paid, in the officer's role of recording a payment (like an API key, which acts
  for one organisation in one role)."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhifa.organizations.models import Organization, User


@dataclass(frozen=True)
class PartyActor:
    party_id: int
    name: str
    kind: str

    is_authenticated = True
    is_superuser = False
    is_staff = False
    is_active = True
    role = ""
    roles: frozenset = field(default=frozenset())
    organization = None
    officer_id = None
    officer = None
    pk = None

    def get_username(self) -> str:
        """The audit log names the party."""
        return self.name


@dataclass(frozen=True)
class PaymentChannelActor:
    organization: Organization
    channel: str

    is_authenticated = True
    is_superuser = False
    is_staff = False
    role = User.Role.OFFICER
    officer_id = None
    officer = None
    pk = None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset({User.Role.OFFICER})

    def get_username(self) -> str:
        return f"payment:{self.channel}"


def is_party(actor) -> bool:
    return isinstance(actor, PartyActor)
