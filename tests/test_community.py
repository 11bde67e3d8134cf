"""The programmes around the station: the canteen's roll call (one write for the
day, corrected without duplicates, refusals, the absence alert), volunteers
(consent, hours recounted from EventVolunteer rows), party organisations,
community organisations and governance projects (completing needs an outcome),
and the web pages' scoping.

Station A (tests/delivery_world.py) has 15 residents 居民01..居民15, volunteers
义工陈 (a party member) and 义工黄, and a party branch with two members."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from shegong.cases.models import Alert
from shegong.community import selectors, services
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
from tests.helpers import day, refusal

d = shared(make_delivery)


@pytest.fixture
def canteen(d) -> list:
    """居民01..居民10 enrolled in station A's canteen 30 days ago."""
    elders = d.residents[:10]
    for elder in elders:
        services.meal_enrol(actor=d["worker"], resident=elder, started_on=day(-30))
    return elders


def roll_call(d, served_on, present, actor=None, absent=()) -> dict[str, int]:
    return services.meal_roll_call(
        actor=actor or d["worker"],
        station=d.world.station_a,
        served_on=served_on,
        present={elder.pk: kind for elder, kind in present.items()},
        absent=[elder.pk for elder in absent],
    )


def meals(station, served_on) -> dict[str, str]:
    return dict(
        MealRecord.objects.filter(station=station, served_on=served_on).values_list(
            "resident__name", "kind"
        )
    )


# --- Meal roll call ----------------------------------------------------------------


def test_roll_call_creates_exactly_the_present_records(d, canteen):
    present = dict.fromkeys(canteen[:6], "dine_in") | dict.fromkeys(canteen[6:8], "delivery")
    result = roll_call(d, day(-1), present)
    assert result == {"present": 8, "created": 8, "updated": 0, "removed": 0}
    assert MealRecord.objects.count() == 8
    assert meals(d.world.station_a, day(-1)) == {
        "居民01": "dine_in",
        "居民02": "dine_in",
        "居民03": "dine_in",
        "居民04": "dine_in",
        "居民05": "dine_in",
        "居民06": "dine_in",
        "居民07": "delivery",
        "居民08": "delivery",
    }
    assert set(MealRecord.objects.values_list("recorded_by__username", flat=True)) == {"worker"}


def test_second_roll_call_of_the_day_corrects_without_duplicates(d, canteen):
    roll_call(d, day(-1), dict.fromkeys(canteen[:8], "dine_in"))
    # 居民01 had a delivery after all, 居民08 was absent, 居民09 came late.
    corrected = dict.fromkeys(canteen[1:7], "dine_in") | {
        canteen[0]: "delivery",
        canteen[8]: "dine_in",
    }
    result = roll_call(d, day(-1), corrected, absent=[canteen[7]])
    assert result == {"present": 8, "created": 1, "updated": 1, "removed": 1}
    assert MealRecord.objects.count() == 8
    day_meals = meals(d.world.station_a, day(-1))
    assert (day_meals["居民01"], day_meals["居民09"], "居民08" in day_meals) == (
        "delivery",
        "dine_in",
        False,
    )
    totals = selectors.meal_day(d["worker"], d.world.station_a, day(-1)).totals
    assert totals == {"dine_in": 7, "delivery": 1, "absent": 2}


def test_roll_calls_of_two_days_are_kept_apart(d, canteen):
    roll_call(d, day(-2), dict.fromkeys(canteen, "dine_in"))
    roll_call(d, day(-1), dict.fromkeys(canteen[:3], "dine_in"))
    assert MealRecord.objects.filter(served_on=day(-2)).count() == 10
    assert MealRecord.objects.filter(served_on=day(-1)).count() == 3


def test_roll_call_refuses_an_elder_not_enrolled(d, canteen):
    outsider = d.residents[12]  # 居民13, not enrolled
    messages = refusal(
        roll_call, d=d, served_on=day(-1), present={canteen[0]: "dine_in", outsider: "dine_in"}
    )
    assert messages == ["1 of the elders are not enrolled in the meal programme on that day."]
    assert MealRecord.objects.count() == 0


def test_roll_call_refuses_an_elder_before_their_enrolment(d, canteen):
    messages = refusal(roll_call, d=d, served_on=day(-31), present={canteen[0]: "dine_in"})
    assert messages == ["1 of the elders are not enrolled in the meal programme on that day."]


def test_roll_call_refuses_a_future_date(d, canteen):
    messages = refusal(roll_call, d=d, served_on=day(1), present={canteen[0]: "dine_in"})
    assert messages == ["The date cannot be in the future."]
    assert MealRecord.objects.count() == 0


def test_roll_call_refuses_an_unknown_meal_kind(d, canteen):
    messages = refusal(roll_call, d=d, served_on=day(-1), present={canteen[0]: "takeaway"})
    assert messages == ["Unknown meal kind."]


@pytest.mark.parametrize("person", ["director_b", "district", "agency"])
def test_roll_call_is_for_the_stations_own_staff(d, canteen, person):
    refusal(
        roll_call,
        PermissionDenied,
        d=d,
        served_on=day(-1),
        present={canteen[0]: "dine_in"},
        actor=d[person],
    )
    assert MealRecord.objects.count() == 0


def test_elder_absent_the_last_three_service_days_gets_one_alert(d, canteen):
    everyone = dict.fromkeys(canteen, "dine_in")
    roll_call(d, day(-4), everyone)
    without_01 = dict.fromkeys(canteen[1:], "dine_in")
    for offset in (-3, -2, -1):
        roll_call(d, day(offset), without_01)
    # Correcting the last day again raises no second alert for the same absence.
    roll_call(d, day(-1), without_01)
    [alert] = Alert.objects.filter(kind="meal_absence")
    assert (alert.resident, alert.station) == (canteen[0], d.world.station_a)
    assert alert.detail == {"days": 3, "last_seen": day(-4).isoformat()}


def test_elder_absent_only_two_service_days_raises_no_alert(d, canteen):
    roll_call(d, day(-3), dict.fromkeys(canteen, "dine_in"))
    for offset in (-2, -1):
        roll_call(d, day(offset), dict.fromkeys(canteen[1:], "dine_in"))
    assert Alert.objects.filter(kind="meal_absence").count() == 0


def test_enrolling_twice_is_refused(d, canteen):
    messages = refusal(
        services.meal_enrol, actor=d["worker"], resident=canteen[0], started_on=day(0)
    )
    assert messages == ["The elder is already enrolled."]
    assert MealEnrolment.objects.count() == 10


def test_roll_call_of_120_elders_prefills_and_counts(d, world):
    from tests.delivery_world import _resident

    elders = [_resident(d["worker"], world.station_a, f"长者{n:03d}") for n in range(120)]
    MealEnrolment.objects.bulk_create(
        MealEnrolment(station=world.station_a, resident=e, started_on=day(-30)) for e in elders
    )
    present = dict.fromkeys(elders[:116], "dine_in") | {elders[116]: "delivery"}
    assert roll_call(d, day(-1), present)["created"] == 117
    day_view = selectors.meal_day(d["worker"], world.station_a, day(-1))
    assert (day_view.enrolled, day_view.totals) == (
        120,
        {"dine_in": 116, "delivery": 1, "absent": 3},
    )


# --- Volunteers --------------------------------------------------------------------


def register(d, **kwargs) -> Volunteer:
    args = {
        "actor": d["worker"],
        "station": d.world.station_a,
        "name": "义工林",
        "consent_on": day(-1),
        "registered_on": day(0),
    }
    args.update(kwargs)
    return services.volunteer_register(**args)


def test_volunteer_registration_needs_consent(d):
    messages = refusal(register, d=d, consent_on=None)
    assert messages == ["Record the date the volunteer gave consent to registration."]
    assert Volunteer.objects.filter(name="义工林").count() == 0


def test_consent_after_registration_is_refused(d):
    messages = refusal(register, d=d, consent_on=day(0), registered_on=day(-1))
    assert messages == ["Consent must be given on or before the day of registration."]


def test_volunteer_registered_with_consent_and_party_member_link(d):
    member = PartyMember.objects.get(name="沙园社区党支部党代表")
    volunteer = register(d, skills="理发", party_member=member, phone="13800138000")
    assert (volunteer.station, volunteer.consent_on, volunteer.is_party_member) == (
        d.world.station_a,
        day(-1),
        True,
    )
    assert volunteer.phone == "13800138000"


def test_a_party_member_links_to_one_volunteer_only(d):
    taken = d.party_members[0]  # already 义工陈's
    messages = refusal(register, d=d, party_member=taken)
    assert messages == ["沙园社区党支部党员 is already linked to another volunteer."]


def test_officials_cannot_register_volunteers(d):
    refusal(register, PermissionDenied, d=d, actor=d["district"])
    refusal(register, PermissionDenied, d=d, actor=d["director_b"])


def test_total_hours_recount_from_event_volunteer_rows(d):
    chen, huang = d.volunteers
    record(d, headcount=20, volunteers=[(chen, Decimal("2.5")), (huang, Decimal("1.0"))])
    record(d, headcount=15, volunteers=[(chen, Decimal("3.0"))])
    listed = {v.name: v for v in selectors.volunteers_visible_to(d["worker"])}
    assert (listed["义工陈"].total_hours, listed["义工陈"].events_served) == (Decimal("5.5"), 2)
    assert (listed["义工黄"].total_hours, listed["义工黄"].events_served) == (Decimal("1.0"), 1)
    # A correction of the hours on one row is what the totals show.
    EventVolunteer.objects.filter(volunteer=huang).update(hours=Decimal("4.0"))
    assert selectors.volunteers_visible_to(d["worker"]).get(pk=huang.pk).total_hours == Decimal(
        "4.0"
    )


def test_volunteer_without_service_has_zero_hours(d):
    volunteer = register(d)
    listed = selectors.volunteers_visible_to(d["worker"]).get(pk=volunteer.pk)
    assert (listed.total_hours, listed.events_served) == (Decimal("0.0"), 0)


def test_volunteer_service_record_lists_each_event_and_hours(d):
    chen = d.volunteers[0]
    record(d, title="长者义剪", headcount=12, volunteers=[(chen, Decimal("2.0"))])
    record(d, title="社区义诊", headcount=30, volunteers=[(chen, Decimal("1.5"))])
    rows = selectors.volunteer_service_record(d["worker"], chen)
    assert sorted((r.event.title, r.hours) for r in rows) == [
        ("社区义诊", Decimal("1.5")),
        ("长者义剪", Decimal("2.0")),
    ]
    # Station B's staff see none of it.
    assert selectors.volunteer_service_record(d["director_b"], chen).count() == 0


def test_volunteer_lists_are_scoped(d):
    def names(person: str) -> set[str]:
        return set(selectors.volunteers_visible_to(d[person]).values_list("name", flat=True))

    assert names("worker") == {"义工陈", "义工黄"}
    assert names("district") == {"南石头义工", "义工陈", "义工黄"}
    assert names("director_b") == {"南石头义工"}
    assert names("worker_c") == set()


# --- Party organisations -------------------------------------------------------------


def test_party_organisation_and_members(d):
    branch = services.party_organisation_create(
        actor=d["director"], station=d.world.station_a, name="沙园街第二党支部", kind="branch"
    )
    services.party_member_add(actor=d["worker"], organisation=branch, name="李党员")
    services.party_member_add(
        actor=d["worker"], organisation=branch, name="王代表", is_representative=True
    )
    listed = selectors.party_organisations_visible_to(d["worker"]).get(pk=branch.pk)
    assert (listed.member_count, listed.representative_count) == (2, 1)
    assert PartyMember.objects.get(name="王代表").station == d.world.station_a


def test_party_organisation_needs_a_known_kind(d):
    messages = refusal(
        services.party_organisation_create,
        actor=d["worker"],
        station=d.world.station_a,
        name="某党组织",
        kind="club",
    )
    assert messages == ["Value 'club' is not a valid choice."]
    assert PartyOrganisation.objects.filter(name="某党组织").count() == 0


def test_party_member_of_another_station_is_refused(d):
    branch_b = PartyOrganisation.objects.get(name="南石头社区党支部")
    refusal(
        services.party_member_add,
        PermissionDenied,
        actor=d["worker"],
        organisation=branch_b,
        name="张",
    )


# --- Community organisations and governance projects --------------------------------


def test_community_organisation_created_and_future_founding_refused(d):
    organisation = services.community_organisation_create(
        actor=d["worker"],
        station=d.world.station_a,
        name="沙园长者合唱团",
        field="文娱",
        founded_on=day(-100),
        member_count=24,
    )
    assert (organisation.status, organisation.member_count) == ("incubating", 24)
    messages = refusal(
        services.community_organisation_create,
        actor=d["worker"],
        station=d.world.station_a,
        name="未来组织",
        founded_on=day(1),
    )
    assert messages == ["The date cannot be in the future."]
    assert CommunityOrganisation.objects.count() == 1


def lift_project(d) -> GovernanceProject:
    return services.governance_project_create(
        actor=d["worker"],
        station=d.world.station_a,
        title="旧楼加装电梯",
        category="加装电梯",
        started_on=day(-60),
    )


def stage(d, project, to, **kwargs) -> GovernanceProject:
    return services.governance_stage_set(actor=d["worker"], project=project, stage=to, **kwargs)


def test_governance_project_goes_through_its_stages_to_an_outcome(d):
    project = lift_project(d)
    assert project.stage == "proposed"
    stage(d, project, "deliberation")
    stage(d, project, "implementation")
    project = stage(d, project, "completed", outcome="36部电梯已加装", outcome_count=36)
    project.refresh_from_db()
    assert (project.stage, project.outcome, project.outcome_count) == (
        "completed",
        "36部电梯已加装",
        36,
    )


def test_governance_completed_needs_an_outcome(d):
    project = lift_project(d)
    stage(d, project, "deliberation")
    stage(d, project, "implementation")
    messages = refusal(stage, d=d, project=project, to="completed", outcome="  ")
    assert messages == ["Describe the outcome to complete the project."]
    project.refresh_from_db()
    assert project.stage == "implementation"


def test_governance_stages_cannot_be_skipped(d):
    project = lift_project(d)
    messages = refusal(stage, d=d, project=project, to="completed", outcome="done")
    assert messages == ["A project at stage “Proposed” cannot move to “Completed”."]


def test_suspended_project_resumes_and_completed_is_final(d):
    project = lift_project(d)
    stage(d, project, "suspended")
    stage(d, project, "deliberation")
    stage(d, project, "implementation")
    stage(d, project, "completed", outcome="12部电梯", outcome_count=12)
    messages = refusal(stage, d=d, project=project, to="suspended")
    assert messages == ["A project at stage “Completed” cannot move to “Suspended”."]


def test_deliberation_meetings_with_attendance_and_decisions(d):
    project = lift_project(d)
    services.deliberation_meeting_record(
        actor=d["worker"],
        project=project,
        held_on=day(-30),
        attendees=42,
        party_members_present=6,
        decisions="同意加装，按楼层分摊费用",
    )
    listed = selectors.governance_projects_visible_to(d["district"]).get(pk=project.pk)
    assert listed.meeting_count == 1
    meeting = DeliberationMeeting.objects.get()
    assert (meeting.attendees, meeting.party_members_present) == (42, 6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"held_on": -61}, "The meeting cannot be before the project started"),
        ({"held_on": 1}, "The date cannot be in the future."),
        ({"attendees": 0}, "A meeting has at least one attendee."),
        ({"party_members_present": 11}, "Party members present are counted among"),
        ({"decisions": " "}, "Record what the meeting decided."),
    ],
)
def test_bad_deliberation_meetings_are_refused(d, kwargs, message):
    project = lift_project(d)
    args = {"held_on": -30, "attendees": 10, "decisions": "同意"} | kwargs
    args["held_on"] = day(args["held_on"])
    [got] = refusal(
        services.deliberation_meeting_record, actor=d["worker"], project=project, **args
    )
    assert got.startswith(message)
    assert DeliberationMeeting.objects.count() == 0


def test_officials_cannot_move_a_project(d):
    project = lift_project(d)
    refusal(
        services.governance_stage_set,
        PermissionDenied,
        actor=d["district"],
        project=project,
        stage="deliberation",
    )


# --- Web pages -------------------------------------------------------------------


def roll_call_url(served_on: datetime.date) -> str:
    return f"/community/meals/roll-call/?date={served_on.isoformat()}"


def test_roll_call_page_prefills_each_elder_from_the_days_records(d, canteen, login):
    roll_call(d, day(-1), {canteen[0]: "delivery", canteen[1]: "dine_in"})
    response = login(d["worker"]).get(roll_call_url(day(-1)))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="radio"') == 30  # 10 elders x dine-in / delivery / absent
    assert f'id="kind-{canteen[0].pk}-delivery" value="delivery" autocomplete="off" checked' in html
    assert f'id="kind-{canteen[1].pk}-dine_in" value="dine_in" autocomplete="off" checked' in html
    assert f'id="kind-{canteen[2].pk}-absent" value="absent" autocomplete="off" checked' in html
    totals = response.context["roll_call"].totals
    assert totals == {"dine_in": 1, "delivery": 1, "absent": 8}


def test_roll_call_saved_in_one_post_then_corrected(d, canteen, login):
    client = login(d["worker"])
    marks = {f"kind_{e.pk}": "dine_in" for e in canteen[:7]}
    marks |= {f"kind_{canteen[7].pk}": "delivery"}
    marks |= {f"kind_{e.pk}": "absent" for e in canteen[8:]}
    response = client.post(
        "/community/meals/roll-call/", {"served_on": day(-1).isoformat(), **marks}
    )
    assert (response.status_code, response["Location"]) == (302, roll_call_url(day(-1)))
    assert MealRecord.objects.filter(served_on=day(-1)).count() == 8
    page = client.get(roll_call_url(day(-1)))
    assert page.context["roll_call"].totals == {"dine_in": 7, "delivery": 1, "absent": 2}

    marks[f"kind_{canteen[0].pk}"] = "absent"
    client.post("/community/meals/roll-call/", {"served_on": day(-1).isoformat(), **marks})
    assert MealRecord.objects.filter(served_on=day(-1)).count() == 7
    assert MealRecord.objects.filter(resident=canteen[0]).count() == 0


def test_roll_call_post_for_a_future_day_is_refused(d, canteen, login):
    client = login(d["worker"])
    client.cookies["django_language"] = "en"
    response = client.post(
        "/community/meals/roll-call/",
        {"served_on": day(1).isoformat(), f"kind_{canteen[0].pk}": "dine_in"},
    )
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert MealRecord.objects.count() == 0


@pytest.mark.parametrize("through", ["page", "api"])
def test_roll_call_keeps_the_entry_of_an_elder_it_does_not_mention(d, canteen, through):
    """The page and the API obey the one rule of the service: an elder the roll
    call does not mention (a colleague recorded them after it was opened) keeps
    the day's entry; the elders marked absent lose theirs."""
    from rest_framework.test import APIClient

    # A colleague's roll call: 居民01 and 居民09 ate, 居民10 had a delivery.
    roll_call(
        d,
        day(-1),
        {canteen[0]: "dine_in", canteen[8]: "dine_in", canteen[9]: "delivery"},
        actor=d["director"],
    )
    # The worker's roll call, opened before: 居民01..07 ate in, 居民08 had a
    # delivery, 居民09 was absent; 居民10 is not on it.
    dine_in, delivery, absent = canteen[:7], canteen[7], canteen[8]
    if through == "page":
        client = Client()
        client.force_login(d["worker"])
        marks = {f"kind_{e.pk}": "dine_in" for e in dine_in}
        marks |= {f"kind_{delivery.pk}": "delivery", f"kind_{absent.pk}": "absent"}
        response = client.post(
            "/community/meals/roll-call/", {"served_on": day(-1).isoformat(), **marks}
        )
        assert response.status_code == 302
    else:
        client = APIClient()
        client.force_authenticate(d["worker"])
        body = {
            "station": d.world.station_a.pk,
            "date": day(-1).isoformat(),
            "present": {str(e.pk): "dine_in" for e in dine_in} | {str(delivery.pk): "delivery"},
            "absent": [absent.pk],
        }
        response = client.post("/api/meal-roll-calls/", body, format="json")
        assert response.status_code == 201
        assert (response.json()["present"], response.json()["removed"]) == (9, 1)
    assert sorted(
        MealRecord.objects.filter(served_on=day(-1)).values_list(
            "resident__name", "kind", "recorded_by__username"
        )
    ) == [
        ("居民01", "dine_in", "director"),
        ("居民02", "dine_in", "worker"),
        ("居民03", "dine_in", "worker"),
        ("居民04", "dine_in", "worker"),
        ("居民05", "dine_in", "worker"),
        ("居民06", "dine_in", "worker"),
        ("居民07", "dine_in", "worker"),
        ("居民08", "delivery", "worker"),
        ("居民10", "delivery", "director"),
    ]


def test_roll_call_refuses_an_elder_both_present_and_absent(d, canteen):
    messages = refusal(
        roll_call, d=d, served_on=day(-1), present={canteen[0]: "dine_in"}, absent=[canteen[0]]
    )
    assert messages == ["An elder cannot be both present and absent."]
    assert MealRecord.objects.count() == 0


def test_roll_call_post_with_a_bad_mark_saves_nothing(d, canteen, login):
    response = login(d["worker"]).post(
        "/community/meals/roll-call/",
        {"served_on": day(-1).isoformat(), f"kind_{canteen[0].pk}": "takeaway"},
    )
    assert response.status_code == 400
    assert MealRecord.objects.count() == 0


def test_roll_call_page_of_120_elders_takes_a_fixed_number_of_queries(d, world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.delivery_world import _resident

    def enrol(count: int, start: int) -> None:
        elders = [
            _resident(d["worker"], world.station_a, f"长者{n:03d}")
            for n in range(start, start + count)
        ]
        MealEnrolment.objects.bulk_create(
            MealEnrolment(station=world.station_a, resident=e, started_on=day(-30)) for e in elders
        )

    client = login(d["worker"])
    enrol(10, 0)
    client.get(roll_call_url(day(-1)))
    with CaptureQueriesContext(connection) as with_10:
        client.get(roll_call_url(day(-1)))
    enrol(110, 10)
    with CaptureQueriesContext(connection) as with_120:
        response = client.get(roll_call_url(day(-1)))
    assert response.content.decode().count('type="radio"') == 360
    assert len(with_120) == len(with_10)


def test_meal_pages_are_for_the_stations_staff(d, canteen, login, client):
    assert login(d["worker"]).get("/community/meals/").status_code == 200
    for person in ("district", "agency", "city"):
        client.force_login(d[person])
        assert client.get("/community/meals/").status_code == 403
        assert client.get(roll_call_url(day(-1))).status_code == 403
        response = client.post(
            "/community/meals/roll-call/",
            {"served_on": day(-1).isoformat(), f"kind_{canteen[0].pk}": "dine_in"},
        )
        assert response.status_code == 403
    assert MealRecord.objects.count() == 0


def test_enrol_from_the_meal_page(d, canteen, login):
    elder = d.residents[12]
    response = login(d["worker"]).post(
        "/community/meals/enrol/", {"resident": elder.pk, "started_on": day(0).isoformat()}
    )
    assert response.status_code == 302
    assert MealEnrolment.objects.filter(resident=elder, station=d.world.station_a).count() == 1


def test_enrolling_an_elder_of_another_station_is_404(d, login):
    response = login(d["worker"]).post(
        "/community/meals/enrol/", {"resident": d.resident_b.pk, "started_on": day(0).isoformat()}
    )
    assert response.status_code == 404
    assert MealEnrolment.objects.count() == 0


def test_volunteer_list_shows_party_flag_and_total_hours(d, login):
    record(d, headcount=20, volunteers=[(d.volunteers[0], Decimal("2.5"))])
    response = login(d["worker"]).get("/community/volunteers/")
    assert response.status_code == 200
    listed = {v.name: (v.is_party_member, v.total_hours) for v in response.context["page"]}
    assert listed == {"义工陈": (True, Decimal("2.5")), "义工黄": (False, Decimal("0.0"))}


def test_volunteer_registered_on_the_web_needs_consent(d, login):
    client = login(d["worker"])
    client.cookies["django_language"] = "en"
    form = {"name": "义工林", "registered_on": day(0).isoformat(), "skills": "书法"}
    response = client.post("/community/volunteers/new/", form)
    assert response.status_code == 400
    assert "Record the date the volunteer gave consent to registration." in (
        response.content.decode()
    )
    response = client.post("/community/volunteers/new/", form | {"consent_on": day(0).isoformat()})
    volunteer = Volunteer.objects.get(name="义工林")
    assert response["Location"] == f"/community/volunteers/{volunteer.pk}/"


def test_volunteer_detail_shows_the_record_of_service(d, login):
    chen = d.volunteers[0]
    record(d, title="长者义剪", headcount=12, volunteers=[(chen, Decimal("2.0"))])
    response = login(d["district"]).get(f"/community/volunteers/{chen.pk}/")
    assert response.status_code == 200
    assert [(r.event.title, r.hours) for r in response.context["page"]] == [
        ("长者义剪", Decimal("2.0"))
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/community/volunteers/{volunteer}/",
        "/community/party/{party}/",
        "/community/projects/{project}/",
    ],
)
@pytest.mark.parametrize("person", ["director_b", "worker_c", "other_district", "other_agency"])
def test_outsiders_get_404(d, login, url, person):
    project = lift_project(d)
    party = PartyOrganisation.objects.get(name="沙园社区党支部")
    target = url.format(volunteer=d.volunteers[0].pk, party=party.pk, project=project.pk)
    assert login(d[person]).get(target).status_code == 404


@pytest.mark.parametrize("person", ["district", "agency", "city"])
def test_officials_read_but_do_not_write(d, login, person):
    project = lift_project(d)
    client = login(d[person])
    for url in (
        "/community/volunteers/",
        "/community/party/",
        "/community/organisations/",
        "/community/projects/",
        f"/community/projects/{project.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.post("/community/volunteers/new/", {"name": "x"}).status_code == 403
    assert client.post("/community/party/new/", {"name": "x", "kind": "branch"}).status_code == 403
    assert (
        client.post(
            "/community/organisations/new/", {"name": "x", "founded_on": "2024-01-01"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/community/projects/{project.pk}/stage/", {"stage-stage": "deliberation"}
        ).status_code
        == 403
    )
    assert Volunteer.objects.filter(name="x").count() == 0
    project.refresh_from_db()
    assert project.stage == "proposed"


@pytest.mark.parametrize(
    "url",
    [
        "/community/",
        "/community/volunteers/",
        "/community/party/",
        "/community/organisations/",
        "/community/projects/",
        "/community/meals/",
        "/community/meals/roll-call/",
    ],
)
def test_anonymous_is_sent_to_login(world, client, url):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/accounts/login/?next={url}",
    )


def test_governance_project_completed_on_the_web_needs_an_outcome(d, login):
    project = lift_project(d)
    stage(d, project, "deliberation")
    stage(d, project, "implementation")
    client = login(d["worker"])
    client.cookies["django_language"] = "en"
    url = f"/community/projects/{project.pk}/stage/"
    response = client.post(url, {"stage-stage": "completed"})
    assert response.status_code == 400
    assert "Describe the outcome to complete the project." in response.content.decode()
    response = client.post(
        url,
        {"stage-stage": "completed", "stage-outcome": "36部电梯", "stage-outcome_count": "36"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.outcome_count) == ("completed", 36)


def test_deliberation_meeting_recorded_on_the_web(d, login):
    project = lift_project(d)
    response = login(d["worker"]).post(
        f"/community/projects/{project.pk}/meetings/",
        {
            "meeting-held_on": day(-10).isoformat(),
            "meeting-attendees": "35",
            "meeting-party_members_present": "4",
            "meeting-decisions": "通过加装方案",
        },
    )
    assert response.status_code == 302
    meeting = DeliberationMeeting.objects.get(project=project)
    assert (meeting.attendees, meeting.party_members_present) == (35, 4)


def test_party_organisation_and_community_organisation_added_on_the_web(d, login):
    client = login(d["worker"])
    response = client.post("/community/party/new/", {"name": "沙园街第三党支部", "kind": "branch"})
    assert response.status_code == 302
    response = client.post(
        "/community/organisations/new/",
        {
            "name": "沙园邻里互助队",
            "field": "邻里互助",
            "founded_on": day(-200).isoformat(),
            "member_count": "18",
            "status": "incubating",
        },
    )
    assert response.status_code == 302
    assert PartyOrganisation.objects.filter(name="沙园街第三党支部").count() == 1
    assert CommunityOrganisation.objects.get(name="沙园邻里互助队").member_count == 18


def test_governance_project_created_on_the_web_opens_its_page(d, login):
    client = login(d["worker"])
    response = client.post(
        "/community/projects/new/",
        {
            "title": "广重社区旧楼加装电梯",
            "category": "旧楼加装电梯",
            "started_on": day(-30).isoformat(),
        },
    )
    project = GovernanceProject.objects.get(title="广重社区旧楼加装电梯")
    assert response.status_code == 302
    assert response["Location"] == f"/community/projects/{project.pk}/"
    assert (project.stage, project.station_id) == ("proposed", d.world.station_a.pk)


# --- Web pages: pre-meal activities, teams, editing -----------------------------------


def test_pre_meal_activity_recorded_with_volunteers_counts_their_hours(d, canteen, login):
    chen = d.volunteers[0]
    client = login(d["worker"])
    page = client.get("/community/meals/activities/new/")
    assert page.status_code == 200
    # The checklist offers the canteen's elders, not every resident of the station.
    assert [r.name for r, _ticked in page.context["elders"].rows] == [e.name for e in canteen]
    response = client.post(
        "/community/meals/activities/new/",
        {
            "project": d.projects["elderly"].pk,
            "held_on": day(0).isoformat(),
            "title": "餐前健康操",
            "headcount": "5",
            "attendees": [e.pk for e in canteen[:4]],
            "workers": [d["worker"].pk],
            f"hours_{chen.pk}": "1.5",
        },
    )
    assert response.status_code == 302
    [service] = EventVolunteer.objects.filter(volunteer=chen)
    event = service.event
    assert (event.kind, event.person_times, event.domain, service.hours) == (
        "meal_activity",
        9,
        "elderly",
        Decimal("1.5"),
    )
    assert selectors.volunteers_visible_to(d["worker"]).get(pk=chen.pk).total_hours == Decimal(
        "1.5"
    )
    meal_page = client.get("/community/meals/")
    assert [a.title for a in meal_page.context["activities"]] == ["餐前健康操"]


def test_pre_meal_activity_page_is_for_the_stations_staff(d, login):
    assert login(d["district"]).get("/community/meals/activities/new/").status_code == 403


def test_team_created_and_members_changed_on_the_web(d, login):
    chen, huang = d.volunteers
    client = login(d["worker"])
    response = client.post("/community/teams/new/", {"name": "大配餐义工队", "members": [chen.pk]})
    assert response.status_code == 302
    team = VolunteerTeam.objects.get(name="大配餐义工队")
    assert list(team.members.all()) == [chen]
    response = client.post(f"/community/teams/{team.pk}/", {"members": [chen.pk, huang.pk]})
    assert response.status_code == 302
    assert sorted(team.members.values_list("name", flat=True)) == ["义工陈", "义工黄"]
    assert login(d["district"]).post(f"/community/teams/{team.pk}/", {}).status_code == 403
    assert login(d["director_b"]).get(f"/community/teams/{team.pk}/").status_code == 404
    assert team.members.count() == 2


def test_volunteer_edited_on_the_web(d, login):
    huang = d.volunteers[1]
    client = login(d["worker"])
    assert client.get(f"/community/volunteers/{huang.pk}/edit/").status_code == 200
    response = client.post(
        f"/community/volunteers/{huang.pk}/edit/",
        {
            "name": "义工黄",
            "phone": "13900139000",
            "skills": "陪诊",
            "consent_on": "2024-01-01",
            "party_member": d.party_members[1].pk,
        },
    )
    assert response.status_code == 302
    huang.refresh_from_db()
    assert (huang.skills, huang.is_party_member, huang.is_active) == ("陪诊", True, False)
    assert huang.party_member == d.party_members[1]
    assert login(d["district"]).get(f"/community/volunteers/{huang.pk}/edit/").status_code == 403


def test_community_organisation_edited_on_the_web(d, login):
    organisation = services.community_organisation_create(
        actor=d["worker"], station=d.world.station_a, name="沙园邻里互助队", founded_on=day(-100)
    )
    url = f"/community/organisations/{organisation.pk}/edit/"
    response = login(d["worker"]).post(
        url,
        {
            "name": "沙园邻里互助队",
            "founded_on": day(-100).isoformat(),
            "member_count": "24",
            "status": "established",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.status, organisation.member_count) == ("established", 24)
    assert login(d["district"]).get(url).status_code == 403
    assert login(d["director_b"]).get(url).status_code == 404


def test_overview_shows_the_stations_volunteer_figures(d, login):
    record(d, headcount=10, volunteers=[(d.volunteers[0], Decimal("2.5"))])
    response = login(d["worker"]).get("/community/")
    assert response.status_code == 200
    assert response.context["totals"] == {
        "volunteers": 2,
        "party_members": 1,
        "hours": Decimal("2.5"),
        "participations": 1,
        "volunteers_served": 1,
    }
    assert login(d["city"]).get("/community/").context["volunteer_count"] == 3
