"""First start on a server: `setup_city` creates the city and its first
administrator; `check_live` prints what is missing; `scheduled` records the
timers' runs that it reads."""

from __future__ import annotations

import contextlib
import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from shegong.accounts.models import User
from shegong.cases.models import Alert
from shegong.core.roles import Role
from shegong.golive.models import ScheduledRun
from shegong.golive.schedule import JOBS
from shegong.org.models import City

GOOD_PASSWORD = "Lingnan-river-2031"
ENV = {
    "SHEGONG_CITY_NAME": "广州市",
    "SHEGONG_CITY_CODE": "440100",
    "SHEGONG_ADMIN_USERNAME": "gz-admin",
    "SHEGONG_ADMIN_NAME": "陈明",
    "SHEGONG_ADMIN_PHONE": "13800000001",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def setup_env(monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SHEGONG_ADMIN_PASSWORD", GOOD_PASSWORD)
    return monkeypatch


def test_setup_city_from_the_environment_creates_city_and_administrator(db, setup_env):
    out = StringIO()
    call_command("setup_city", "--noinput", stdout=out)
    city = City.objects.get()
    assert (city.name, city.code) == ("广州市", "440100")
    admin = User.objects.get()
    assert (admin.username, admin.role, admin.full_name, admin.phone) == (
        "gz-admin",
        Role.ADMIN,
        "陈明",
        "13800000001",
    )
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.check_password(GOOD_PASSWORD)
    assert "Created 广州市 (440100)" in out.getvalue()


def test_setup_city_asks_on_the_terminal(db, monkeypatch):
    answers = iter(["深圳市", "440300", "sz-admin", "李华", "13900000002"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: GOOD_PASSWORD)
    call_command("setup_city", stdout=StringIO())
    assert City.objects.get().code == "440300"
    assert User.objects.get().username == "sz-admin"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SHEGONG_ADMIN_PASSWORD", "short", "too short"),
        ("SHEGONG_ADMIN_PASSWORD", "password123", "too common"),
        ("SHEGONG_ADMIN_PASSWORD", "Shegong-demo-2026", "published password"),
        ("SHEGONG_ADMIN_PASSWORD", "", "too short"),
        ("SHEGONG_CITY_CODE", "4401", "statistical division code"),
        ("SHEGONG_CITY_NAME", "", "needs a name"),
    ],
)
def test_setup_city_refuses_bad_input_and_creates_nothing(db, setup_env, variable, value, message):
    setup_env.setenv(variable, value)
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was created"):
        call_command("setup_city", "--noinput", stdout=StringIO(), stderr=err)
    assert message in err.getvalue()
    assert (City.objects.count(), User.objects.count()) == (0, 0)


def test_setup_city_twice_adds_no_second_administrator(db, setup_env):
    call_command("setup_city", "--noinput", stdout=StringIO())
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("setup_city", "--noinput", stdout=StringIO(), stderr=err)
    assert "exists already" in err.getvalue()
    assert (City.objects.count(), User.objects.count()) == (1, 1)


# --- check_live ------------------------------------------------------------------------


def _missing(capsys_out: str) -> set[str]:
    return {line.split()[1] for line in capsys_out.splitlines() if line.startswith("MISSING")}


def test_check_live_on_a_development_setup_lists_what_is_missing(db):
    out = StringIO()
    with pytest.raises(CommandError, match="checks are missing"):
        call_command("check_live", stdout=out, no_color=True)
    missing = _missing(out.getvalue())
    assert {
        "SHEGONG_ENV",
        "SECRET_KEY",
        "SHEGONG_FIELD_KEY",
        "ALLOWED_HOSTS",
        "HTTPS",
        "city",
        "administrator",
        "backup",
        "alerts",
        "inspection_alerts",
        "audit_prune",
    } <= missing
    assert "has never run" in out.getvalue()


LIVE = {
    "PRODUCTION": True,
    "DEBUG": False,
    "SECRET_KEY": "k" * 64,
    "FIELD_ENCRYPTION_KEY": "f" * 43,
    "ALLOWED_HOSTS": ["shegong.example.gov.cn"],
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31536000,
}


def test_check_live_passes_once_everything_is_in_place(db, setup_env, tmp_path):
    with override_settings(BACKUP_DIR=tmp_path, **LIVE):
        call_command("setup_city", "--noinput", stdout=StringIO())
        for job in JOBS:
            call_command("scheduled", job, stdout=StringIO())
        out = StringIO()
        with contextlib.suppress(CommandError):
            call_command("check_live", stdout=out, no_color=True)
    # PostgreSQL is the one thing a SQLite test database cannot have.
    expected = set() if connection.vendor == "postgresql" else {"DATABASE_URL"}
    assert _missing(out.getvalue()) == expected, out.getvalue()
    assert len(list(tmp_path.glob("shegong-*.jsonl.gz"))) == 1


def test_check_live_reports_a_stale_timer_and_a_failed_run(db, tmp_path):
    now = timezone.now()
    ScheduledRun.objects.create(
        command="alerts",
        started_at=now - datetime.timedelta(days=3),
        finished_at=now - datetime.timedelta(days=3),
        succeeded=True,
    )
    ScheduledRun.objects.create(
        command="inspection_alerts",
        started_at=now - datetime.timedelta(hours=30),
        finished_at=now - datetime.timedelta(hours=30),
        succeeded=True,
    )
    ScheduledRun.objects.create(
        command="inspection_alerts", started_at=now, finished_at=now, succeeded=False
    )
    out = StringIO()
    with override_settings(BACKUP_DIR=tmp_path), pytest.raises(CommandError):
        call_command("check_live", stdout=out, no_color=True)
    text = out.getvalue()
    assert "alerts last succeeded at" in text and "the timer is not running" in text
    assert "inspection_alerts failed at its last run" not in text  # 30 h is still stale
    assert "inspection_alerts last succeeded at" in text


def test_check_live_reports_a_failed_last_run(db, tmp_path):
    now = timezone.now()
    ScheduledRun.objects.create(
        command="alerts",
        started_at=now - datetime.timedelta(hours=5),
        finished_at=now - datetime.timedelta(hours=5),
        succeeded=True,
    )
    ScheduledRun.objects.create(command="alerts", started_at=now, finished_at=now, succeeded=False)
    out = StringIO()
    with override_settings(BACKUP_DIR=tmp_path), pytest.raises(CommandError):
        call_command("check_live", stdout=out, no_color=True)
    assert "alerts failed at its last run" in out.getvalue()


def test_check_live_reports_demo_accounts(db, tmp_path):
    from django.conf import settings

    user = User(username="admin", role=Role.ADMIN)
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    out = StringIO()
    with override_settings(BACKUP_DIR=tmp_path), pytest.raises(CommandError):
        call_command("check_live", stdout=out, no_color=True)
    assert "Demo accounts with the published password: admin." in out.getvalue()


# --- scheduled -------------------------------------------------------------------------


def test_scheduled_records_a_successful_run(db):
    call_command("scheduled", "alerts", stdout=StringIO())
    run = ScheduledRun.objects.get()
    assert (run.command, run.succeeded) == ("alerts", True)
    assert "Raised 0 new alert(s)." in run.detail
    assert Alert.objects.count() == 0


def test_scheduled_records_a_failed_run_and_fails(db):
    with pytest.raises(CommandError, match="refused"):
        call_command("scheduled", "audit_prune", "--older-than-days", "10", stdout=StringIO())
    run = ScheduledRun.objects.get()
    assert (run.command, run.succeeded) == ("audit_prune", False)
    assert "refused" in run.detail


def test_scheduled_refuses_a_command_that_is_not_scheduled(db):
    with pytest.raises(CommandError):
        call_command("scheduled", "flush", stdout=StringIO())
    assert ScheduledRun.objects.count() == 0


# --- The systemd units ---------------------------------------------------------------


def test_every_scheduled_job_has_a_timer_on_its_calendar():
    from pathlib import Path

    units = Path(__file__).resolve().parent.parent / "deploy" / "systemd"
    timers = {path.name: path.read_text() for path in units.glob("shegong-*.timer")}
    assert set(timers) == {f"shegong-{job}.timer" for job in JOBS}
    for job in JOBS.values():
        text = timers[f"shegong-{job.command}.timer"]
        assert f"OnCalendar={job.calendar}\n" in text
        assert f"Unit=shegong-scheduled@{job.command}.service\n" in text
    service = (units / "shegong-scheduled@.service").read_text()
    assert "ExecStart=/srv/shegong/.venv/bin/shegong scheduled %i\n" in service
