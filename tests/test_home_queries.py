"""Queries per home page, pinned for each role (like tests/test_query_counts.py):
a fixed number whatever the rows each queue shows, so that an N+1 query added
to a block fails here. Counts leave out the savepoints of the test's transaction."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.cases import services as case_services
from shegong.clients import services as client_services
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
    # query while there are at most ten (core.lists.head). The caseload counted
    # with its reviews due and its cases needing action: one read.
    "worker": 12,
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


def test_the_caseload_read_once_agrees_with_each_queue_asked_alone(world):
    import datetime

    from shegong.cases import selectors
    from shegong.cases.models import Case
    from tests.delivery_world import TODAY, _resident, make_delivery, planned_case

    d = make_delivery(world)
    worker, today = d["worker"], TODAY()
    cases = [planned_case(d, d.residents[i]) for i in range(4)]
    day = datetime.timedelta(days=1)
    # Review due in 3 days; overdue; silent for 40 days; planned and in order.
    Case.objects.filter(pk=cases[0].pk).update(review_due_on=today + 3 * day)
    Case.objects.filter(pk=cases[1].pk).update(review_due_on=today - 2 * day)
    Case.objects.filter(pk=cases[2].pk).update(last_contact_on=today - 40 * day)
    intake = _resident(worker, world.station_a, "新接案居民")
    client_services.consent_record(actor=worker, resident=intake, recorded_on=today)
    opened = case_services.case_open(
        actor=worker, client=intake, domain="elderly", source="walk_in", opened_on=today
    )

    queues = selectors.caseload_queues(worker, today, 100)
    assert queues.count == selectors.caseload(worker).count() == 5
    assert [c.pk for c in queues.reviews_due] == [cases[1].pk, cases[0].pk]
    assert [c.pk for c in queues.reviews_due] == [
        c.pk for c in selectors.reviews_due(worker, today)
    ]
    assert {c.pk for c in queues.needing_action} == {cases[1].pk, cases[2].pk, opened.pk}
    assert [c.pk for c in queues.needing_action] == [
        c.pk for c in selectors.cases_needing_action(worker, today)
    ]
    limited = selectors.caseload_queues(worker, today, 1)
    assert (len(limited.reviews_due), len(limited.needing_action), limited.count) == (1, 1, 5)
