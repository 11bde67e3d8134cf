"""`shegong alerts`: run every early-warning rule; for a daily scheduler (cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from shegong.cases.alerts import run_all
from shegong.org.models import Station


class Command(BaseCommand):
    help = "Run the early-warning rules over every active station (or one) and report."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="evaluate as of this day (YYYY-MM-DD); default today")
        parser.add_argument("--station", help="station code; default every active station")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD: {error}") from None
        stations = None
        if options["station"]:
            stations = list(Station.objects.filter(code=options["station"]))
            if not stations:
                raise CommandError(f"no station with code {options['station']!r}")
        counts = run_all(today=today, stations=stations)
        total = sum(counts.values())
        self.stdout.write(f"Raised {total} new alert(s).")
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"  {kind}: {count}")
