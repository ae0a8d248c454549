"""Party endpoints: list with filters, detail, registration, correction. ID numbers are always
masked here."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from zhifa.core.labels import choice_label
from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema
from zhifa.core.scopes import Scope
from zhifa.core.validators import mask_id_number
from zhifa.organizations.models import Region

from . import selectors, services
from .models import Party

router = Router(tags=["监管对象"])
_kind_label = choice_label(Party, "kind")
_industry_label = choice_label(Party, "industry")
_risk_color_label = choice_label(Party, "risk_color")


class PartyOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    uscc: str
    id_number_masked: str
    representative: str
    township_id: int
    township_name: str
    industry: str
    industry_label: str
    risk_color: str
    risk_color_label: str
    risk_updated_at: dt.datetime | None

    @staticmethod
    def resolve_id_number_masked(obj) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""

    # Resolvers rather than dotted aliases and get_*_display: same values, faster lists
    # (zhifa.core.labels).
    @staticmethod
    def resolve_kind_label(obj) -> str:
        return _kind_label(obj.kind)

    @staticmethod
    def resolve_township_name(obj) -> str:
        return obj.township.name

    @staticmethod
    def resolve_industry_label(obj) -> str:
        return _industry_label(obj.industry)

    @staticmethod
    def resolve_risk_color_label(obj) -> str:
        return _risk_color_label(obj.risk_color)


class PartyDetailOut(PartyOut):
    phone: str
    address: str
    risk_reasons: list[str]
    violation_count_12m: int
    complaint_count_12m: int
    failed_inspection_count_12m: int
    serious_violation: bool
    #: The version to send back as ``updated_at`` with a correction (optimistic check).
    updated_at: dt.datetime


class PartyIn(Schema):
    kind: str
    name: str
    township_id: int
    uscc: str = ""
    id_number: str = ""
    representative: str = ""
    phone: str = ""
    address: str = ""
    industry: str = Party.Industry.OTHER


class PartyPatchIn(Schema):
    """A correction: only the fields sent change. ``updated_at`` (from the detail) refuses the
    correction with 409 ``party_changed`` when someone else saved the party since."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    name: str | None = None
    township_id: int | None = None
    uscc: str | None = None
    id_number: str | None = None
    representative: str | None = None
    phone: str | None = None
    address: str | None = None
    industry: str | None = None
    updated_at: dt.datetime | None = None


class PartyFilters(Schema):
    kind: str | None = None
    township_id: int | None = None
    risk_color: str | None = None
    industry: str | None = None
    q: str | None = None


def _scope(request) -> Scope:
    return Scope.for_user(request.auth)


#: The columns PartyOut reads.
PARTY_LIST_FIELDS = (
    "id",
    "kind",
    "name",
    "uscc",
    "id_number",
    "representative",
    "township_id",
    "township__name",
    "industry",
    "risk_color",
    "risk_updated_at",
)


@router.get("", response=list[PartyOut], summary="监管对象列表")
@paginate(Pagination, page_size=50)
def list_parties(request, filters: Query[PartyFilters]):
    return selectors.parties(_scope(request), **filters.dict()).only(*PARTY_LIST_FIELDS)


@router.get("/{party_id}", response=PartyDetailOut, summary="监管对象详情")
def get_party(request, party_id: int):
    return selectors.party_detail(_scope(request), party_id)


@router.post("", response={201: PartyDetailOut}, summary="登记监管对象")
def create_party(request, payload: PartyIn):
    data = payload.dict()
    township = Region.objects.filter(pk=data.pop("township_id")).first()
    if township is None:
        raise ValidationError(
            {"township_id": ValidationError("所选乡镇（街道）不存在", code="does_not_exist")}
        )
    party = services.create_party(request.auth, {**data, "township": township})
    return Status(201, selectors.party_detail(_scope(request), party.pk))


@router.patch("/{party_id}", response=PartyDetailOut, summary="修改监管对象信息")
def update_party(request, party_id: int, payload: PartyPatchIn):
    data = payload.dict(exclude_unset=True)
    expected = data.pop("updated_at", None)
    if "township_id" in data:
        township = Region.objects.filter(pk=data.pop("township_id")).first()
        if township is None:
            raise ValidationError(
                {"township_id": ValidationError("所选乡镇（街道）不存在", code="does_not_exist")}
            )
        data["township"] = township
    data = {k: v for k, v in data.items() if v is not None}
    services.update_party(request.auth, party_id, data, expected_updated_at=expected)
    return selectors.party_detail(_scope(request), party_id)
