"""`shegong import_records FILE --user U`: load the records of the city's previous
system (golive.records_import): households, residents, client classifications,
volunteers, group memberships and open cases, all or nothing, with a row report."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shegong.accounts.models import User
from shegong.golive import records_import

SHOWN_ERRORS = 30


class Command(BaseCommand):
    help = (
        "Import the previous system's records (.xlsx with the sheets 家庭 居民 服务对象分类 "
        "义工 小组成员 个案, or one .csv per sheet) as U: every row or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the workbook or CSV file (`--template` writes one)")
        parser.add_argument("--user", help="the importing district or city officer or admin")
        parser.add_argument(
            "--template", action="store_true", help="write the empty template to FILE and stop"
        )
        parser.add_argument("--report", help="write every problem to this .csv file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if options["template"]:
            records_import.template_workbook(path)
            self.stdout.write(f"Template written to {path}.")
            return
        if not options["user"]:
            raise CommandError("give --user U, the importing officer or administrator")
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            actor = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {options['user']!r}") from None
        with (
            path.open("rb") as handle,
            tqdm(unit=" rows", file=sys.stderr, disable=options["verbosity"] == 0) as bar,
        ):

            def total(rows: int) -> None:
                bar.total = rows
                bar.refresh()

            try:
                result = records_import.records_import(
                    actor=actor,
                    file=handle,
                    filename=path.name,
                    progress=bar.update,
                    total=total,
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
        if options["report"] and result.errors:
            import csv

            with open(options["report"], "w", newline="", encoding="utf-8-sig") as out:
                writer = csv.writer(out)
                writer.writerow(["工作表", "行号", "列", "问题"])
                writer.writerows(records_import.report_rows(result.errors))
        if not result.ok:
            for error in result.errors[:SHOWN_ERRORS]:
                where = error.sheet or "file"
                where += f" row {error.row}" if error.row is not None else ""
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            if result.error_count > SHOWN_ERRORS:
                self.stderr.write(f"… and {result.error_count - SHOWN_ERRORS} more.")
            raise CommandError(f"{result.error_count} problem(s); nothing was loaded.")
        for key, counts in result.sheets.items():
            self.stdout.write(
                f"{records_import.SHEET_BY_KEY[key].title}: {counts.rows} rows, "
                f"{counts.created} created, {counts.updated} updated, "
                f"{counts.unchanged} unchanged"
            )
