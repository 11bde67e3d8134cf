"""The demo city: Guangzhou's organisation tree, agencies, contracts and staff,
with three communities (villages in a town) per street and service points 社工点
in them (opened through `org.services`, as the station's director).

Loading is idempotent: every row is keyed by a natural key (code or username),
so running it again changes nothing and creates no duplicates.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.roles import Role
from shegong.demo import guangzhou
from shegong.org import services as org_services
from shegong.org.models import (
    Agency,
    City,
    Community,
    Contract,
    District,
    ServicePoint,
    SpecialProject,
    Station,
    Street,
)

SEED = 2018
CURRENT_TERM = (datetime.date(2025, 7, 1), datetime.date(2028, 6, 30))
PREVIOUS_TERM = (datetime.date(2022, 7, 1), datetime.date(2025, 6, 30))
WORKERS_PER_STATION = 3
# Each street's communities (a town's villages), by the side of the street.
COMMUNITY_SIDES = ("东", "西", "南")
# Service points per station, at most: the others of its communities have none.
POINTS_PER_STATION = 2


def tendered_on_platform(station_code: str, term) -> bool:
    """The first station of each district has its previous-term contract made by a
    tender on the platform (demo/contracts.py), not loaded here."""
    return term == PREVIOUS_TERM and station_code.endswith("-01")


@dataclass
class DemoLogin:
    username: str
    role: str
    where: str


@dataclass
class DemoResult:
    districts: int
    stations: int
    users: int
    logins: list[DemoLogin]


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> str:
        return self.rng.choice(guangzhou.SURNAMES) + self.rng.choice(guangzhou.GIVEN)


def _station_specs() -> list[tuple[int, str, str]]:
    """(district index, street name, station name) for all 188 stations."""
    specs = []
    for index, (_name, _code, _slug, streets) in enumerate(guangzhou.DISTRICTS):
        for street in streets:
            specs.append((index, street, f"{street}社工站"))
            if street in guangzhou.SECOND_STATIONS:
                specs.append((index, street, f"{street}第二社工站"))
    assert len(specs) == guangzhou.STATION_COUNT, len(specs)
    return specs


class DemoRefused(RuntimeError):
    """The demo was asked for on a production server."""


def refuse_in_production() -> None:
    """The demo creates hundreds of accounts with a published password: never on a
    real city's server. Called before anything is written."""
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused(
            _(
                "The demo city is not loaded under SHEGONG_ENV=production: its accounts "
                "share a published password. Put the city in with `shegong setup_city` "
                'and `shegong import_org` (README, "Running in production").'
            )
        )


def _upsert(model, lookup: dict, values: dict):
    obj, _created = model.objects.update_or_create(**lookup, defaults=values)
    return obj


def _communities(street: Street) -> None:
    stem = street.name[:-1] if len(street.name) > 2 else street.name
    suffix = "村" if street.kind == Street.Kind.TOWN else "社区"
    for side in COMMUNITY_SIDES:
        _upsert(Community, {"street": street, "name": f"{stem}{side}{suffix}"}, {})


def station_communities(station: Station) -> list[Community]:
    """The communities a station serves: all of its street's, or, where two stations
    share the street, every other one."""
    stations = list(
        Station.objects.filter(street_id=station.street_id)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    mine = stations.index(station.pk)
    return [
        community
        for index, community in enumerate(
            Community.objects.filter(street_id=station.street_id).order_by("pk")
        )
        if index % len(stations) == mine
    ]


def _station_points(station: Station, director: User, workers: list[User]) -> None:
    """The station's service points in its first communities, each with one worker."""
    if ServicePoint.objects.filter(station=station).exists():
        return
    for number, community in enumerate(station_communities(station)[:POINTS_PER_STATION], 1):
        org_services.service_point_create(
            actor=director,
            station=station,
            name=f"{community.name}社工点",
            code=f"{station.code}-{number:02d}",
            community=community,
            opened_on=datetime.date(2023, 2 + number, 1),
            staff=workers[number - 1 : number],
        )


@transaction.atomic
def load_demo_city() -> DemoResult:
    refuse_in_production()
    rng = random.Random(SEED)
    names = _Names(rng)
    password = make_password(settings.DEMO_PASSWORD)

    city = _upsert(City, {"code": guangzhou.CITY[1]}, {"name": guangzhou.CITY[0]})
    districts = [
        _upsert(District, {"code": code}, {"city": city, "name": name})
        for name, code, _slug, _streets in guangzhou.DISTRICTS
    ]
    agencies = [
        _upsert(
            Agency,
            {"name": f"广州市{word}社会工作服务中心"},
            {
                "city": city,
                "credit_code": f"52440100MJ{index:07d}X",
                "phone": f"020-8{index:03d}{1000 + index:04d}",
                "address": f"广州市某区某路{index + 1}号",
            },
        )
        for index, word in enumerate(guangzhou.AGENCY_WORDS)
    ]

    stations: list[Station] = []
    counters: dict[int, int] = {}
    for district_index, street_name, station_name in _station_specs():
        district = districts[district_index]
        kind = Street.Kind.TOWN if street_name.endswith("镇") else Street.Kind.STREET
        street = _upsert(Street, {"district": district, "name": street_name}, {"kind": kind})
        _communities(street)
        counters[district_index] = counters.get(district_index, 0) + 1
        slug = guangzhou.DISTRICTS[district_index][2]
        code = f"{slug}-{counters[district_index]:02d}"
        station = _upsert(
            Station,
            {"code": code},
            {
                "street": street,
                "name": station_name,
                "agency": agencies[len(stations) % len(agencies)],
                "address": f"广州市{district.name}{street_name}社区服务中心{rng.randint(1, 3)}楼",
                "phone": f"020-{rng.randint(81000000, 89999999)}",
                "opened_on": datetime.date(2011 + rng.randint(0, 4), rng.randint(1, 12), 1),
                "is_active": True,
            },
        )
        stations.append(station)
        buyer_suffix = "人民政府" if kind == Street.Kind.TOWN else "街道办事处"
        for term, label in ((PREVIOUS_TERM, "A"), (CURRENT_TERM, "B")):
            yearly = Decimal(rng.randrange(1_800_000, 2_400_000, 10_000))
            if tendered_on_platform(code, term):
                continue
            _upsert(
                Contract,
                {"code": f"GZ-{term[0].year}-{code}-{label}"},
                {
                    "buyer": f"广州市{district.name}{street_name}{buyer_suffix}",
                    "agency": station.agency,
                    "station": station,
                    "special_project": None,
                    "starts_on": term[0],
                    "ends_on": term[1],
                    "amount": yearly * 3,
                },
            )

    for index, (name, domain) in enumerate(guangzhou.SPECIAL_PROJECTS, start=1):
        agency = agencies[(index * 7) % len(agencies)]
        project = _upsert(
            SpecialProject,
            {"code": f"GZ-ZX-{index:02d}"},
            {"city": city, "name": name, "agency": agency, "domain": domain},
        )
        _upsert(
            Contract,
            {"code": f"GZ-2025-ZX-{index:02d}"},
            {
                "buyer": "广州市民政局",
                "agency": agency,
                "station": None,
                "special_project": project,
                "starts_on": datetime.date(2025, 1, 1),
                "ends_on": datetime.date(2027, 12, 31),
                "amount": Decimal(rng.randrange(1_000_000, 3_000_000, 10_000)),
            },
        )

    def account(username: str, role: str, **anchor) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "full_name": names.person(), "password": password, **anchor},
        )
        if not created:
            # Keep a changed password, but put role and anchor back to the demo's.
            User.objects.filter(pk=user.pk).update(role=role, **anchor)
            user.refresh_from_db()
        return user

    admin = account("admin", Role.ADMIN)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    account("city", Role.CITY_OFFICER, city=city)
    for district, (_name, _code, slug, _streets) in zip(
        districts, guangzhou.DISTRICTS, strict=True
    ):
        account(f"district-{slug}", Role.DISTRICT_OFFICER, district=district)
    for index, agency in enumerate(agencies, start=1):
        account(f"agency-{index:02d}", Role.AGENCY_MANAGER, agency=agency)
    for station in stations:
        director = account(f"director-{station.code}", Role.STATION_DIRECTOR, station=station)
        workers = [
            account(f"worker-{station.code}-{n}", Role.SOCIAL_WORKER, station=station)
            for n in range(1, WORKERS_PER_STATION + 1)
        ]
        _station_points(station, director, workers)

    # One street office 街道办事处 per street, the buyer of its stations' services:
    # `street-<code of the street's first station>` (e.g. street-haizhu-10, 沙园街).
    offices = {}
    for station in stations:
        if station.street_id not in offices:
            offices[station.street_id] = account(
                f"street-{station.code}", Role.STREET_OFFICE, street_id=station.street_id
            )

    # The demo's evaluators get their stations through the demo evaluation rounds
    # (demo/evaluation.py).
    account("evaluator-1", Role.EVALUATOR, city=city)
    account("evaluator-2", Role.EVALUATOR, city=city)

    shayuan = Station.objects.get(name="沙园街社工站")
    shayuan_agency = Agency.objects.get(pk=shayuan.agency_id)
    agency_user = User.objects.filter(agency=shayuan_agency, role=Role.AGENCY_MANAGER).first()
    logins = [
        DemoLogin("admin", Role.ADMIN.label, "—"),
        DemoLogin("city", Role.CITY_OFFICER.label, city.name),
        DemoLogin("district-haizhu", Role.DISTRICT_OFFICER.label, "海珠区"),
        DemoLogin(agency_user.username, Role.AGENCY_MANAGER.label, shayuan_agency.name),
        DemoLogin(f"director-{shayuan.code}", Role.STATION_DIRECTOR.label, shayuan.name),
        DemoLogin(f"worker-{shayuan.code}-1", Role.SOCIAL_WORKER.label, shayuan.name),
        DemoLogin("evaluator-1", Role.EVALUATOR.label, "海珠区"),
        DemoLogin(f"street-{shayuan.code}", Role.STREET_OFFICE.label, "沙园街"),
    ]
    return DemoResult(
        districts=District.objects.count(),
        stations=Station.objects.count(),
        users=User.objects.count(),
        logins=logins,
    )
