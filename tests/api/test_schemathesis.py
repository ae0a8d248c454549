"""Property-based test of the whole API from its own OpenAPI document (schemathesis).

Every operation the schema contains — including the ones added after this test was written — is
called with generated valid and invalid input, as an officer's key and as an administrator's
key, on PostgreSQL. Any 5xx, any response that breaks the documented schema and any error that is
not the JSON ``{code, message, field}`` fails the build. The seed is fixed (``derandomize``) and the
number of examples per operation bounded, so the run takes a few minutes at most and fails the
same way twice.
"""

from __future__ import annotations

import json
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zhifa.api.models import ApiKey

#: Examples per operation, generation mode and key: 2 keys x 2 modes x 6 = 24 calls an operation.
EXAMPLES = 6
#: The whole run must stay bounded even when many operations are added.
TIME_BUDGET_S = 600
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]


def _error_is_json(response, case) -> None:
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert isinstance(body, dict) and {"code", "message", "field"} <= set(body), body


def _fuzz(operation, key: str, mode: GenerationMode):
    """A hypothesis test calling ``operation`` with generated input of ``mode`` under ``key``."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case):
        with transaction.atomic():  # one request's failure must not poison the next
            sid = transaction.savepoint()
            response = case.call(headers={"X-API-Key": key})
            transaction.savepoint_rollback(sid)
        case.validate_response(response, checks=CHECKS)
        _error_is_json(response, case)

    return call


@pytest.fixture
def keys(world):
    officer = ApiKey.generate("fuzz officer", world.team_a, "officer")[1]
    admin = ApiKey.generate("fuzz admin", world.root, "admin")[1]
    return {"officer": officer, "admin": admin}


@pytest.fixture
def shared_connection():
    """The WSGI handler closes the database connection after each request; the test's transaction
    must survive the calls (as with Django's test client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_answers_without_5xx_and_within_its_schema(world, keys, shared_connection):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20, "the schema lost its operations"
    started = time.monotonic()
    failures: list[str] = []
    for operation in operations:
        for who, key in keys.items():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                if time.monotonic() - started > TIME_BUDGET_S:
                    pytest.fail(f"schemathesis run exceeded {TIME_BUDGET_S}s; lower EXAMPLES")

                try:
                    _fuzz(operation, key, mode)()
                except Unsatisfiable:  # nothing to make invalid (an operation without parameters)
                    pass
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as exc:  # noqa: B036  (FailureGroup: collect every operation's failure)
                    failures.append(f"{operation.label} [{who}, {mode.value}]: {str(exc)[:1500]}")
    assert not failures, f"{len(failures)} failing runs:\n\n" + "\n\n".join(failures)
