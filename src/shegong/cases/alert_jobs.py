"""The daily run of the early-warning rules as a job (core.jobs): `shegong
alerts` (its timer, through `shegong scheduled`) records each run as a system job
with its progress (stations done) and result (new alerts per kind), tries a
failure again, and administrators read the runs on /jobs/."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from shegong.cases.alerts import run_all
from shegong.core import jobs
from shegong.core.models import Job
from shegong.org.models import Station

KIND = "alert_rules"


def run(job: Job, progress: jobs.Progress) -> dict:
    params = job.params
    today = datetime.date.fromisoformat(params["date"]) if params.get("date") else None
    stations = None
    if params.get("stations"):
        stations = list(Station.objects.filter(code__in=params["stations"]))
        progress.total(len(stations))
    else:
        progress.total(Station.objects.filter(is_active=True).count())
    counts = run_all(today=today, stations=stations, progress=progress.add)
    return {"total": sum(counts.values()), "counts": dict(sorted(counts.items()))}


def alert_rules_run(
    *, date: datetime.date | None = None, stations: list[str] | None = None, **retries
) -> Job:
    """Run every rule now (over the stations with these codes, or every active one),
    recorded as a system job; `retries`: `attempts`, `retry_delay` of `job_run_here`."""
    params = {"date": date.isoformat() if date else None, "stations": stations or []}
    return jobs.job_run_here(kind=KIND, params=params, **retries)


def register() -> None:
    jobs.register(
        KIND,
        label=gettext_lazy("Early-warning rules"),
        run=run,
        result_template="core/_counts_result.html",
    )
