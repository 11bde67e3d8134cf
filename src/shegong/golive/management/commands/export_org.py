"""`shegong export_org FILE`: the city's organisation as the import's workbook (the
demo city exported this way is the example); `--template` writes the headers only."""

from django.core.management.base import BaseCommand

from shegong.golive.management.commands.import_org import city_for
from shegong.golive.org_import import export_workbook


class Command(BaseCommand):
    help = "Write the organisation workbook of the city (or, with --template, an empty one)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx to write")
        parser.add_argument("--city", help="city code; default the only city")
        parser.add_argument("--template", action="store_true", help="headers only")

    def handle(self, *args, **options):
        city = None if options["template"] else city_for(options["city"])
        export_workbook(city, options["file"])
        self.stdout.write(f"Wrote {options['file']}.")
