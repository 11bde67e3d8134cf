"""`shegong inspection_alerts`: raise one alert per overdue rectification; for a
daily scheduler, beside `shegong alerts`. Each run is recorded as a system job
(evaluation.inspection_jobs), tried again on failure."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from shegong.evaluation.inspection_jobs import inspection_alerts_run


class Command(BaseCommand):
    help = "Raise an alert for every rectification past its due date and not closed."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="evaluate as of this day (YYYY-MM-DD); default today")
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
        try:
            job = inspection_alerts_run(
                date=today,
                attempts=max(options["attempts"], 1),
                retry_delay=options["retry_delay"],
            )
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            raise CommandError(f"the overdue-rectification rule failed: {reason}") from error
        self.stdout.write(f"Raised {job.result['total']} new overdue-rectification alert(s).")
