"""Writing an import's checked rows: events, then their attendance and workers,
each batch with one bulk insert per table (`core.bulk.insert_rows`, see there for
why not bulk_create), and the batch's change of the statistics rollups, counted
by `delivery.counting`, in the import's transaction."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection

from shegong.accounts.models import User
from shegong.core.access import ensure_visible
from shegong.core.bulk import insert_rows
from shegong.delivery import counting
from shegong.delivery.importing.rows import ImportedEvent
from shegong.delivery.models import Attendance, ServiceEvent
from shegong.stats.rollups import Delta, clients_served_add, record_event_change

EVENT_COLUMNS = [
    "project",
    "domain",
    "kind",
    "held_on",
    "title",
    "headcount",
    "person_times",
    "import_key",
    "point",
    "starts_at",
    "ends_at",
]


def write_events(actor: User, station_id: int, rows: list[ImportedEvent], *, first: bool) -> None:
    """Write a batch of checked rows at `station_id`. `first`: the import's first
    batch, whose first event must be in the actor's scope."""
    adapt_date = connection.ops.adapt_datefield_value
    adapt_time = connection.ops.adapt_timefield_value
    ids = insert_rows(
        ServiceEvent,
        EVENT_COLUMNS,
        [
            (
                row.project.pk,
                row.project.domain,
                row.kind,
                adapt_date(row.held_on),
                row.title,
                row.headcount,
                row.person_times,
                row.import_key,
                row.point.pk if row.point is not None else None,
                adapt_time(row.starts_at),
                adapt_time(row.ends_at),
            )
            for row in rows
        ],
        station=station_id,
        created_by=actor.pk,
        returning_ids=True,
    )
    # The ids are known without reading the rows back; check the ends anyway.
    ends = dict(
        ServiceEvent.objects.filter(pk__in=[ids[0], ids[-1]]).values_list("pk", "import_key")
    )
    if ends != {ids[0]: rows[0].import_key, ids[-1]: rows[-1].import_key}:
        raise RuntimeError("The imported events did not get the reserved ids.")
    if first:
        ensure_visible(actor, ServiceEvent(pk=ids[0]))
    insert_rows(
        Attendance,
        ["event", "resident", "held_on"],
        [
            (pk, r.pk, adapt_date(row.held_on))
            for pk, row in zip(ids, rows, strict=True)
            for r in row.residents
        ],
    )
    insert_rows(
        ServiceEvent.workers.through,
        ["serviceevent", "user"],
        [(pk, w.pk) for pk, row in zip(ids, rows, strict=True) for w in row.workers],
    )
    roll_up(station_id, rows)


def roll_up(station_id: int, rows: list[ImportedEvent]) -> None:
    """Add the batch to the statistics rollups, one update per (month, domain),
    (month, project) and (month, point) rather than per row: the rows are summed per
    month, project, point and kind first, and each sum turned into its
    `counting.event_delta`."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        point_id = row.point.pk if row.point is not None else None
        key = (
            row.project.pk,
            row.project.domain,
            point_id,
            row.held_on.year,
            row.held_on.month,
            row.kind,
        )
        sums[key][0] += 1
        sums[key][1] += row.person_times
    deltas: dict[tuple, Delta] = defaultdict(Delta)
    for (project_id, domain, point_id, year, month, kind), (events, person_times) in sums.items():
        deltas[(project_id, domain, point_id, year, month)] += counting.event_delta(
            kind, events=events, person_times=person_times
        )
    for (project_id, domain, point_id, year, month), delta in deltas.items():
        record_event_change(
            station_id=station_id,
            project_id=project_id,
            point_id=point_id,
            domain=domain,
            held_on=datetime.date(year, month, 1),
            delta=delta,
        )
    clients_served_add(
        station_id=station_id,
        attendances=[
            (r.pk, row.held_on, row.project.domain) for row in rows for r in row.residents
        ],
    )
