"""`shegong purge_personal_data [--dry-run]`: anonymise or delete the personal data
past its retention period (docs/privacy.md); `--dry-run` prints what would go and
changes nothing. Run weekly by its timer through `shegong scheduled`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shegong.privacy.services import personal_data_purge


class Command(BaseCommand):
    help = "Anonymise or delete personal data past its retention period (docs/privacy.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be purged; change nothing"
        )

    def handle(self, *args, dry_run: bool, **options):
        try:
            report = personal_data_purge(dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(f"Dry run: {report.total} changes would be made; nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Purged: {report.total} changes made."))
