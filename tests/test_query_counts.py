"""Queries per page of a social worker's day (the pages of `make load`), pinned:
each page asks a fixed number of queries whatever the number of rows it shows
(cases, notes, group members, attendees), so an N+1 query added later fails here.
docs/performance.md "Per-page cost" has the figures and timings.

Counts leave out SAVEPOINT/RELEASE statements (the test runs inside a
transaction, so each atomic block adds them), so they hold on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.cases import services as case_services
from shegong.cases.models import Case
from shegong.delivery import services as delivery_services
from tests.delivery_world import TODAY, _resident, group, make_delivery, planned_case

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def queries(client, method: str, url: str, data: dict | None = None, status=(200,)) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in status, response.content[:2000]
    return sum(not q["sql"].startswith(TRANSACTION_CONTROL) for q in captured.captured_queries)


@pytest.fixture
def day(world, client):
    """Station A's delivery world, with `worker` logged in (one request made, so
    the session's clock is set)."""
    d = make_delivery(world)
    client.force_login(world["worker"])
    client.get("/")
    d.client = client
    return d


def add_notes(d, case: Case, n: int) -> None:
    for i in range(n):
        case_services.case_note_add(
            actor=d["worker"],
            case=case,
            happened_on=TODAY(),
            service_type="supportive",
            method="home_visit",
            text=f"上门探访 {i}",
        )


def note_post(d, case: Case) -> int:
    case.refresh_from_db()
    return queries(
        d.client,
        "post",
        f"/cases/{case.pk}/note/",
        {
            "note-version": case.version,
            "note-happened_on": TODAY().isoformat(),
            "note-method": "home_visit",
            "note-service_type": "supportive",
            "note-text": "上门探访，情况稳定。",
        },
        status=(302,),
    )


def session_post(d, grp, attendees) -> int:
    return queries(
        d.client,
        "post",
        f"/services/groups/{grp.pk}/sessions/new/",
        {"held_on": TODAY().isoformat(), "attendees": [r.pk for r in attendees]},
        status=(302,),
    )


def test_caseload_asks_the_same_queries_for_one_case_or_six(day):
    case = planned_case(day, day.residents[0])
    add_notes(day, case, 1)
    one = queries(day.client, "get", "/cases/")
    for resident in day.residents[1:6]:
        add_notes(day, planned_case(day, resident), 2)
    # Session, user, the page's cases (not counted: they fit, core.lists.Paginator),
    # their workers, the cases needing action.
    assert queries(day.client, "get", "/cases/") == one == 5


def test_case_page_and_note_ask_the_same_queries_for_one_note_or_twelve(day):
    case = planned_case(day, day.residents[0])
    add_notes(day, case, 1)
    page, note = queries(day.client, "get", f"/cases/{case.pk}/"), note_post(day, case)
    add_notes(day, case, 10)
    # 12: the note form asks the client's category once to preselect a service type;
    # the case's sign-offs and its documents: one query each.
    assert queries(day.client, "get", f"/cases/{case.pk}/") == page == 16
    # 27: one of them asks whether the client is on a roster (rosters.coverage); the
    # rows the service already holds (the case, the author) are not looked up again
    # by full_clean (core.models.TimeStampedModel.clean_fields): 31 before. On
    # PostgreSQL the month's three rollup tables are one statement (upsert_together).
    # 26: the station's scope of the new event is decided from the row in hand
    # (core.scope.can).
    assert note_post(day, case) == note == (24 if connection.vendor == "postgresql" else 26)


def test_case_step_form_fetched_on_demand(day):
    case = planned_case(day, day.residents[0])
    add_notes(day, case, 1)
    url = f"/cases/{case.pk}/?step=close&version={case.version}"
    with CaptureQueriesContext(connection) as captured:
        response = day.client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.templates[0].name == "cases/_step_form.html"
    # Session, user, case, its workers: no case file read, no access log entry.
    assert sum(not q["sql"].startswith(TRANSACTION_CONTROL) for q in captured) == 4


def test_group_session_form_asks_the_same_queries_for_two_members_or_twelve(day):
    small = group(day, members=2)
    two = queries(day.client, "get", f"/services/groups/{small.pk}/sessions/new/")
    big = delivery_services.group_create(
        actor=day["worker"],
        project=day.projects["family"],
        name="亲子小组",
        planned_sessions=6,
        members=day.residents[:12],
    )
    assert queries(day.client, "get", f"/services/groups/{big.pk}/sessions/new/") == two == 7
    # The look-up of a non-member by name: one query more than the form.
    lookup = queries(day.client, "get", f"/services/groups/{big.pk}/sessions/new/", {"q": "居民1"})
    assert lookup == 8


def test_group_session_post_asks_the_same_queries_for_two_attendees_or_eight(day):
    small = group(day, members=2)
    big = delivery_services.group_create(
        actor=day["worker"],
        project=day.projects["family"],
        name="亲子小组",
        planned_sessions=6,
        members=day.residents[2:12],
    )
    two = session_post(day, small, day.residents[:2])
    eight = session_post(day, big, day.residents[2:10])
    # One of them asks whether an attendee is on a roster (rosters.coverage); 36
    # before full_clean skipped the foreign keys of rows already held; on PostgreSQL
    # the rollup tables are one statement.
    # the rollup tables are one statement; the scope of the new rows is decided from
    # the rows in hand (core.scope.can): 33 before.
    assert eight == two == (29 if connection.vendor == "postgresql" else 31), (two, eight)


def test_dashboard_and_registration_form(day):
    # The 14th: the station's service points, listed under its figures.
    assert queries(day.client, "get", "/stats/") == 14
    # The Scope's create right sees the user's station from the row in hand
    # (core.scope.can); the third and fourth: the choices of community and service
    # point, read once and then from the cache (org.names).
    assert queries(day.client, "get", "/residents/new/") == 4
    assert queries(day.client, "get", "/residents/new/") == 2


def more_residents(d, n: int) -> None:
    for i in range(n):
        _resident(d["worker"], d.world.station_a, f"外来居民{i:02d}")


def test_attendance_form_asks_the_same_queries_for_fifteen_residents_or_forty(day):
    plain = delivery_services.service_event_record(
        actor=day["worker"],
        project=day.projects["key"],
        kind="activity",
        held_on=TODAY(),
        title="社区活动",
        attendees=day.residents[:3],
    )
    grp = group(day, members=10)
    sess = delivery_services.group_session_record(
        actor=day["worker"], group=grp, held_on=TODAY(), attendees=day.residents[8:12]
    )
    counts = [queries(day.client, "get", f"/services/{e.pk}/attendance/") for e in (plain, sess)]
    more_residents(day, 25)
    again = [queries(day.client, "get", f"/services/{e.pk}/attendance/") for e in (plain, sess)]
    assert again == counts == [5, 6]
    # The look-up of someone else by name: one query more than the form.
    lookup = queries(day.client, "get", f"/services/{sess.pk}/attendance/", {"q": "居民1"})
    assert lookup == 7


def test_group_creation_form_asks_the_same_queries_for_fifteen_residents_or_forty(day):
    page = queries(day.client, "get", "/services/groups/new/")
    more_residents(day, 25)
    assert queries(day.client, "get", "/services/groups/new/") == page == 5
    lookup = queries(day.client, "get", "/services/groups/new/", {"q": "外来居民"})
    assert lookup == 6


def test_record_form_asks_the_same_queries_for_fifteen_residents_or_forty(day):
    page = queries(day.client, "get", "/services/new/")
    more_residents(day, 25)
    assert queries(day.client, "get", "/services/new/") == page == 7
