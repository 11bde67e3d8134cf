"""Service hours 服务时长 of a station's social workers, and the 60 % rule.

Guangzhou's evaluation asks that at least 60 % of a social worker's working time
is spent in the community with clients. The platform knows the services each
worker gave (delivery's service events with their start and end times, where the
worker is one of the event's workers or a group's leader) and the days each was
employed (the staff profile). So, per worker and period:

- working hours = 8 hours × the working days (Monday to Friday) of the period on
  which the worker was employed (public holidays are not known to the platform);
- service hours = the sum of (end − start) of the worker's timed service events
  held on those days;
- the share = service hours ÷ working hours, in per cent to one decimal; the rule
  is met at 60.0 % or more;
- untimed = the worker's events on those days without times (casework contacts,
  services recorded before times were asked for): not counted, shown so that the
  director sees what is missing.

One function, `station_hours`, computes the rows for the page, its Excel and the
API."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shegong.delivery.models import ServiceEvent
from shegong.org.models import Station
from shegong.workforce.models import StaffProfile

HOURS_PER_DAY = 8
RULE_PERCENT = Decimal("60")
_ONE = Decimal("0.1")


def working_days(first: datetime.date, last: datetime.date) -> int:
    """Monday-to-Friday days from `first` to `last`, both included."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    start = first.weekday()
    count += sum(1 for n in range(rest) if (start + n) % 7 < 5)
    return count


def _hours(seconds: int) -> Decimal:
    return (Decimal(seconds) / 3600).quantize(_ONE, rounding=ROUND_HALF_UP)


def _share(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (part * 100 / whole).quantize(_ONE, rounding=ROUND_HALF_UP)


@dataclass
class HoursRow:
    """One worker's (or the station's) hours in a period."""

    name: str
    username: str
    working_hours: Decimal
    service_seconds: int
    untimed: int

    @property
    def service_hours(self) -> Decimal:
        return _hours(self.service_seconds)

    @property
    def share(self) -> Decimal:
        # From the exact seconds, not the rounded hours.
        return _share(Decimal(self.service_seconds) / 3600, self.working_hours)

    @property
    def meets_rule(self) -> bool:
        return self.working_hours > 0 and self.share >= RULE_PERCENT


def _span(profile: StaffProfile, first, last) -> tuple[datetime.date, datetime.date]:
    return max(first, profile.employed_since), min(last, profile.left_on or last)


def station_hours(
    station: Station, first: datetime.date, last: datetime.date
) -> tuple[list[HoursRow], HoursRow]:
    """The rows of the station's staff employed in [first, last] (by name), and
    the station's total. Two queries: the profiles, the events with workers."""
    profiles = [
        p
        for p in StaffProfile.objects.filter(station=station, employed_since__lte=last)
        .exclude(left_on__lt=first)
        .select_related("user")
        .order_by("user__username")
    ]
    spans = {p.user_id: _span(p, first, last) for p in profiles}
    seconds: dict[int, int] = defaultdict(int)
    untimed: dict[int, int] = defaultdict(int)
    # One row per (event, worker): the many-to-many's own table.
    events = ServiceEvent.workers.through.objects.filter(
        serviceevent__station=station,
        serviceevent__held_on__gte=first,
        serviceevent__held_on__lte=last,
        user_id__in=list(spans),
    ).values_list(
        "user_id", "serviceevent__held_on", "serviceevent__starts_at", "serviceevent__ends_at"
    )
    for worker, held_on, starts_at, ends_at in events.order_by():
        start, end = spans[worker]
        if not start <= held_on <= end:
            continue
        if starts_at is None:
            untimed[worker] += 1
            continue
        seconds[worker] += (
            datetime.datetime.combine(held_on, ends_at)
            - datetime.datetime.combine(held_on, starts_at)
        ).seconds
    rows = [
        HoursRow(
            name=str(p.user),
            username=p.user.username,
            working_hours=Decimal(HOURS_PER_DAY * working_days(*spans[p.user_id])),
            service_seconds=seconds[p.user_id],
            untimed=untimed[p.user_id],
        )
        for p in profiles
    ]
    total = HoursRow(
        name=station.name,
        username="",
        working_hours=sum((r.working_hours for r in rows), Decimal(0)),
        service_seconds=sum(r.service_seconds for r in rows),
        untimed=sum(r.untimed for r in rows),
    )
    return rows, total
