"""The scheduled alert rules and retention purge run as jobs (core.jobs): each run
of `shegong alerts` / `shegong purge_personal_data` (and so of their timers through
`shegong scheduled`) is a system job with its progress and result, tried again on
failure with nothing half-done, visible to administrators and to no one else."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from shegong.cases import alerts
from shegong.cases.models import Alert
from shegong.core.models import AuditEntry, Job
from shegong.golive.models import ScheduledRun
from tests.test_alerts import day, high_risk  # noqa: F401  (fixture)


def _alerts(*args) -> str:
    out = StringIO()
    call_command("alerts", "--date", day(14).isoformat(), "--retry-delay", "0", *args, stdout=out)
    return out.getvalue()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_run_of_the_alert_rules_is_a_job_with_its_progress_and_result(world, high_risk):  # noqa: F811
    assert _alerts() == "Raised 1 new alert(s).\n  high_risk_no_contact: 1\n"
    job = Job.objects.get()
    assert (job.kind, job.status, job.owner, job.attempts) == ("alert_rules", "done", None, 1)
    # Every active station of the world: A, B and C.
    assert (job.done, job.total) == (3, 3)
    assert job.result == {"total": 1, "counts": {"high_risk_no_contact": 1}}


def test_administrators_see_the_system_runs_and_no_one_else(world, high_risk):  # noqa: F811
    _alerts()
    job = Job.objects.get()
    admin = _client(world["admin"])
    listing = admin.get("/jobs/")
    assert listing.status_code == 200
    assert "预警规则" in listing.content.decode() and "系统（定时任务）" in listing.content.decode()
    page = admin.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    assert "已完成：共 1 项变更。" in page.content.decode()
    for person in ("city", "district", "director", "worker"):
        other = _client(world[person])
        assert other.get(f"/jobs/{job.pk}/").status_code == 404
        assert f"/jobs/{job.pk}/" not in other.get("/jobs/").content.decode()


def test_a_failed_try_leaves_nothing_and_is_tried_again(world, high_risk, monkeypatch):  # noqa: F811
    # The meal check (after the case rules have raised their alert, in the same
    # transaction) fails on the first try only.
    calls = []
    original = alerts.evaluate_meal_absence

    def flaky(station_id, today):
        calls.append(Alert.objects.count())
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return original(station_id, today)

    between = []
    monkeypatch.setattr(alerts, "evaluate_meal_absence", flaky)
    monkeypatch.setattr(
        "shegong.core.jobs.time.sleep",
        lambda seconds: between.append((Alert.objects.count(), Job.objects.get().status)),
    )
    assert _alerts() == "Raised 1 new alert(s).\n  high_risk_no_contact: 1\n"
    job = Job.objects.get()
    assert (job.status, job.attempts) == ("done", 2)
    # The failed try had raised the alert; between the tries nothing of it is left.
    assert calls[0] == 1
    assert between == [(0, "queued")]
    assert Alert.objects.count() == 1


def test_a_run_that_keeps_failing_is_recorded_failed_and_fails_the_command(
    world,
    high_risk,  # noqa: F811
    monkeypatch,
):
    def broken(station_id, today):
        raise RuntimeError("database went away")

    monkeypatch.setattr(alerts, "evaluate_meal_absence", broken)
    with pytest.raises(CommandError, match="database went away"):
        _alerts("--attempts", "2")
    job = Job.objects.get()
    assert (job.status, job.attempts) == ("failed", 2)
    assert "RuntimeError: database went away" in job.error
    assert Alert.objects.count() == 0
    # An administrator may try it again from its page.
    monkeypatch.setattr(alerts, "evaluate_meal_absence", lambda station_id, today: [])
    assert _client(world["admin"]).post(f"/jobs/{job.pk}/retry/").status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result["total"]) == ("done", 3, 1)


def test_the_purge_on_its_timer_is_a_job(world):
    call_command("scheduled", "purge_personal_data", stdout=StringIO())
    job = Job.objects.get()
    assert (job.kind, job.status, job.owner) == ("personal_data_purge", "done", None)
    # Closed cases, residents without a case, case documents, survey contacts,
    # activity sign-ups, roster entries, evaluation evidence, rectification files,
    # access logs: one step each.
    assert job.done == job.total == 9
    assert job.result["total"] == 0 and len(job.result["lines"]) == 9
    assert ScheduledRun.objects.get(command="purge_personal_data").succeeded
    entry = AuditEntry.objects.get(object_type="privacy.purge")
    # The system's run, as before it was a job ("system:scheduled" on the timer).
    assert entry.username.startswith("system")


def test_a_dry_run_of_the_purge_records_no_job(world):
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert Job.objects.count() == 0


def test_the_overdue_rectification_rule_on_its_timer_is_a_job(world):
    call_command("scheduled", "inspection_alerts", stdout=StringIO())
    job = Job.objects.get()
    assert (job.kind, job.status, job.owner, job.attempts) == ("inspection_alerts", "done", None, 1)
    assert job.result == {"total": 0, "counts": {"rectification_overdue": 0}}
    assert ScheduledRun.objects.get(command="inspection_alerts").succeeded


def test_the_job_list_asks_the_same_queries_for_one_job_or_many(world):
    from tests.test_query_counts import queries

    admin = _client(world["admin"])
    admin.get("/")
    call_command("inspection_alerts", stdout=StringIO())
    one = queries(admin, "get", "/jobs/")
    for _n in range(4):
        call_command("inspection_alerts", stdout=StringIO())
    assert queries(admin, "get", "/jobs/") == one
    assert admin.get("/jobs/").content.decode().count('data-status="done"') == 5
