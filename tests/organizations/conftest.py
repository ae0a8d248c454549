"""Extra officers for the roster page tests. The factory has its own counter, address code and
employee-number prefix, so its officers never collide with those of ``tests/conftest.py``."""

import datetime as dt
import itertools

import pytest

from zhifa.core.validators import make_id_number
from zhifa.organizations.models import Certificate, Officer

_seq = itertools.count(1)


def add_officer(
    org, *, name=None, kind=Officer.Kind.ENFORCEMENT, posted_to=None, certified=True, valid_to=None
):
    n = next(_seq)
    officer = Officer.objects.create(
        name=name or f"名册员{n}",
        kind=kind,
        organization=org,
        posted_to=posted_to,
        employee_no=f"V{n:05d}",
        id_number=make_id_number("330881", dt.date(1970, 1, 1) + dt.timedelta(days=n), f"{n % 1000:03d}"),
    )
    if certified and kind == Officer.Kind.ENFORCEMENT:
        Certificate.objects.create(
            officer=officer,
            number=f"浙VIEW{n:06d}",
            domains=["市容环境卫生"],
            valid_from=dt.date(2024, 1, 1),
            valid_to=valid_to or dt.date(2030, 12, 31),
        )
    return officer


@pytest.fixture
def make_officer(db):
    return add_officer


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def login(client):
    """Sign ``client`` in as a user (the previous one signed out first)."""

    def _login(user):
        client.logout()
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _login
