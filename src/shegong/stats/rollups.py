"""Keeping the rollups in step with the raw records.

The summary tables (see `stats.models`) are written in the same transaction as the
raw rows they summarise:

- `record_event_change` adds the change of one event's counts (or of an import
  batch's) to `DomainMonth`, `DomainYear`, `ProjectMonth` and, for an event given
  at a service point, `PointMonth` and `ProjectPointMonth` — an `INSERT … ON CONFLICT DO
  UPDATE` per table (`core.bulk.upsert_together`), sent as one statement on PostgreSQL
  (data-modifying WITH queries) and one after another on SQLite;
- `clients_served_add` sets the month bits of the residents who attended, and
  `clients_served_refresh` recounts them from the raw attendance where a change
  can remove a bit (an edit, a deletion, a merge, a re-classification);
- `meals_refresh` recounts a canteen's month after a roll call (`MealMonth`, and
  per service point `MealPointMonth`).

`drift` recounts every table from the raw rows and lists the differences;
`rebuild` replaces the tables with the recount.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from shegong.core.bulk import upsert, upsert_together
from shegong.core.models import ArchivedPartition, Domain
from shegong.stats.models import (
    ClientRange,
    ClientYear,
    DomainMonth,
    DomainYear,
    MealMonth,
    MealPointMonth,
    PointMonth,
    ProjectMonth,
    ProjectPointMonth,
)

ZERO_HOURS = Decimal("0.0")
DOMAIN_MASK_FIELDS = {d.value: f"{d.value}_months" for d in Domain}
MASK_FIELDS = ("months", *DOMAIN_MASK_FIELDS.values(), "priority_months")
# ClientRange kinds, in the order of MASK_FIELDS.
RANGE_KINDS = ("all", *DOMAIN_MASK_FIELDS, "priority")


def month_range_mask(month_from: int, month_to: int) -> int:
    """The bits of the months from `month_from` to `month_to` (1–12, inclusive)."""
    return sum(1 << (m - 1) for m in range(month_from, month_to + 1))


# The 78 month ranges of a year and their masks.
RANGES = tuple((a, b, month_range_mask(a, b)) for a in range(1, 13) for b in range(a, 13))


@dataclass(frozen=True)
class Delta:
    """A change of the rollups' counts: +1 event when one is recorded, -1 when
    deleted, and the differences of its person-times, counted kinds and volunteer
    hours. Which kind counts where is `delivery.counting.event_delta`'s business."""

    events: int = 0
    person_times: int = 0
    group_sessions: int = 0
    activities: int = 0
    volunteer_hours: Decimal = ZERO_HOURS

    def __add__(self, other: Delta) -> Delta:
        return Delta(
            events=self.events + other.events,
            person_times=self.person_times + other.person_times,
            group_sessions=self.group_sessions + other.group_sessions,
            activities=self.activities + other.activities,
            volunteer_hours=self.volunteer_hours + other.volunteer_hours,
        )

    def __bool__(self) -> bool:
        return any(
            (
                self.events,
                self.person_times,
                self.group_sessions,
                self.activities,
                self.volunteer_hours,
            )
        )


def record_event_change(
    *,
    station_id: int,
    project_id: int | None,
    domain: str,
    held_on,
    delta: Delta,
    point_id: int | None = None,
) -> None:
    """Apply the change of an event's counts (or an import batch's, summed per
    month) to the rollups of its month, and to its service point's if it has one."""
    if not delta:
        return
    month = {"year": held_on.year, "month": held_on.month}
    counts = {
        "events": delta.events,
        "person_times": delta.person_times,
        "volunteer_hours": delta.volunteer_hours,
    }
    summed = dict.fromkeys(counts, "+")
    parts = [
        (
            DomainMonth,
            [{"station": station_id, "domain": domain, **month, **counts}],
            ("station", "year", "month", "domain"),
            summed,
        ),
        (
            DomainYear,
            [
                {
                    "station": station_id,
                    "year": held_on.year,
                    "domain": domain,
                    "events": delta.events,
                    "person_times": delta.person_times,
                }
            ],
            ("station", "year", "domain"),
            {"events": "+", "person_times": "+"},
        ),
    ]
    if point_id is not None:
        parts.append(
            (
                PointMonth,
                [{"station": station_id, "point": point_id, "domain": domain, **month, **counts}],
                ("point", "year", "month", "domain"),
                summed,
            )
        )
    if project_id is not None:
        project_counts = {
            **counts,
            "group_sessions": delta.group_sessions,
            "activities": delta.activities,
        }
        added = dict.fromkeys(project_counts, "+")
        parts.append(
            (
                ProjectMonth,
                [{"station": station_id, "project": project_id, **month, **project_counts}],
                ("project", "year", "month"),
                added,
            )
        )
        if point_id is not None:
            row = {"station": station_id, "point": point_id, "project": project_id}
            parts.append(
                (
                    ProjectPointMonth,
                    [{**row, **month, **project_counts}],
                    ("point", "project", "year", "month"),
                    added,
                )
            )
    # One statement on PostgreSQL for all of the month's tables.
    upsert_together(parts)


# --- Clients served (distinct people) ----------------------------------------------


def _priority_periods(station_id: int, resident_ids: Iterable[int]) -> dict[int, list[tuple]]:
    """The residents' periods of priority classification at the station, for
    `delivery.counting.priority_in`."""
    from shegong.clients.models import ClientCategory, ClientStatus

    periods = defaultdict(list)
    for resident_id, started_on, ended_on in ClientStatus.objects.filter(
        station_id=station_id, resident_id__in=list(resident_ids), category=ClientCategory.PRIORITY
    ).values_list("resident_id", "started_on", "ended_on"):
        periods[resident_id].append((started_on, ended_on))
    return periods


def _range_changes(station_id: int, year: int, old: tuple, new: tuple, into: dict) -> None:
    """Add to `into` how the 78 range counts change when one resident's masks go
    from `old` to `new` (a range counts a resident with any bit inside it)."""
    for kind, before, after in zip(RANGE_KINDS, old, new, strict=True):
        if before == after:
            continue
        for a, b, mask in RANGES:
            change = bool(after & mask) - bool(before & mask)
            if change:
                key = (station_id, year, kind, a, b)
                into[key] = into.get(key, 0) + change


def _apply_range_changes(changes: dict) -> None:
    upsert(
        ClientRange,
        [
            {"station": s, "year": y, "kind": k, "month_from": a, "month_to": b, "clients": n}
            for (s, y, k, a, b), n in changes.items()
            if n
        ],
        conflict=("station", "year", "kind", "month_from", "month_to"),
        combine={"clients": "+"},
    )


def _stored_masks(
    station_id: int, keys: Iterable[tuple[int, int]], day: datetime.date | None = None
) -> tuple[dict[tuple, tuple], set[int]]:
    """(year, resident) -> masks of the stored rows, locked for this transaction
    (SQLite's IMMEDIATE transactions serialise writers anyway); with `day`, also
    which of them were priority clients that day, in the same query."""
    by_year = defaultdict(list)
    for year, resident_id in keys:
        by_year[year].append(resident_id)
    found, priority = {}, set()
    for year, residents in by_year.items():
        if day is not None:
            rows = _masks_with_priority(station_id, year, residents, day)
        else:
            rows = (
                ClientYear.objects.select_for_update()
                .filter(station_id=station_id, year=year, resident_id__in=residents)
                .values_list("year", "resident_id", *MASK_FIELDS)
            )
        for row in rows:
            found[(row[0], row[1])] = tuple(row[2 : 2 + len(MASK_FIELDS)])
            if day is not None and row[-1]:
                priority.add(row[1])
    return found, priority


def _masks_with_priority(station_id: int, year: int, residents: list[int], day) -> list:
    """One event's write: the attendees' stored masks and whether each was a
    priority client that day, in one hand-written statement (the ORM's compile time
    was a visible share of a write). Priority is `delivery.counting.priority_on`,
    in its SQL form, at the station."""
    from shegong.clients.models import ClientStatus
    from shegong.delivery.counting import priority_on_params, priority_on_sql

    quote = connection.ops.quote_name
    status = quote(ClientStatus._meta.db_table)
    masks = ", ".join(f"cy.{quote(name)}" for name in MASK_FIELDS)
    lock = " FOR UPDATE OF cy" if connection.vendor == "postgresql" else ""
    sql = (
        f"SELECT cy.year, cy.resident_id, {masks}, EXISTS (SELECT 1 FROM {status} s "  # noqa: S608
        f"WHERE s.resident_id = cy.resident_id AND s.station_id = %s AND {priority_on_sql('s')}) "
        f"FROM {quote(ClientYear._meta.db_table)} cy "
        f"WHERE cy.station_id = %s AND cy.year = %s AND cy.resident_id IN "
        f"({', '.join(['%s'] * len(residents))}){lock}"
    )
    priority = priority_on_params(day, connection.ops.adapt_datefield_value)
    with connection.cursor() as cursor:
        cursor.execute(sql, [station_id, *priority, station_id, year, *residents])
        return cursor.fetchall()


def clients_served_add(*, station_id: int, attendances: Iterable[tuple[int, datetime.date, str]]):
    """Mark (resident id, day, domain) attendances at a station as served in their
    months. Adding attendance can only set bits, so this never reads attendance;
    a resident already marked for the month (the usual case) changes nothing, and
    one event's write reads the stored masks and the priority status in one query."""
    from shegong.delivery.counting import priority_in

    attendances = list(attendances)
    if not attendances:
        return
    days = {a[1] for a in attendances}
    _attendance_changed({a[0] for a in attendances}, min(days))
    day = next(iter(days)) if len(days) == 1 else None
    keys = {(a[1].year, a[0]) for a in attendances}
    stored, priority_today = _stored_masks(station_id, keys, day)
    missing = [key for key in keys if key not in stored]
    if missing:
        # Create the new rows empty first: a concurrent writer then waits on them.
        upsert(
            ClientYear,
            [
                {"station": station_id, "year": y, "resident": r, **dict.fromkeys(MASK_FIELDS, 0)}
                for y, r in missing
            ],
            conflict=("station", "year", "resident"),
            combine={},
        )
        more, more_priority = _stored_masks(station_id, missing, day)
        stored.update(more)
        priority_today |= more_priority
    periods = {} if day else _priority_periods(station_id, {a[0] for a in attendances})
    added: dict[tuple[int, int], list[int]] = {}
    for resident_id, held_on, domain in attendances:
        bit = 1 << (held_on.month - 1)
        row = added.setdefault((held_on.year, resident_id), [0] * len(MASK_FIELDS))
        row[0] |= bit
        row[1 + list(DOMAIN_MASK_FIELDS).index(domain)] |= bit
        if (
            resident_id in priority_today
            if day
            else priority_in(periods.get(resident_id, ()), held_on)
        ):
            row[-1] |= bit
    rows, ranges = [], {}
    for (year, resident_id), bits in added.items():
        old = stored[(year, resident_id)]
        new = tuple(o | b for o, b in zip(old, bits, strict=True))
        if new != old:
            rows.append(
                {
                    "station": station_id,
                    "year": year,
                    "resident": resident_id,
                    **dict(zip(MASK_FIELDS, new, strict=True)),
                }
            )
            _range_changes(station_id, year, old, new, ranges)
    upsert(
        ClientYear,
        rows,
        conflict=("station", "year", "resident"),
        combine=dict.fromkeys(MASK_FIELDS, "|"),
    )
    _apply_range_changes(ranges)


def _raw_client_years(**filters) -> dict[tuple, tuple[int, ...]]:
    """(station, year, resident) -> masks, recounted from the raw attendance."""
    from shegong.clients.models import ClientStatus
    from shegong.delivery.counting import priority_on
    from shegong.delivery.models import Attendance

    bit = Value(1).bitleftshift(Cast(ExtractMonth("event__held_on"), IntegerField()) - 1)
    priority = ClientStatus.objects.filter(
        priority_on(OuterRef("event__held_on")),
        resident=OuterRef("resident"),
        station=OuterRef("event__station"),
    )
    masks = {"months": Sum(bit, distinct=True)}
    for domain, name in DOMAIN_MASK_FIELDS.items():
        masks[name] = Sum(
            Case(When(event__domain=domain, then=bit), default=Value(0)), distinct=True
        )
    masks["priority_months"] = Sum(
        Case(When(Exists(priority), then=bit), default=Value(0)), distinct=True
    )
    rows = (
        Attendance.objects.filter(**filters)
        .annotate(year=ExtractYear("event__held_on"))
        .values("event__station", "year", "resident")
        .annotate(**masks)
        .order_by()
    )
    return {
        (r["event__station"], int(r["year"]), r["resident"]): tuple(
            int(r[name] or 0) for name in MASK_FIELDS
        )
        for r in rows
    }


@transaction.atomic
def clients_served_refresh(
    *, resident_ids: Iterable[int], station_id: int | None = None, year: int | None = None
) -> None:
    """Recount the served months of `resident_ids` (at one station, in one year, or
    everywhere) from the raw attendance, after a change that may clear a bit."""
    resident_ids = list(set(resident_ids))
    if not resident_ids:
        return
    _attendance_changed(set(resident_ids), datetime.date(year, 1, 1) if year else None)
    stored = ClientYear.objects.select_for_update().filter(resident_id__in=resident_ids)
    raw_filter = {"resident_id__in": resident_ids}
    if station_id is not None:
        stored = stored.filter(station_id=station_id)
        raw_filter["event__station_id"] = station_id
    if year is not None:
        stored = stored.filter(year=year)
        raw_filter["event__held_on__year"] = year
    old = {
        tuple(row[:3]): tuple(row[3:])
        for row in stored.values_list("station_id", "year", "resident_id", *MASK_FIELDS)
    }
    new = _raw_client_years(**raw_filter)
    nothing = (0,) * len(MASK_FIELDS)
    ranges = {}
    for key in set(old) | set(new):
        _range_changes(key[0], key[1], old.get(key, nothing), new.get(key, nothing), ranges)
    stored.delete()
    ClientYear.objects.bulk_create(
        ClientYear(station_id=s, year=y, resident_id=r, **dict(zip(MASK_FIELDS, m, strict=True)))
        for (s, y, r), m in new.items()
    )
    _apply_range_changes(ranges)


# --- Meals ---------------------------------------------------------------------------


def _raw_meal_months(*, by_point: bool = False, **filters) -> dict[tuple, tuple[int, int]]:
    """(station, year, month) -> (dine-in, delivery) from the meal records; with
    `by_point`, (station, point, year, month) for the meals at a service point."""
    from shegong.community.models import MealKind, MealRecord

    records = MealRecord.objects.filter(**filters)
    if by_point:
        records = records.filter(point__isnull=False)
    names = ("station", "point", "year", "month") if by_point else ("station", "year", "month")
    rows = (
        records.annotate(year=ExtractYear("served_on"), month=ExtractMonth("served_on"))
        .values(*names)
        .annotate(
            dine_in=Count("pk", filter=Q(kind=MealKind.DINE_IN)),
            delivery=Count("pk", filter=Q(kind=MealKind.DELIVERY)),
        )
        .order_by()
    )
    return {tuple(int(r[n]) for n in names): (r["dine_in"], r["delivery"]) for r in rows}


def meals_refresh(*, station_id: int, year: int, month: int) -> None:
    """Recount one canteen's month from its meal records (a few thousand rows at
    most, read through the (station, served_on) index), in all and per point."""
    month_of = {"station_id": station_id, "year": year, "month": month}
    MealMonth.objects.filter(**month_of).delete()
    MealPointMonth.objects.filter(**month_of).delete()
    start = datetime.date(year, month, 1)
    end = datetime.date(year + month // 12, month % 12 + 1, 1)
    raw = {"station_id": station_id, "served_on__gte": start, "served_on__lt": end}
    MealMonth.objects.bulk_create(
        MealMonth(station_id=s, year=y, month=m, dine_in=d, delivery=v)
        for (s, y, m), (d, v) in _raw_meal_months(**raw).items()
    )
    MealPointMonth.objects.bulk_create(
        MealPointMonth(station_id=s, point_id=p, year=y, month=m, dine_in=d, delivery=v)
        for (s, p, y, m), (d, v) in _raw_meal_months(by_point=True, **raw).items()
    )


# --- Recount, drift and rebuild ------------------------------------------------------


def _add_volunteer_hours(found: dict, keys: tuple[str, ...], position: int, **filters) -> None:
    from shegong.delivery.models import EventVolunteer

    names = {
        "station": "event__station",
        "point": "event__point",
        "project": "event__project",
        "domain": "event__domain",
    }
    rows = (
        EventVolunteer.objects.filter(**filters)
        .annotate(year=ExtractYear("event__held_on"), month=ExtractMonth("event__held_on"))
        .values(*[names.get(k, k) for k in keys])
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    for r in rows:
        key = tuple(
            int(r[names.get(k, k)]) if k in ("year", "month") else r[names.get(k, k)] for k in keys
        )
        values = list(found.get(key, (0,) * position + (ZERO_HOURS,)))
        values[position] = r["hours"] or ZERO_HOURS
        found[key] = tuple(values)


def _raw_domain_months() -> dict[tuple, tuple]:
    from shegong.delivery.models import ServiceEvent

    rows = (
        ServiceEvent.objects.values("station_id", "held_on__year", "held_on__month", "domain")
        .annotate(events=Count("pk"), person_times=Sum("person_times"))
        .order_by()
    )
    found = {
        (r["station_id"], r["held_on__year"], r["held_on__month"], r["domain"]): (
            r["events"],
            r["person_times"] or 0,
            ZERO_HOURS,
        )
        for r in rows
    }
    _add_volunteer_hours(found, ("station", "year", "month", "domain"), 2)
    return found


def _raw_point_months() -> dict[tuple, tuple]:
    from shegong.delivery.models import ServiceEvent

    rows = (
        ServiceEvent.objects.filter(point__isnull=False)
        .values("station_id", "point_id", "held_on__year", "held_on__month", "domain")
        .annotate(events=Count("pk"), person_times=Sum("person_times"))
        .order_by()
    )
    found = {
        (
            r["station_id"],
            r["point_id"],
            r["held_on__year"],
            r["held_on__month"],
            r["domain"],
        ): (r["events"], r["person_times"] or 0, ZERO_HOURS)
        for r in rows
    }
    _add_volunteer_hours(
        found, ("station", "point", "year", "month", "domain"), 2, event__point__isnull=False
    )
    return found


def _raw_domain_years() -> dict[tuple, tuple]:
    found = defaultdict(lambda: [0, 0])
    for (station, year, _month, domain), (
        events,
        person_times,
        _hours,
    ) in _raw_domain_months().items():
        found[(station, year, domain)][0] += events
        found[(station, year, domain)][1] += person_times
    return {key: tuple(values) for key, values in found.items()}


def _raw_project_months() -> dict[tuple, tuple]:
    from shegong.delivery.counting import counted_kind_counts
    from shegong.delivery.models import ServiceEvent

    rows = (
        ServiceEvent.objects.filter(project__isnull=False)
        .values("station_id", "project_id", "held_on__year", "held_on__month")
        .annotate(
            events=Count("pk"),
            person_times=Sum("person_times"),
            **counted_kind_counts(),
        )
        .order_by()
    )
    found = {
        (r["station_id"], r["project_id"], r["held_on__year"], r["held_on__month"]): (
            r["events"],
            r["person_times"] or 0,
            r["group_sessions"],
            r["activities"],
            ZERO_HOURS,
        )
        for r in rows
    }
    _add_volunteer_hours(
        found, ("station", "project", "year", "month"), 4, event__project__isnull=False
    )
    return found


def _raw_project_point_months() -> dict[tuple, tuple]:
    from shegong.delivery.counting import counted_kind_counts
    from shegong.delivery.models import ServiceEvent

    rows = (
        ServiceEvent.objects.filter(project__isnull=False, point__isnull=False)
        .values("station_id", "point_id", "project_id", "held_on__year", "held_on__month")
        .annotate(
            events=Count("pk"),
            person_times=Sum("person_times"),
            **counted_kind_counts(),
        )
        .order_by()
    )
    found = {
        (
            r["station_id"],
            r["point_id"],
            r["project_id"],
            r["held_on__year"],
            r["held_on__month"],
        ): (r["events"], r["person_times"] or 0, r["group_sessions"], r["activities"], ZERO_HOURS)
        for r in rows
    }
    _add_volunteer_hours(
        found,
        ("station", "point", "project", "year", "month"),
        4,
        event__project__isnull=False,
        event__point__isnull=False,
    )
    return found


def _ranges_from_client_years() -> dict[tuple, tuple[int]]:
    """The 78 range counts of every station-year, recounted from `ClientYear` (itself
    checked against the raw attendance): one pass over it per month range."""
    found = {}
    for a, b, mask in RANGES:
        rows = (
            ClientYear.objects.annotate(**{f"{f}_hit": F(f).bitand(mask) for f in MASK_FIELDS})
            .values("station_id", "year")
            .annotate(
                **{
                    kind: Count("pk", filter=Q(**{f"{f}_hit__gt": 0}))
                    for kind, f in zip(RANGE_KINDS, MASK_FIELDS, strict=True)
                }
            )
            .order_by()
        )
        for r in rows:
            for kind in RANGE_KINDS:
                if r[kind]:
                    found[(r["station_id"], r["year"], kind, a, b)] = (r[kind],)
    return found


@dataclass(frozen=True)
class Table:
    name: str
    model: type
    key: tuple[str, ...]
    values: tuple[str, ...]
    raw: Callable[[], dict[tuple, tuple]]
    # counted from the service history (events, attendance), whose past years may
    # be detached for archiving on PostgreSQL (core.ArchivedPartition)
    from_history: bool = True

    def archived(self, key: tuple, years: set[int]) -> bool:
        """Whether this row is of a year whose history was detached: its figures
        stay as they were, with no raw records left to recount them from."""
        return self.from_history and "year" in self.key and key[self.key.index("year")] in years

    def stored(self) -> dict[tuple, tuple]:
        return {
            tuple(row[: len(self.key)]): tuple(row[len(self.key) :])
            for row in self.model.objects.values_list(*self.key, *self.values).iterator(
                chunk_size=10000
            )
            if any(row[len(self.key) :])
        }


TABLES: tuple[Table, ...] = (
    Table(
        "domain_month",
        DomainMonth,
        ("station_id", "year", "month", "domain"),
        ("events", "person_times", "volunteer_hours"),
        _raw_domain_months,
    ),
    Table(
        "point_month",
        PointMonth,
        ("station_id", "point_id", "year", "month", "domain"),
        ("events", "person_times", "volunteer_hours"),
        _raw_point_months,
    ),
    Table(
        "domain_year",
        DomainYear,
        ("station_id", "year", "domain"),
        ("events", "person_times"),
        _raw_domain_years,
    ),
    Table(
        "project_month",
        ProjectMonth,
        ("station_id", "project_id", "year", "month"),
        ("events", "person_times", "group_sessions", "activities", "volunteer_hours"),
        _raw_project_months,
    ),
    Table(
        "project_point_month",
        ProjectPointMonth,
        ("station_id", "point_id", "project_id", "year", "month"),
        ("events", "person_times", "group_sessions", "activities", "volunteer_hours"),
        _raw_project_point_months,
    ),
    Table(
        "client_year",
        ClientYear,
        ("station_id", "year", "resident_id"),
        MASK_FIELDS,
        _raw_client_years,
    ),
    Table(
        "client_range",
        ClientRange,
        ("station_id", "year", "kind", "month_from", "month_to"),
        ("clients",),
        _ranges_from_client_years,
    ),
    Table(
        "meal_month",
        MealMonth,
        ("station_id", "year", "month"),
        ("dine_in", "delivery"),
        _raw_meal_months,
        from_history=False,
    ),
    Table(
        "meal_point_month",
        MealPointMonth,
        ("station_id", "point_id", "year", "month"),
        ("dine_in", "delivery"),
        lambda: _raw_meal_months(by_point=True),
    ),
)


def register_table(table: Table) -> None:
    """Add an app's rollup to the recount (`rollups --check/--rebuild`): the apps
    above stats (the rosters' coverage) register theirs at start-up."""
    global TABLES
    if all(t.name != table.name for t in TABLES):
        TABLES = (*TABLES, table)


# Called with (resident ids, the earliest day touched or None) in the writer's
# transaction whenever attendance is added or may have been removed: the apps above
# stats keep their own rollups of who was served in step (the rosters' coverage).
_attendance_listeners: list[Callable[[set[int], datetime.date | None], None]] = []


def register_attendance_listener(
    listener: Callable[[set[int], datetime.date | None], None],
) -> None:
    if listener not in _attendance_listeners:
        _attendance_listeners.append(listener)


def _attendance_changed(resident_ids: set[int], since: datetime.date | None) -> None:
    for listener in _attendance_listeners:
        listener(resident_ids, since)


def archived_years() -> set[int]:
    """The years whose service events were detached for archiving (`shegong
    partitions --detach`, PostgreSQL only): the rollups keep their figures."""
    from shegong.delivery.models import ServiceEvent

    return set(
        ArchivedPartition.objects.filter(table=ServiceEvent._meta.db_table).values_list(
            "year", flat=True
        )
    )


@dataclass
class Drift:
    table: str
    key: tuple
    stored: tuple
    raw: tuple


def drift() -> list[Drift]:
    """Every rollup row that differs from a recount of the raw records."""
    found = []
    years = archived_years()
    for table in TABLES:
        raw, stored = table.raw(), table.stored()
        nothing = (0,) * len(table.values)
        for key in sorted(set(raw) | set(stored), key=str):
            if table.archived(key, years):
                continue
            if tuple(raw.get(key, nothing)) != tuple(stored.get(key, nothing)):
                found.append(
                    Drift(table.name, key, stored.get(key, nothing), raw.get(key, nothing))
                )
    return found


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Replace every rollup with a recount of the raw records."""
    counts = {}
    years = archived_years()
    for table in TABLES:
        kept = table.model.objects.all()
        if table.from_history and "year" in table.key:
            kept = kept.exclude(year__in=years)
        kept.delete()
        rows = [
            table.model(
                **dict(zip(table.key, key, strict=True)),
                **dict(zip(table.values, values, strict=True)),
            )
            for key, values in table.raw().items()
            if not table.archived(key, years)
        ]
        table.model.objects.bulk_create(rows, batch_size=5000)
        counts[table.name] = len(rows)
    return counts
