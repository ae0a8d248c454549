"""Parties for the tests: valid identifiers from a counter of this module (address code 330803)."""

import datetime as dt
import itertools

import pytest

from zhifa.core.validators import make_id_number, make_uscc
from zhifa.parties.models import Party

_seq = itertools.count(1)


def uscc(prefix: str = "91") -> str:
    return make_uscc(f"{prefix}330803MA{next(_seq):07d}")


def id_number() -> str:
    n = next(_seq)
    return make_id_number("330803", dt.date(1960, 1, 1) + dt.timedelta(days=n), f"{n % 1000:03d}")


def add_party(township, *, kind=Party.Kind.ENTERPRISE, name=None, **fields) -> Party:
    if kind == Party.Kind.PERSON:
        fields.setdefault("id_number", id_number())
    else:
        fields.setdefault("uscc", uscc("91" if kind == Party.Kind.ENTERPRISE else "92"))
    return Party.objects.create(kind=kind, name=name or f"测试对象{next(_seq)}", township=township, **fields)


@pytest.fixture
def make_party(db):
    return add_party
