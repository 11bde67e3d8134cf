"""`shegong import_services FILE --user USERNAME`: load a station's service records
from CSV or XLSX, all or nothing, with a progress bar (see delivery.importing)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from shegong.accounts.models import User
from shegong.delivery import importing

# Problems printed on the terminal; --report writes them all.
SHOWN_ERRORS = 20


def _count_rows(path: Path) -> int | None:
    """Data rows, for the progress bar: lines of a CSV (a quoted line break counts
    twice, which a progress bar forgives), the stated size of an XLSX sheet."""
    if path.suffix.lower() == ".csv":
        lines = 0
        last = b"\n"
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        return max(lines + (last != b"\n") - 1, 0)
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        rows = workbook.worksheets[0].max_row
        workbook.close()
    except Exception:  # the import reports an unreadable file properly
        return None
    return max(rows - 1, 0) if rows else None


class Command(BaseCommand):
    help = (
        "Import a station's service records from a CSV (UTF-8) or XLSX file as USERNAME, "
        "into that user's station: every row or none. Rows loaded before are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file with the template's headers")
        parser.add_argument("--user", required=True, help="the importing worker or director")
        parser.add_argument(
            "--year", type=int, help="the plan year the records belong to; default this year"
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
        year = options["year"] or timezone.localdate().year
        with (
            path.open("rb") as handle,
            tqdm(
                total=_count_rows(path),
                unit=" rows",
                file=sys.stderr,
                disable=options["verbosity"] == 0,
            ) as bar,
        ):
            try:
                result = importing.service_events_import(
                    actor=actor, file=handle, filename=path.name, year=year, progress=bar.update
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
        if options["report"]:
            importing.write_report(Path(options["report"]), result.errors, result.error_count)
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
            f"Loaded {result.loaded_events} service event(s), "
            f"{result.loaded_person_times} person-time(s); "
            f"{result.already_loaded} row(s) already loaded."
        )
