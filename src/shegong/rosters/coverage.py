"""The coverage rollup 覆盖率 (`CoverageMonth`), kept in step with the raw rows.

For each month of a roster, per station, community and category: the persons on
the list that month; reached (any service that month); visited as the
category's rule asks (not overdue at the month's end, `rules.Rule.up_to_date`);
never reached (no service at all up to the month's end). A person on two lists
counts in both.

Every writer that can change a figure recounts the affected (station, category)
groups from the raw rows inside its own transaction: the roster import (its
month), a visit rule's change, and every change of attendance, which the
statistics rollups announce (`stats.rollups.register_attendance_listener`). The
same recount, over everything, is the drift check's raw side.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from shegong.delivery.models import Attendance, EventKind
from shegong.rosters.models import CoverageMonth, RosterEntry
from shegong.rosters.rules import rules_for
from shegong.stats.rollups import Table

KEY = ("station_id", "community_id", "category_id", "year", "month")
VALUES = ("on_roster", "reached", "visited", "never_reached")
CHUNK = 900  # ids per IN (): SQLite's variable limit


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def months(first: datetime.date, last: datetime.date) -> Iterable[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def contacts(resident_ids: Iterable[int]) -> dict[int, tuple[list, list]]:
    """resident id -> (the sorted days of every service they attended, the sorted
    days of their home visits)."""
    found: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    ids = sorted(set(resident_ids))
    for start in range(0, len(ids), CHUNK):
        rows = Attendance.objects.filter(resident_id__in=ids[start : start + CHUNK]).values_list(
            "resident_id", "event__held_on", "event__kind"
        )
        for resident_id, held_on, kind in rows:
            days, visits = found[resident_id]
            days.append(held_on)
            if kind == EventKind.HOME_VISIT:
                visits.append(held_on)
    for days, visits in found.values():
        days.sort()
        visits.sort()
    return found


def recount(entries, since: datetime.date | None = None) -> dict[tuple, tuple]:
    """The coverage rows of `entries` (a RosterEntry queryset), from `since`'s month
    on, recounted from the raw entries and attendance."""
    rows = list(
        entries.filter(station__isnull=False).values_list(
            "station_id",
            "community_id",
            "category_id",
            "resident_id",
            "first_month",
            "last_month",
        )
    )
    seen = contacts(r[3] for r in rows if r[3])
    rules = rules_for(r[0] for r in rows)
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    floor = month_start(since) if since else None
    nothing: tuple[list, list] = ([], [])
    for station_id, community_id, category_id, resident_id, first, last in rows:
        days, visits = seen.get(resident_id, nothing)
        rule = rules[(station_id, category_id)]
        for year, month in months(max(first, floor) if floor else first, last):
            start, end = datetime.date(year, month, 1), month_end(year, month)
            row = counts[(station_id, community_id, category_id, year, month)]
            row[0] += 1
            at = bisect.bisect_left(days, start)
            row[1] += at < len(days) and days[at] <= end
            last_visit = visits[bisect.bisect_right(visits, end) - 1] if visits else None
            row[2] += rule.up_to_date(last_visit if last_visit and last_visit <= end else None, end)
            row[3] += not days or days[0] > end
    return {key: tuple(values) for key, values in counts.items()}


def _after(since: datetime.date) -> Q:
    return Q(year__gt=since.year) | Q(year=since.year, month__gte=since.month)


PAIRS_PER_QUERY = 100  # (station, category) groups per recount: a short OR


@transaction.atomic
def refresh(pairs: Iterable[tuple[int, int]], since: datetime.date | None = None) -> None:
    """Recount the coverage of these (station id, category id) groups from
    `since`'s month on (every month without it) and store it."""
    pairs = sorted(set(pairs))
    for start in range(0, len(pairs), PAIRS_PER_QUERY):
        groups = Q()
        for station_id, category_id in pairs[start : start + PAIRS_PER_QUERY]:
            groups |= Q(station_id=station_id, category_id=category_id)
        stored = CoverageMonth.objects.filter(groups)
        if since:
            stored = stored.filter(_after(since))
        fresh = recount(RosterEntry.objects.filter(groups), since)
        stored.delete()
        CoverageMonth.objects.bulk_create(
            (
                CoverageMonth(
                    **dict(zip(KEY, key, strict=True)), **dict(zip(VALUES, v, strict=True))
                )
                for key, v in fresh.items()
            ),
            batch_size=2000,
        )


def attendance_changed(resident_ids: set[int], since: datetime.date | None) -> None:
    """The statistics' announcement that these residents' attendance changed: one
    query when none of them is on a roster (the usual case)."""
    ids = sorted(resident_ids)
    pairs = set()
    for start in range(0, len(ids), CHUNK):
        pairs |= set(
            RosterEntry.objects.filter(
                resident_id__in=ids[start : start + CHUNK], station__isnull=False
            )
            .values_list("station_id", "category_id")
            .distinct()
        )
    refresh(pairs, since)


TABLE = Table(
    "roster_coverage",
    CoverageMonth,
    KEY,
    VALUES,
    lambda: recount(RosterEntry.objects.all()),
)
