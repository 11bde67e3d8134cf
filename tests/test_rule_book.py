"""The one rule book for acting (core.access / core.scope): `require` on a saved
record, `require_at` before the record exists, `actions_for` for what a page
offers, and the API permission that refuses a write it cannot place in a scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from rest_framework.views import APIView

from shegong.cases.models import ASSIGN, WORK, Case
from shegong.clients.models import Resident
from shegong.core.access import require, require_at
from shegong.core.permissions import ScopedPermission
from shegong.core.scope import CHANGE, CREATE, VIEW, actions_for, can_at
from tests.delivery_world import make_delivery, planned_case


@pytest.fixture
def case(world):
    d = make_delivery(world)
    return planned_case(d, d.residents[0])


def test_require_answers_404_outside_the_scope_and_403_inside(world, case):
    require(world["director"], ASSIGN, case)
    with pytest.raises(PermissionDenied):
        require(world["district"], ASSIGN, case)  # reads the case, may not assign
    with pytest.raises(Http404):
        require(world["director_b"], ASSIGN, case)  # another station's director
    with pytest.raises(Http404):
        require(world["worker_c"], VIEW, case)


def test_require_at_places_a_new_row_at_a_station(world):
    station = world.station_a
    assert can_at(world["worker"], CREATE, Resident, station) is True
    assert can_at(world["director"], CREATE, Resident, station) is True
    # Same role, another station; a reader of the station who may not create.
    assert can_at(world["director_b"], CREATE, Resident, station) is False
    assert can_at(world["district"], CREATE, Resident, station) is False
    assert can_at(world["admin"], CREATE, Resident, station) is False
    with pytest.raises(PermissionDenied, match="nobody here"):
        require_at(world["director_b"], CREATE, Resident, station, message="nobody here")


def test_actions_for_lists_what_each_person_may_do(world, case):
    assert actions_for(world["director"], case) == {VIEW, CHANGE, ASSIGN, WORK}
    # The assigned worker works on the file; so does no one else at the station.
    assert actions_for(world["worker"], case) == {VIEW, CHANGE, WORK}
    assert actions_for(world["district"], case) == {VIEW}
    assert actions_for(world["worker_c"], case) == frozenset()


def test_templates_ask_the_same_rule_book(world, case):
    template = Template(
        '{% load access %}{% actions_for user case as acts %}{% if "assign" in acts %}A{% endif %}'
        '{% may_do user "create" "clients.Resident" world.station_a as reg %}'
        "{% if reg %}R{% endif %}"
    )
    rendered = {
        p: template.render(Context({"user": world[p], "case": case, "world": world}))
        for p in ("director", "worker", "district", "director_b")
    }
    assert rendered == {"director": "AR", "worker": "R", "district": "", "director_b": ""}


class _Unscoped(APIView):
    """A view that names no scoped model: its writes are refused."""


@pytest.mark.parametrize(("method", "allowed"), [("get", True), ("post", False)])
def test_scoped_permission_fails_closed_without_a_scoped_model(world, method, allowed):
    request = getattr(RequestFactory(), method)("/x/")
    request.user = world["director"]
    assert ScopedPermission().has_permission(request, _Unscoped()) is allowed


def test_scoped_permission_reads_a_named_scope_model(world):
    request = RequestFactory().post("/x/")
    view = _Unscoped()
    view.scope_model = Case
    request.user = world["worker"]
    assert ScopedPermission().has_permission(request, view) is True
    request.user = world["district"]
    assert ScopedPermission().has_permission(request, view) is False


ORG_IMPORT = "/golive/organisation/import/"
STAFF_IMPORT = "/golive/staff/import/"
RECORDS_IMPORT = "/golive/records/import/"
MENU = {
    "worker": ["/residents/", "/cases/", "/community/", "/plans/"],
    "director": ["/residents/", "/cases/", "/community/", "/plans/", "/evaluation/", "/audit/"],
    "agency": ["/community/", "/plans/", "/evaluation/"],
    "district": ["/community/", "/plans/", "/evaluation/", RECORDS_IMPORT],
    "city": ["/community/", "/plans/", "/evaluation/", "/audit/", STAFF_IMPORT, RECORDS_IMPORT],
    "evaluator": ["/evaluation/"],
    "admin": [
        "/community/",
        "/plans/",
        "/evaluation/",
        ORG_IMPORT,
        STAFF_IMPORT,
        RECORDS_IMPORT,
    ],
}
OPTIONAL = [
    "/residents/",
    "/cases/",
    "/community/",
    "/plans/",
    "/evaluation/",
    "/audit/",
    ORG_IMPORT,
    STAFF_IMPORT,
    RECORDS_IMPORT,
]


@pytest.mark.parametrize("person", sorted(MENU))
def test_each_role_menu_is_its_declared_sections(world, client, person):
    client.force_login(world[person])
    page = client.get("/").content.decode()
    nav = page[page.index('id="mainnav"') : page.index('data-testid="whoami"')]
    shown = [link for link in OPTIONAL if f'href="{link}"' in nav]
    assert shown == MENU[person]
