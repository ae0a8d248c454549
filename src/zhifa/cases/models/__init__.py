"""Data of the cases app: the case file (``case``), the acts of authority made on it (``acts``) and
its legal reviews (``review``)."""

from .acts import Approval, CourtRuling, Deliberation, EServiceConsent, Waiver
from .case import (
    ACTION_CHOICES,
    FINED_STATES,
    OPEN_STATES,
    PROCEDURE_CHOICES,
    STATE_CHOICES,
    Case,
    CaseEvent,
    CaseOfficer,
    CaseQuerySet,
    Document,
    DocumentCounter,
    Evidence,
    Payment,
    RemedyOutcome,
)
from .review import LegalReview, ReviewCatalogueEntry, ReviewCentre

__all__ = [
    "ACTION_CHOICES",
    "FINED_STATES",
    "OPEN_STATES",
    "PROCEDURE_CHOICES",
    "STATE_CHOICES",
    "Approval",
    "Case",
    "CaseEvent",
    "CaseOfficer",
    "CaseQuerySet",
    "CourtRuling",
    "Deliberation",
    "Document",
    "DocumentCounter",
    "EServiceConsent",
    "Evidence",
    "LegalReview",
    "Payment",
    "RemedyOutcome",
    "ReviewCatalogueEntry",
    "ReviewCentre",
    "Waiver",
]
