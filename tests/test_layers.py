"""Core knows no domain app: the apps register into it at start-up
(AppConfig.ready). These tests check that each registration is in place and that
core fails closed without it. The import rule itself is `lint-imports`
(pyproject.toml), run by `make lint`."""

from __future__ import annotations

import pytest

from shegong.core import audit, backup, scope
from shegong.org.models import Station


def test_every_app_with_audited_records_registered_them():
    apps = {model._meta.app_label for model in audit.registered_models()}
    assert apps == {
        "accounts",
        "org",
        "clients",
        "cases",
        "delivery",
        "plans",
        "community",
        "evaluation",
        "surveys",
        "workforce",
        "agenda",
        "rosters",
        "referrals",
        "privacy",
        "contracts",
    }
    # The 35 core/audited.py listed, the calendar's appointments, planned services and
    # feeds, the rosters' categories, rules and imports, the service points (org),
    # the directory of services' entries and the referral workflow (referrals), the
    # residents' personal data requests (privacy), the canteens' money: subsidy
    # classes, prices, rules, cards, settlements and their adjustments (community),
    # and the supervisor sign-off's settings and sign-offs and the case documents (cases).
    # and the contracts (tenders, bids, terms, instalments, spending and renewal
    # decisions), and a resident's own documents (clients).
    assert len(audit.registered_models()) == 65


def test_the_evaluator_stations_come_from_the_evaluation_app(world):
    assert list(Station.objects.visible_to(world["evaluator"])) == [world.station_a]


def test_without_a_provider_an_evaluator_sees_no_station(world, monkeypatch):
    monkeypatch.setattr(scope, "_evaluator_stations", None)
    assert not Station.objects.visible_to(world["evaluator"]).exists()


@pytest.mark.django_db
def test_the_stats_app_checks_the_rollups_after_a_restore():
    assert [check() for check in backup.restore_checks()] == [
        (True, "Rollups check: no drift."),
    ]


def test_the_apps_above_clients_fold_their_records_into_a_resident_merge():
    from shegong.clients.services import MERGE_STEPS
    from shegong.community.meal_services import resident_merge_meal_money
    from shegong.community.services import resident_merge_meals
    from shegong.delivery.services import resident_merge_attendance

    assert [
        resident_merge_meals,
        resident_merge_meal_money,
        resident_merge_attendance,
    ] == MERGE_STEPS
