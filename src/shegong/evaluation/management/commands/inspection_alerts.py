"""`shegong inspection_alerts`: raise one alert per overdue rectification; for a
daily scheduler, beside `shegong alerts`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from shegong.evaluation.inspections import overdue_alerts_raise


class Command(BaseCommand):
    help = "Raise an alert for every rectification past its due date and not closed."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="evaluate as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD: {error}") from None
        raised = overdue_alerts_raise(today)
        self.stdout.write(f"Raised {raised} new overdue-rectification alert(s).")
