"""`shegong purge_personal_data [--dry-run]`: anonymise or delete the personal data
past its retention period (docs/privacy.md); `--dry-run` prints what would go and
changes nothing. Run weekly by its timer through `shegong scheduled`; a real run is
recorded as a system job (privacy.purge_jobs), tried again on failure."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shegong.privacy.policy import refusals
from shegong.privacy.purge_jobs import personal_data_purge_run
from shegong.privacy.services import personal_data_purge


class Command(BaseCommand):
    help = "Anonymise or delete personal data past its retention period (docs/privacy.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be purged; change nothing"
        )
        parser.add_argument(
            "--attempts", type=int, default=3, help="tries before giving up (default 3)"
        )
        parser.add_argument(
            "--retry-delay", type=float, default=30.0, help="seconds between tries (default 30)"
        )

    def handle(self, *args, dry_run: bool, **options):
        if problems := refusals():  # a period below its floor: no try would pass
            raise CommandError(" ".join(ValidationError(problems).messages))
        if dry_run:
            report = personal_data_purge(dry_run=True)
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(f"Dry run: {report.total} changes would be made; nothing changed.")
            return
        try:
            job = personal_data_purge_run(
                attempts=max(options["attempts"], 1), retry_delay=options["retry_delay"]
            )
        except Exception as error:
            raise CommandError(f"the purge failed: {type(error).__name__}: {error}") from error
        for line in job.result["lines"]:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Purged: {job.result['total']} changes made."))
