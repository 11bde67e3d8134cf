"""The demo city's civil-affairs rosters: last month's and this month's lists
imported by the city officer through the roster import (a few per cent of each
station's residents, in a Guangzhou-like mix of categories, a tenth of the
persons on two lists), and home visits to about half of them through the
outreach service, so that the coverage page shows gaps and the outreach lists
have work on them (overdue and never-reached persons).

The demo organisation has no communities: one per street is added (the street's
name with 社区), where the lists place their persons.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from shegong.accounts.models import User
from shegong.clients.models import Resident
from shegong.core.roles import Role
from shegong.demo.clients import _id_number
from shegong.org.models import Community, Station, Street
from shegong.plans.models import PlanProject
from shegong.rosters import importing, services
from shegong.rosters.models import RosterEntry, RosterImport

# Category name -> weight: 低保 the largest list, then elders alone and severe
# disability, a few orphans (shares modelled on Guangzhou's published totals).
MIX = {
    "低保对象": 34,
    "低保边缘/低收入": 10,
    "特困人员": 8,
    "孤儿/事实无人抚养儿童": 1,
    "困境儿童": 4,
    "留守儿童": 3,
    "重度残疾人": 14,
    "独居/空巢/高龄/失能老人": 21,
    "优抚对象": 5,
}
CHILD_LISTS = {"孤儿/事实无人抚养儿童", "困境儿童", "留守儿童"}
ELDER_LISTS = {"独居/空巢/高龄/失能老人", "特困人员"}
SHARE = 0.035  # of a station's residents
MINIMUM = 6  # persons per station, so every outreach list has some
SURNAMES = "陈李黄张梁林刘吴罗何郑谢冯邓曾彭苏卢蔡叶"
GIVEN = (
    "秀英",
    "桂芳",
    "志强",
    "伟明",
    "丽华",
    "国良",
    "淑贞",
    "建华",
    "美玲",
    "家豪",
    "子轩",
    "梓涵",
)


def community_of(street: Street) -> Community:
    """The street's first community (the demo city's, where its first service
    point stands), or one named for the street where it has none."""
    existing = Community.objects.filter(street=street).order_by("pk").first()
    if existing is not None:
        return existing
    base = street.name[:-1] if street.name[-1:] in "街镇" else street.name
    community, _created = Community.objects.get_or_create(street=street, name=f"{base}社区"[:50])
    return community


def _born(rng: random.Random, category: str, today: datetime.date) -> datetime.date:
    if category in CHILD_LISTS:
        years = rng.randint(4, 15)
    elif category in ELDER_LISTS:
        years = rng.randint(70, 92)
    else:
        years = rng.randint(25, 80)
    return today - datetime.timedelta(days=365 * years + rng.randint(0, 364))


def _persons(
    station: Station, count: int, rng: random.Random, today: datetime.date, used: set
) -> list:
    """(ID number, name, [categories]) of the station's roster persons, with ID
    numbers not in `used` (the city's so far)."""
    names, weights = list(MIX), list(MIX.values())
    people = []
    while len(people) < count:
        category = rng.choices(names, weights)[0]
        lists = [category]
        if rng.random() < 0.1 and category not in CHILD_LISTS:
            lists.append(rng.choice(["重度残疾人", "低保对象", "独居/空巢/高龄/失能老人"]))
        born = _born(rng, category, today)
        female = rng.random() < 0.55
        number = _id_number(rng, station.street.district.code[:6], born, female)
        if number in used:
            continue
        used.add(number)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        people.append((number, name, sorted(set(lists))))
    return people


def _csv(rows: list[list[str]]) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(importing.HEADERS)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))


def _rows(station, community, people, listed: datetime.date) -> list[list[str]]:
    district = station.street.district
    return [
        [
            number,
            name,
            category,
            district.name,
            station.street.name,
            community.name,
            f"{community.name}{(i % 40) + 1}号",
            f"{listed.year}-01-01",
            "",
            f"{district.name}民政局",
            listed.isoformat(),
        ]
        for i, (number, name, lists) in enumerate(people)
        for category in lists
    ]


def _visits(station: Station, rng: random.Random, today: datetime.date) -> int:
    """Home visits to about half of the station's roster persons in the last
    two months (this year only: the plan's)."""
    project = (
        PlanProject.objects.filter(plan__station=station, plan__year=today.year)
        .order_by("domain", "pk")
        .first()
    )
    worker = User.objects.filter(station=station, role=Role.SOCIAL_WORKER).order_by("pk").first()
    if project is None or worker is None:
        return 0
    visited = 0
    seen = set()
    entries = RosterEntry.objects.filter(station=station, closed_on__isnull=True).order_by("pk")
    for entry in entries:
        if entry.resident_id in seen or rng.random() > 0.5:
            seen.add(entry.resident_id)
            continue
        seen.add(entry.resident_id)
        held_on = max(
            today - datetime.timedelta(days=rng.randint(0, 55)), today.replace(month=1, day=1)
        )
        services.roster_visit_record(actor=worker, entry=entry, project=project, held_on=held_on)
        visited += 1
    return visited


@transaction.atomic
def load_demo_rosters(seed: int = 2023) -> tuple[int, int]:
    """Last month's and this month's rosters for every station, and home visits;
    returns (roster entries open this month, visits). Idempotent: nothing when
    rosters are on file."""
    if RosterImport.objects.exists():
        return 0, 0
    officer = User.objects.filter(role=Role.CITY_OFFICER, is_active=True).order_by("pk").first()
    if officer is None:
        return 0, 0
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    residents = Counter(Resident.objects.values_list("station_id", flat=True))
    rng = random.Random(seed)
    before, now, used = [], [], set()
    stations = list(
        Station.objects.filter(is_active=True).select_related("street__district").order_by("pk")
    )
    for station in stations:
        community = community_of(station.street)
        count = max(MINIMUM, round(residents.get(station.pk, 0) * SHARE))
        people = _persons(station, count, rng, today, used)
        # A tenth joined this month; a tenth left since last month.
        joined = set(rng.sample(range(count), max(1, count // 10)))
        left = _persons(station, max(1, count // 10), rng, today, used)
        before += _rows(
            station,
            community,
            [p for i, p in enumerate(people) if i not in joined] + left,
            last_month,
        )
        now += _rows(
            station, community, people, min(today, this_month + datetime.timedelta(days=4))
        )
    for month, rows in ((last_month, before), (this_month, now)):
        result = importing.roster_import(
            actor=officer,
            file=_csv(rows),
            filename=f"roster-{month:%Y-%m}.csv",
            month=month,
            source="广州市民政局（演示数据）",
        )
        if not result.ok:
            raise RuntimeError(f"demo roster refused: {result.errors[:3]}")
    visits = sum(_visits(station, rng, today) for station in stations)
    return RosterEntry.objects.filter(closed_on__isnull=True).count(), visits
