"""`shegong rotate_field_key [--batch-size N] [--status]`: re-encrypt the stored ID
numbers under the new SHEGONG_FIELD_KEY while the service runs (docs/privacy.md,
"Key rotation"). Stop it at any time and run it again: it goes on where it was."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shegong.privacy.keys import field_key_rotate, field_key_status


class Command(BaseCommand):
    help = "Re-encrypt the stored ID numbers under the new SHEGONG_FIELD_KEY, resumably."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--status", action="store_true", help="count the rows left under the previous key"
        )

    def handle(self, *args, batch_size: int, status: bool, **options):
        if status:
            left = field_key_status()
            for label, count in left.items():
                self.stdout.write(f"{label}: {count} left under the previous key")
            if sum(left.values()) == 0:
                self.stdout.write("Done: SHEGONG_FIELD_KEY_PREVIOUS can be removed.")
            return
        bar = tqdm(unit="row", disable=None)
        try:
            report = field_key_rotate(
                batch_size=batch_size, progress=lambda _label, n: bar.update(n)
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        finally:
            bar.close()
        for label, count in report.rotated.items():
            self.stdout.write(
                f"{label}: {count} re-encrypted, {report.skipped[label]} already under the new key"
            )
        self.stdout.write(self.style.SUCCESS(f"Rotated {report.total} values."))
