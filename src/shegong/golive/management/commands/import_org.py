"""`shegong import_org FILE --user ADMIN`: load the city's organisation workbook
(golive.org_import), all or nothing, with a row report."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shegong.accounts.models import User
from shegong.golive import org_import
from shegong.golive.org_import import SHEET_BY_KIND
from shegong.org.models import City

SHOWN_ERRORS = 30


def city_for(code: str | None) -> City:
    if code:
        city = City.objects.filter(code=code).first()
        if city is None:
            raise CommandError(f"no city with code {code!r}")
        return city
    cities = list(City.objects.all()[:2])
    if len(cities) != 1:
        raise CommandError(
            "give --city CODE" if cities else "no city yet: run `shegong setup_city` first"
        )
    return cities[0]


class Command(BaseCommand):
    help = (
        "Import the organisation workbook (.xlsx: districts, streets, communities, "
        "agencies, stations, special projects, contracts) as ADMIN: every row or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the workbook (`shegong export_org --template` makes one)")
        parser.add_argument("--user", required=True, help="the importing administrator")
        parser.add_argument("--city", help="city code; default the only city")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="deactivate (with today's date) the units the workbook no longer lists",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            actor = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {options['user']!r}") from None
        city = city_for(options["city"])
        with (
            path.open("rb") as handle,
            tqdm(unit=" rows", file=sys.stderr, disable=options["verbosity"] == 0) as bar,
        ):
            try:
                result = org_import.org_import(
                    actor=actor,
                    city=city,
                    file=handle,
                    deactivate_missing=options["deactivate_missing"],
                    progress=bar.update,
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
        if not result.ok:
            for error in result.errors[:SHOWN_ERRORS]:
                where = f"{error.sheet or 'workbook'}"
                where += f" row {error.row}" if error.row is not None else ""
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            if result.error_count > SHOWN_ERRORS:
                self.stderr.write(f"… and {result.error_count - SHOWN_ERRORS} more.")
            raise CommandError(f"{result.error_count} problem(s); nothing was loaded.")
        for kind, counts in result.sheets.items():
            self.stdout.write(
                f"{SHEET_BY_KIND[kind].title}: {counts.rows} rows, {counts.created} created, "
                f"{counts.updated} updated, {counts.unchanged} unchanged"
            )
        if result.missing:
            verb = "deactivated" if options["deactivate_missing"] else "no longer listed"
            self.stdout.write(f"{len(result.missing)} unit(s) {verb}:")
            for missing in result.missing:
                title = SHEET_BY_KIND[missing.kind].title
                self.stdout.write(f"  {title} {missing.code} {missing.name}")
            if not options["deactivate_missing"]:
                self.stdout.write("Run again with --deactivate-missing to deactivate them.")
