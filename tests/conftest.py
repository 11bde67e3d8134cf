"""Standard test people and places, created once per test (healthchecks-style).

The world: one city, two districts. District 海珠 has stations A and B (run by
different agencies); district 越秀 has station C. People at station A hold every
role; outsiders sit at station B (same district) and station C (other district).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from shegong.accounts.models import User
from shegong.core.roles import Role
from shegong.org.models import (
    Agency,
    City,
    Contract,
    District,
    SpecialProject,
    Station,
    Street,
)
from tests.browser import browser  # noqa: E402,F401  (fixture)

PASSWORD = "Correct-horse-42"


@dataclass
class World:
    city: City
    district: District
    other_district: District
    street_a: Street
    street_c: Street
    agency_a: Agency
    agency_b: Agency
    station_a: Station
    station_b: Station
    station_c: Station
    contract_a: Contract
    contract_b: Contract
    contract_c: Contract
    project: SpecialProject
    project_contract: Contract
    people: dict[str, User]

    def __getitem__(self, name: str) -> User:
        return self.people[name]


def make_user(username: str, role: str, **anchor) -> User:
    user = User(username=username, role=role, full_name=username.title(), **anchor)
    user.set_password(PASSWORD)
    user.save()
    return user


def _contract(code, agency, station=None, project=None) -> Contract:
    return Contract.objects.create(
        code=code,
        buyer="广州市海珠区沙园街道办事处",
        agency=agency,
        station=station,
        special_project=project,
        starts_on=datetime.date(2025, 7, 1),
        ends_on=datetime.date(2028, 6, 30),
        amount=Decimal("6000000.00"),
    )


def _evaluation_round(city, officer, station, evaluator):
    from shegong.evaluation.models import (
        EvaluationRound,
        RoundAssignment,
        RoundStatus,
        StationEvaluation,
    )

    round = EvaluationRound.objects.create(
        name="2026 final evaluation",
        city=city,
        kind="final",
        year=2026,
        status=RoundStatus.OPEN,
        created_by=officer,
    )
    sheet = StationEvaluation.objects.create(round=round, station=station)
    RoundAssignment.objects.create(evaluation=sheet, evaluator=evaluator)
    return round


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Simplified Chinese). A request
    with the English cookie activates English in the worker's thread, and Django
    leaves it active afterwards."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The world itself, for fixtures of a wider scope (tests/test_access_matrix.py)."""
    city = City.objects.create(name="广州市", code="440100")
    district = District.objects.create(city=city, name="海珠区", code="440105")
    other_district = District.objects.create(city=city, name="越秀区", code="440104")
    street_a = Street.objects.create(district=district, name="沙园街")
    street_b = Street.objects.create(district=district, name="南石头街")
    street_c = Street.objects.create(district=other_district, name="北京街")
    agency_a = Agency.objects.create(
        city=city, name="广州市同心社会工作服务中心", credit_code="52440100MJ0000001X"
    )
    agency_b = Agency.objects.create(
        city=city, name="广州市启创社会工作服务中心", credit_code="52440100MJ0000002X"
    )
    station_a = Station.objects.create(
        street=street_a, agency=agency_a, name="沙园街社工站", code="haizhu-10"
    )
    station_b = Station.objects.create(
        street=street_b, agency=agency_b, name="南石头街社工站", code="haizhu-11"
    )
    station_c = Station.objects.create(
        street=street_c, agency=agency_b, name="北京街社工站", code="yuexiu-02"
    )
    project = SpecialProject.objects.create(
        city=city,
        agency=agency_a,
        name="广州市禁毒社会工作服务项目",
        code="GZ-ZX-01",
        domain="featured",
    )
    people = {
        "admin": make_user("admin", Role.ADMIN, is_superuser=True, is_staff=True),
        "city": make_user("city", Role.CITY_OFFICER, city=city),
        "district": make_user("district", Role.DISTRICT_OFFICER, district=district),
        "agency": make_user("agency", Role.AGENCY_MANAGER, agency=agency_a),
        "director": make_user("director", Role.STATION_DIRECTOR, station=station_a),
        "worker": make_user("worker", Role.SOCIAL_WORKER, station=station_a),
        "evaluator": make_user("evaluator", Role.EVALUATOR, city=city),
        # Outsiders.
        "other_district": make_user(
            "other_district", Role.DISTRICT_OFFICER, district=other_district
        ),
        "other_agency": make_user("other_agency", Role.AGENCY_MANAGER, agency=agency_b),
        "director_b": make_user("director_b", Role.STATION_DIRECTOR, station=station_b),
        "worker_c": make_user("worker_c", Role.SOCIAL_WORKER, station=station_c),
    }
    # The evaluator's stations come from an open evaluation round's assignments.
    _evaluation_round(city, people["city"], station_a, people["evaluator"])
    return World(
        city=city,
        district=district,
        other_district=other_district,
        street_a=street_a,
        street_c=street_c,
        agency_a=agency_a,
        agency_b=agency_b,
        station_a=station_a,
        station_b=station_b,
        station_c=station_c,
        contract_a=_contract("GZ-2025-A", agency_a, station=station_a),
        contract_b=_contract("GZ-2025-B", agency_b, station=station_b),
        contract_c=_contract("GZ-2025-C", agency_b, station=station_c),
        project=project,
        project_contract=_contract("GZ-2025-ZX-01", agency_a, project=project),
        people=people,
    )


@pytest.fixture
def login(client):
    """Log the test client in as one of the world's people."""

    def _login(user: User):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api(db):
    from rest_framework.test import APIClient

    def _api(user: User | None = None) -> APIClient:
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return _api
