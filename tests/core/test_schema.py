"""The API's base schema (core.schema) reads a row into a plain dict in one pass: what it makes of
a row must be exactly what ninja's own getter makes of it, for model instances (with related rows,
managers, files, display methods and dotted aliases) and for dicts."""

import copy
import datetime as dt
from decimal import Decimal

import ninja
import pytest
from ninja import Field
from pydantic import ValidationError

from zhifa.core.schema import Schema
from zhifa.dispatch.api import INCIDENT_LIST_FIELDS, IncidentOut
from zhifa.dispatch.models import Incident


def twin(schema: type) -> type:
    """The same fields and resolvers on ninja's own Schema (its per-field getter)."""
    namespace = {"__annotations__": {}, "__module__": __name__}
    for name, field in schema.model_fields.items():
        namespace["__annotations__"][name] = field.annotation
        namespace[name] = copy.copy(field)
    for name, value in schema.__dict__.items():
        if name.startswith("resolve_"):
            namespace[name] = value
    return type(f"Ninja{schema.__name__}", (ninja.Schema,), namespace)


class Tag(Schema):
    name: str


class Row(Schema):
    id: int
    title: str
    amount: Decimal | None
    at: dt.datetime | None = None
    label: str = Field(alias="get_label")
    owner_name: str | None = Field(None, alias="owner.name")
    tags: list[Tag]
    note: str = "none"
    shouting: str

    @staticmethod
    def resolve_shouting(obj):
        return obj.title.upper() if not isinstance(obj, dict) else obj["title"].upper()


class Owner:
    name = "浙江某公司"


class Thing:
    id = 7
    title = "abc"
    amount = Decimal("1.50")
    at = dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)
    owner = Owner()
    tags = [{"name": "甲"}, {"name": "乙"}]

    def get_label(self):
        return "标签"


def test_an_object_reads_as_with_ninjas_getter_resolvers_callables_dotted_aliases_and_defaults():
    ours = Row.model_validate(Thing()).model_dump()
    assert ours == twin(Row).model_validate(Thing()).model_dump()
    assert ours["label"] == "标签"  # a method is called
    assert ours["owner_name"] == "浙江某公司"  # "owner.name" followed
    assert ours["shouting"] == "ABC"  # the resolver
    assert ours["note"] == "none"  # missing attribute: the default


def test_a_dict_reads_as_with_ninjas_getter_and_a_missing_required_field_is_still_an_error():
    row = {"id": 1, "title": "x", "amount": None, "get_label": "l", "tags": []}
    assert Row.model_validate(row).model_dump() == twin(Row).model_validate(row).model_dump()
    with pytest.raises(ValidationError) as error:
        Row.model_validate({"title": "x", "amount": None, "get_label": "l", "tags": []})
    assert [e["loc"] for e in error.value.errors()] == [("id",)]


def test_an_incident_list_row_is_the_same_through_both_getters(world):
    """A model row as the incidents list reads it: related names, a label, a masked phone."""
    created = Incident.objects.create(
        source="hotline",
        tracking_code="SCHEMA0001",
        township=world.shangfang,
        responsible_org=world.team_a,
        reporter_phone="13800001234",
        reported_at=dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC),
        suggestions=[{"item_id": 1, "code": "330201001000", "name": "违法建设", "score": 0.9}],
    )
    incident = (
        Incident.objects.select_related("township", "item").only(*INCIDENT_LIST_FIELDS).get(pk=created.pk)
    )
    ours = IncidentOut.model_validate(incident).model_dump()
    assert ours == twin(IncidentOut).model_validate(incident).model_dump()
    assert ours["township_name"] == "上方镇" and ours["state_label"] and ours["suggestions"]
    assert ours["reporter_phone"] != "13800001234"  # masked by the resolver


def test_every_api_module_takes_its_schema_from_core_schema():
    """A schema on ninja's own base would be read field by field again (and silently slower)."""
    import re
    from pathlib import Path

    import zhifa

    root = Path(zhifa.__file__).parent
    ninja_schema = re.compile(r"^from ninja import .*\bSchema\b|\bninja\.Schema\b", re.M)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "schema.py" and ninja_schema.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
