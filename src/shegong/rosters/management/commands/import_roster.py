"""`shegong import_roster FILE --user USERNAME --month YYYY-MM --source TEXT`: load a
month's civil-affairs rosters, all or nothing, and reconcile them with the
previous month (see rosters.importing)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from shegong.accounts.models import User
from shegong.delivery.importing import write_report
from shegong.rosters import importing

SHOWN_ERRORS = 20


class Command(BaseCommand):
    help = (
        "Import a month's rosters from a CSV (UTF-8) or XLSX file as USERNAME (a district "
        "or city officer): every row or none; the lists of the file are reconciled with "
        "the previous month's (new, still, left, not placed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file with the template's headers")
        parser.add_argument("--user", required=True, help="the importing district or city officer")
        parser.add_argument("--month", required=True, help="the roster's month, YYYY-MM")
        parser.add_argument(
            "--source", required=True, help="who supplied the lists (e.g. 海珠区民政局)"
        )
        parser.add_argument("--report", help="write the problems to this .xlsx or .csv file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            actor = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {options['user']!r}") from None
        try:
            month = importing.month_of(options["month"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with path.open("rb") as handle:
            try:
                result = importing.roster_import(
                    actor=actor,
                    file=handle,
                    filename=path.name,
                    month=month,
                    source=options["source"],
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
        if options["report"]:
            write_report(Path(options["report"]), result.errors, result.error_count)
        if not result.ok:
            for error in result.errors[:SHOWN_ERRORS]:
                where = f"row {error.row}" if error.row is not None else "file"
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            if result.error_count > SHOWN_ERRORS:
                self.stderr.write(f"… and {result.error_count - SHOWN_ERRORS} more.")
            raise CommandError(
                f"{result.error_count} problem(s) in {result.rows} row(s); nothing was loaded."
            )
        self.stdout.write(
            f"Loaded {result.rows} row(s) for {month:%Y-%m}: {result.new} new, "
            f"{result.still} still, {result.left} left, {result.not_placed} not placed; "
            f"{result.residents_created} resident(s) created."
        )
        for station, counts in sorted(result.by_station.items()):
            self.stdout.write(
                f"  {station}: {counts.new} new, {counts.still} still, {counts.left} left"
            )
