"""The purge of personal data past retention (docs/privacy.md)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.core import audit
from shegong.privacy.policy import KINDS, refusals
from shegong.privacy.purging import run_steps


@dataclass(frozen=True)
class PurgeReport:
    dry_run: bool
    today: datetime.date
    # kind -> (the day before which its records are past retention, its period in days)
    periods: dict[str, tuple[datetime.date, int]]
    counts: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        return sum(n for found in self.counts.values() for n in found.values())

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        out = []
        for key, found in self.counts.items():
            before, days = self.periods[key]
            figures = ", ".join(f"{name} {n}" for name, n in found.items()) or "nothing"
            out.append(
                f"{KINDS[key].label} (kept {days} days, done with before {before}): "
                f"{figures} {verb} purged."
            )
        return out


@transaction.atomic
def personal_data_purge(
    *,
    dry_run: bool,
    today: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> PurgeReport:
    """Anonymise or delete every record past its retention period, in one
    transaction; write one audit entry with the counts (none for a dry run,
    which changes nothing). A period below its floor refuses the whole run."""
    if problems := refusals():
        raise ValidationError(problems)
    today = today or timezone.localdate()
    counts = run_steps(today=today, dry_run=dry_run, progress=progress)
    periods = {key: (KINDS[key].before(today), KINDS[key].days) for key in counts}
    report = PurgeReport(dry_run=dry_run, today=today, periods=periods, counts=counts)
    if not dry_run:
        audit.record(
            "bulk",
            object_type="privacy.purge",
            object_repr=f"personal data purge {today}",
            detail={
                "counts": counts,
                "periods": {key: days for key, (_, days) in periods.items()},
                "before": {key: before for key, (before, _) in periods.items()},
            },
        )
    return report
