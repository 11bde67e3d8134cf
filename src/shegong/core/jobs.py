"""Background jobs: work started from a page (an import...) that runs outside the
web request, with a progress bar and a result page (docs/decisions.md).

The queue is Django's task framework (the django-tasks package, its database
backend in production, see settings.TASKS); this module adds our `Job` record on
top of it: who started the job, its status, its progress and its result. The
domain apps register their kinds at start-up (`register` in `AppConfig.ready()`),
so core imports none of them.

A kind's `run(job, progress)` does the work and returns the result payload
(JSON). It runs inside ONE transaction: a failure, or a worker killed mid-way,
leaves nothing of the work behind, and the job can be retried (`job_retry`,
attempts counted). The job's own row is written in short transactions of its own
before and after the work. While the work's transaction holds the database
(SQLite has one writer), progress goes to the shared cache (Redis in
production), which the progress bar reads; the row gets the final count.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from shegong.core import audit
from shegong.core.access import require
from shegong.core.models import Job

logger = logging.getLogger("shegong.jobs")

# A job still "running" after this long is taken for one whose worker died
# (killed, host lost), and may be retried.
STALE_AFTER = timedelta(seconds=getattr(settings, "SHEGONG_JOB_STALE_AFTER", 3600))
PROGRESS_TTL = 24 * 3600


@dataclass(frozen=True)
class JobKind:
    name: str
    label: Any
    run: Callable[[Job, Progress], dict]
    # Renders a finished job's result on the job page: the template and its context
    # (`result_context(job, request)`).
    result_template: str
    result_context: Callable[[Job, Any], dict]
    # Called once the job is done (e.g. to delete its stored input).
    cleanup: Callable[[Job], None] | None = None


_kinds: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    label: Any,
    run: Callable[[Job, Progress], dict],
    result_template: str,
    result_context: Callable[[Job, Any], dict] = lambda job, request: {"result": job.result},
    cleanup: Callable[[Job], None] | None = None,
) -> None:
    """Declare a kind of job (called from a domain app's `AppConfig.ready()`)."""
    _kinds[name] = JobKind(name, label, run, result_template, result_context, cleanup)


def kind_of(job: Job) -> JobKind:
    return _kinds[job.kind]


def _progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


class Progress:
    """Counts the work done; `add(n)` after each batch, `total(n)` once known."""

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.done = 0
        self.of: int | None = job.total

    def total(self, n: int | None) -> None:
        self.of = n
        self._publish()

    def add(self, n: int) -> None:
        self.done += n
        self._publish()

    def _publish(self) -> None:
        cache.set(_progress_key(self.job_id), (self.done, self.of), PROGRESS_TTL)


def progress_of(job: Job) -> tuple[int, int | None]:
    """(done, total) as the page shows it: live from the cache while running."""
    if job.status == Job.Status.RUNNING:
        live = cache.get(_progress_key(job.pk))
        if live is not None:
            return live
    return job.done, job.total


def job_start(
    *,
    owner: Any,
    kind: str,
    params: dict,
    station_id: int | None = None,
    total: int | None = None,
) -> Job:
    """Record a job and put it on the queue, in one transaction: with the
    database backend the queue entry commits with the job or not at all; with the
    immediate backend the job runs now (its work in a savepoint of its own)."""
    if kind not in _kinds:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job(
            kind=kind,
            owner=owner,
            station_id=station_id,
            params=params,
            language=translation.get_language() or "",
            total=total,
        )
        job.full_clean()
        job.save()
        run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def job_run_here(
    *,
    kind: str,
    params: dict,
    owner: Any = None,
    attempts: int = 3,
    retry_delay: float = 30.0,
) -> Job:
    """Record a job and run it in this process, trying a failure again up to
    `attempts` times, `retry_delay` seconds apart: a scheduled command (no
    owner: the system's run, which administrators see) is recorded with its
    progress and result like any job, while the timer still waits for it and
    sees its exit status. The last failure is re-raised."""
    if kind not in _kinds:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(
        kind=kind,
        owner=owner,
        params=params,
        language=translation.get_language() or "",
    )
    job.full_clean()
    job.save()
    for attempt in range(1, attempts + 1):
        try:
            execute(job.pk)
            break
        except Exception:
            if attempt == attempts:
                raise
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.QUEUED, updated_at=timezone.now()
            )
            time.sleep(retry_delay)
    job.refresh_from_db()
    return job


def retryable(job: Job) -> bool:
    """A failed job, or one that has stood still for STALE_AFTER: running since
    then (its worker died) or queued since then (its queue entry was lost)."""
    if job.status == Job.Status.FAILED:
        return True
    if job.status == Job.Status.RUNNING:
        since = job.started_at
    elif job.status == Job.Status.QUEUED:
        since = job.updated_at
    else:
        return False
    return since is not None and timezone.now() - since > STALE_AFTER


def job_retry(*, actor: Any, job: Job) -> Job:
    """Put a failed (or abandoned) job on the queue again."""
    require(actor, "retry", job)
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not retryable(locked):
            raise ValidationError(_("Only a job that failed can be tried again."))
        locked.status = Job.Status.QUEUED
        locked.save(update_fields=["status", "updated_at"])
        # A second delivery of the same job finds it claimed and does nothing.
        run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            # Deleted, or delivered twice: the first delivery has it.
            return None
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.finished_at = None
        job.done = 0
        job.error = ""
        job.result = None
        job.save()
    cache.delete(_progress_key(job.pk))
    return job


def execute(job_id: int) -> str:
    """Run the job: claim it, do its work in one transaction, record the outcome."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    kind = kind_of(job)
    progress = Progress(job)
    try:
        with (
            translation.override(job.language or None),
            # The system's jobs keep the actor of the process (`system:<command>`).
            audit.acting_as(job.owner) if job.owner_id else contextlib.nullcontext(),
            transaction.atomic(),
        ):
            result = kind.run(job, progress)
    except Exception as error:
        logger.exception("job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            done=progress.done,
            total=progress.of,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE,
        result=result,
        done=progress.done,
        total=progress.of if progress.of is not None else progress.done,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    cache.delete(_progress_key(job.pk))
    if kind.cleanup is not None:
        try:
            kind.cleanup(job)
        except Exception:
            logger.exception("job %s: clean-up failed", job.pk)
    return "done"


@task()
def run_job(job_id: int) -> str:
    return execute(job_id)
