"""The commands a live server runs on a timer, how often, and how stale each may
get before the configuration check (`shegong check_live`) calls it missing.

The timers (deploy/systemd/) run them through `shegong scheduled <command>`, which
records every run (golive.ScheduledRun); that record is what the check reads.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    command: str
    # systemd OnCalendar= expression, server local time
    calendar: str
    # older than this, the check reports the job as not running
    max_age: datetime.timedelta
    # arguments the timer passes
    args: tuple[str, ...] = ()


DAY = datetime.timedelta(days=1)
# A daily job that ran yesterday a little later than today is still on time.
DAILY_GRACE = datetime.timedelta(hours=2)

JOBS: dict[str, Job] = {
    job.command: job
    for job in (
        Job("backup", "*-*-* 02:00:00", DAY + DAILY_GRACE),
        Job("alerts", "*-*-* 06:00:00", DAY + DAILY_GRACE),
        Job("inspection_alerts", "*-*-* 06:15:00", DAY + DAILY_GRACE),
        # Keeps the audit entries for RETENTION_DAYS["audit_entries"] (about a year by
        # default; the command never goes below six months).
        Job("audit_prune", "Sun *-*-* 03:30:00", 7 * DAY + DAILY_GRACE),
        # Anonymises or deletes what is past its retention period (docs/privacy.md).
        Job("purge_personal_data", "Sun *-*-* 03:45:00", 7 * DAY + DAILY_GRACE),
        # Creates this year's and next year's partitions of the history tables on
        # PostgreSQL ahead of need (core/partitioning.py); says so and stops on SQLite.
        Job("partitions", "Sun *-*-* 04:00:00", 7 * DAY + DAILY_GRACE),
    )
}
