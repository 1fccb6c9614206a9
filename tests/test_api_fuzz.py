"""Schemathesis over every operation of /api/schema/: no answer is a 500, and
every answer's status code, Content-Type and body are the ones the schema
documents. Each generated request is sent as an anonymous client, a citizen,
a moderator and an official (API tokens).

`make test` runs a few examples per operation, the same ones each time
(derandomized); `make fuzz` runs many more, new ones each run
(ZHITONG_FUZZ_EXAMPLES, ZHITONG_FUZZ_SEED). docs/security.md, "Input
robustness".
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    TEST_PASSWORD,
    MessageFactory,
    OfficialFactory,
    UserFactory,
)

# A deep run (make fuzz) explores anew each time and adds Schemathesis'
# coverage phase (boundary values, wrong types, unexpected methods: some
# hundreds of requests per operation); the suite repeats a few examples.
DEEP = "ZHITONG_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("ZHITONG_FUZZ_EXAMPLES", "4"))
PHASES = [Phase.explicit, Phase.generate, Phase.shrink] if DEEP else [Phase.generate]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema_document() -> dict:
    # The schema as /api/schema/ serves it, built without a request.
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_schema_document())
schema.app = WSGIHandler()


def _token(user) -> str:
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": TEST_PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def role_headers(db):
    """Request headers per role: none for the anonymous client, a token for
    a citizen, a moderator and an official, beside a few rows to find."""
    citizen = UserFactory(citizen=True)
    moderator = UserFactory(moderator=True)
    official = OfficialFactory(user=UserFactory(official=True))
    MessageFactory(author=citizen)
    users = {"citizen": citizen, "moderator": moderator, "official": official.user}
    headers = {"anonymous": {}}
    for role, user in users.items():
        headers[role] = {"Authorization": f"Token {_token(user)}"}
    return headers


@pytest.fixture
def wsgi_role_headers(role_headers):
    """The role headers, with the test connection kept open as Django's test
    client keeps it: the WSGI handler's request signals must not close the
    connection that holds the test's transaction (on PostgreSQL the next
    query would fail inside the atomic block). After role_headers, whose
    test-client requests reconnect those signals when they finish."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield role_headers
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not DEEP,
    phases=PHASES,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, wsgi_role_headers):
    for headers in wsgi_role_headers.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
