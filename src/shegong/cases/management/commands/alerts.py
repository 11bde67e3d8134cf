"""`shegong alerts`: run every early-warning rule; for a daily scheduler (cron).
Each run is recorded as a system job (cases.alert_jobs), tried again on failure."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from shegong.cases.alert_jobs import alert_rules_run
from shegong.org.models import Station


class Command(BaseCommand):
    help = "Run the early-warning rules over every active station (or one) and report."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="evaluate as of this day (YYYY-MM-DD); default today")
        parser.add_argument("--station", help="station code; default every active station")
        parser.add_argument(
            "--attempts", type=int, default=3, help="tries before giving up (default 3)"
        )
        parser.add_argument(
            "--retry-delay", type=float, default=30.0, help="seconds between tries (default 30)"
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD: {error}") from None
        stations = None
        if options["station"]:
            if not Station.objects.filter(code=options["station"]).exists():
                raise CommandError(f"no station with code {options['station']!r}")
            stations = [options["station"]]
        try:
            job = alert_rules_run(
                date=today,
                stations=stations,
                attempts=max(options["attempts"], 1),
                retry_delay=options["retry_delay"],
            )
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            raise CommandError(f"the alert rules failed: {reason}") from error
        self.stdout.write(f"Raised {job.result['total']} new alert(s).")
        # By name: the job's result is JSON, whose key order PostgreSQL's jsonb does not keep.
        for kind, count in sorted(job.result["counts"].items()):
            self.stdout.write(f"  {kind}: {count}")
