"""`shegong audit_prune [--older-than-days N]`: delete audit entries older than N days
(default the retention setting, `RETENTION_DAYS["audit_entries"]`, docs/privacy.md).

The audit log is kept at least six months (core.retention.MINIMUM_LOG_DAYS); the
command refuses a shorter period. It is the only code that deletes audit entries.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from shegong.core import audit
from shegong.core.models import AuditEntry
from shegong.core.retention import MINIMUM_LOG_DAYS, log_period_refusal


class Command(BaseCommand):
    help = (
        f"Delete audit log entries older than N days (N >= {MINIMUM_LOG_DAYS}: "
        "six months are kept; default the retention setting)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, default=None, dest="days")
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be deleted"
        )

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        if days is None:
            days = settings.RETENTION_DAYS["audit_entries"]
        if refusal := log_period_refusal("Audit entries", days):
            raise CommandError(refusal)
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
