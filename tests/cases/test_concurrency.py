"""Two officers act on one case at the same moment: the row lock lets exactly one win."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.cases.conftest import open_general
from zhifa.cases import services
from zhifa.cases.models import Case, CaseEvent
from zhifa.core.errors import DomainError


def _race(cw, case, expected_version):
    outcomes: list = []
    barrier = threading.Barrier(2)

    def act():
        try:
            barrier.wait()
            services.transition(
                cw.head,
                case.pk,
                "file",
                {"filing_date": dt.date(2026, 2, 5)},
                expected_version=expected_version,
            )
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_one_wins_the_other_is_refused(cw):
    case = open_general(cw)
    assert _race(cw, case, None) == ["ok", "transition_not_allowed"]
    assert Case.objects.get(pk=case.pk).state == "filed"
    assert CaseEvent.objects.filter(case=case, action="file").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_with_the_same_version_one_conflicts(cw):
    case = open_general(cw)
    assert _race(cw, case, case.version) == ["case_version_conflict", "ok"]
    assert Case.objects.get(pk=case.pk).version == case.version + 1
