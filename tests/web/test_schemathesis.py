"""A bounded property-based run against the OpenAPI description: no 5xx, answers as described.

Schemathesis generates requests for every operation from ``/openapi.json`` and checks each
answer: never a server error, a documented status and content type, a body matching its
schema. Bounded (few examples per operation) so it takes well under a minute.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backcoach.services.profiles import update_profile
from backcoach.services.screening import take_screen
from backcoach.web.app import create_app
from tests.web.conftest import ALL_NO, make_settings, person_of

# FastAPI describes its API in OpenAPI 3.1, which schemathesis 3 supports as "experimental".
schemathesis.experimental.OPEN_API_3_1.enable()

MAX_EXAMPLES = 12
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home: Path = tmp_path_factory.mktemp("schemathesis-home")
    app = create_app(make_settings(home), test_client=True)  # its client is `testserver`
    # Ready to exercise, so plans and sessions are reachable, not only refusals.
    take_screen(person_of(app).store, person_of(app).today(), ALL_NO)
    update_profile(person_of(app).store, minutes=10)
    return app


@pytest.fixture(scope="module")
def api_schema(api_app: Any) -> Any:
    return schemathesis.from_asgi("/openapi.json", api_app)


@pytest.fixture(scope="module")
def csrf(api_app: Any) -> str:
    from fastapi.testclient import TestClient

    token: str = TestClient(api_app).get("/api/status").cookies["backcoach_csrf"]
    return token


schema = schemathesis.from_pytest_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_its_description(case: Any, csrf: str) -> None:
    response = case.call(headers={"X-CSRF-Token": csrf}, cookies={"backcoach_csrf": csrf})
    case.validate_response(response, checks=CHECKS)
