"""A year of the 113X programme for every demo station: the approved annual plan
(through the plan services), party organisations, volunteers, community
organisations, governance projects, groups, and service events with attendance.

Plans, groups and the programme records (party organisations and members,
volunteers, community organisations, governance projects and their meetings) go
through the services, as the station's director. Service events are written in
bulk, because `--scale city` makes ~600 k events and ~3 M person-times; they are
counted by `delivery.counting` like `delivery.services.service_event_record`
(person-times = named attendance + head-count, in the project's domain), and the
statistics tests recount them from the raw rows. A home visit or a consultation is
given at its resident's service point; community activities go round the station's
points and the station itself.

Idempotent: a station that already has a plan for the year is left alone.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.clients import identity, pinyin
from shegong.clients.models import Resident
from shegong.community import services as community
from shegong.community.models import PartyMember, PartyOrganisation, Volunteer
from shegong.core.bulk import refresh_statistics
from shegong.core.partitioning import ensure_years
from shegong.core.roles import Role
from shegong.delivery import counting
from shegong.delivery import services as delivery
from shegong.delivery.models import Attendance, EventKind, EventVolunteer, ServiceEvent
from shegong.demo import guangzhou, volunteer_time
from shegong.demo.city import station_communities
from shegong.demo.history import copy_demo_year
from shegong.org.models import ServicePoint, Station
from shegong.org.selectors import point_of_community
from shegong.plans import services as plans
from shegong.plans.models import AnnualPlan, Metric, ProjectKind
from shegong.stats import rollups


@dataclass(frozen=True)
class Scale:
    events_per_station: int
    residents_per_station: int  # extra residents created in bulk to attend events
    volunteers_per_station: int


SCALES = {
    "small": Scale(events_per_station=60, residents_per_station=20, volunteers_per_station=6),
    # ~188 × 3,200 ≈ 600 k events and ~3 M person-times a year (docs/domain.md "Scale").
    "city": Scale(events_per_station=3200, residents_per_station=600, volunteers_per_station=40),
}

# (kind, domain, name, description, targets)
PLAN_PROJECTS = [
    (
        ProjectKind.CORE,
        "featured",
        "党建引领·红色社工服务",
        "党代表+党员+社工+义工+居民联动，贯穿全部服务。",
        {Metric.PERSON_TIMES: 1500, Metric.ACTIVITIES: 24, Metric.VOLUNTEERS: 30},
    ),
    (
        ProjectKind.KEY,
        "featured",
        "邻里互助社区发展项目",
        "构建社区邻里互助网络，孵化社区组织。",
        {Metric.PERSON_TIMES: 2500, Metric.GROUPS: 4, Metric.ACTIVITIES: 20},
    ),
    (
        ProjectKind.BASIC,
        "family",
        "家庭服务",
        "困境家庭（含残障家庭）与一般家庭服务。",
        {Metric.PERSON_TIMES: 3000, Metric.CASES: 30, Metric.GROUPS: 3},
    ),
    (
        ProjectKind.BASIC,
        "elderly",
        "长者服务",
        "困境长者关爱、长者饭堂与大配餐。",
        {Metric.PERSON_TIMES: 3200, Metric.CASES: 35, Metric.GROUP_SESSIONS: 24},
    ),
    (
        ProjectKind.BASIC,
        "youth",
        "青少年服务",
        "困境青少年与“小候鸟”服务。",
        {Metric.PERSON_TIMES: 2400, Metric.CASES: 20, Metric.GROUPS: 3},
    ),
    (
        ProjectKind.FEATURED,
        "featured",
        "长者安全关爱联盟",
        "联动社区资源，守护长者居家安全。",
        {Metric.PERSON_TIMES: 1200, Metric.ACTIVITIES: 12},
    ),
]
# Kinds of events by share of the year's events, with how they are attended.
# With the attendance drawn below this averages ~5 person-times an event, the
# ratio of the city's own figures (3 M person-times from ~600 k events).
EVENT_MIX = [
    (EventKind.HOME_VISIT, 0.35),
    (EventKind.CONSULTATION, 0.20),
    (EventKind.GROUP_SESSION, 0.20),
    (EventKind.ACTIVITY, 0.15),
    (EventKind.MEAL_ACTIVITY, 0.10),
]
BATCH = 5000


def _people(station: Station) -> tuple[User, list[User], User | None]:
    director = User.objects.get(station=station, role=Role.STATION_DIRECTOR)
    workers = list(User.objects.filter(station=station, role=Role.SOCIAL_WORKER).order_by("pk"))
    officer = (
        User.objects.filter(role=Role.DISTRICT_OFFICER, district_id=station.street.district_id)
        .order_by("pk")
        .first()
    )
    return director, workers, officer


def _plan(station: Station, year: int, director: User, officer: User | None) -> AnnualPlan:
    plan = plans.plan_create(
        actor=director,
        station=station,
        year=year,
        key_need_reason="居民服务需求调查显示，邻里互助与社区支持是最迫切的需求（排名第一）。",
    )
    for kind, domain, name, description, targets in PLAN_PROJECTS:
        plans.project_add(
            actor=director,
            plan=plan,
            kind=kind,
            domain=domain,
            name=name,
            description=description,
            targets=targets,
        )
    plan = plans.plan_submit(actor=director, plan=plan)
    if officer is not None:
        plan = plans.plan_approve(actor=officer, plan=plan, comment="同意。")
    return plan


def _extra_residents(station: Station, count: int, rng: random.Random) -> list[int]:
    """Residents who come to activities, created in bulk (no cases or consent
    forms beyond what registration needs)."""
    district_code = station.street.district.code
    communities = station_communities(station)
    points = {c.pk: point_of_community(station.pk, c.pk) for c in communities}
    rows = []
    for n in range(count):
        # In the station's communities in turn, at the community's point (as the
        # registration service defaults it).
        community = communities[n % len(communities)] if communities else None
        born = datetime.date(rng.randint(1940, 2015), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"{district_code}{born:%Y%m%d}{rng.randint(0, 999):03d}"
        number = first17 + identity.id_check_char(first17)
        rows.append(
            Resident(
                station=station,
                name=rng.choice(guangzhou.SURNAMES) + rng.choice(guangzhou.GIVEN),
                gender=rng.choice(["female", "male"]),
                birth_date=born,
                id_number_encrypted=identity.encrypt(number),
                id_number_hash=identity.lookup_hash(number),
                id_number_masked=identity.mask_id_number(number),
                community=community,
                point=points.get(community.pk) if community else None,
            )
        )
    for row in rows:
        pinyin.fill(row)
    Resident.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return list(
        Resident.objects.filter(station=station, merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )


def _programmes(
    station: Station, director: User, scale: Scale, rng: random.Random, today: datetime.date
):
    """The station's party branch, volunteers, community organisation and (at
    沙园街) the lift project, registered by its director through the services."""
    org = community.party_organisation_create(
        actor=director, station=station, name=f"{station.street.name}第一党支部", kind="branch"
    )
    members = [
        community.party_member_add(
            actor=director,
            organisation=org,
            name=rng.choice(guangzhou.SURNAMES) + rng.choice(guangzhou.GIVEN),
            is_representative=n == 0,
        )
        for n in range(5)
    ]
    volunteers = []
    for n in range(scale.volunteers_per_station):
        party = members[n] if n < len(members) else None
        name = party.name if party else rng.choice(guangzhou.SURNAMES) + rng.choice(guangzhou.GIVEN)
        phone = f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
        skills = rng.choice(["探访", "手工", "理发", "义诊", "书法", "摄影"])
        registered_on = today - datetime.timedelta(days=rng.randint(100, 900))
        consent_on = today - datetime.timedelta(days=rng.randint(100, 900))
        volunteers.append(
            community.volunteer_register(
                actor=director,
                station=station,
                name=name,
                phone=phone,
                skills=skills,
                is_party_member=party is not None,
                party_member=party,
                registered_on=registered_on,
                # Consent is given no later than registration (the service's rule).
                consent_on=min(consent_on, registered_on),
            )
        )
    community.community_organisation_create(
        actor=director,
        station=station,
        name=f"{station.street.name}邻里互助队",
        field="邻里互助",
        founded_on=today - datetime.timedelta(days=400),
        member_count=rng.randint(12, 40),
        status="established",
    )
    if station.name == "沙园街社工站":
        lifts = community.governance_project_create(
            actor=director,
            station=station,
            title="广重社区旧楼加装电梯",
            category="旧楼加装电梯",
            started_on=datetime.date(2016, 3, 1),
        )
        community.deliberation_meeting_record(
            actor=director,
            project=lifts,
            held_on=datetime.date(2017, 5, 20),
            attendees=48,
            party_members_present=9,
            decisions="通过加装方案与费用分摊办法。",
        )
        for stage in ("deliberation", "implementation"):
            lifts = community.governance_stage_set(actor=director, project=lifts, stage=stage)
        community.governance_stage_set(
            actor=director,
            project=lifts,
            stage="completed",
            outcome="成立电梯小组，社工、党员与居民代表共同推动，居民满意。",
            outcome_count=36,
        )
    return members, volunteers


def _groups(plan: AnnualPlan, director: User, residents: list[int], workers, rng):
    groups = []
    # The groups meet at the station's points in turn, and at the station itself.
    rounds = [*ServicePoint.objects.filter(station_id=plan.station_id, is_active=True), None]
    for number, project in enumerate(
        plan.projects.filter(kind__in=[ProjectKind.BASIC, ProjectKind.KEY])
    ):
        members = rng.sample(residents, min(8, len(residents)))
        groups.append(
            delivery.group_create(
                actor=director,
                project=project,
                name=f"{project.name}·成长小组",
                planned_sessions=200,
                members=list(Resident.objects.filter(pk__in=members)),
                leaders=workers[:1],
                point=rounds[number % len(rounds)],
            )
        )
    return groups


# How long each kind of service takes in the demo, in minutes.
DEMO_MINUTES = {
    EventKind.HOME_VISIT: 90,
    EventKind.CONSULTATION: 60,
    EventKind.ACTIVITY: 150,
    EventKind.GROUP_SESSION: 90,
    EventKind.MEAL_ACTIVITY: 45,
}


def _times(kind: str, n: int) -> dict:
    """The demo event's start and end: from the event's number, not the random
    generator (so the rest of the demo draws as before), every tenth left
    untimed as a service recorded without times."""
    if n % 10 == 9:
        return {}
    start = datetime.datetime(2000, 1, 1, 9 + n % 7, 30 * (n % 2))
    end = start + datetime.timedelta(minutes=DEMO_MINUTES.get(kind, 60))
    return {"starts_at": start.time(), "ends_at": end.time()}


def _events(station, plan, scale, residents, workers, volunteers, members, groups, rng, today):
    start = datetime.date(plan.year, 1, 1)
    end = min(today, datetime.date(plan.year, 12, 31))
    days = max(1, (end - start).days + 1)
    projects = list(plan.projects.all())
    core = next(p for p in projects if p.kind == ProjectKind.CORE)
    elderly = next(p for p in projects if p.kind == ProjectKind.BASIC and p.domain == "elderly")
    kinds = [k for k, _w in EVENT_MIX]
    weights = [w for _k, w in EVENT_MIX]
    session_counter = {g.pk: 0 for g in groups}
    group_members = {g.pk: list(g.members.values_list("pk", flat=True)) for g in groups}
    resident_points = dict(
        Resident.objects.filter(station=station, point__isnull=False).values_list("pk", "point_id")
    )
    # Activities go round the points and the station itself (None).
    rounds = [
        *ServicePoint.objects.filter(station=station, is_active=True)
        .order_by("code")
        .values_list("pk", flat=True),
        None,
    ]
    events, attendees, helpers, party = [], [], [], []
    for n in range(scale.events_per_station):
        point = None
        kind = rng.choices(kinds, weights)[0]
        held_on = start + datetime.timedelta(days=rng.randrange(days))
        group = None
        named: list[int] = []
        headcount = 0
        if kind == EventKind.GROUP_SESSION and groups:
            group = rng.choice(groups)
            project = group.project
            session_counter[group.pk] += 1
            pool = group_members[group.pk]
            named = rng.sample(pool, rng.randint(max(1, len(pool) // 2), len(pool)))
            title = f"{group.name} 第{session_counter[group.pk]}节"
            point = group.point_id
        elif kind == EventKind.MEAL_ACTIVITY:
            project = elderly
            headcount = rng.randint(8, 16)
            title = "餐前健康操"
        elif kind == EventKind.ACTIVITY:
            project = rng.choice(projects)
            headcount = rng.randint(8, 22)
            title = rng.choice(["社区义诊", "亲子手工", "长者生日会", "邻里节", "党员志愿服务日"])
            point = rounds[n % len(rounds)]
        else:
            kind = kind if kind != EventKind.GROUP_SESSION else EventKind.HOME_VISIT
            project = rng.choice(projects)
            named = [rng.choice(residents)]
            title = "上门探访" if kind == EventKind.HOME_VISIT else "驻点咨询"
            point = resident_points.get(named[0])
        events.append(
            ServiceEvent(
                station=station,
                point_id=point,
                project=project,
                domain=project.domain,
                kind=kind,
                held_on=held_on,
                title=title,
                group=group,
                session_number=session_counter[group.pk] if group else None,
                headcount=headcount,
                person_times=counting.person_times(len(named), headcount),
                **_times(kind, n),
            )
        )
        attendees.append(named)
        helpers.append(
            [(rng.choice(volunteers), Decimal(rng.choice(["1.5", "2.0", "3.0"])))]
            if volunteers and kind in (EventKind.ACTIVITY, EventKind.MEAL_ACTIVITY)
            else []
        )
        party.append(rng.sample(members, 2) if project.pk == core.pk and members else [])
    ServiceEvent.objects.bulk_create(events, batch_size=BATCH)
    Attendance.objects.bulk_create(
        (
            Attendance(event=e, resident_id=r, held_on=e.held_on)
            for e, named in zip(events, attendees, strict=True)
            for r in named
        ),
        batch_size=BATCH,
    )
    EventVolunteer.objects.bulk_create(
        (
            EventVolunteer(event=e, volunteer=v, hours=h)
            for e, rows in zip(events, helpers, strict=True)
            for v, h in rows
        ),
        batch_size=BATCH,
    )
    worker_through = ServiceEvent.workers.through
    worker_through.objects.bulk_create(
        (worker_through(serviceevent_id=e.pk, user_id=rng.choice(workers).pk) for e in events),
        batch_size=BATCH,
    )
    party_through = ServiceEvent.party_members.through
    party_through.objects.bulk_create(
        (
            party_through(serviceevent_id=e.pk, partymember_id=m.pk)
            for e, chosen in zip(events, party, strict=True)
            for m in chosen
        ),
        batch_size=BATCH,
    )
    return len(events), sum(e.person_times for e in events)


@transaction.atomic
def load_station_year(station: Station, year: int, scale: Scale, seed: int) -> tuple[int, int]:
    if AnnualPlan.objects.filter(station=station, year=year).exists():
        return 0, 0
    rng = random.Random(seed)
    today = timezone.localdate()
    director, workers, officer = _people(station)
    if not workers:
        return 0, 0
    plan = _plan(station, year, director, officer)
    residents = _extra_residents(station, scale.residents_per_station, rng)
    if PartyOrganisation.objects.filter(station=station).exists():
        # An earlier year of the demo already set up the station's programmes.
        members = list(PartyMember.objects.filter(station=station).order_by("pk"))
        volunteers = list(Volunteer.objects.filter(station=station).order_by("pk"))
    else:
        members, volunteers = _programmes(station, director, scale, rng, today)
    groups = _groups(plan, director, residents, workers, rng)
    written = _events(
        station, plan, scale, residents, workers, volunteers, members, groups, rng, today
    )
    if year == today.year:
        volunteer_time.seed_volunteer_time(station, workers[0], plan)
    return written


def load_demo_year(
    scale_name: str = "small",
    progress=None,
    stations: list[Station] | None = None,
    years: int = 1,
    copy_history: bool = False,
) -> tuple[int, int]:
    """Every (or the given) station's plan and service records for this year and
    the `years - 1` before it; returns (events, person-times) written. With
    `copy_history`, only this year and the last are generated; the years before are
    copies of the last one (see `demo.history`), which takes seconds, not hours."""
    scale = SCALES[scale_name]
    this_year = timezone.localdate().year
    if stations is None:
        stations = list(Station.objects.select_related("street__district").order_by("pk"))
    events = person_times = 0
    first = this_year - years + 1
    # On PostgreSQL each year's rows go into their own partition, made first.
    ensure_years(range(first, this_year + 2))
    generated = range(max(first, this_year - 1), this_year + 1) if copy_history else None
    for year in generated or range(first, this_year + 1):
        for station in progress(stations) if progress else stations:
            e, p = load_station_year(station, year, scale, seed=station.pk * 7919 + year)
            events += e
            person_times += p
    if copy_history:
        for year in range(this_year - 2, first - 1, -1):
            events += copy_demo_year(this_year - 1, year, lambda pk, y=year: _copied_plan(pk, y))
    if events:
        # The events were written in bulk: bring the statistics rollups in step,
        # and the planner's statistics.
        rollups.rebuild()
        refresh_statistics()
    return events, person_times


def _copied_plan(station_id: int, year: int) -> None:
    """The plan and groups of a station's copied year (`demo.history`)."""
    station = Station.objects.select_related("street__district").get(pk=station_id)
    director, workers, officer = _people(station)
    plan = _plan(station, year, director, officer)
    residents = list(
        Resident.objects.filter(station=station, merged_into__isnull=True).values_list(
            "pk", flat=True
        )[:200]
    )
    _groups(plan, director, residents, workers, random.Random(station_id * 31 + year))
