"""The demo stays a demo: under the production profile `demo_city` (and the demo
loader the benchmarks call) refuse before writing anything."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from shegong.demo.city import DemoRefused, load_demo_city
from tests.test_hardening import production_env


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@override_settings(PRODUCTION=True)
def test_demo_city_refuses_under_production_and_writes_nothing(db):
    before = _row_counts()
    with pytest.raises(CommandError, match="SHEGONG_ENV=production"):
        call_command("demo_city", residents_per_station=0, showcase_residents=0, scale="none")
    assert _row_counts() == before


@override_settings(PRODUCTION=True)
def test_demo_loader_refuses_under_production(db):
    with pytest.raises(DemoRefused):
        load_demo_city()
    assert _row_counts()["accounts.User"] == 0


def test_demo_city_exits_non_zero_in_a_production_process(tmp_path):
    env = production_env(tmp_path)
    django = [sys.executable, "-m", "django"]
    run = {"env": env, "capture_output": True, "text": True, "timeout": 300}
    migrate = subprocess.run([*django, "migrate", "-v0"], **run)  # noqa: S603
    assert migrate.returncode == 0, migrate.stderr
    demo = subprocess.run([*django, "demo_city", "--scale", "none"], **run)  # noqa: S603
    assert demo.returncode == 1
    assert "SHEGONG_ENV=production" in demo.stderr
    count = (
        "from shegong.accounts.models import User; from shegong.org.models import Station;"
        "from shegong.core.models import AuditEntry;"
        "print(User.objects.count(), Station.objects.count(), AuditEntry.objects.count())"
    )
    counts = subprocess.run([*django, "shell", "-c", count], **run)  # noqa: S603
    assert counts.stdout.split()[-3:] == ["0", "0", "0"], counts.stderr
