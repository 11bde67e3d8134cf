"""A real worker process killed with SIGKILL in the middle of a job's work, on
PostgreSQL (the worker must reach the test database): nothing of the work is left,
and the job is retried to completion. Skipped on SQLite (an in-memory test database)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

import tests.test_import as import_tests
from shegong.core import jobs
from shegong.core.models import Job
from shegong.delivery import import_jobs
from shegong.delivery.models import ServiceEvent

station = import_tests.station
ROWS = 40_000

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: the worker process reads the test database",
    ),
]


def big_file() -> bytes:
    rows = []
    template = import_tests.valid_rows()
    for n in range(ROWS):
        row = list(template[n % len(template)])
        row[0] = f"K-{n:06d}"
        rows.append(row)
    return import_tests.csv_file(rows).getvalue()


def worker_env() -> dict:
    database = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="shegong.settings",
        SHEGONG_TASKS="database",
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
    )
    return env


def test_a_worker_killed_mid_job_leaves_nothing_and_the_job_is_retried(station, settings):
    # The upload is stored under the real MEDIA_ROOT, which the worker reads too;
    # the job deletes it once done.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upload = SimpleUploadedFile("big.csv", big_file())
    job = import_jobs.service_import_start(
        actor=station["worker"], upload=upload, year=import_tests.YEAR
    )
    assert job.status == "queued"
    env = worker_env()
    shegong = Path(sys.executable).with_name("shegong")
    worker = subprocess.Popen(
        [str(shegong), "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while Job.objects.get(pk=job.pk).status == "queued":
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the worker never claimed the job"
            time.sleep(0.05)
        time.sleep(0.5)  # a few batches written, inside the job's transaction
        assert worker.poll() is None, "the job finished before the kill: use a bigger file"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    assert ServiceEvent.objects.count() == 0

    Job.objects.filter(pk=job.pk).update(started_at=job.started_at - jobs.STALE_AFTER * 2)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    jobs.job_retry(actor=station["worker"], job=job)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == ("done", 2, ROWS)
    assert ServiceEvent.objects.count() == ROWS
