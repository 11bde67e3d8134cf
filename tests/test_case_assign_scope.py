"""Assigning a case is a named action of the case's scope ("assign": the
director of the case's station), read in one place by the page's link, the
assignment page and the service the API calls."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from shegong.cases import services
from shegong.cases.models import ASSIGN, Case
from tests.delivery_world import make_delivery, planned_case


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
