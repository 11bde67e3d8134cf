"""The demo's evaluation rounds and inspections (demo/evaluation.py): a finalised
mid-term round for 海珠区, an open final round with evaluator-1 at four stations,
inspections with an overdue rectification alert; loading twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from shegong.accounts.models import User
from shegong.core.scope import user_anchor
from shegong.evaluation.models import (
    EvaluationRound,
    IndicatorScore,
    Inspection,
    Rectification,
    RectificationAlert,
    StationEvaluation,
)
from shegong.evaluation.selectors import round_results
from shegong.org.models import Station


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command(
        "demo_city", residents_per_station=0, showcase_residents=2, scale="none", stdout=out
    )
    return out.getvalue()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            EvaluationRound,
            StationEvaluation,
            IndicatorScore,
            Inspection,
            Rectification,
            RectificationAlert,
        )
    }


def test_demo_rounds_inspections_and_alerts(demo):
    haizhu = Station.objects.filter(street__district__name="海珠区", is_active=True).count()
    final = EvaluationRound.objects.get(name="2026年海珠区末期评估")
    mid = EvaluationRound.objects.get(name="2026年海珠区中期评估")
    assert (final.kind, final.status, mid.kind, mid.status) == (
        "final",
        "open",
        "mid_term",
        "finalised",
    )
    assert StationEvaluation.objects.filter(round=mid, status="submitted").count() == haizhu
    results = round_results(User.objects.get(username="city"), mid)
    assert len(results) == haizhu
    assert [r.rank_round for r in results][:1] == [1]
    # evaluator-1 works on four stations of the open round, 沙园街 first.
    level, stations = user_anchor(User.objects.get(username="evaluator-1"))
    assert level == "station" and len(stations) == 4
    assert Station.objects.get(name="沙园街社工站").pk in stations
    assert Inspection.objects.count() == 2
    assert sorted(Rectification.objects.values_list("status", flat=True)) == [
        "open",
        "open",
        "submitted",
    ]
    assert RectificationAlert.objects.filter(resolved_at__isnull=True).count() == 1
    assert "Evaluation: 3 rounds" in demo


def test_demo_points_round_waits_for_the_street_office(demo):
    round = EvaluationRound.objects.get(name="2026年海珠区末期评估（千分制）")
    assert (round.system, round.status) == ("points", "open")
    sheet = StationEvaluation.objects.get(round=round, station__name="沙园街社工站")
    assert StationEvaluation.objects.filter(round=round).count() == 18
    buyer = User.objects.get(username="street-haizhu-10")
    # Every scored leaf has its score but the buyer branch's three, which wait for
    # the street office of 沙园街; the computed leaves come from the demo year.
    pending = IndicatorScore.objects.filter(evaluation=sheet, score__isnull=False)
    assert pending.filter(indicator__group__scorer="buyer", indicator__method="scored").count() == 0
    assert (
        pending.filter(indicator__group__scorer="professional", indicator__method="scored").count()
        == 10
    )
    assert StationEvaluation.objects.visible_to(buyer, "score_buyer").get(round=round) == sheet


def test_loading_the_demo_evaluation_twice_changes_nothing(demo):
    before = _counts()
    call_command(
        "demo_city", residents_per_station=0, showcase_residents=2, scale="none", stdout=StringIO()
    )
    assert _counts() == before
