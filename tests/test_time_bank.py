"""The volunteers' time bank: points per hour, redemption from a threshold,
a cap on the balance, donation, and the ledger invariant (the sum of the entries
equals the balance, never negative), also under concurrent redemptions."""

from __future__ import annotations

import os
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import translation

from shegong.community import timebank
from shegong.community.models import TimeBankEntry
from tests.conftest import build_world
from tests.delivery_world import make_delivery
from tests.volunteer_world import activity, serve


@pytest.fixture
def d(world):
    return make_delivery(world)


@pytest.fixture
def small_bank(settings):
    settings.TIMEBANK_REDEEM_THRESHOLD = 10
    settings.TIMEBANK_BALANCE_CAP = 20


def _ledger(volunteer) -> list[tuple[str, str, str]]:
    return [
        (e.kind, str(e.points), str(e.balance))
        for e in TimeBankEntry.objects.filter(volunteer=volunteer).order_by("pk")
    ]


def test_hours_earn_points_up_to_the_cap(d, small_bank):
    volunteer = d.volunteers[0]
    serve(activity(d, "义诊", 8, 20), volunteer, 8, 20)  # 12 h
    serve(activity(d, "探访", 8, 20), volunteer, 9, 19)  # 10 h, 8 of them under the cap
    serve(activity(d, "敬老", 8, 20), volunteer, 9, 10)  # at the cap: nothing
    assert _ledger(volunteer) == [("earned", "12.0", "12.0"), ("earned", "8.0", "20.0")]
    assert timebank.balance(volunteer) == Decimal("20.0") == timebank.ledger_sum(volunteer)


def test_redemption_under_the_threshold_or_beyond_the_balance_is_refused(d, small_bank):
    volunteer = d.volunteers[0]
    serve(activity(d, "义诊", 8, 20), volunteer, 14, 20)  # 6 h
    worker = d["worker"]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        timebank.time_bank_redeem(actor=worker, volunteer=volunteer, points=2, service="理发")
    assert error.value.message_dict == {
        "points": ["Points can be redeemed from a balance of 10; the balance is 6.0."]
    }
    serve(activity(d, "探访", 8, 20), volunteer, 8, 14)  # 6 h more: 12
    with translation.override("en"), pytest.raises(ValidationError) as error:
        timebank.time_bank_redeem(actor=worker, volunteer=volunteer, points=13, service="理发")
    assert error.value.message_dict == {
        "points": ["Only 12.0 points are left to redeem; 13.0 were asked."]
    }
    entry = timebank.time_bank_redeem(
        actor=worker, volunteer=volunteer, points="4.5", service="理发"
    )
    assert (entry.points, entry.balance, entry.note) == (Decimal("-4.5"), Decimal("7.5"), "理发")
    assert timebank.ledger_sum(volunteer) == Decimal("7.5")


def test_donation_moves_points_and_respects_the_cap(d, small_bank):
    donor, recipient = d.volunteers
    serve(activity(d, "义诊", 8, 20), donor, 8, 20)  # 12
    serve(activity(d, "探访", 8, 20), recipient, 8, 18)  # 10
    worker = d["worker"]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        timebank.time_bank_donate(actor=worker, donor=donor, recipient=recipient, points=11)
    assert error.value.message_dict == {
        "points": ["义工黄 can receive at most 10.0 points (the cap is 20)."]
    }
    with pytest.raises(ValidationError):
        timebank.time_bank_donate(actor=worker, donor=donor, recipient=d.volunteer_b, points=1)
    timebank.time_bank_donate(actor=worker, donor=donor, recipient=recipient, points=5)
    assert _ledger(donor) == [("earned", "12.0", "12.0"), ("donated", "-5.0", "7.0")]
    assert _ledger(recipient) == [("earned", "10.0", "10.0"), ("received", "5.0", "15.0")]


def test_the_ledger_is_append_only(d, small_bank):
    volunteer = d.volunteers[0]
    serve(activity(d), volunteer, 8, 9)
    entry = TimeBankEntry.objects.get(volunteer=volunteer)
    entry.points = Decimal("100")
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_only_the_station_staff_redeem(d, small_bank):
    volunteer = d.volunteers[0]
    serve(activity(d), volunteer, 8, 20)
    with pytest.raises(PermissionDenied):
        timebank.time_bank_redeem(actor=d["worker_c"], volunteer=volunteer, points=1, service="x")
    with pytest.raises(PermissionDenied):
        timebank.time_bank_redeem(actor=d["city"], volunteer=volunteer, points=1, service="x")
    assert timebank.balance(volunteer) == Decimal("12.0")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks between connections: PostgreSQL",
)
def test_concurrent_redemptions_never_overdraw(settings):
    """Eight redemptions of 5 points race on a balance of 12: exactly two pass,
    the balance is 2 and equals the sum of the entries."""
    settings.TIMEBANK_REDEEM_THRESHOLD = 1
    d = make_delivery(build_world())
    volunteer = d.volunteers[0]
    serve(activity(d), volunteer, 8, 20)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def redeem():
        try:
            barrier.wait()
            timebank.time_bank_redeem(
                actor=d["worker"], volunteer=volunteer, points=5, service="理发"
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 2 + ["refused"] * 6
    entries = TimeBankEntry.objects.filter(volunteer=volunteer)
    assert entries.aggregate(s=Sum("points"))["s"] == Decimal("2.0")
    assert timebank.balance(volunteer) == Decimal("2.0")
    assert not entries.filter(balance__lt=0).exists()
