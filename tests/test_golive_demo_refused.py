"""The demo stays a demo: under the production profile `demo_city` (and the demo
loader the benchmarks call) refuse before writing anything."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from shegong.demo.city import DemoRefused, load_demo_city


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


# The exit status of `demo_city` in a real production process, and the database it
# leaves unchanged, are checked on the way to loading the Guangzhou workbook
# (tests/test_golive_org_import.py), which shares its migrated database.
