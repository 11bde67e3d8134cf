"""Demo residents, clients, cases, observations and alerts for every station,
written through the same services as the web pages and the API, so that the
demo obeys every rule. Dates are relative to today so the station looks alive.

Idempotent: a station that already has residents is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.cases import services as cases
from shegong.cases.alerts import run_all
from shegong.cases.models import (
    CaseOutcome,
    CaseSource,
    ContactMethod,
    ObservationSource,
    RiskLevel,
    ServiceType,
)
from shegong.clients import services as clients
from shegong.clients.identity import id_check_char
from shegong.clients.models import (
    GUARDIAN_CONSENT_AGE,
    ClientCategory,
    Consent,
    PriorityKind,
    Resident,
    Tag,
    age_on,
)
from shegong.community import services as community
from shegong.community.models import MealKind
from shegong.core.roles import Role
from shegong.demo import guangzhou, meal_money
from shegong.demo.city import station_communities
from shegong.org.models import Station

DEFAULT_RESIDENTS_PER_STATION = 3
# The stations of the source article get a fuller caseload to look at.
SHOWCASE_STATIONS = (
    "沙园街社工站",
    "黄埔街社工站",
    "逢源街社工站",
    "建设街社工站",
    "梅花村街社工站",
)
DEFAULT_SHOWCASE_RESIDENTS = 24

# (domain, birth-year range, priority kind, general service, priority service)
PROFILES = [
    ("elderly", (1936, 1956), PriorityKind.HARDSHIP_ELDER),
    ("family", (1972, 1994), PriorityKind.HARDSHIP_FAMILY),
    ("youth", (2008, 2016), PriorityKind.HARDSHIP_YOUTH),
]
PRIORITY_TYPES = [
    ServiceType.RESOURCE_LINKING,
    ServiceType.EMOTIONAL_SUPPORT,
    ServiceType.SUPPORT_NETWORK,
    ServiceType.STRESS_RELIEF,
]
GENERAL_TYPES = [ServiceType.PREVENTIVE, ServiceType.SUPPORTIVE]
NOTES = [
    "上门探访，了解近期身体与情绪状况，链接社区医生随访。",
    "电话跟进，案主表示生活基本稳定，提醒按时复诊。",
    "与家属沟通照顾安排，协助申请居家养老服务补贴。",
    "面谈疏导情绪，共同梳理近期压力来源，制定放松练习。",
    "联系社区党员义工结对，每周探访一次。",
]
OBSERVATIONS = [
    "饭堂用餐正常，精神状态良好。",
    "今日在饭堂话比平时少，自述睡眠不好。",
    "邻居反映近两日未见其外出。",
    "参加餐前活动积极，与其他长者交流多。",
]


def _id_number(rng: random.Random, district_code: str, born: datetime.date, female: bool) -> str:
    sequence = rng.randint(0, 499) * 2 + (0 if female else 1)
    first17 = f"{district_code}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def _past(rng: random.Random, today: datetime.date, lo: int, hi: int) -> datetime.date:
    return today - datetime.timedelta(days=rng.randint(lo, hi))


def _station_people(station: Station) -> tuple[User, list[User]]:
    director = User.objects.get(station=station, role=Role.STATION_DIRECTOR)
    workers = list(User.objects.filter(station=station, role=Role.SOCIAL_WORKER).order_by("pk"))
    return director, workers


@transaction.atomic
def load_station_clients(station: Station, per_station: int, seed: int) -> int:
    if Resident.objects.filter(station=station).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    director, workers = _station_people(station)
    if not workers:
        return 0
    district_code = station.street.district.code
    # Residents live in the station's communities in turn; the registration gives
    # those of a community with a service point that point.
    communities = station_communities(station)
    created = 0
    elders: list[tuple[Resident, bool]] = []  # (enrolled elder, stopped coming)
    for index in range(per_station):
        domain, (y0, y1), priority_kind = PROFILES[index % len(PROFILES)]
        worker = workers[index % len(workers)]
        female = rng.random() < 0.6
        born = datetime.date(rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))
        name = rng.choice(guangzhou.SURNAMES) + rng.choice(guangzhou.GIVEN)
        resident = clients.resident_register(
            actor=worker,
            station=station,
            name=name,
            gender="female" if female else "male",
            birth_date=born,
            id_number=_id_number(rng, district_code, born, female),
            phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            address=f"{station.street.name}{rng.randint(1, 60)}号{rng.randint(101, 804)}房",
            community=communities[index % len(communities)] if communities else None,
            allow_similar=True,
        )
        created += 1
        registered = _past(rng, today, 150, 400)
        minor = age_on(born, registered) < GUARDIAN_CONSENT_AGE
        clients.consent_record(
            actor=worker,
            resident=resident,
            recorded_on=registered,
            covers_referral_sharing=rng.random() < 0.5,
            given_by=Consent.GivenBy.GUARDIAN if minor else Consent.GivenBy.SELF,
            guardian_name=(rng.choice(guangzhou.SURNAMES) + rng.choice(guangzhou.GIVEN))
            if minor
            else "",
            guardian_relation="母亲" if minor else "",
        )
        priority = index % 2 == 0
        clients.client_classify(
            actor=worker,
            resident=resident,
            domain=domain,
            category=ClientCategory.PRIORITY if priority else ClientCategory.GENERAL,
            priority_kind=priority_kind if priority else "",
            started_on=registered,
        )
        if domain == "elderly" and priority:
            clients.tag_add(
                actor=worker, resident=resident, tag=Tag.LIVING_ALONE, started_on=registered
            )
        if domain == "youth" and rng.random() < 0.5:
            clients.tag_add(
                actor=worker, resident=resident, tag=Tag.MIGRANT_CHILD, started_on=registered
            )
        if domain == "elderly":
            elders.append((resident, index % 6 == 0))
        if index % 3 != 2:
            _case(rng, resident, domain, worker, priority, today, stage=index % 4)
        if rng.random() < 0.6:
            cases.observation_record(
                actor=worker,
                resident=resident,
                observed_on=_past(rng, today, 0, 20),
                source=ObservationSource.CANTEEN
                if domain == "elderly"
                else ObservationSource.VISIT,
                text=rng.choice(OBSERVATIONS),
                crisis=index == 4,
            )
    if elders:
        _meal_programme(station, workers[0], elders, today)
    return created


def _meal_programme(
    station: Station, worker: User, elders: list[tuple[Resident, bool]], today: datetime.date
) -> None:
    """The canteen's last fortnight, through the services a worker uses: each elder
    enrolled two months ago, then one roll call per service day (oldest first, so
    the absence rule sees the days in the order they happened). An elder who
    stopped coming misses the last four days; the canteen is closed on Sundays."""
    for resident, _stopped in elders:
        community.meal_enrol(
            actor=worker, resident=resident, started_on=today - datetime.timedelta(days=60)
        )
    for back in range(14, 0, -1):
        day = today - datetime.timedelta(days=back)
        if day.weekday() == 6:
            continue
        community.meal_roll_call(
            actor=worker,
            station=station,
            served_on=day,
            present={
                resident.pk: MealKind.DINE_IN
                for resident, stopped in elders
                if not (stopped and back <= 4)
            },
        )
    meal_money.seed_meal_money(station, worker, elders, today)


def _case(rng, resident, domain, worker, priority, today, stage: int) -> None:
    opened = _past(rng, today, 40, 140)
    case = cases.case_open(
        actor=worker,
        client=resident,
        domain=domain,
        opened_on=opened,
        source=rng.choice(
            [
                CaseSource.WALK_IN,
                CaseSource.OUTREACH,
                CaseSource.MEAL_PROGRAMME,
                CaseSource.COMMUNITY,
            ]
        ),
    )
    risk = (
        RiskLevel.HIGH if priority and stage == 1 else rng.choice([RiskLevel.LOW, RiskLevel.MEDIUM])
    )
    cases.case_assess(
        actor=worker,
        case=case,
        assessed_on=opened + datetime.timedelta(days=3),
        needs="独居，行动不便，需要日常照顾与情绪支持。",
        risk_level=risk,
    )
    if stage == 0:
        return  # waiting for a plan
    planned = opened + datetime.timedelta(days=7)
    cases.case_plan(
        actor=worker,
        case=case,
        planned_on=planned,
        goals="一、稳定日常生活照顾；二、建立邻里支持网络；三、改善情绪。",
        review_due_on=planned + datetime.timedelta(days=60),
    )
    types = PRIORITY_TYPES if priority else GENERAL_TYPES
    last = planned
    for step in range(rng.randint(2, 5)):
        last = planned + datetime.timedelta(days=7 * (step + 1))
        if last >= today - datetime.timedelta(days=16 if stage == 1 else 1):
            break
        cases.case_note_add(
            actor=worker,
            case=case,
            happened_on=last,
            service_type=rng.choice(types),
            method=rng.choice(list(ContactMethod.values)),
            text=rng.choice(NOTES),
        )
    case.refresh_from_db()
    if stage == 3 and case.status == "in_service":
        cases.case_close(
            actor=worker,
            case=case,
            closed_on=min(today, last + datetime.timedelta(days=3)),
            outcome=CaseOutcome.GOALS_MET,
        )


def load_demo_clients(
    per_station: int = DEFAULT_RESIDENTS_PER_STATION,
    showcase: int = DEFAULT_SHOWCASE_RESIDENTS,
) -> int:
    created = 0
    for station in Station.objects.select_related("street__district").order_by("pk"):
        count = showcase if station.name in SHOWCASE_STATIONS else per_station
        created += load_station_clients(station, count, seed=station.pk)
    run_all()
    return created
