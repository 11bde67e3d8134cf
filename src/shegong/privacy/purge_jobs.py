"""The weekly purge as a job (core.jobs): `shegong purge_personal_data` (its timer,
through `shegong scheduled`) records each real run as a system job with its
progress (kinds of record done) and result (the counts and the report's lines),
tries a failure again (the purge is one transaction: a failed try leaves
nothing), and administrators read the runs on /jobs/. A dry run changes
nothing, so it records no job either."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from shegong.core import jobs
from shegong.core.models import Job
from shegong.privacy.purging import PURGE_STEPS
from shegong.privacy.services import personal_data_purge

KIND = "personal_data_purge"


def run(job: Job, progress: jobs.Progress) -> dict:
    today = job.params.get("date")
    progress.total(len(PURGE_STEPS))
    report = personal_data_purge(
        dry_run=False,
        today=datetime.date.fromisoformat(today) if today else None,
        progress=progress.add,
    )
    return {
        "total": report.total,
        "counts": {
            f"{key} · {name}": n
            for key, found in report.counts.items()
            for name, n in found.items()
        },
        "lines": report.lines(),
    }


def personal_data_purge_run(*, today: datetime.date | None = None, **retries) -> Job:
    """The purge now, recorded as a system job; `retries`: `attempts`,
    `retry_delay` of `job_run_here`."""
    params = {"date": today.isoformat() if today else None}
    return jobs.job_run_here(kind=KIND, params=params, **retries)


def register() -> None:
    jobs.register(
        KIND,
        label=gettext_lazy("Personal data purge"),
        run=run,
        result_template="core/_counts_result.html",
    )
