"""The daily overdue-rectification alert rule as a job (core.jobs): each run of
`shegong inspection_alerts` (its timer, through `shegong scheduled`) is recorded as
a system job with its result, tried again on failure; administrators read the
runs on /jobs/ (as those of `shegong alerts`, cases.alert_jobs)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from shegong.core import jobs
from shegong.core.models import Job
from shegong.evaluation.inspections import overdue_alerts_raise

KIND = "inspection_alerts"


def run(job: Job, progress: jobs.Progress) -> dict:
    today = job.params.get("date")
    raised = overdue_alerts_raise(datetime.date.fromisoformat(today) if today else None)
    progress.add(raised)
    return {"total": raised, "counts": {"rectification_overdue": raised}}


def inspection_alerts_run(*, date: datetime.date | None = None, **retries) -> Job:
    params = {"date": date.isoformat() if date else None}
    return jobs.job_run_here(kind=KIND, params=params, **retries)


def register() -> None:
    jobs.register(
        KIND,
        label=gettext_lazy("Overdue rectification alerts"),
        run=run,
        result_template="core/_counts_result.html",
    )
