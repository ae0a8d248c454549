"""Fixtures of the web app's tests: the dispatch and cases districts are shared from their apps."""

from tests.cases.conftest import cw  # noqa: F401
from tests.dispatch.conftest import catalog, command  # noqa: F401
