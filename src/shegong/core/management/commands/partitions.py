"""`shegong partitions`: the yearly partitions of the history tables on PostgreSQL
(core/partitioning.py, docs/decisions.md).

- `shegong partitions` (the scheduled run, weekly): creates this year's and next
  year's partition of every partitioned table when missing, and one for each year
  that has rows waiting in the default partition (written before their year's
  partition existed, e.g. records imported from a previous system); the rows move
  into it. Idempotent.
- `--year 2031`: creates that year's partitions instead.
- `--list`: the partitions and their row counts.
- `--detach 2016 [--dry-run]`: detaches that year's partitions for archiving; each
  stays a plain table of the same name (`pg_dump -t delivery_serviceevent_y2016`,
  then DROP TABLE). The year's statistics stay in the rollups, which the drift
  check then leaves alone (core.ArchivedPartition). The current year and later
  ones are refused. `--dry-run` lists what would go and changes nothing.

On SQLite the tables are not partitioned and the command says so.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from shegong.core import audit, partitioning
from shegong.core.models import ArchivedPartition


class Command(BaseCommand):
    help = "Create the coming year's partitions of the history tables, list or detach them."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="create this year's partitions")
        parser.add_argument("--list", action="store_true", help="list the partitions")
        parser.add_argument("--detach", type=int, metavar="YEAR", help="detach a past year")
        parser.add_argument(
            "--dry-run", action="store_true", help="with --detach: only say what would go"
        )

    def handle(self, *args, year, list, detach, dry_run, **options):
        tables = partitioning.partitioned_tables(connection)
        if not tables:
            self.stdout.write("No partitioned tables (the database is not PostgreSQL).")
            return
        if list:
            for table in tables:
                for part in partitioning.partitions(connection, table.table):
                    self.stdout.write(f"{part.name}\t{part.rows}")
            return
        if detach is not None:
            self._detach(tables, detach, dry_run)
            return
        this_year = timezone.localdate().year
        with transaction.atomic():
            for table in tables:
                years = [year] if year else [this_year, this_year + 1]
                if not year:
                    # rows written before their year's partition existed get one
                    waiting = partitioning.years_waiting(connection, table.table)
                    years = sorted({*years, *waiting})
                for wanted in years:
                    created = partitioning.ensure_year(connection, table.table, wanted)
                    state = "created" if created else "exists"
                    name = partitioning.partition_name(table.table, wanted)
                    self.stdout.write(f"{name}: {state}")

    def _detach(self, tables, year: int, dry_run: bool) -> None:
        if year >= timezone.localdate().year:
            raise CommandError(f"Only past years are detached; {year} is not past.")
        found = [
            part
            for table in tables
            for part in partitioning.partitions(connection, table.table)
            if part.year == year
        ]
        if not found:
            raise CommandError(f"No partition of {year} is attached.")
        for part in found:
            verb = "would detach" if dry_run else "detached"
            self.stdout.write(f"{verb} {part.name} ({part.rows} rows)")
        if dry_run:
            return
        with transaction.atomic():
            for part in found:
                partitioning.detach_year(connection, part.table, year)
                ArchivedPartition.objects.create(table=part.table, year=year, rows=part.rows)
            audit.record(
                "delete",
                object_type=ArchivedPartition._meta.label_lower,
                object_repr=f"partitions of {year} detached",
                detail={"year": year, "partitions": {p.name: p.rows for p in found}},
            )
