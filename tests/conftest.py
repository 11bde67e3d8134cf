"""Standard test people and places (healthchecks-style), built once per module.

The world: one city, two districts. District 海珠 has stations A and B (run by
different agencies); district 越秀 has station C. People at station A hold every
role; outsiders sit at station B (same district) and station C (other district).

Building the world takes about 30 queries, which used to be repeated by each of
the ~1,000 tests that ask for it. Now a module's tests share one world, built in
a transaction that stays open for the module (the way Django's
`TestCase.setUpTestData` does for a class): each test runs in a savepoint inside
it, so whatever a test writes is rolled back, and gets its own deep copy of the
world's Python objects, so that changing an attribute is not seen by the next
test. Tests that commit (`transactional_db`, `live_server`: the browser tests)
flush the database; they get a world of their own, built after the shared one
has been rolled back.
"""

from __future__ import annotations

import copy
import datetime
import importlib
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
from tests.pg_cluster import postgres_primary  # noqa: F401  (fixture)

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
def empty_cache():
    """Every test starts with an empty cache: the database is rolled back after
    each test, and what a test cached (the organisation names of org.names, rate
    counts) must not reach the next one."""
    from django.core.cache import cache

    cache.clear()


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


def _commits(request) -> bool:
    """Whether the test commits (and so flushes the database at its end): the
    same reading of the test as pytest-django's, which runs these tests last."""
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )


_MISSING = object()


class SharedWorld:
    """The world of the module being run (and what the module's `shared()`
    fixtures build on it), in a transaction kept open around its tests. At most
    one is open at a time, on the default database."""

    def __init__(self) -> None:
        self.key = None
        self.objects: dict | None = None
        self._atomic = None
        self._copy = (None, None)

    def open(self, key, with_world: bool, builders, blocker) -> None:
        from django.db import transaction

        self.close(blocker)
        with blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                world = build_world() if with_world else None
                objects = {"world": world}
                for builder in builders:
                    objects[builder] = builder(world) if _WITH_WORLD[builder] else builder()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        self.key, self.objects, self._atomic = key, objects, atomic

    def close(self, blocker) -> None:
        from django.db import transaction

        atomic, self._atomic, self.key, self.objects = self._atomic, None, None, None
        self._copy = (None, None)
        if atomic is not None:
            with blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    def get(self, request, name):
        """The test's own deep copy of the shared objects (one memo: the copies
        refer to each other as the originals do), or _MISSING where there is none."""
        if self.objects is None or self.key[0] is not request.module:
            return _MISSING
        if self.objects.get(name, _MISSING) is _MISSING:
            return _MISSING
        node, copied = self._copy
        if node is not request.node:
            copied = copy.deepcopy(self.objects)
            self._copy = (request.node, copied)
        return copied[name]


_shared = SharedWorld()
# Fixture → the function that builds its objects (see `shared`), and whether
# that function builds on the world.
_BUILDERS: dict[int, object] = {}
_WITH_WORLD: dict[object, bool] = {}


def shared(builder, *, world: bool = True):
    """A fixture whose objects are built once per module, like the world itself:
    `d = shared(make_delivery)` in a test module gives each test a deep copy of
    `make_delivery(world)`, built in the module's transaction. With `world=False`
    the builder takes no argument and the tests see no world (the demo city).
    For builders that write only to the database."""
    if world:

        @pytest.fixture
        def fixture(request, world):
            built = _shared.get(request, builder)
            return builder(world) if built is _MISSING else built

    else:

        @pytest.fixture
        def fixture(request, db):
            built = _shared.get(request, builder)
            return builder() if built is _MISSING else built

    _BUILDERS[id(fixture)] = builder
    _WITH_WORLD[builder] = world
    return fixture


@pytest.fixture(scope="module", autouse=True)
def _shared_world_per_module(django_db_blocker):
    """A module starts and ends without a shared world (another module's, or one
    left open, would otherwise be seen by this module's own module fixtures)."""
    _shared.close(django_db_blocker)
    yield
    _shared.close(django_db_blocker)


@pytest.fixture(autouse=True)
def _shared_world(request, django_db_blocker):
    """Opens the module's shared world before the test's own transaction (this
    fixture runs before `db`), or closes it for a test that must not see it: one
    that does not ask for the world, one that asks for other shared objects, or
    one that commits."""
    from django.db import connection

    builders = tuple(
        _BUILDERS[id(fixture)]
        for name in request.fixturenames
        if id(fixture := getattr(request.module, name, None)) in _BUILDERS
    )
    with_world = "world" in request.fixturenames
    if not (with_world or builders) or _commits(request):
        _shared.close(django_db_blocker)
        return
    key = (request.module, with_world, builders)
    if _shared.key != key:
        _shared.close(django_db_blocker)
        # A transaction already open here is a module fixture's own (the access
        # matrix builds its objects that way): the test builds its world inside it.
        if not connection.in_atomic_block:
            request.getfixturevalue("django_db_setup")
            _shared.open(key, with_world, builders, django_db_blocker)


@pytest.fixture
def world(request, db) -> World:
    built = _shared.get(request, "world")
    return build_world() if built is _MISSING or built is None else built


def _reseed_after_flush() -> None:
    """A test that committed flushed every table, the rows the migrations seed
    (the civil-affairs roster lists) included: put them back as migrating does."""
    from django.apps import apps

    from shegong.rosters.models import RosterCategory

    if not RosterCategory.objects.exists():
        importlib.import_module("shegong.rosters.migrations.0001_initial").seed_categories(
            apps, None
        )


def build_world() -> World:
    """The world itself, for fixtures of a wider scope (tests/test_access_matrix.py)."""
    _reseed_after_flush()
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
