"""`shegong audit_prune --older-than-days N`: delete audit entries older than N days.

The audit log is kept at least six months (MINIMUM_DAYS); the command refuses a
shorter period. It is the only code that deletes audit entries.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from shegong.core import audit
from shegong.core.models import AuditEntry

MINIMUM_DAYS = 183


class Command(BaseCommand):
    help = "Delete audit log entries older than N days (N >= 183: six months are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True, dest="days")
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be deleted"
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < MINIMUM_DAYS:
            raise CommandError(
                f"Audit entries are kept at least {MINIMUM_DAYS} days; "
                f"--older-than-days {days} is refused."
            )
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = AuditEntry.objects.filter(at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"{old.count()} entries older than {cutoff:%Y-%m-%d} would go.")
            return
        with transaction.atomic():
            deleted = old.prune()
            # The pruning itself is on the record.
            audit.record(
                "delete",
                object_type=AuditEntry._meta.label_lower,
                object_repr=f"audit entries before {cutoff:%Y-%m-%d}",
                detail={"older_than_days": days, "deleted": deleted},
            )
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} audit entries."))
