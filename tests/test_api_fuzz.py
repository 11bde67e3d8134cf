"""API fuzzing with schemathesis: every operation of /api/schema/, called in
process through the WSGI app by a user of each role, with generated input.

Each response must not be a server error, its status code must be one the
schema documents for the operation, and its body must match the documented
schema. The world and the objects of tests/access_objects.py are there, so
ids of real records come up too; every call runs in a savepoint that is rolled
back, so nothing a call writes reaches the next one or leaves the test database.

`SHEGONG_FUZZ_EXAMPLES` sets the examples per operation (default 10, the same
ones every run, as in `make test`); `make fuzz` runs 200 new ones each time.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from shegong.wsgi import application
from tests.access_objects import make_objects
from tests.conftest import build_world

FUZZ = "SHEGONG_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("SHEGONG_FUZZ_EXAMPLES", "10"))
ROLES = ("admin", "city", "district", "agency", "director", "worker", "evaluator")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# The schema describes the API without reading the database.
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    """The world and its objects, once for the module, in a transaction rolled
    back at the end; one API token per role."""
    # Calls go through the WSGI handler, which closes the database connection
    # at the end of each request; inside the test's transaction that would end
    # it (PostgreSQL). Django's own test client turns this off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            objects = make_objects(build_world())
            yield {role: Token.objects.create(user=objects.world[role]).key for role in ROLES}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_operation(operation, tokens, db):
    """Each example is called by one of the roles (drawn like the input), so
    that the examples of an operation spread over the roles."""

    @given(case=operation.as_strategy(), role=st.sampled_from(ROLES))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        # The short run of `make test` tries the same examples every time.
        derandomize=not FUZZ,
        suppress_health_check=list(HealthCheck),
    )
    def call(case, role):
        with transaction.atomic():
            case.call_and_validate(
                headers={"Authorization": f"Token {tokens[role]}"}, checks=CHECKS
            )
            transaction.set_rollback(True)

    call()
