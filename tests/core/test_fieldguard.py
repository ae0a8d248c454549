"""The field guard: a value its column cannot hold is a ValidationError naming the field, never a
database error (the 500s of over-long text, NUL characters, 0.001 元, NaN coordinates)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhifa.core import fieldguard
from zhifa.dispatch.models import Incident
from zhifa.organizations.models import Officer


def _codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_text_longer_than_its_column_is_refused_naming_the_field(world):
    world.officer_a.phone = "1" * 500
    with pytest.raises(ValidationError) as exc:
        world.officer_a.save()
    assert _codes(exc) == {"phone": ["max_length"]}
    assert Officer.objects.get(pk=world.officer_a.pk).phone != "1" * 500


def test_nul_character_is_refused(world):
    world.officer_a.name = "甲\x00"
    with pytest.raises(ValidationError) as exc:
        world.officer_a.save()
    assert _codes(exc) == {"name": ["nul_character"]}


@pytest.mark.parametrize(
    "value, ok",
    [
        (Decimal("28.9"), True),
        (Decimal("28.900000"), True),
        (Decimal("28.1234567"), False),
        (Decimal("NaN"), False),
        (Decimal("Infinity"), False),
        (Decimal("1000"), False),
        (Decimal("-999.999999"), True),
    ],
)
def test_decimal_places_digits_and_finiteness(value, ok):
    field = Incident._meta.get_field("lat")  # max_digits 9, decimal_places 6
    assert (fieldguard._decimal_problem(field, value) is None) is ok


def test_a_thousandth_of_a_yuan_is_refused():
    from zhifa.cases.models import Payment

    field = Payment._meta.get_field("amount")
    assert fieldguard._decimal_problem(field, Decimal("0.001")) is not None
    assert fieldguard._decimal_problem(field, Decimal("0.01")) is None


def test_integer_beyond_the_column_is_refused(world):
    world.team_a.headcount = 2**40
    with pytest.raises(ValidationError) as exc:
        world.team_a.save()
    assert "headcount" in exc.value.error_dict
