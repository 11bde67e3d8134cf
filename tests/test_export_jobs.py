"""Large reports as background jobs (core.export_jobs): the job's stored file is
the direct download's workbook for the same scope, and only the person who
started the job sees it or its file (404 for everyone else, superusers too)."""

import pytest
from django.test import Client

from shegong.core.models import Job
from shegong.plans.services import target_set
from tests.helpers import xlsx_table
from tests.test_stats_rollups import mixed  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _run_as_job(client, url: str) -> Job:
    started = client.post(url)
    job = Job.objects.get()
    assert started.status_code == 302 and started.url == f"/jobs/{job.pk}/"
    return job


def test_the_targets_report_as_a_job_is_the_direct_export(mixed):  # noqa: F811
    target_set(
        actor=mixed["director"], project=mixed.projects["elderly"], targets={"person_times": 44}
    )
    city = _client(mixed["city"])
    direct = xlsx_table(city.get("/stats/reports/targets.xlsx"))
    job = _run_as_job(city, "/stats/reports/targets/job/")
    assert (job.status, job.kind, job.done) == ("done", "export", 1)
    page = city.get(f"/jobs/{job.pk}/")
    assert "文件已生成" in page.content.decode()
    stored = city.get(f"/jobs/{job.pk}/file/")
    assert stored.status_code == 200
    assert stored["Content-Disposition"].startswith('attachment; filename="113x-target-completion-')
    assert xlsx_table(stored) == direct
    assert direct[1] == ("海珠区", "沙园街社工站", "长者服务", "基础项目", "服务人次", 44, 22, 50)


def test_the_monthly_report_of_a_district_as_a_job(mixed):  # noqa: F811
    district = mixed.world.district.pk
    city = _client(mixed["city"])
    direct = xlsx_table(city.get(f"/stats/reports/monthly.xlsx?district={district}"))
    job = _run_as_job(city, f"/stats/reports/monthly/job/?district={district}")
    assert xlsx_table(city.get(f"/jobs/{job.pk}/file/")) == direct
    assert job.done == 12  # one row a month
    assert sum(row[5] for row in direct[1:]) == 95


@pytest.mark.parametrize("person", ["district", "director", "admin", "other_district"])
def test_another_user_gets_404_for_the_job_and_its_file(mixed, person):  # noqa: F811
    job = _run_as_job(_client(mixed["city"]), "/stats/reports/districts/job/")
    other = _client(mixed[person])
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/file/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/progress/").status_code == 404


def test_a_bad_or_foreign_query_starts_no_job(mixed):  # noqa: F811
    outsider = _client(mixed["other_district"])
    station = mixed.world.station_a.pk
    assert outsider.post(f"/stats/reports/targets/job/?station={station}").status_code == 404
    bad = outsider.post("/stats/reports/targets/job/?month_from=5&month_to=2")
    assert bad.status_code == 400
    assert outsider.post("/stats/reports/secret/job/").status_code == 404
    assert outsider.get("/stats/reports/targets/job/").status_code == 405
    assert Job.objects.count() == 0


def test_a_job_that_is_not_an_export_has_no_file(mixed):  # noqa: F811
    from shegong.core import jobs

    job = jobs.job_start(owner=mixed["city"], kind="service_import", params={"file": "none"})
    assert _client(mixed["city"]).get(f"/jobs/{job.pk}/file/").status_code == 404


def test_with_the_database_queue_the_report_waits_for_the_worker(mixed, settings, monkeypatch):  # noqa: F811
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # As in tests/test_jobs.py: the worker's connection clean-up kept off the test's.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    city = _client(mixed["city"])
    direct = xlsx_table(city.get("/stats/reports/districts.xlsx"))
    job = _run_as_job(city, "/stats/reports/districts/job/")
    assert job.status == "queued"
    assert city.get(f"/jobs/{job.pk}/file/").status_code == 404
    progress = city.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in progress.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == ("done", 1, 1)
    finished = city.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"
    assert xlsx_table(city.get(f"/jobs/{job.pk}/file/")) == direct


def test_the_pages_offer_the_reports_in_the_background(mixed):  # noqa: F811
    city = _client(mixed["city"])
    district = mixed.world.district.pk
    page = city.get(f"/stats/districts/{district}/").content.decode()
    assert 'action="/stats/reports/targets/job/?year=' in page
    assert f"district={district}" in page.split('data-testid="report-job-targets"')[0][-300:]
    assert "后台生成（范围较大时）" in page
    coverage = city.get("/rosters/coverage/").content.decode()
    assert 'action="/rosters/coverage/job/?' in coverage


def test_a_stored_report_is_deleted_a_week_after_its_job(mixed, settings):  # noqa: F811
    import datetime

    from django.core.files.storage import default_storage

    city = _client(mixed["city"])
    old = _run_as_job(city, "/stats/reports/districts/job/")
    stored = old.result["file"]
    Job.objects.filter(pk=old.pk).update(finished_at=old.finished_at - datetime.timedelta(days=8))
    assert default_storage.exists(stored)
    assert city.post("/stats/reports/monthly/job/").status_code == 302
    old.refresh_from_db()
    assert not default_storage.exists(stored)
    assert old.result["file"] == "" and old.result["rows"] == 1
    assert city.get(f"/jobs/{old.pk}/file/").status_code == 404
    assert "文件已在一周后删除" in city.get(f"/jobs/{old.pk}/").content.decode()
    newer = Job.objects.exclude(pk=old.pk).get()
    assert city.get(f"/jobs/{newer.pk}/file/").status_code == 200
