"""Background jobs (core.jobs) through the web import of service records: status
and progress, a failing file's row report, a job killed mid-way, retries, who sees a
job, and the database queue with its worker."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

import tests.test_import as import_tests
from shegong.core import jobs
from shegong.core.models import Job
from shegong.delivery import importing
from shegong.delivery.models import ServiceEvent

YEAR = import_tests.YEAR
station = import_tests.station
media = import_tests.media
csv_file = import_tests.csv_file
valid_rows = import_tests.valid_rows


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def upload(client, content: bytes, name: str = "services.csv"):
    return client.post(
        "/services/import/", {"year": YEAR, "file": SimpleUploadedFile(name, content)}
    )


def the_job(owner) -> Job:
    return Job.objects.get(owner=owner)


def test_the_upload_becomes_a_job_that_records_status_progress_and_result(station, english, login):
    client = login(station["worker"])

    response = upload(client, csv_file(valid_rows()).getvalue())

    job = the_job(station["worker"])
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "service_import"
    assert job.station_id == station.station_a.pk
    assert (job.status, job.done, job.total, job.attempts, job.error) == ("done", 5, 5, 1, "")
    assert job.started_at is not None and job.finished_at is not None
    assert {k: job.result[k] for k in ("rows", "loaded_events", "loaded_person_times")} == {
        "rows": 5,
        "loaded_events": 5,
        "loaded_person_times": 47,
    }
    assert ServiceEvent.objects.filter(station=station.station_a).count() == 5
    # The stored upload is gone once the import is done.
    assert not default_storage.exists(job.params["file"])


def test_a_running_job_shows_a_progress_bar_polled_every_second(station, english, login):
    worker = station["worker"]
    job = Job.objects.create(kind="service_import", owner=worker, status="running", total=10)
    progress = jobs.Progress(job)
    progress.add(4)
    client = login(worker)

    page = client.get(f"/jobs/{job.pk}/")
    fragment = client.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"})

    html = page.content.decode()
    assert page.status_code == 200
    assert f'hx-get="/jobs/{job.pk}/progress/" hx-trigger="every 1s"' in html
    assert "4 of 10 rows" in html
    assert 'value="40"' in html
    assert fragment.status_code == 200
    assert "HX-Refresh" not in fragment
    assert "4 of 10 rows" in fragment.content.decode()


def test_the_progress_fragment_reloads_the_page_once_the_job_is_done(station, login):
    client = login(station["worker"])
    upload(client, csv_file(valid_rows()).getvalue())
    job = the_job(station["worker"])

    fragment = client.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"})
    page = client.get(f"/jobs/{job.pk}/")

    assert fragment["HX-Refresh"] == "true"
    assert "hx-trigger" not in fragment.content.decode()
    assert "已导入 5 条服务记录（47 服务人次）。" in page.content.decode()


def test_a_failing_file_reports_its_row_errors_like_the_synchronous_import(station, english, login):
    rows = import_tests._with_bad_cell(6, "-3")
    content = csv_file(rows).getvalue()
    client = login(station["worker"])

    page = client.get(upload(client, content)["Location"])

    job = the_job(station["worker"])
    synchronous = import_tests.run_import(station, csv_file(rows))
    assert job.status == "done"
    assert job.result["error_count"] == synchronous.error_count == 1
    assert job.result["errors"] == [[e.row, e.column, e.message] for e in synchronous.errors]
    assert job.result["errors"] == [[4, "人数", "The head-count cannot be negative."]]
    assert ServiceEvent.objects.count() == 0
    html = page.content.decode()
    assert "Nothing was loaded: the file has 1 problem." in html
    assert f"/services/import/problems.csv?job={job.pk}" in html
    report = client.get(f"/services/import/problems.csv?job={job.pk}")
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "4,人数,The head-count cannot be negative." in text


def test_a_job_killed_mid_way_leaves_no_rows_and_can_be_retried(
    station, english, login, monkeypatch
):
    written = []
    real_write = importing.write_events

    def dies_on_the_second_batch(actor, station_id, events, first):
        if written:
            raise SystemError("worker killed")
        written.append(len(events))
        real_write(actor, station_id, events, first=first)

    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    monkeypatch.setattr(importing, "write_events", dies_on_the_second_batch)
    client = login(station["worker"])

    page = client.get(upload(client, csv_file(valid_rows()).getvalue())["Location"])

    job = the_job(station["worker"])
    assert written == [2]  # the first batch had been written...
    assert ServiceEvent.objects.count() == 0  # ...and was rolled back with the job
    assert (job.status, job.attempts, job.done) == ("failed", 1, 2)
    assert job.error == "SystemError: worker killed"
    html = page.content.decode()
    assert "The job stopped with an error; nothing of it was saved." in html
    assert f'action="/jobs/{job.pk}/retry/"' in html
    assert default_storage.exists(job.params["file"])  # kept for the retry

    monkeypatch.setattr(importing, "write_events", real_write)
    response = client.post(f"/jobs/{job.pk}/retry/")

    job.refresh_from_db()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.attempts, job.done, job.error) == ("done", 2, 5, "")
    assert job.result["loaded_events"] == 5
    assert ServiceEvent.objects.count() == 5


def test_a_job_that_did_not_fail_is_not_retried(station, english, login):
    client = login(station["worker"])
    upload(client, csv_file(valid_rows()).getvalue())
    job = the_job(station["worker"])

    response = client.post(f"/jobs/{job.pk}/retry/")

    job.refresh_from_db()
    assert response.status_code == 409
    assert "Only a job that failed can be tried again." in response.content.decode()
    assert job.attempts == 1
    assert ServiceEvent.objects.count() == 5


def test_a_job_abandoned_by_its_worker_may_be_retried(station, settings):
    job = Job.objects.create(
        kind="service_import", owner=station["worker"], status="running", attempts=1
    )
    Job.objects.filter(pk=job.pk).update(started_at=job.created_at - jobs.STALE_AFTER * 2)
    job.refresh_from_db()
    fresh = Job.objects.create(
        kind="service_import", owner=station["worker"], status="running", attempts=1
    )
    Job.objects.filter(pk=fresh.pk).update(started_at=fresh.created_at)
    fresh.refresh_from_db()

    lost = Job.objects.create(kind="service_import", owner=station["worker"])
    Job.objects.filter(pk=lost.pk).update(updated_at=lost.created_at - jobs.STALE_AFTER * 2)
    lost.refresh_from_db()
    waiting = Job.objects.create(kind="service_import", owner=station["worker"])

    assert jobs.retryable(job) is True
    assert jobs.retryable(fresh) is False
    assert jobs.retryable(lost) is True
    assert jobs.retryable(waiting) is False


def test_a_job_left_running_by_a_dead_worker_is_retried_from_its_page(
    station, english, login, settings
):
    worker = station["worker"]
    client = login(worker)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upload(client, csv_file(valid_rows()).getvalue())
    job = the_job(worker)
    # A worker claims the job and dies: it stays "running", nothing loaded.
    jobs._claim(job.pk)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    Job.objects.filter(pk=job.pk).update(started_at=job.created_at - jobs.STALE_AFTER * 2)

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert (Job.objects.get(pk=job.pk).status, ServiceEvent.objects.count()) == ("running", 0)
    response = client.post(f"/jobs/{job.pk}/retry/")

    job.refresh_from_db()
    assert f'action="/jobs/{job.pk}/retry/"' in page
    assert response.status_code == 302
    assert (job.status, job.attempts, job.done) == ("done", 2, 5)
    assert ServiceEvent.objects.count() == 5


@pytest.mark.parametrize("person", ["director", "worker_c", "admin", "city"])
def test_a_job_is_seen_by_its_owner_only(station, login, person):
    owner_client = login(station["worker"])
    upload(owner_client, csv_file(valid_rows()).getvalue())
    job = the_job(station["worker"])
    Job.objects.filter(pk=job.pk).update(status="failed")
    client = login(station[person])

    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/progress/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    assert client.get(f"/services/import/problems.csv?job={job.pk}").status_code in (403, 404)
    assert Job.objects.visible_to(station[person]).count() == 0
    assert Job.objects.get(pk=job.pk).attempts == 1


def test_with_the_database_queue_the_job_waits_for_the_worker(
    station, login, settings, monkeypatch
):
    # The worker closes stale connections between tasks: with the test's
    # transaction open (and CONN_MAX_AGE=0) that would end the test's connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = login(station["worker"])

    upload(client, csv_file(valid_rows()).getvalue())

    job = the_job(station["worker"])
    assert job.status == "queued"
    assert ServiceEvent.objects.count() == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "等待开始…" in page

    with translation.override("en"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == ("done", 1, 5)
    assert ServiceEvent.objects.count() == 5
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
