"""Service-delivery fixtures on top of the standard world (tests/conftest.py).

Station A has this year's 113X plan with projects in all four statistical
domains, 15 residents, two volunteers (one a party member), a party branch with
a member and a representative. Station B has a plan of its own, a resident, a
volunteer, a party member and a social worker, `worker_b`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from shegong.cases import services as case_services
from shegong.clients import services as client_services
from shegong.clients.models import Resident
from shegong.community.models import PartyMember, PartyOrganisation, Volunteer
from shegong.core.roles import Role
from shegong.delivery import services
from shegong.delivery.models import Group, ServiceEvent
from shegong.plans import services as plan_services
from shegong.plans.models import PlanProject
from tests.conftest import World, make_user

TODAY = timezone.localdate


def this_year() -> int:
    return TODAY().year


@dataclass
class Delivery:
    world: World
    projects: dict[str, PlanProject]
    project_b: PlanProject
    residents: list[Resident]
    resident_b: Resident
    volunteers: list[Volunteer]
    volunteer_b: Volunteer
    party_members: list[PartyMember]
    party_member_b: PartyMember
    extra: dict = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.world[name]


# Station A's projects: key → (kind, domain, name).
PROJECTS = {
    "core": ("core", "featured", "党建引领·红色社工"),
    "key": ("key", "family", "邻里互助"),
    "family": ("basic", "family", "家庭服务"),
    "elderly": ("basic", "elderly", "长者服务"),
    "youth": ("basic", "youth", "青少年服务"),
    "featured": ("featured", "featured", "长者平安通"),
}


def _plan(director, station, projects: dict) -> dict[str, PlanProject]:
    plan = plan_services.plan_create(actor=director, station=station, year=this_year())
    return {
        key: plan_services.project_add(
            actor=director, plan=plan, kind=kind, domain=domain, name=name
        )
        for key, (kind, domain, name) in projects.items()
    }


def _resident(actor, station, name: str, year: int = 1950) -> Resident:
    return client_services.resident_register(
        actor=actor,
        station=station,
        name=name,
        gender="female",
        birth_date=datetime.date(year, 5, 1),
        allow_similar=True,
    )


def _party(station, name: str) -> tuple[PartyOrganisation, list[PartyMember]]:
    branch = PartyOrganisation.objects.create(station=station, name=name, kind="branch")
    return branch, [
        PartyMember.objects.create(station=station, organisation=branch, name=f"{name}党员"),
        PartyMember.objects.create(
            station=station, organisation=branch, name=f"{name}党代表", is_representative=True
        ),
    ]


def _volunteer(station, name: str, party_member: PartyMember | None = None) -> Volunteer:
    return Volunteer.objects.create(
        station=station,
        name=name,
        is_party_member=party_member is not None,
        party_member=party_member,
        registered_on=datetime.date(2024, 1, 1),
        consent_on=datetime.date(2024, 1, 1),
    )


def make_delivery(world: World) -> Delivery:
    world.people["worker_b"] = make_user("worker_b", Role.SOCIAL_WORKER, station=world.station_b)
    worker = world["worker"]
    residents = [_resident(worker, world.station_a, f"居民{n:02d}", 1940 + n) for n in range(1, 16)]
    resident_b = _resident(world["worker_b"], world.station_b, "南石头居民")
    _branch, members = _party(world.station_a, "沙园社区党支部")
    _branch_b, members_b = _party(world.station_b, "南石头社区党支部")
    volunteers = [
        _volunteer(world.station_a, "义工陈", party_member=members[0]),
        _volunteer(world.station_a, "义工黄"),
    ]
    return Delivery(
        world=world,
        projects=_plan(world["director"], world.station_a, PROJECTS),
        project_b=_plan(world["director_b"], world.station_b, {"family": PROJECTS["family"]})[
            "family"
        ],
        residents=residents,
        resident_b=resident_b,
        volunteers=volunteers,
        volunteer_b=_volunteer(world.station_b, "南石头义工"),
        party_members=members,
        party_member_b=members_b[0],
    )


def record(d: Delivery, project: str = "key", **kwargs) -> ServiceEvent:
    """A service event at station A recorded by `worker` (community activity by default)."""
    args = {
        "actor": d["worker"],
        "project": d.projects[project],
        "kind": "activity",
        "held_on": TODAY(),
        "title": "社区活动",
    }
    args.update(kwargs)
    return services.service_event_record(**args)


def group(d: Delivery, members: int = 12, planned: int = 6, project: str = "elderly") -> Group:
    return services.group_create(
        actor=d["worker"],
        project=d.projects[project],
        name="长者怀旧小组",
        planned_sessions=planned,
        members=d.residents[:members],
    )


def session(d: Delivery, grp: Group, attendees) -> ServiceEvent:
    return services.group_session_record(
        actor=d["worker"], group=grp, held_on=TODAY(), attendees=attendees
    )


def planned_case(d: Delivery, client: Resident, domain: str = "elderly"):
    """A case of `client` at station A, assessed and planned by `worker` today."""
    worker = d["worker"]
    client_services.consent_record(actor=worker, resident=client, recorded_on=TODAY())
    case = case_services.case_open(
        actor=worker, client=client, domain=domain, source="walk_in", opened_on=TODAY()
    )
    case_services.case_assess(
        actor=worker, case=case, assessed_on=TODAY(), needs="独居", risk_level="low"
    )
    case_services.case_plan(
        actor=worker,
        case=case,
        planned_on=TODAY(),
        goals="每周探访",
        review_due_on=TODAY() + datetime.timedelta(days=30),
    )
    return case


def casework_note(d: Delivery, client: Resident, domain: str = "elderly"):
    """A planned case of `client` at station A, then one intervention note."""
    worker = d["worker"]
    case = planned_case(d, client, domain)
    return case_services.case_note_add(
        actor=worker,
        case=case,
        happened_on=TODAY(),
        service_type="supportive",
        method="home_visit",
        text="上门探访",
    )


HOURS = Decimal("2.5")
