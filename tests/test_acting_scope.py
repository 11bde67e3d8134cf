"""The named actions of cases, plans, surveys and workforce, declared on each
model's `Scope` and asked through `core.access.require`: each works for the
person the declaration names, answers 403 to an insider who reads the record
but may not act, and 404 to an outsider."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shegong.cases.models import keeps_own_caseload
from shegong.core.access import require
from shegong.core.scope import may
from shegong.plans import services as plan_services
from shegong.plans.models import DECIDE
from shegong.surveys import services as survey_services
from shegong.surveys.models import EDIT, EDIT_TEMPLATE, Survey
from shegong.workforce.models import HOLD, StaffProfile


def outcome(person, action, obj) -> str:
    try:
        require(person, action, obj)
    except PermissionDenied:
        return "403"
    except Http404:
        return "404"
    return "ok"


@pytest.fixture
def station_survey(world) -> Survey:
    return survey_services.survey_create(actor=world["director"], kind="other", title="需求调查")


@pytest.fixture
def template(world) -> Survey:
    return survey_services.survey_create(actor=world["city"], kind="satisfaction", title="满意度")


def test_edit_a_station_survey_is_its_directors(world, station_survey):
    """EDIT: the director of the survey's station; its workers, the agency and
    the officials read it; another station's director does not see it."""
    assert {
        p: outcome(world[p], EDIT, station_survey)
        for p in ("director", "worker", "agency", "district", "city", "admin", "director_b")
    } == {
        "director": "ok",
        "worker": "403",
        "agency": "403",
        "district": "403",
        "city": "403",
        "admin": "403",
        "director_b": "404",
    }


def test_edit_a_template_is_the_city_officers(world, template):
    """EDIT_TEMPLATE: a city officer of the template's city (and superusers,
    who administer the city's templates); the stations read it to use it; a
    district officer does not see the city's templates at all."""
    assert {
        p: outcome(world[p], EDIT_TEMPLATE, template)
        for p in ("city", "admin", "director", "worker", "district")
    } == {"city": "ok", "admin": "ok", "director": "403", "worker": "403", "district": "404"}


def test_deciding_a_plan_is_the_officials(world):
    """DECIDE (approve or return): district and city officers of the plan's
    station; its director drafts but does not decide; another district's
    officer and another station's director do not see the plan."""
    plan = plan_services.plan_create(actor=world["director"], station=world.station_a, year=2031)
    assert {
        p: outcome(world[p], DECIDE, plan)
        for p in ("district", "city", "director", "agency", "admin", "director_b")
    } == {
        "district": "ok",
        "city": "ok",
        "director": "403",
        "agency": "403",
        "admin": "403",
        "director_b": "404",
    }


def test_the_accounts_that_hold_a_staff_profile_are_the_stations_own_staff(world):
    held = {p: may(world[p], HOLD, StaffProfile) for p in ("worker", "director", "agency", "city")}
    assert held == {"worker": True, "director": True, "agency": False, "city": False}


def test_who_keeps_their_own_caseload(world):
    """A worker works on cases without assigning them: their page is their own
    caseload. The director assigns; officials and superusers work on none."""
    kept = {p: keeps_own_caseload(world[p]) for p in ("worker", "director", "district", "admin")}
    assert kept == {"worker": True, "director": False, "district": False, "admin": False}
