"""A real worker process killed with SIGKILL in the middle of a job's work (the
service import, and the roster import through the same import mechanism), on
PostgreSQL (the worker must reach the test database): nothing of the work is left,
and the job is retried to completion. Skipped on SQLite (an in-memory test database)."""

from __future__ import annotations

import datetime
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
from shegong.clients.models import Resident
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


def big_roster() -> bytes:
    """ROSTER_ROWS persons on 沙园社区's list (a thousand per birth date)."""
    from tests.roster_helpers import csv_file, id_number, row

    listed = datetime.date.today().isoformat()
    born = datetime.date(1940, 1, 1)
    return csv_file(
        [
            row(
                n % 1000,
                id=id_number(n % 1000, born=f"{born + datetime.timedelta(days=n // 1000):%Y%m%d}"),
                name=f"名单人{n}",
                list_date=listed,
            )
            for n in range(ROSTER_ROWS)
        ]
    ).getvalue()


def writing_transactions() -> int:
    """The other sessions inside a transaction that has written (PostgreSQL gives
    it a transaction id): the job's work, once it loads."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


ROSTER_ROWS = 20_000


def test_a_roster_import_killed_while_it_writes_leaves_nothing_and_is_retried(station, settings):
    from shegong.core import imports
    from shegong.rosters.models import RosterEntry, RosterImport
    from tests.roster_helpers import communities

    communities(station)
    residents = Resident.objects.count()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    month = datetime.date.today().replace(day=1)
    job = imports.import_start(
        kind="roster_import",
        actor=station["district"],
        upload=SimpleUploadedFile("roster.csv", big_roster()),
        params={"month": f"{month:%Y-%m}", "source": "海珠区民政局"},
    )
    assert (job.status, job.total) == ("queued", ROSTER_ROWS)
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("shegong")),
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        env=worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        # Past the check of every row: the job's transaction has begun to write.
        while Job.objects.get(pk=job.pk).status == "queued" or not writing_transactions():
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the job never began to write"
            time.sleep(0.02)
        time.sleep(0.2)
        assert worker.poll() is None, "the job finished before the kill: use a bigger file"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    assert (RosterImport.objects.count(), RosterEntry.objects.count()) == (0, 0)
    assert Resident.objects.count() == residents

    Job.objects.filter(pk=job.pk).update(started_at=job.started_at - jobs.STALE_AFTER * 2)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    jobs.job_retry(actor=station["district"], job=job)

    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == ("done", 2, ROSTER_ROWS)
    assert (job.result["error_count"], job.result["new"]) == (0, ROSTER_ROWS)
    assert RosterEntry.objects.count() == ROSTER_ROWS
    assert Resident.objects.count() == residents + ROSTER_ROWS
