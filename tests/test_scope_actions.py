"""Permissions read from the scope declarations instead of written by hand:
assigning a case is a named action of the case's scope ("assign": the director
of the case's station), read by the page's link, the assignment page and the
service the API calls; the meal roll call is creating the station's meal
records (the meal scope's create right: the station's own staff)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone, translation

from shegong.cases import services
from shegong.cases.models import ASSIGN, Case
from shegong.community.models import MealRecord
from shegong.core.roles import Role
from tests.conftest import make_user
from tests.delivery_world import make_delivery, planned_case

YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def case(world):
    d = make_delivery(world)
    return planned_case(d, d.residents[0])


PEOPLE = ["admin", "city", "district", "agency", "director", "worker", "director_b", "worker_c"]


def test_only_the_director_of_the_station_may_assign(world, case):
    may_assign = {
        p: Case.objects.visible_to(world[p], ASSIGN).filter(pk=case.pk).exists() for p in PEOPLE
    }
    assert [p for p, yes in may_assign.items() if yes] == ["director"]


@pytest.mark.parametrize(
    ("person", "link", "page"),
    [("director", True, 200), ("worker", False, 403), ("district", False, 403)],
)
def test_assign_link_and_page_follow_the_declared_action(world, case, person, link, page):
    client = Client()
    client.force_login(world[person])
    detail = client.get(f"/cases/{case.pk}/")
    assert detail.context["can_assign"] is link
    assert (f"/cases/{case.pk}/assign/" in detail.content.decode()) is link
    assert client.get(f"/cases/{case.pk}/assign/").status_code == page


def test_assigned_worker_cannot_assign_through_the_api_or_the_service(world, case, api):
    client = api(world["worker"])
    response = client.post(
        f"/api/cases/{case.pk}/assign/", {"workers": [world["worker"].pk]}, format="json"
    )
    assert response.status_code == 403
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        services.case_assign(actor=world["worker"], case=case, workers=[world["worker"]])
    assert str(refused.value) == "Only the station director assigns cases."
    assert list(case.workers.values_list("username", flat=True)) == ["worker"]


@pytest.mark.parametrize(
    ("person", "page", "api_status"),
    [
        ("worker", 200, 201),
        ("director", 200, 201),
        ("admin", 403, 403),
        ("district", 403, 403),
        ("agency", 403, 403),
        ("evaluator", 403, 403),
    ],
)
def test_roll_call_is_for_those_who_may_create_meal_records(world, api, person, page, api_status):
    client = Client()
    client.force_login(world[person])
    assert client.get("/community/meals/roll-call/").status_code == page
    body = {"station": world.station_a.pk, "date": YESTERDAY, "present": {}}
    assert api(world[person]).post("/api/meal-roll-calls/", body, format="json").status_code == (
        api_status
    )
    assert MealRecord.objects.count() == 0


def test_roll_call_of_a_staff_account_without_a_station_is_refused_not_a_crash(world, api):
    loose = make_user("loose", Role.SOCIAL_WORKER)  # a station is required by User.clean
    client = Client()
    client.force_login(loose)
    assert client.get("/community/meals/roll-call/").status_code == 404
    assert client.post("/community/meals/roll-call/", {"served_on": YESTERDAY}).status_code == 404
    body = {"station": world.station_a.pk, "date": YESTERDAY, "present": {}}
    assert api(loose).post("/api/meal-roll-calls/", body, format="json").status_code == 404
