"""The workforce API: profiles scoped like the pages, writes through the
services, and the staffing summary with the same figures as the page."""

from __future__ import annotations

import pytest

from shegong.workforce.models import StaffProfile, SupervisionRecord, TrainingRecord
from tests.workforce_world import YEAR, make_staffed


@pytest.fixture
def staffed(world):
    return make_staffed(world)


@pytest.mark.parametrize(
    ("person", "usernames"),
    [
        ("worker", ["worker"]),
        ("director", ["clerk", "director", "sup", "worker", "worker2"]),
        ("agency", ["clerk", "director", "sup", "worker", "worker2"]),
        ("district", ["clerk", "director", "director_b", "sup", "worker", "worker2"]),
        ("director_b", ["director_b"]),
        ("worker_c", []),
        ("evaluator", []),
    ],
)
def test_profile_list_per_role(staffed, api, person, usernames):
    results = api(staffed[person]).get("/api/staff-profiles/?page_size=50").json()["results"]
    assert sorted(r["user_name"].lower() for r in results) == usernames


def test_training_records_of_a_worker_are_their_own(staffed, api):
    results = api(staffed["worker"]).get("/api/training-records/").json()["results"]
    assert sorted(r["course"] for r in results) == ["个案管理实务", "社工伦理", "长者危机干预"]


def test_staffing_endpoint_matches_the_page(staffed, api):
    response = api(staffed["agency"]).get(f"/api/workforce/staffing/?year={YEAR}")
    assert response.status_code == 200
    assert response.json() == [
        {
            "station": staffed.world.station_a.pk,
            "station_code": "haizhu-10",
            "station_name": "沙园街社工站",
            "district_name": "海珠区",
            "agency_name": "广州市同心社会工作服务中心",
            "headcount": 4,
            "by_post": {"director": 1, "supervisor": 1, "frontline": 2, "administration": 0},
            "by_qualification": {"none": 1, "assistant": 1, "social_worker": 1, "senior": 1},
            "qualified": 3,
            "qualified_share": "75.0",
            "training_hours": "30.0",
            "training_per_staff": "7.5",
            "supervision_hours": "6.5",
            "supervision_per_staff": "1.6",
        }
    ]


@pytest.mark.parametrize(
    ("person", "station", "expected"),
    [("district", "b", 200), ("director", "b", 404), ("worker", "a", 403), ("city", "c", 200)],
)
def test_staffing_endpoint_per_station(staffed, api, person, station, expected):
    pk = getattr(staffed.world, f"station_{station}").pk
    response = api(staffed[person]).get(f"/api/workforce/staffing/?year={YEAR}&station={pk}")
    assert response.status_code == expected


def test_staffing_endpoint_refuses_a_bad_year(staffed, api):
    response = api(staffed["city"]).get("/api/workforce/staffing/?year=abc")
    assert response.status_code == 400


def test_anonymous_staffing_is_401(staffed, api):
    assert api().get("/api/workforce/staffing/").status_code == 401


def test_director_records_a_training_through_the_api(staffed, api):
    response = api(staffed["director"]).post(
        "/api/training-records/",
        {
            "profile": staffed.profiles["worker"].pk,
            "course": "社区营造",
            "provider": "广州市社会工作协会",
            "held_on": "2025-10-10",
            "hours": "4.0",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["hours"] == "4.0"


@pytest.mark.parametrize(("person", "expected"), [("worker", 403), ("director_b", 400)])
def test_training_through_the_api_is_refused_outside_the_editors(staffed, api, person, expected):
    response = api(staffed[person]).post(
        "/api/training-records/",
        {
            "profile": staffed.profiles["worker"].pk,
            "course": "x",
            "provider": "y",
            "held_on": "2025-10-10",
            "hours": "4.0",
        },
        format="json",
    )
    assert response.status_code == expected
    assert TrainingRecord.objects.count() == 6


def test_zero_hours_through_the_api_is_400(staffed, api):
    response = api(staffed["director"]).post(
        "/api/supervision-records/",
        {
            "profile": staffed.profiles["worker"].pk,
            "supervisor": "督导",
            "held_on": "2025-10-10",
            "hours": "0",
            "kind": "group",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"hours": ["时数必须大于0。"]}
    assert SupervisionRecord.objects.count() == 4


def test_agency_manager_patches_a_profile_with_a_stale_version(staffed, api):
    pk = staffed.profiles["worker"].pk
    client = api(staffed["agency"])
    ok = client.patch(f"/api/staff-profiles/{pk}/", {"post": "supervisor", "version": 1})
    assert (ok.status_code, ok.json()["post"], ok.json()["version"]) == (200, "supervisor", 2)
    stale = client.patch(f"/api/staff-profiles/{pk}/", {"post": "frontline", "version": 1})
    assert stale.status_code == 400
    assert StaffProfile.objects.get(pk=pk).post == "supervisor"


def test_district_officer_cannot_patch_a_profile(staffed, api):
    pk = staffed.profiles["worker"].pk
    response = api(staffed["district"]).patch(f"/api/staff-profiles/{pk}/", {"post": "supervisor"})
    assert response.status_code == 403
