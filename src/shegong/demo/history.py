"""Earlier years of the demo city, copied from a generated year inside the database.

Generating a city-scale year record by record takes minutes; the benchmark needs ten
of them (~6 M events, ~30 M person-times). `copy_demo_year` gives each station a real
plan for the target year (through the plan services, like a generated year) and then
copies the source year's service records into it with one INSERT … SELECT per table,
dates moved back by whole years, projects and groups mapped to the target year's. The
copies keep the source year's mix of kinds, domains and attendance, which is what the
statistics are measured on. The rollups are rebuilt by the caller afterwards.
"""

from __future__ import annotations

from django.db import connection, transaction

from shegong.delivery.models import Attendance, EventVolunteer, Group, ServiceEvent
from shegong.plans.models import AnnualPlan, PlanProject

_TAG = "copy-"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _shifted(column: str, years: int) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - make_interval(years => {int(years)}))::date"
    return f"date({column}, '-{int(years)} years')"


def _copy_key(column: str) -> str:
    return f"'{_TAG}' || CAST({column} AS text)"


@transaction.atomic
def copy_demo_year(source_year: int, target_year: int, make_plan) -> int:
    """Copy every station's service records of `source_year` into `target_year`
    (an earlier year). `make_plan(station_id)` creates the station's plan and groups
    for the target year. Returns the number of events copied."""
    back = source_year - target_year
    assert back > 0, "copies go back in time"
    stations = (
        AnnualPlan.objects.filter(year=source_year)
        .exclude(station__plans__year=target_year)
        .values_list("station_id", flat=True)
    )
    for station_id in list(stations):
        make_plan(station_id)
    event, attendance = _table(ServiceEvent), _table(Attendance)
    project, plan, group = _table(PlanProject), _table(AnnualPlan), _table(Group)
    volunteer = _table(EventVolunteer)
    workers = _table(ServiceEvent.workers.through)
    party = _table(ServiceEvent.party_members.through)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {event} (station_id, project_id, domain, kind, held_on, title,
                group_id, session_number, headcount, person_times, import_key,
                created_at, updated_at)
            SELECT e.station_id, p2.id, e.domain, e.kind, {_shifted("e.held_on", back)},
                e.title, g2.id, e.session_number, e.headcount, e.person_times,
                {_copy_key("e.id")}, e.created_at, e.updated_at
            FROM {event} e
            JOIN {project} p1 ON p1.id = e.project_id
            JOIN {plan} a1 ON a1.id = p1.plan_id AND a1.year = %s
            JOIN {plan} a2 ON a2.station_id = a1.station_id AND a2.year = %s
            JOIN {project} p2 ON p2.plan_id = a2.id AND p2.kind = p1.kind
                AND p2.domain = p1.domain AND p2.name = p1.name
            LEFT JOIN {group} g1 ON g1.id = e.group_id
            LEFT JOIN {group} g2 ON g2.project_id = p2.id AND g2.name = g1.name
            WHERE e.case_note_id IS NULL AND e.import_key = ''
              AND NOT EXISTS (SELECT 1 FROM {event} x
                              WHERE x.station_id = a2.station_id
                                AND x.held_on >= %s AND x.held_on <= %s)
            """,  # noqa: S608 (table names from the models, numbers from the code)
            [source_year, target_year, f"{target_year}-01-01", f"{target_year}-12-31"],
        )
        copied = cursor.rowcount
        # Which new event copies which old one, read back from the copy keys.
        cursor.execute("DROP TABLE IF EXISTS demo_copy_map")
        cursor.execute(
            f"CREATE TEMP TABLE demo_copy_map AS SELECT id AS new_id, "  # noqa: S608
            f"CAST(substr(import_key, {len(_TAG) + 1}) AS integer) AS old_id "
            f"FROM {event} WHERE import_key LIKE %s",
            [f"{_TAG}%"],
        )
        cursor.execute("CREATE INDEX demo_copy_map_old ON demo_copy_map (old_id)")
        for table, columns, source, link in (
            # the attendance holds its event's date (the partition key on PostgreSQL)
            (attendance, "event_id, resident_id, held_on", "r.resident_id, n.held_on", "event_id"),
            (volunteer, "event_id, volunteer_id, hours", "r.volunteer_id, r.hours", "event_id"),
            (workers, "serviceevent_id, user_id", "r.user_id", "serviceevent_id"),
            (party, "serviceevent_id, partymember_id", "r.partymember_id", "serviceevent_id"),
        ):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT m.new_id, {source} "  # noqa: S608
                f"FROM demo_copy_map m JOIN {table} r ON r.{link} = m.old_id "
                f"JOIN {event} n ON n.id = m.new_id"
            )
        cursor.execute("DROP TABLE demo_copy_map")
        cursor.execute(
            f"UPDATE {event} SET import_key = '' WHERE import_key LIKE %s",  # noqa: S608
            [f"{_TAG}%"],
        )
    return copied
