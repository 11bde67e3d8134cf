"""Service records: the person-times rule on every kind of event, domain totals
adding up, the refusals, the party-building linkage, scoping, and the web pages
(service events, attendance correction, groups and their sessions)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shegong.clients import services as client_services
from shegong.core.models import Domain
from shegong.delivery import selectors, services
from shegong.delivery.models import Attendance, EventVolunteer, Group, ServiceEvent
from tests.conftest import shared
from tests.delivery_world import (
    PROJECTS,
    TODAY,
    casework_note,
    group,
    make_delivery,
    record,
    session,
    this_year,
)
from tests.helpers import refusal_by_field as refusal

delivery = shared(make_delivery)


@pytest.fixture
def en(client):
    """The test client, in English (the language switcher's cookie)."""
    client.cookies["django_language"] = "en"
    return client


def login(d, person: str, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(d[person])
    return client


# --- Person-times: the counting rule ----------------------------------------------


def person_times(events) -> int:
    """服务人次 of a set of events: the sum of their person-times."""
    return events.aggregate(total=Sum("person_times"))["total"] or 0


def test_group_session_with_12_named_attendees_counts_12(delivery):
    grp = group(delivery, members=12)
    event = session(delivery, grp, delivery.residents[:12])
    assert (event.person_times, event.attendances.count()) == (12, 12)
    assert (event.kind, event.domain, event.session_number) == ("group_session", "elderly", 1)


def test_headcount_activity_of_40_counts_40(delivery):
    event = record(delivery, "youth", headcount=40)
    assert (event.person_times, event.attendances.count(), event.domain) == (40, 0, "youth")


def test_named_5_plus_headcount_20_counts_25(delivery):
    event = record(delivery, attendees=delivery.residents[:5], headcount=20)
    assert (event.person_times, event.attendances.count(), event.headcount) == (25, 5, 20)
    assert event.domain == "family"


@pytest.mark.parametrize("kind", ["activity", "home_visit", "consultation", "meal_activity"])
def test_every_recorded_kind_counts_one_per_person_present(delivery, kind):
    event = record(delivery, "family", kind=kind, attendees=delivery.residents[:3])
    assert (event.kind, event.person_times) == (kind, 3)


def test_pre_meal_activity_may_count_by_headcount(delivery):
    event = record(delivery, "elderly", kind="meal_activity", headcount=30)
    assert (event.person_times, event.domain) == (30, "elderly")


def test_casework_note_counts_one_in_the_cases_domain(delivery):
    client = delivery.residents[0]
    note = casework_note(delivery, client, domain="elderly")
    event = ServiceEvent.objects.get(case_note=note)
    assert (event.kind, event.person_times, event.domain) == ("casework", 1, "elderly")
    assert event.project == delivery.projects["elderly"]
    assert list(event.attendances.values_list("resident", flat=True)) == [client.pk]


def test_a_client_at_two_different_sessions_counts_two(delivery):
    grp = group(delivery, members=3)
    client = delivery.residents[0]
    session(delivery, grp, [client])
    session(delivery, grp, [client])
    assert Attendance.objects.filter(resident=client).count() == 2
    assert person_times(ServiceEvent.objects.filter(group=grp)) == 2


def test_the_same_client_twice_in_one_event_is_refused(delivery):
    client = delivery.residents[0]
    assert refusal(lambda: record(delivery, attendees=[client, client])) == {
        "attendees": ["居民01 is counted twice at this event."]
    }
    assert ServiceEvent.objects.count() == 0


def test_the_same_client_twice_in_a_correction_is_refused(delivery):
    event = record(delivery, attendees=delivery.residents[:2])
    client = delivery.residents[0]
    assert refusal(
        lambda: services.service_event_update_attendance(
            actor=delivery["worker"], event=event, attendees=[client, client]
        )
    ) == {"attendees": ["居民01 is counted twice at this event."]}
    event.refresh_from_db()
    assert (event.person_times, event.attendances.count()) == (2, 2)


def test_correcting_attendance_recounts_person_times(delivery):
    event = record(delivery, attendees=delivery.residents[:5], headcount=20)
    event = services.service_event_update_attendance(
        actor=delivery["worker"], event=event, attendees=delivery.residents[:3], headcount=10
    )
    event.refresh_from_db()
    assert (event.person_times, event.attendances.count(), event.headcount) == (13, 3, 10)


def test_deleting_an_event_removes_its_person_times(delivery):
    kept = record(delivery, headcount=7)
    gone = record(delivery, attendees=delivery.residents[:4])
    services.service_event_delete(actor=delivery["worker"], event=gone)
    assert person_times(ServiceEvent.objects.all()) == 7
    assert list(ServiceEvent.objects.all()) == [kept]
    assert Attendance.objects.count() == 0


def test_casework_events_change_only_through_their_case(delivery):
    note = casework_note(delivery, delivery.residents[0])
    event = ServiceEvent.objects.get(case_note=note)
    message = ["Casework contacts are changed through their case."]
    worker = delivery["worker"]
    assert refusal(lambda: services.service_event_delete(actor=worker, event=event)) == message
    assert (
        refusal(
            lambda: services.service_event_update_attendance(
                actor=worker, event=event, attendees=delivery.residents[:2]
            )
        )
        == message
    )
    assert ServiceEvent.objects.get().person_times == 1


# --- Domains add up to the total --------------------------------------------------


def _mixed_year(d) -> None:
    """Services under all six projects of station A, in all four domains."""
    r = d.residents
    record(d, "key", attendees=r[:5], headcount=20)  # family 25
    record(d, "family", kind="home_visit", attendees=r[5:6])  # family 1
    session(d, group(d, members=12), r[:12])  # elderly 12
    casework_note(d, r[12], domain="elderly")  # elderly 1
    record(d, "youth", headcount=40)  # youth 40
    record(d, "core", attendees=r[:3], party_members=d.party_members)  # featured 3
    record(d, "featured", kind="consultation", attendees=r[13:15])  # featured 2


EXPECTED_DOMAINS = {"family": 26, "elderly": 13, "youth": 40, "featured": 5}


def test_domain_totals_add_up_to_the_total(delivery):
    _mixed_year(delivery)
    events = ServiceEvent.objects.all()
    assert selectors.person_times_by_domain(events) == EXPECTED_DOMAINS
    assert person_times(events) == 84 == sum(EXPECTED_DOMAINS.values())


def test_domain_totals_are_checkable_from_the_raw_records(delivery):
    _mixed_year(delivery)
    # Recount from the attendance rows and head-counts, not the stored column.
    recount = {
        domain: Attendance.objects.filter(event__domain=domain).count()
        + (ServiceEvent.objects.filter(domain=domain).aggregate(n=Sum("headcount"))["n"] or 0)
        for domain in Domain.values
    }
    assert recount == EXPECTED_DOMAINS
    # Every event is counted in its project's domain.
    assert not ServiceEvent.objects.exclude(domain=F("project__domain")).exists()


@pytest.mark.parametrize(
    ("person", "total"),
    [("worker", 84), ("district", 84), ("city", 84), ("director_b", 0), ("worker_c", 0)],
)
def test_domain_totals_respect_the_viewers_scope(delivery, person, total):
    _mixed_year(delivery)
    events = selectors.events_visible_to(delivery[person])
    expected = EXPECTED_DOMAINS if total else dict.fromkeys(Domain.values, 0)
    assert selectors.person_times_by_domain(events) == expected
    assert person_times(events) == total


# --- Refusals: nothing half-saved ---------------------------------------------------


def test_a_date_outside_the_plan_year_is_refused(delivery):
    last_year = datetime.date(this_year() - 1, 12, 31)
    assert refusal(lambda: record(delivery, headcount=10, held_on=last_year)) == {
        "held_on": [f"The date is outside the plan year {this_year()}."]
    }
    assert ServiceEvent.objects.count() == 0


def test_a_date_in_the_future_is_refused(delivery):
    tomorrow = TODAY() + datetime.timedelta(days=1)
    assert refusal(lambda: record(delivery, headcount=10, held_on=tomorrow)) == {
        "held_on": ["The date cannot be in the future."]
    }
    assert ServiceEvent.objects.count() == 0


def test_a_negative_headcount_is_refused(delivery):
    assert refusal(lambda: record(delivery, headcount=-5)) == {
        "headcount": ["The head-count cannot be negative."]
    }
    assert refusal(
        lambda: services.service_event_update_attendance(
            actor=delivery["worker"],
            event=record(delivery, headcount=5),
            headcount=-1,
            attendees=[],
        )
    ) == {"headcount": ["The head-count cannot be negative."]}
    assert ServiceEvent.objects.get().person_times == 5


@pytest.mark.parametrize("kind", ["group_session", "home_visit", "consultation"])
def test_a_headcount_on_a_named_kind_of_event_is_refused(delivery, kind):
    assert refusal(
        record, delivery, "elderly", kind=kind, attendees=delivery.residents[:2], headcount=5
    ) == {"headcount": ["Only community activities may count people without names."]}
    assert ServiceEvent.objects.count() == 0


def test_a_resident_of_another_station_is_refused(delivery):
    attendees = [delivery.residents[0], delivery.resident_b]
    assert refusal(lambda: record(delivery, attendees=attendees)) == {
        "attendees": ["南石头居民 is not a resident of this station."]
    }
    assert (ServiceEvent.objects.count(), Attendance.objects.count()) == (0, 0)


def test_a_merged_resident_is_refused(delivery):
    keep, duplicate = delivery.residents[:2]
    client_services.resident_merge(actor=delivery["director"], keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert refusal(lambda: record(delivery, attendees=[duplicate])) == {
        "attendees": ["居民02's record was merged; use the kept record."]
    }
    assert ServiceEvent.objects.count() == 0


def test_a_session_beyond_the_planned_sessions_is_refused(delivery):
    grp = group(delivery, members=3, planned=2)
    session(delivery, grp, delivery.residents[:3])
    session(delivery, grp, delivery.residents[:2])
    assert refusal(lambda: session(delivery, grp, delivery.residents[:1])) == [
        "All 2 planned sessions of this group are recorded."
    ]
    sessions = grp.sessions.order_by("session_number")
    assert list(sessions.values_list("session_number", "person_times")) == [(1, 3), (2, 2)]


def test_an_event_with_nobody_counted_is_refused(delivery):
    assert refusal(lambda: record(delivery)) == ["Record who attended, or the head-count."]


def test_casework_is_not_recorded_as_a_service_event(delivery):
    assert refusal(record, delivery, kind="casework", attendees=delivery.residents[:1]) == {
        "kind": ["Choose the kind of service."]
    }


def test_a_group_with_no_sessions_is_refused(delivery):
    assert refusal(lambda: group(delivery, planned=0)) == {
        "__all__": ["A group has at least one session."]
    }
    assert Group.objects.count() == 0


# --- Party-building linkage: 党代表+党员+社工+义工+居民 ----------------------------


def test_party_members_and_volunteers_are_recorded_and_counted(delivery):
    d = delivery
    r = d.residents
    member, representative = d.party_members
    first = record(
        d,
        "core",
        attendees=r[:4],
        party_members=[member, representative],
        volunteers=[(d.volunteers[0], Decimal("2.5")), (d.volunteers[1], Decimal("1.5"))],
    )
    record(
        d,
        "core",
        attendees=r[4:6],
        party_members=[representative],
        volunteers=[(d.volunteers[0], Decimal("3"))],
    )
    record(d, "youth", headcount=10)  # no linkage
    assert sorted(first.party_members.values_list("name", flat=True)) == [
        "沙园社区党支部党代表",
        "沙园社区党支部党员",
    ]
    assert list(first.workers.values_list("username", flat=True)) == ["worker"]
    through = ServiceEvent.party_members.through
    assert through.objects.count() == 3
    assert through.objects.filter(partymember__is_representative=True).count() == 2
    assert EventVolunteer.objects.aggregate(n=Count("pk"), hours=Sum("hours")) == {
        "n": 3,
        "hours": Decimal("7.0"),
    }
    # A volunteer's record of service and total hours.
    hours = EventVolunteer.objects.filter(volunteer=d.volunteers[0]).aggregate(h=Sum("hours"))
    assert hours["h"] == Decimal("5.5")


def test_a_volunteer_of_another_station_is_refused(delivery):
    assert refusal(
        record, delivery, headcount=10, volunteers=[(delivery.volunteer_b, Decimal("2"))]
    ) == {"volunteers": ["南石头义工 is not a volunteer of this station."]}
    assert (ServiceEvent.objects.count(), EventVolunteer.objects.count()) == (0, 0)


def test_volunteer_hours_beyond_a_day_are_refused(delivery):
    assert refusal(
        record, delivery, headcount=10, volunteers=[(delivery.volunteers[0], Decimal("30"))]
    ) == {"__all__": ["Hours must be more than 0 and at most 24."]}
    assert ServiceEvent.objects.count() == 0


def test_a_party_member_of_another_station_is_refused(delivery):
    assert refusal(record, delivery, headcount=10, party_members=[delivery.party_member_b]) == {
        "party_members": ["A party member is not of this station."]
    }
    assert ServiceEvent.objects.count() == 0


# --- Who may record -------------------------------------------------------------------


def test_a_worker_of_station_b_cannot_record_under_a_project_of_station_a(delivery):
    with pytest.raises(PermissionDenied):
        record(delivery, actor=delivery["worker_b"], headcount=10)
    assert ServiceEvent.objects.count() == 0


@pytest.mark.parametrize("person", ["district", "city", "agency", "evaluator"])
def test_officials_cannot_record(delivery, person):
    with pytest.raises(PermissionDenied):
        record(delivery, actor=delivery[person], headcount=10)
    assert ServiceEvent.objects.count() == 0


def test_the_director_records_too(delivery):
    event = record(delivery, actor=delivery["director"], headcount=10)
    assert list(event.workers.values_list("username", flat=True)) == ["director"]


@pytest.mark.parametrize("person", ["worker_b", "district"])
def test_others_cannot_correct_or_delete_station_as_events(delivery, person):
    event = record(delivery, headcount=10)
    actor = delivery[person]
    with pytest.raises(PermissionDenied):
        services.service_event_update_attendance(
            actor=actor, event=event, attendees=[], headcount=3
        )
    with pytest.raises(PermissionDenied):
        services.service_event_delete(actor=actor, event=event)
    assert ServiceEvent.objects.get().person_times == 10


def test_a_group_leader_from_another_station_is_refused(delivery):
    assert refusal(
        services.group_create,
        actor=delivery["worker"],
        project=delivery.projects["youth"],
        name="青少年成长小组",
        planned_sessions=4,
        leaders=[delivery["worker_b"]],
    ) == {"leaders": ["Worker_B is not a worker of this station."]}
    assert Group.objects.count() == 0


# --- Web: who sees what -------------------------------------------------------------

# person, list, event page, record page, sees names
PAGE_ACCESS = [
    ("worker", 200, 200, 200, True),
    ("director", 200, 200, 200, True),
    ("agency", 200, 200, 403, False),
    ("district", 200, 200, 403, False),
    ("city", 200, 200, 403, False),
    ("evaluator", 200, 200, 403, False),
    ("admin", 200, 200, 403, True),
    ("director_b", 200, 404, 200, False),
    ("worker_c", 200, 404, 200, False),
]


@pytest.mark.parametrize(("person", "listing", "page", "recording", "names"), PAGE_ACCESS)
def test_service_pages_by_role(delivery, person, listing, page, recording, names):
    event = record(delivery, attendees=delivery.residents[:2], headcount=20, title="中秋游园会")
    client = login(delivery, person)
    response = client.get("/services/")
    assert response.status_code == listing
    sees_event = page == 200
    assert (response.context["page"].paginator.count, response.context["total"]) == (
        (1, 22) if sees_event else (0, 0)
    )
    detail = client.get(f"/services/{event.pk}/")
    assert detail.status_code == page
    assert ("居民01" in detail.content.decode()) is names
    assert client.get("/services/new/").status_code == recording


@pytest.mark.parametrize(
    ("person", "page", "recording"),
    [
        ("worker", 200, 200),
        ("director", 200, 200),
        ("district", 200, 403),
        ("evaluator", 200, 403),
        ("director_b", 404, 404),
        ("worker_c", 404, 404),
    ],
)
def test_group_pages_by_role(delivery, person, page, recording):
    grp = group(delivery, members=3)
    client = login(delivery, person)
    assert client.get("/services/groups/").status_code == 200
    assert client.get(f"/services/groups/{grp.pk}/").status_code == page
    assert client.get(f"/services/groups/{grp.pk}/sessions/new/").status_code == recording


@pytest.mark.parametrize(
    "url", ["/services/", "/services/new/", "/services/groups/", "/services/groups/new/"]
)
def test_anonymous_is_sent_to_log_in(db, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_is_sent_to_log_in_from_an_event_page(delivery, client):
    event = record(delivery, headcount=3)
    for url in (f"/services/{event.pk}/", f"/services/{event.pk}/attendance/"):
        assert client.get(url)["Location"].startswith("/accounts/login/?next=")


# --- Web: recording a service -------------------------------------------------------


def _form(d, **changes) -> dict:
    v0, v1 = d.volunteers
    data = {
        "project": d.projects["key"].pk,
        "kind": "activity",
        "held_on": TODAY().isoformat(),
        "title": "中秋游园会",
        "headcount": "20",
        "attendees": [r.pk for r in d.residents[:5]],
        "workers": [d["worker"].pk],
        f"hours_{v0.pk}": "2.5",
        f"hours_{v1.pk}": "",
        "party_members": [m.pk for m in d.party_members],
    }
    data.update(changes)
    return data


def test_worker_records_a_service_through_the_form(delivery):
    client = login(delivery, "worker")
    response = client.post("/services/new/", _form(delivery))
    event = ServiceEvent.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/services/{event.pk}/")
    assert (event.person_times, event.domain, event.attendances.count()) == (25, "family", 5)
    assert list(event.volunteer_service.values_list("volunteer__name", "hours")) == [
        ("义工陈", Decimal("2.5"))
    ]
    assert event.party_members.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="person-times">25<' in page


def test_record_form_offers_this_years_projects_of_the_station(delivery):
    response = login(delivery, "worker").get("/services/new/")
    projects = response.context["form"].fields["project"].queryset
    assert {p.name for p in projects} == {name for _k, _d, name in PROJECTS.values()}
    # Attendees are found by name among the station's residents, not listed.
    assert response.context["others"].rows == []
    found = login(delivery, "worker").get("/services/new/", {"q": "居民0"}).context["found"]
    assert [r.name for r, _ticked in found.rows][:2] == ["居民01", "居民02"]


def test_record_form_shows_the_services_refusal_and_saves_nothing(delivery):
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = login(delivery, "worker").post("/services/new/", _form(delivery, held_on=tomorrow))
    assert response.status_code == 400
    assert response.context["form"].errors["held_on"] == ["The date cannot be in the future."]
    assert ServiceEvent.objects.count() == 0
    # The ticked residents stay ticked.
    assert response.context["others"].ticked_count == 5


def test_record_form_refuses_a_negative_headcount(delivery):
    response = login(delivery, "worker").post("/services/new/", _form(delivery, headcount="-3"))
    assert response.status_code == 400
    assert response.context["form"].errors["headcount"] == ["The head-count cannot be negative."]


def test_worker_of_station_b_cannot_record_under_station_as_project(delivery):
    response = login(delivery, "worker_b").post(
        "/services/new/", _form(delivery, attendees=[], party_members=[], workers=[])
    )
    assert response.status_code == 400
    assert "project" in response.context["form"].errors
    assert ServiceEvent.objects.count() == 0


def test_officials_cannot_post_a_record(delivery):
    response = login(delivery, "district").post("/services/new/", _form(delivery))
    assert response.status_code == 403
    assert ServiceEvent.objects.count() == 0


# --- Web: the list and its filters ----------------------------------------------------


def test_list_filters_by_date_project_and_kind_and_totals_the_filter(delivery):
    early = datetime.date(this_year(), 1, 1)
    if early == TODAY():
        pytest.skip("needs two different days of this year up to today")
    d = delivery
    record(d, "key", attendees=d.residents[:5], headcount=20)  # 25, today
    record(d, "family", kind="home_visit", attendees=d.residents[:1])  # 1, today
    record(d, "youth", headcount=40, held_on=early)  # 40, 1 January
    client = login(d, "worker")

    def total(**query) -> tuple[int, int]:
        response = client.get("/services/", query)
        return response.context["page"].paginator.count, response.context["total"]

    assert total() == (3, 66)
    assert total(held_after=TODAY().isoformat()) == (2, 26)
    assert total(held_before=early.isoformat()) == (1, 40)
    assert total(project=d.projects["key"].pk) == (1, 25)
    assert total(kind="home_visit") == (1, 1)
    assert total(kind="activity", held_after=early.isoformat()) == (2, 65)
    by_domain = dict(client.get("/services/").context["by_domain"])
    assert list(by_domain.values()) == [26, 0, 40, 0]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_events(delivery):
    client = login(delivery, "worker")
    for _n in range(3):
        record(delivery, attendees=delivery.residents[:2], headcount=3)
    client.get("/services/")
    with_3 = _queries(client, "/services/")
    for _n in range(12):
        record(delivery, "youth", headcount=3)
    assert _queries(client, "/services/") == with_3


def test_group_list_query_count_does_not_grow_with_groups(delivery):
    client = login(delivery, "worker")
    group(delivery, members=3)
    client.get("/services/groups/")  # the user's station into the cache (org.units)
    with_1 = _queries(client, "/services/groups/")
    for n in range(5):
        services.group_create(
            actor=delivery["worker"],
            project=delivery.projects["youth"],
            name=f"小组{n}",
            planned_sessions=2,
        )
    assert _queries(client, "/services/groups/") == with_1


# --- Web: correcting and deleting -------------------------------------------------------


def test_attendance_correction_through_the_form_recounts(delivery):
    r = delivery.residents
    event = record(delivery, attendees=r[:5], headcount=20)
    client = login(delivery, "worker")
    page = client.get(f"/services/{event.pk}/attendance/")
    # The attendees, ticked; the rest of the station is looked up by name.
    assert [(x.name, ticked) for x, ticked in page.context["others"].rows] == [
        (x.name, True) for x in r[:5]
    ]
    response = client.post(
        f"/services/{event.pk}/attendance/", {"attendees": [r[0].pk, r[7].pk], "headcount": "30"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.person_times, event.headcount) == (32, 30)
    assert set(event.attendances.values_list("resident", flat=True)) == {r[0].pk, r[7].pk}


@pytest.mark.parametrize(("person", "status"), [("district", 403), ("director_b", 404)])
def test_others_cannot_correct_attendance_on_the_web(delivery, person, status):
    event = record(delivery, attendees=delivery.residents[:2])
    client = login(delivery, person)
    url = f"/services/{event.pk}/attendance/"
    assert client.get(url).status_code == status
    assert client.post(url, {"attendees": [delivery.residents[0].pk]}).status_code == status
    event.refresh_from_db()
    assert event.person_times == 2


def test_worker_deletes_an_event(delivery):
    event = record(delivery, headcount=9)
    client = login(delivery, "worker")
    assert client.get(f"/services/{event.pk}/delete/").status_code == 200
    response = client.post(f"/services/{event.pk}/delete/")
    assert (response.status_code, response["Location"]) == (302, "/services/")
    assert ServiceEvent.objects.count() == 0


def test_a_casework_event_is_not_deleted_from_the_services_pages(delivery):
    casework_note(delivery, delivery.residents[0])
    event = ServiceEvent.objects.get()
    response = login(delivery, "worker").post(f"/services/{event.pk}/delete/")
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Casework contacts are changed through their case."
    ]
    assert ServiceEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("person", "status"), [("district", 403), ("city", 403), ("worker_c", 404)]
)
def test_others_cannot_delete(delivery, person, status):
    event = record(delivery, headcount=9)
    assert login(delivery, person).post(f"/services/{event.pk}/delete/").status_code == status
    assert ServiceEvent.objects.count() == 1


# --- Web: groups and sessions -------------------------------------------------------------


def test_worker_creates_a_group_with_members(delivery):
    r = delivery.residents
    response = login(delivery, "worker").post(
        "/services/groups/new/",
        {
            "project": delivery.projects["elderly"].pk,
            "name": "长者怀旧小组",
            "planned_sessions": "6",
            "members": [x.pk for x in r[:12]],
            "leaders": [delivery["worker"].pk],
        },
    )
    grp = Group.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/services/groups/{grp.pk}/")
    assert (grp.members.count(), grp.planned_sessions, grp.station) == (
        12,
        6,
        delivery.world.station_a,
    )


def test_worker_records_a_session_with_members_and_a_non_member(delivery):
    r = delivery.residents
    grp = group(delivery, members=12)
    client = login(delivery, "worker")
    page = client.get(f"/services/groups/{grp.pk}/sessions/new/")
    assert len(page.context["members"].rows) == 12
    # Non-members are looked up by name, not listed (a station has hundreds).
    assert (page.context["others"].rows, page.context["found"]) == ([], None)
    found = client.get(f"/services/groups/{grp.pk}/sessions/new/", {"q": "居民1"}).context["found"]
    assert [x.name for x, _ticked in found.rows] == ["居民13", "居民14", "居民15"]
    response = client.post(
        f"/services/groups/{grp.pk}/sessions/new/",
        {
            "held_on": TODAY().isoformat(),
            "title": "",
            "attendees": [x.pk for x in r[:10]] + [r[14].pk],
            f"hours_{delivery.volunteers[1].pk}": "2",
            "party_members": [delivery.party_members[1].pk],
        },
    )
    event = ServiceEvent.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/services/{event.pk}/")
    assert (event.person_times, event.session_number, event.group) == (11, 1, grp)
    assert event.title == "长者怀旧小组, session 1"
    group_page = client.get(f"/services/groups/{grp.pk}/")
    assert group_page.context["group"].person_times == 11
    assert group_page.context["group"].sessions_recorded == 1


def test_session_beyond_the_planned_ones_is_refused_on_the_web(delivery):
    grp = group(delivery, members=3, planned=1)
    session(delivery, grp, delivery.residents[:3])
    client = login(delivery, "worker")
    assert client.get(f"/services/groups/{grp.pk}/").context["may_record"] is False
    response = client.post(
        f"/services/groups/{grp.pk}/sessions/new/",
        {"held_on": TODAY().isoformat(), "attendees": [delivery.residents[0].pk]},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "All 1 planned sessions of this group are recorded."
    ]
    assert ServiceEvent.objects.count() == 1
    # The form is not offered any more: back to the group with the reason.
    page = client.get(f"/services/groups/{grp.pk}/sessions/new/", follow=True)
    assert page.redirect_chain == [(f"/services/groups/{grp.pk}/", 302)]
    assert [str(m) for m in page.context["messages"]] == [
        "All 1 planned sessions of this group are recorded."
    ]


def test_officials_see_a_groups_counts_but_not_its_members(delivery):
    grp = group(delivery, members=3)
    session(delivery, grp, delivery.residents[:2])
    page = login(delivery, "district").get(f"/services/groups/{grp.pk}/")
    html = page.content.decode()
    assert (page.context["member_count"], page.context["group"].person_times) == (3, 2)
    assert "居民01" not in html


def test_an_invalid_filter_lists_nothing_and_says_why(delivery):
    record(delivery, headcount=9)
    response = login(delivery, "worker").get("/services/", {"project": 999999})
    assert (response.context["page"].paginator.count, response.context["total"]) == (0, 0)
    assert response.context["filter_fields"][2].errors == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
