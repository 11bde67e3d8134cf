"""Partitioned history on PostgreSQL (core/partitioning.py, docs/decisions.md): the
four history tables are partitioned by year, rows land in their year's partition,
`shegong partitions` creates years ahead (idempotent) and detaches a past year
(--dry-run first), the rollups keep a detached year's figures, and converting a
table with rows keeps them, their ids and the sequence. SQLite has no partitions:
the tests are skipped there, and the command says there is nothing to do."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shegong.core import partitioning
from shegong.core.models import ArchivedPartition, AuditEntry
from shegong.delivery import services
from shegong.delivery.models import Attendance, ServiceEvent
from shegong.plans import services as plan_services
from shegong.stats import rollups
from shegong.stats.models import DomainYear
from tests.delivery_world import make_delivery

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitioning is PostgreSQL's"
)

HISTORY = {
    "core_accesslog": "at",
    "core_auditentry": "at",
    "delivery_attendance": "held_on",
    "delivery_serviceevent": "held_on",
}


def _partition_of(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _attached(table: str) -> set[str]:
    return {p.name for p in partitioning.partitions(connection, table)}


def _run(*args) -> str:
    out = StringIO()
    call_command("partitions", *args, stdout=out)
    return out.getvalue()


def _event_in(d, year: int, attendees: int, *, today: datetime.date) -> ServiceEvent:
    """An activity of station A on 1 March of `year` with `attendees` residents,
    recorded through the service as if today were `today`."""
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        plan = plan_services.plan_create(actor=d["director"], station=d.world.station_a, year=year)
        project = plan_services.project_add(
            actor=d["director"], plan=plan, kind="basic", domain="elderly", name="长者服务"
        )
        return services.service_event_record(
            actor=d["worker"],
            project=project,
            kind="activity",
            held_on=datetime.date(year, 3, 1),
            title="长者活动",
            attendees=d.residents[:attendees],
        )


@postgresql
def test_the_history_tables_are_partitioned_by_year(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, p.partstrat FROM pg_partitioned_table p "
            "JOIN pg_class c ON c.oid = p.partrelid"
        )
        assert dict(cursor.fetchall()) == dict.fromkeys(HISTORY, "r")
    assert {t.table: t.key for t in partitioning.partitioned_tables()} == HISTORY
    this_year = datetime.date.today().year
    for table in HISTORY:
        assert {f"{table}_y{this_year}", f"{table}_y{this_year + 1}", f"{table}_default"} <= (
            _attached(table)
        )


@postgresql
def test_a_service_event_of_2027_lands_in_the_2027_partition_and_counts(world):
    d = make_delivery(world)
    event = _event_in(d, 2027, 3, today=datetime.date(2027, 3, 1))

    assert _partition_of("delivery_serviceevent", event.pk) == "delivery_serviceevent_y2027"
    attendance = Attendance.objects.filter(event=event)
    assert {a.held_on for a in attendance} == {datetime.date(2027, 3, 1)}
    assert {_partition_of("delivery_attendance", a.pk) for a in attendance} == {
        "delivery_attendance_y2027"
    }
    # Counted like any other event: the rollups hold it and agree with a recount.
    assert ServiceEvent.objects.get(pk=event.pk).person_times == 3
    year = DomainYear.objects.get(station=d.world.station_a, year=2027, domain="elderly")
    assert (year.events, year.person_times) == (1, 3)
    assert rollups.drift() == []
    # Deleting it goes through the partitions too (the application cascades to the
    # attendance, whose foreign key to the event is not in the database).
    services.service_event_delete(actor=d["worker"], event=event)
    assert not Attendance.objects.filter(event_id=event.pk).exists()
    assert rollups.drift() == []


@postgresql
def test_the_command_creates_a_year_ahead_once_moving_its_early_rows(db):
    # An entry of 2031 written before its partition exists waits in the default one...
    early = AuditEntry.objects.create(
        at=datetime.datetime(2031, 6, 1, 9, 0, tzinfo=datetime.UTC), action="create"
    )
    assert _partition_of("core_auditentry", early.pk) == "core_auditentry_default"

    out = _run("--year", "2031")
    assert out.splitlines() == [f"{table}_y2031: created" for table in sorted(HISTORY)]
    # ...and moves into it when it is created, keeping its id.
    assert _partition_of("core_auditentry", early.pk) == "core_auditentry_y2031"
    assert AuditEntry.objects.filter(pk=early.pk).count() == 1
    for table in HISTORY:
        assert f"{table}_y2031" in _attached(table)

    assert _run("--year", "2031").splitlines() == [
        f"{table}_y2031: exists" for table in sorted(HISTORY)
    ]
    # The scheduled run: this year and next, already there.
    this_year = datetime.date.today().year
    assert _run().count(": exists") == 2 * len(HISTORY)
    assert f"core_auditentry_y{this_year + 1}: exists" in _run()


@postgresql
def test_the_scheduled_run_gives_past_rows_waiting_in_the_default_their_year(db):
    # An entry of 2012 (e.g. imported from the previous system) has no partition...
    imported = AuditEntry.objects.create(
        at=datetime.datetime(2012, 6, 1, 9, 0, tzinfo=datetime.UTC), action="create"
    )
    assert _partition_of("core_auditentry", imported.pk) == "core_auditentry_default"
    assert partitioning.years_waiting(connection, "core_auditentry") == [2012]

    out = _run()
    assert "core_auditentry_y2012: created" in out.splitlines()
    assert _partition_of("core_auditentry", imported.pk) == "core_auditentry_y2012"
    assert partitioning.years_waiting(connection, "core_auditentry") == []
    # ...only the table that had such rows gets the year.
    assert "delivery_serviceevent_y2012" not in _attached("delivery_serviceevent")


@postgresql
def test_detaching_a_past_year_dry_run_first_keeps_its_statistics(world):
    _run("--year", "2025")
    d = make_delivery(world)
    old = _event_in(d, 2025, 4, today=datetime.date(2025, 12, 1))
    kept = DomainYear.objects.get(station=d.world.station_a, year=2025, domain="elderly")
    assert (kept.events, kept.person_times) == (1, 4)

    dry = _run("--detach", "2025", "--dry-run")
    assert "would detach delivery_serviceevent_y2025 (1 rows)" in dry
    assert "would detach delivery_attendance_y2025 (4 rows)" in dry
    assert ServiceEvent.objects.filter(pk=old.pk).exists()
    assert "delivery_serviceevent_y2025" in _attached("delivery_serviceevent")
    assert not ArchivedPartition.objects.exists()

    out = _run("--detach", "2025")
    assert "detached delivery_serviceevent_y2025 (1 rows)" in out
    # Gone from the live tables, kept in a plain table of the same name for archiving.
    assert not ServiceEvent.objects.filter(held_on__year=2025).exists()
    assert not Attendance.objects.filter(held_on__year=2025).exists()
    for table in HISTORY:
        assert f"{table}_y2025" not in _attached(table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM delivery_serviceevent_y2025")
        assert cursor.fetchall() == [(old.pk,)]
    assert set(ArchivedPartition.objects.values_list("table", "year", "rows")) == {
        ("core_accesslog", 2025, 0),
        ("core_auditentry", 2025, 0),
        ("delivery_attendance", 2025, 4),
        ("delivery_serviceevent", 2025, 1),
    }
    # The statistics of 2025 stay; the drift check and the rebuild leave them alone.
    assert rollups.drift() == []
    rollups.rebuild()
    kept = DomainYear.objects.get(station=d.world.station_a, year=2025, domain="elderly")
    assert (kept.events, kept.person_times) == (1, 4)
    assert AuditEntry.objects.filter(object_repr="partitions of 2025 detached").count() == 1


@postgresql
def test_only_past_attached_years_are_detached(db):
    this_year = datetime.date.today().year
    with pytest.raises(CommandError, match="not past"):
        _run("--detach", str(this_year))
    with pytest.raises(CommandError, match="No partition of 1999"):
        _run("--detach", "1999", "--dry-run")


@postgresql
def test_converting_a_table_keeps_its_rows_ids_sequence_and_constraints(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE scratch_history (id bigint GENERATED BY DEFAULT AS IDENTITY "
            "PRIMARY KEY, held_on date NOT NULL, note varchar(20) NOT NULL UNIQUE, "
            "n integer NOT NULL CHECK (n >= 0))"
        )
        cursor.execute("CREATE INDEX scratch_note ON scratch_history (note)")
        cursor.execute(
            "INSERT INTO scratch_history (held_on, note, n) VALUES "
            "('2019-05-01', 'a', 1), ('2024-02-29', 'b', 2), ('2024-12-31', 'c', 3)"
        )
    with connection.schema_editor() as editor:
        partitioning.convert(editor, "scratch_history", "held_on")
    this_year = datetime.date.today().year
    assert _attached("scratch_history") == {
        *(f"scratch_history_y{y}" for y in range(2019, this_year + 2)),
        "scratch_history_default",
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, tableoid::regclass::text, note FROM scratch_history ORDER BY id")
        assert cursor.fetchall() == [
            (1, "scratch_history_y2019", "a"),
            (2, "scratch_history_y2024", "b"),
            (3, "scratch_history_y2024", "c"),
        ]
        # The sequence goes on where it was.
        cursor.execute(
            "INSERT INTO scratch_history (held_on, note, n) VALUES ('2026-01-02', 'd', 4) "
            "RETURNING id"
        )
        assert cursor.fetchone() == (4,)
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'scratch_history'")
        assert {row[0] for row in cursor.fetchall()} == {
            "scratch_history_pkey",
            "scratch_history_note_key",
            "scratch_note",
        }
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'scratch_history'::regclass ORDER BY conname"
        )
        assert cursor.fetchall() == [
            ("scratch_history_n_check", "CHECK ((n >= 0))"),
            ("scratch_history_note_key", "UNIQUE (note, held_on)"),
            ("scratch_history_pkey", "PRIMARY KEY (id, held_on)"),
        ]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no partitions")
def test_on_sqlite_the_scheduled_command_has_nothing_to_do(db):
    assert _run() == "No partitioned tables (the database is not PostgreSQL).\n"
    assert _run("--detach", "2016", "--dry-run").startswith("No partitioned tables")
    assert partitioning.partitioned_tables() == []
