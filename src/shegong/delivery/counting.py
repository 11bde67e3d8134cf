"""The counting rule (服务人次), in one place.

- **Person-times**: one person present at one service event is one person-time; a
  head-count activity adds its head-count; a casework contact counts its one client.
  Every event, and so every person-time, belongs to exactly one statistical domain
  (the project's, or for casework the case's).
- **Counted kinds**: which kinds of event count, besides as events, as group
  sessions or community activities in the plan's targets (`COUNTED_KINDS`).
- **Rollup deltas**: what one event (or a batch of them) adds to the statistics
  rollups (`event_delta`), carried into them by `record_count_change`.
- **Priority client on a day** (`priority_on`): classified priority at the station,
  from the start day to the end day inclusive; in three forms that must agree (a
  Q for the ORM, a SQL fragment for the hand-written statement of the hot write
  path, and a test over dates already read), side by side here.

The form service, casework notes, the import, the resident merge, the demo and the
rollups' recount all count through this module.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from shegong.clients.models import ClientCategory
from shegong.delivery.models import EventKind, ServiceEvent
from shegong.stats.rollups import Delta, record_event_change

ZERO_HOURS = Decimal("0.0")

# A casework contact is one client met: one person-time.
CASEWORK_ATTENDEES = 1

# Rollup counter -> the kind of event it counts (the plans' "group sessions" and
# "community activities" targets). Other kinds count as events and person-times only.
COUNTED_KINDS: dict[str, str] = {
    "group_sessions": EventKind.GROUP_SESSION.value,
    "activities": EventKind.ACTIVITY.value,
}


def person_times(named: int, headcount: int = 0) -> int:
    """Each named person present is one person-time; a head-count adds itself."""
    return named + headcount


def casework_person_times() -> int:
    """A casework contact counts its client, present, once."""
    return person_times(CASEWORK_ATTENDEES)


def event_person_times(event: ServiceEvent) -> int:
    """The person-times of a stored event, recounted from its attendance."""
    return person_times(event.attendances.count(), event.headcount)


def event_delta(
    kind: str, *, events: int, person_times: int, volunteer_hours: Any = ZERO_HOURS
) -> Delta:
    """The change of the rollups' counts when `events` events of `kind` (negative:
    removed) change their person-times and volunteer hours by the given amounts."""
    counted = {
        name: events if kind == counted_kind else 0 for name, counted_kind in COUNTED_KINDS.items()
    }
    return Delta(
        events=events,
        person_times=person_times,
        volunteer_hours=Decimal(volunteer_hours),
        **counted,
    )


def counted_kind_counts(prefix: str = "") -> dict[str, Count]:
    """The recount of `COUNTED_KINDS` as aggregates over service events (`prefix`
    leads from the queried model to the event, e.g. "event__")."""
    return {
        name: Count(f"{prefix}pk", filter=Q(**{f"{prefix}kind": kind}))
        for name, kind in COUNTED_KINDS.items()
    }


def record_count_change(
    event: ServiceEvent, *, events: int, person_times: int, volunteer_hours: Any = ZERO_HOURS
) -> None:
    """Carry a change of an event's counts into the statistics rollups, inside
    the caller's transaction: the dashboards never disagree with the records."""
    record_event_change(
        station_id=event.station_id,
        point_id=event.point_id,
        project_id=event.project_id,
        domain=event.domain,
        held_on=event.held_on,
        delta=event_delta(
            event.kind, events=events, person_times=person_times, volunteer_hours=volunteer_hours
        ),
    )


def event_recount(event: ServiceEvent) -> None:
    """Recount a stored event's person-times from its attendance (after attendance
    rows were removed or moved) and carry the change into the rollups."""
    before = event.person_times
    event.person_times = event_person_times(event)
    if event.person_times != before:
        event.save(update_fields=["person_times", "updated_at"])
        record_count_change(event, events=0, person_times=event.person_times - before)


# --- Priority client on a day ---------------------------------------------------------


def priority_on(day: Any) -> Q:
    """`ClientStatus` rows that make their resident a priority client on `day` (a
    date, or an expression such as OuterRef("event__held_on")): the end day still
    counts. The caller adds the station (or the resident) it asks about."""
    return Q(category=ClientCategory.PRIORITY, started_on__lte=day) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )


def priority_on_sql(alias: str) -> str:
    """`priority_on` as a SQL condition on the client-status table aliased `alias`,
    with three parameters: `priority_on_params(day)`."""
    return (
        f"{alias}.category = %s AND {alias}.started_on <= %s "
        f"AND ({alias}.ended_on IS NULL OR {alias}.ended_on >= %s)"
    )


def priority_on_params(day: datetime.date, adapt=lambda day: day) -> list:
    """The parameters of `priority_on_sql`; `adapt` is the connection's date adapter."""
    on = adapt(day)
    return [ClientCategory.PRIORITY.value, on, on]


def priority_in(periods: Iterable[tuple[datetime.date, datetime.date | None]], day) -> bool:
    """`priority_on` over (started_on, ended_on) periods of priority classification
    already read (the import's residents, read once for a batch)."""
    return any(start <= day and (end is None or end >= day) for start, end in periods)
