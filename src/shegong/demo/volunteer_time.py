"""The demo's volunteer time (docs/volunteers.md): a few past activities of this
year at which the station's first volunteers checked in and out (their hours
credited to the time bank 时间银行, one donation between two of them), and one
coming activity with residents' sign-ups, one of them on the waiting list.

Everything goes through the services a volunteer's phone and the worker use. No
service event is recorded (the activities are not closed), so the demo's counts
of events and person-times are those of `demo.year`."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from shegong.accounts.models import User
from shegong.clients.models import Resident
from shegong.community import activities, timebank
from shegong.community.models import CommunityActivity, Volunteer
from shegong.org.models import Station
from shegong.plans.models import AnnualPlan, PlanProject

PAST = (("社区环境清洁日", 3, 9, 12), ("长者探访日", 10, 14, 17), ("四点半课堂", 17, 16, 18))
PHONE = re.compile(r"^1\d{10}$")


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _coming_day(today: datetime.date) -> datetime.date | None:
    for ahead in (3, 2, 1):
        day = today + datetime.timedelta(days=ahead)
        if day.year == today.year:
            return day
    return None


def seed_volunteer_time(station: Station, worker: User, plan: AnnualPlan) -> int:
    """The station's demo activities; returns the time-bank entries written.
    Idempotent: a station that has activities is left alone."""
    if CommunityActivity.objects.filter(station=station).exists():
        return 0
    project = PlanProject.objects.filter(plan=plan).order_by("pk").first()
    volunteers = list(Volunteer.objects.filter(station=station, is_active=True).order_by("pk")[:3])
    if project is None or not volunteers:
        return 0
    today = timezone.localdate()
    entries = 0
    for title, back, start, end in PAST:
        day = today - datetime.timedelta(days=back)
        if day.year != plan.year:
            continue
        act = activities.activity_create(
            actor=worker,
            project=project,
            title=title,
            starts_at=_at(day, start),
            ends_at=_at(day, end),
            capacity=20,
        )
        for n, volunteer in enumerate(volunteers):
            activities.volunteer_check_in(
                activity=act, volunteer=volunteer, now=_at(day, start, 5 * n)
            )
            activities.volunteer_check_out(
                activity=act, volunteer=volunteer, now=_at(day, end - (n % 2), 0)
            )
            entries += 1
    if len(volunteers) >= 2 and timebank.balance(volunteers[0]) >= 1:
        timebank.time_bank_donate(
            actor=worker, donor=volunteers[0], recipient=volunteers[1], points=1
        )
        entries += 2
    day = _coming_day(today)
    if day is not None and day.year == plan.year:
        coming = activities.activity_create(
            actor=worker,
            project=project,
            title="邻里中秋游园会",
            starts_at=_at(day, 9),
            ends_at=_at(day, 11, 30),
            capacity=2,
        )
        residents = Resident.objects.filter(station=station, merged_into__isnull=True).order_by(
            "pk"
        )[:3]
        for n, resident in enumerate(residents):
            phone = (
                resident.phone
                if PHONE.match(resident.phone or "")
                else f"139{station.pk:04d}{n:04d}"
            )
            activities.resident_sign_up(activity=coming, name=resident.name, phone=phone)
    return entries
