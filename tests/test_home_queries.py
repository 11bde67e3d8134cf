"""Queries per home page, pinned for each role (like tests/test_query_counts.py):
a fixed number whatever the rows each queue shows, so that an N+1 query added
to a block fails here. Counts leave out the savepoints of the test's transaction."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import shared
from tests.delivery_world import record
from tests.home_world import make_homes
from tests.test_query_counts import TRANSACTION_CONTROL

homes = shared(make_homes)

# The session and the user, then a few reads per block of the role's home
# (shegong/home/queues.py); measured on tests/home_world.py.
BASELINE = {
    # + the week's appointments and planned services, the outreach due; its visit
    # rules from the cache (core.cached), filled by the session's first request.
    # The user's station is the request user's (org.units), its scope decided from
    # the row (core.scope.can): no query. The open alerts and their number: one
    # query while there are at most ten (core.lists.head).
    "worker": 14,
    "director": 20,  # + data requests, consents to renew at 14, exports, sign-offs waiting
    "district": 13,  # + the coverage gaps (rosters), personal-data exports to approve
    "city": 12,
    "agency": 6,
    "evaluator": 4,
    "admin": 10,
}


def home_queries(client, user) -> int:
    client.force_login(user)
    client.get("/")  # the session's first request sets its clock
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return sum(not q["sql"].startswith(TRANSACTION_CONTROL) for q in captured.captured_queries)


@pytest.mark.parametrize("person", sorted(BASELINE))
def test_home_page_queries_per_role(homes, client, person):
    assert home_queries(client, homes[person]) == BASELINE[person]


@pytest.mark.parametrize("person", ["worker", "director", "district"])
def test_home_page_queries_do_not_grow_with_the_rows(homes, client, person):
    before = home_queries(client, homes[person])
    for n in range(4):
        record(homes, title=f"社区活动{n}", headcount=3)
    assert home_queries(client, homes[person]) == before
