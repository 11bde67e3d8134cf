"""The community API: the meal roll call (POST /api/meal-roll-calls/), enrolments
and meal records, volunteers with their hours, record of service and the
station's totals, teams, party organisations and members, community
organisations, governance projects with stages and deliberation meetings; the
refusals, scoping for every role, filters and ordering.

Station A (tests/delivery_world.py) has 15 residents 居民01..居民15, volunteers
义工陈 (a party member) and 义工黄, and a party branch with two members; station
B has 南石头义工."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shegong.api_urls import router
from shegong.cases.models import Alert
from shegong.community import services
from shegong.community.models import (
    CommunityOrganisation,
    DeliberationMeeting,
    GovernanceProject,
    MealEnrolment,
    MealRecord,
    PartyMember,
    PartyOrganisation,
    Volunteer,
    VolunteerTeam,
)
from shegong.delivery.models import EventVolunteer
from tests.conftest import shared
from tests.delivery_world import make_delivery, record
from tests.helpers import day

d = shared(make_delivery)


@pytest.fixture
def canteen(d) -> list:
    """居民01..居民10 enrolled in station A's canteen 30 days ago."""
    for elder in d.residents[:10]:
        services.meal_enrol(actor=d["worker"], resident=elder, started_on=day(-30))
    return d.residents[:10]


def api_as(d, person: str | None) -> APIClient:
    """An API client in English, logged in as `person` (anonymous for None)."""
    client = APIClient()
    client.cookies["django_language"] = "en"
    if person is not None:
        client.force_authenticate(d[person])
    return client


def roll_call_body(d, served_on: datetime.date, present: dict, absent=()) -> dict:
    return {
        "station": d.world.station_a.pk,
        "date": served_on.isoformat(),
        "present": {str(elder.pk): kind for elder, kind in present.items()},
        "absent": [elder.pk for elder in absent],
    }


def post_roll_call(d, served_on, present, person="worker", absent=()):
    return api_as(d, person).post(
        "/api/meal-roll-calls/", roll_call_body(d, served_on, present, absent), format="json"
    )


# --- Meal roll call ----------------------------------------------------------------


def test_roll_call_creates_exactly_the_present_records(d, canteen):
    present = dict.fromkeys(canteen[:7], "dine_in") | {canteen[7]: "delivery"}
    response = post_roll_call(d, day(-1), present)
    assert response.status_code == 201
    assert response.json() == {
        "station": d.world.station_a.pk,
        "date": day(-1).isoformat(),
        "present": 8,
        "created": 8,
        "updated": 0,
        "removed": 0,
        "dine_in": 7,
        "delivery": 1,
        "absent": 2,
        "enrolled": 10,
    }
    records = MealRecord.objects.filter(served_on=day(-1))
    assert sorted(records.values_list("resident__name", "kind")) == [
        ("居民01", "dine_in"),
        ("居民02", "dine_in"),
        ("居民03", "dine_in"),
        ("居民04", "dine_in"),
        ("居民05", "dine_in"),
        ("居民06", "dine_in"),
        ("居民07", "dine_in"),
        ("居民08", "delivery"),
    ]


def test_second_roll_call_of_the_day_corrects_without_duplicates(d, canteen):
    post_roll_call(d, day(-1), dict.fromkeys(canteen[:8], "dine_in"))
    corrected = dict.fromkeys(canteen[1:8], "dine_in") | {canteen[9]: "delivery"}
    data = post_roll_call(d, day(-1), corrected, absent=[canteen[0]]).json()
    assert (data["created"], data["updated"], data["removed"]) == (1, 0, 1)
    assert (data["dine_in"], data["delivery"], data["absent"]) == (7, 1, 2)
    assert MealRecord.objects.filter(served_on=day(-1)).count() == 8
    assert MealRecord.objects.filter(resident=canteen[0]).count() == 0


def test_roll_call_refuses_an_elder_not_enrolled(d, canteen):
    present = {canteen[0]: "dine_in", d.residents[12]: "dine_in"}
    response = post_roll_call(d, day(-1), present)
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["1 of the elders are not enrolled in the meal programme on that day."]
    }
    assert MealRecord.objects.count() == 0


def test_roll_call_refuses_an_elder_of_another_station(d, canteen):
    response = post_roll_call(d, day(-1), {d.resident_b: "dine_in"})
    assert response.status_code == 400
    assert MealRecord.objects.count() == 0


def test_roll_call_refuses_a_future_date(d, canteen):
    response = post_roll_call(d, day(1), {canteen[0]: "dine_in"})
    assert (response.status_code, response.json()) == (
        400,
        {"served_on": ["The date cannot be in the future."]},
    )
    assert MealRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("present", "field"),
    [({"1": "takeaway"}, "present"), ({"abc": "dine_in"}, "present"), ([1, 2], "present")],
)
def test_roll_call_refuses_malformed_bodies(d, canteen, present, field):
    body = {"station": d.world.station_a.pk, "date": day(-1).isoformat(), "present": present}
    response = api_as(d, "worker").post("/api/meal-roll-calls/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert MealRecord.objects.count() == 0


def test_three_absent_service_days_raise_one_meal_absence_alert(d, canteen):
    post_roll_call(d, day(-4), dict.fromkeys(canteen, "dine_in"))
    for offset in (-3, -2, -1, -1):
        post_roll_call(d, day(offset), dict.fromkeys(canteen[1:], "dine_in"))
    [alert] = Alert.objects.filter(kind="meal_absence")
    assert (alert.resident, alert.detail) == (
        canteen[0],
        {"days": 3, "last_seen": day(-4).isoformat()},
    )


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("director", 201),
        ("district", 403),
        ("agency", 403),
        ("city", 403),
        ("evaluator", 403),
        ("director_b", 404),
        ("worker_c", 404),
        (None, 401),
    ],
)
def test_roll_call_per_role(d, canteen, person, expected):
    response = post_roll_call(d, day(-1), {canteen[0]: "dine_in"}, person=person)
    assert response.status_code == expected
    assert MealRecord.objects.count() == (1 if expected == 201 else 0)


def test_meal_records_are_read_by_day_and_hidden_from_officials(d, canteen):
    post_roll_call(d, day(-2), dict.fromkeys(canteen, "dine_in"))
    post_roll_call(d, day(-1), {canteen[0]: "delivery", canteen[1]: "dine_in"})
    url = f"/api/meal-records/?served_on={day(-1).isoformat()}&ordering=resident__name"
    data = api_as(d, "worker").get(url).json()
    assert [(r["resident_name"], r["kind"]) for r in data["results"]] == [
        ("居民01", "delivery"),
        ("居民02", "dine_in"),
    ]
    assert api_as(d, "worker").get("/api/meal-records/?kind=delivery").json()["count"] == 1
    # The names of elders stay at the station: officials see none.
    assert api_as(d, "district").get("/api/meal-records/").json()["count"] == 0
    assert api_as(d, "director_b").get("/api/meal-records/").json()["count"] == 0


def test_enrolment_through_the_api(d, canteen):
    elder = d.residents[12]
    client = api_as(d, "worker")
    body = {"resident": elder.pk, "started_on": day(0).isoformat()}
    response = client.post("/api/meal-enrolments/", body, format="json")
    assert response.status_code == 201
    assert (response.json()["resident_name"], response.json()["station"]) == (
        "居民13",
        d.world.station_a.pk,
    )
    again = client.post("/api/meal-enrolments/", body, format="json")
    assert (again.status_code, again.json()) == (
        400,
        {"non_field_errors": ["The elder is already enrolled."]},
    )
    assert client.get("/api/meal-enrolments/").json()["count"] == 11


def test_enrolling_a_resident_of_another_station_reads_as_missing(d):
    response = api_as(d, "worker").post(
        "/api/meal-enrolments/",
        {"resident": d.resident_b.pk, "started_on": day(0).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "resident" in response.json()
    assert MealEnrolment.objects.count() == 0


# --- Volunteers --------------------------------------------------------------------


def volunteer_body(**changes) -> dict:
    body = {
        "name": "义工林",
        "phone": "138 0013 8000",
        "skills": "理发",
        "registered_on": day(0).isoformat(),
        "consent_on": day(-1).isoformat(),
    }
    body.update(changes)
    return body


def test_volunteer_registered_with_consent(d):
    response = api_as(d, "worker").post("/api/volunteers/", volunteer_body(), format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["name"], data["phone"], data["station"]) == (
        "义工林",
        "13800138000",
        d.world.station_a.pk,
    )
    assert (data["consent_on"], data["total_hours"], data["events_served"]) == (
        day(-1).isoformat(),
        "0.0",
        0,
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"consent_on": None},
            {"consent_on": ["Record the date the volunteer gave consent to registration."]},
        ),
        (
            {"consent_on": day(1).isoformat()},
            {"consent_on": ["The date cannot be in the future."]},
        ),
        (
            {"consent_on": day(0).isoformat(), "registered_on": day(-1).isoformat()},
            {"consent_on": ["Consent must be given on or before the day of registration."]},
        ),
        (
            {"phone": "12345"},
            {"phone": ["A mainland mobile number has 11 digits and starts with 13–19."]},
        ),
    ],
)
def test_volunteer_registration_refusals(d, changes, errors):
    body = volunteer_body(**changes)
    if changes.get("consent_on", "") is None:
        del body["consent_on"]
    response = api_as(d, "worker").post("/api/volunteers/", body, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert Volunteer.objects.filter(name="义工林").count() == 0


def test_linking_a_party_member_flags_the_volunteer(d):
    member = d.party_members[1]  # 沙园社区党支部党代表, not linked yet
    body = volunteer_body(party_member=member.pk, is_party_member=False)
    data = api_as(d, "worker").post("/api/volunteers/", body, format="json").json()
    assert (data["party_member"], data["is_party_member"]) == (member.pk, True)
    taken = volunteer_body(name="义工周", party_member=member.pk)
    response = api_as(d, "worker").post("/api/volunteers/", taken, format="json")
    assert response.json() == {
        "party_member": ["沙园社区党支部党代表 is already linked to another volunteer."]
    }


def test_party_member_of_another_station_reads_as_missing(d):
    body = volunteer_body(party_member=d.party_member_b.pk)
    response = api_as(d, "worker").post("/api/volunteers/", body, format="json")
    assert response.status_code == 400
    assert "party_member" in response.json()


def test_volunteer_patch_changes_details_and_takes_them_off_active(d):
    huang = d.volunteers[1]
    response = api_as(d, "worker").patch(
        f"/api/volunteers/{huang.pk}/", {"skills": "陪诊", "is_active": False}, format="json"
    )
    assert response.status_code == 200
    huang.refresh_from_db()
    assert (huang.skills, huang.is_active) == ("陪诊", False)


def hours_world(d) -> None:
    """义工陈 2.5 h + 3.0 h, 义工黄 1.5 h at station A this year; 南石头义工 4 h at B."""
    chen, huang = d.volunteers
    record(d, headcount=20, volunteers=[(chen, Decimal("2.5")), (huang, Decimal("1.5"))])
    record(d, headcount=30, title="长者义剪", volunteers=[(chen, Decimal("3.0"))])
    from shegong.delivery.services import service_event_record

    service_event_record(
        actor=d["worker_b"],
        project=d.project_b,
        kind="activity",
        held_on=day(0),
        title="南石头活动",
        headcount=5,
        volunteers=[(d.volunteer_b, Decimal("4"))],
    )


def test_hours_per_volunteer_recount_from_event_volunteer_rows(d):
    hours_world(d)
    data = api_as(d, "worker").get("/api/volunteers/?ordering=name").json()
    listed = {v["name"]: (v["total_hours"], v["events_served"]) for v in data["results"]}
    assert listed == {"义工陈": ("5.5", 2), "义工黄": ("1.5", 1)}
    for volunteer in d.volunteers:
        rows = EventVolunteer.objects.filter(volunteer=volunteer)
        assert Decimal(listed[volunteer.name][0]) == sum(r.hours for r in rows)


def test_volunteer_ordering_by_total_hours(d):
    hours_world(d)
    data = api_as(d, "district").get("/api/volunteers/?ordering=-total_hours").json()
    assert [v["name"] for v in data["results"]] == ["义工陈", "南石头义工", "义工黄"]


def test_record_of_service_lists_each_event_with_its_hours(d):
    hours_world(d)
    chen = d.volunteers[0]
    data = api_as(d, "worker").get(f"/api/volunteers/{chen.pk}/service/").json()
    assert sorted((r["title"], r["hours"]) for r in data["results"]) == [
        ("社区活动", "2.5"),
        ("长者义剪", "3.0"),
    ]


def test_station_totals_count_party_members_and_hours_in_a_period(d):
    hours_world(d)
    Volunteer.objects.create(
        station=d.world.station_a,
        name="义工何",
        is_active=False,
        registered_on=day(-400),
        consent_on=day(-400),
    )
    client = api_as(d, "director")
    data = client.get("/api/volunteers/totals/").json()
    assert data == {
        "station": d.world.station_a.pk,
        "since": None,
        "until": None,
        "volunteers": 2,
        "party_members": 1,
        "hours": "7.0",
        "participations": 3,
        "volunteers_served": 2,
    }
    before = client.get(f"/api/volunteers/totals/?until={day(-1).isoformat()}").json()
    assert (before["hours"], before["participations"]) == ("0.0", 0)
    station_b = client.get(f"/api/volunteers/totals/?station={d.world.station_b.pk}")
    assert station_b.status_code == 404
    officer = api_as(d, "district").get(f"/api/volunteers/totals/?station={d.world.station_b.pk}")
    assert (officer.json()["hours"], officer.json()["volunteers"]) == ("4.0", 1)


@pytest.mark.parametrize(
    ("person", "count"),
    [
        ("worker", 2),
        ("director", 2),
        ("agency", 2),
        ("district", 3),
        ("city", 3),
        ("evaluator", 2),
        ("director_b", 1),
        ("worker_c", 0),
        ("other_district", 0),
    ],
)
def test_volunteer_list_per_role(d, person, count):
    assert api_as(d, person).get("/api/volunteers/").json()["count"] == count


def test_volunteer_filters(d):
    client = api_as(d, "worker")
    assert [
        v["name"] for v in client.get("/api/volunteers/?is_party_member=true").json()["results"]
    ] == ["义工陈"]
    assert client.get("/api/volunteers/?q=黄").json()["count"] == 1
    hidden = client.get(f"/api/volunteers/?station={d.world.station_b.pk}")
    assert hidden.status_code == 400


@pytest.mark.parametrize(
    ("person", "expected"),
    [("district", 403), ("city", 403), ("agency", 403), ("director_b", 404), (None, 401)],
)
def test_volunteer_writes_per_role(d, person, expected):
    client = api_as(d, person)
    if person != "director_b":  # who registers volunteers at their own station B
        response = client.post("/api/volunteers/", volunteer_body(), format="json")
        assert response.status_code == expected
    patch = client.patch(f"/api/volunteers/{d.volunteers[0].pk}/", {"skills": "x"}, format="json")
    assert patch.status_code == expected
    assert Volunteer.objects.filter(skills="x").count() == 0


def test_volunteer_list_query_count_does_not_grow(d):
    client = api_as(d, "district")
    client.get("/api/volunteers/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/volunteers/")
    for n in range(20):
        services.volunteer_register(
            actor=d["worker"], station=d.world.station_a, name=f"义工{n}", consent_on=day(0)
        )
    hours_world(d)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/volunteers/").json()["count"] == 23
    assert len(many) == len(few)


# --- Teams -------------------------------------------------------------------------


def test_team_created_and_members_set(d):
    chen, huang = d.volunteers
    client = api_as(d, "worker")
    response = client.post(
        "/api/volunteer-teams/", {"name": "大配餐义工队", "members": [chen.pk]}, format="json"
    )
    assert response.status_code == 201
    team = VolunteerTeam.objects.get(name="大配餐义工队")
    data = client.post(
        f"/api/volunteer-teams/{team.pk}/members/", {"members": [huang.pk]}, format="json"
    ).json()
    assert data["members"] == [huang.pk]
    duplicate = client.post("/api/volunteer-teams/", {"name": "大配餐义工队"}, format="json")
    assert duplicate.json() == {
        "non_field_errors": ["The station already has a team of that name."]
    }


def test_team_member_of_another_station_reads_as_missing(d):
    response = api_as(d, "worker").post(
        "/api/volunteer-teams/", {"name": "队", "members": [d.volunteer_b.pk]}, format="json"
    )
    assert response.status_code == 400
    assert VolunteerTeam.objects.count() == 0


def test_official_cannot_set_team_members(d):
    team = services.team_create(actor=d["worker"], station=d.world.station_a, name="队")
    response = api_as(d, "district").post(
        f"/api/volunteer-teams/{team.pk}/members/", {"members": []}, format="json"
    )
    assert response.status_code == 403


# --- Party organisations and members -----------------------------------------------


def test_party_organisation_and_member_added(d):
    client = api_as(d, "worker")
    response = client.post(
        "/api/party-organisations/", {"name": "沙园街第二党支部", "kind": "branch"}, format="json"
    )
    assert response.status_code == 201
    organisation = PartyOrganisation.objects.get(name="沙园街第二党支部")
    response = client.post(
        "/api/party-members/",
        {"organisation": organisation.pk, "name": "李党代表", "is_representative": True},
        format="json",
    )
    assert response.status_code == 201
    member = PartyMember.objects.get(name="李党代表")
    assert (member.station, member.is_representative) == (d.world.station_a, True)
    again = client.post(
        "/api/party-organisations/", {"name": "沙园街第二党支部", "kind": "branch"}, format="json"
    )
    assert again.json() == {"non_field_errors": ["This party organisation is already registered."]}


def test_party_member_filters(d):
    client = api_as(d, "worker")
    data = client.get("/api/party-members/?is_representative=true").json()
    assert [m["name"] for m in data["results"]] == ["沙园社区党支部党代表"]


def test_official_reads_but_cannot_add_party_members(d):
    client = api_as(d, "district")
    assert client.get("/api/party-members/").json()["count"] == 4
    branch = PartyOrganisation.objects.get(name="沙园社区党支部")
    response = client.post(
        "/api/party-members/", {"organisation": branch.pk, "name": "x"}, format="json"
    )
    assert response.status_code == 403


# --- Community organisations -------------------------------------------------------


def test_community_organisation_created_and_updated(d):
    client = api_as(d, "worker")
    response = client.post(
        "/api/community-organisations/",
        {
            "name": "沙园邻里互助队",
            "field": "邻里互助",
            "founded_on": day(-100).isoformat(),
            "member_count": 18,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "incubating"
    organisation = CommunityOrganisation.objects.get()
    response = client.patch(
        f"/api/community-organisations/{organisation.pk}/",
        {"status": "registered", "member_count": 25},
        format="json",
    )
    assert (response.status_code, response.json()["status"]) == (200, "registered")
    organisation.refresh_from_db()
    assert organisation.member_count == 25


def test_community_organisation_founded_in_the_future_is_refused(d):
    response = api_as(d, "worker").post(
        "/api/community-organisations/",
        {"name": "未来队", "founded_on": day(1).isoformat()},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"founded_on": ["The date cannot be in the future."]},
    )


def test_community_organisation_patch_by_outsider_and_official(d):
    organisation = services.community_organisation_create(
        actor=d["worker"], station=d.world.station_a, name="队", founded_on=day(-1)
    )
    url = f"/api/community-organisations/{organisation.pk}/"
    assert api_as(d, "district").patch(url, {"member_count": 3}, format="json").status_code == 403
    assert api_as(d, "director_b").patch(url, {"member_count": 3}, format="json").status_code == 404


# --- Governance projects -----------------------------------------------------------


def lift_project_through_api(d) -> dict:
    response = api_as(d, "worker").post(
        "/api/governance-projects/",
        {"title": "旧楼加装电梯", "category": "加装电梯", "started_on": day(-300).isoformat()},
        format="json",
    )
    assert response.status_code == 201
    return response.json()


def test_lift_project_walks_its_stages_to_36_lifts(d):
    project = lift_project_through_api(d)
    assert (project["stage"], project["next_stages"]) == ("proposed", ["deliberation", "suspended"])
    client = api_as(d, "worker")
    url = f"/api/governance-projects/{project['id']}/stage/"
    meeting = client.post(
        "/api/deliberation-meetings/",
        {
            "project": project["id"],
            "held_on": day(-200).isoformat(),
            "attendees": 48,
            "party_members_present": 6,
            "decisions": "同意加装方案，按楼层分摊费用",
        },
        format="json",
    )
    assert meeting.status_code == 201
    for stage in ("deliberation", "implementation"):
        assert client.post(url, {"stage": stage}, format="json").json()["stage"] == stage
    refused = client.post(url, {"stage": "completed"}, format="json")
    assert (refused.status_code, refused.json()) == (
        400,
        {"outcome": ["Describe the outcome to complete the project."]},
    )
    done = client.post(
        url,
        {"stage": "completed", "outcome": "全街加装电梯36部", "outcome_count": 36},
        format="json",
    ).json()
    assert (done["stage"], done["outcome_count"], done["meeting_count"]) == ("completed", 36, 1)
    assert done["next_stages"] == []
    final = client.post(url, {"stage": "suspended"}, format="json")
    assert final.status_code == 400


def test_governance_stage_cannot_be_skipped(d):
    project = lift_project_through_api(d)
    response = api_as(d, "worker").post(
        f"/api/governance-projects/{project['id']}/stage/",
        {"stage": "completed", "outcome": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "stage": ["A project at stage “Proposed” cannot move to “Completed”."]
    }
    assert GovernanceProject.objects.get().stage == "proposed"


@pytest.mark.parametrize(
    ("person", "read", "write"),
    [
        ("worker", 200, 200),
        ("director", 200, 200),
        ("agency", 200, 403),
        ("district", 200, 403),
        ("city", 200, 403),
        ("evaluator", 200, 403),
        ("director_b", 404, 404),
        ("worker_c", 404, 404),
        ("other_district", 404, 404),
        (None, 401, 401),
    ],
)
def test_governance_project_per_role(d, person, read, write):
    project = lift_project_through_api(d)
    client = api_as(d, person)
    assert client.get(f"/api/governance-projects/{project['id']}/").status_code == read
    response = client.post(
        f"/api/governance-projects/{project['id']}/stage/", {"stage": "deliberation"}, format="json"
    )
    assert response.status_code == write
    meeting = client.post(
        "/api/deliberation-meetings/",
        {
            "project": project["id"],
            "held_on": day(-1).isoformat(),
            "attendees": 5,
            "decisions": "x",
        },
        format="json",
    )
    # A station's staff naming another station's project get "does not exist".
    expected = {"worker": 201, "director": 201, "director_b": 400, "worker_c": 400}
    assert meeting.status_code == expected.get(person, 401 if person is None else 403)


def test_deliberation_meeting_refusals(d):
    project = lift_project_through_api(d)
    client = api_as(d, "worker")
    body = {"project": project["id"], "held_on": day(-1).isoformat(), "decisions": "同意"}
    too_many = client.post(
        "/api/deliberation-meetings/",
        body | {"attendees": 3, "party_members_present": 4},
        format="json",
    )
    assert too_many.status_code == 400
    before_start = client.post(
        "/api/deliberation-meetings/",
        body | {"attendees": 3, "held_on": day(-301).isoformat()},
        format="json",
    )
    assert before_start.json() == {
        "held_on": [f"The meeting cannot be before the project started ({day(-300).isoformat()})."]
    }
    assert DeliberationMeeting.objects.count() == 0


def test_governance_filters_and_ordering(d):
    lift_project_through_api(d)
    services.governance_project_create(
        actor=d["worker"], station=d.world.station_a, title="社区微改造", started_on=day(-10)
    )
    client = api_as(d, "district")
    data = client.get("/api/governance-projects/?ordering=started_on").json()
    assert [p["title"] for p in data["results"]] == ["旧楼加装电梯", "社区微改造"]
    assert client.get("/api/governance-projects/?q=电梯").json()["count"] == 1
    assert client.get("/api/governance-projects/?stage=completed").json()["count"] == 0


# --- Explicit ordering -------------------------------------------------------------

COMMUNITY_ENDPOINTS = [
    (prefix, viewset)
    for prefix, viewset, _basename in router.registry
    if viewset.__module__.startswith("shegong.community.api.")
]


def test_every_community_model_has_an_endpoint():
    assert {prefix for prefix, _viewset in COMMUNITY_ENDPOINTS} == {
        "volunteers",
        "volunteer-teams",
        "party-organisations",
        "party-members",
        "community-organisations",
        "governance-projects",
        "deliberation-meetings",
        "meal-enrolments",
        "meal-records",
        "volunteer-signups",
    }


@pytest.mark.parametrize(("prefix", "viewset"), COMMUNITY_ENDPOINTS, ids=lambda v: str(v))
def test_each_endpoint_sorts_by_each_of_its_declared_fields(d, canteen, prefix, viewset):
    """Ordering is an explicit list (never "__all__", which would sort by personal
    fields), and every field in it really sorts."""
    assert isinstance(viewset.ordering_fields, list)
    client = api_as(d, "worker")
    for field in viewset.ordering_fields:
        assert client.get(f"/api/{prefix}/?ordering=-{field}").status_code == 200, field
