"""Computed indicators equal the figures of the stats selectors (the one code
path for numbers) for a station with known person-times, targets, volunteer hours
and cases; pro-rating for part of a year; satisfaction from the surveys' rate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shegong.cases import services as case_services
from shegong.evaluation import services
from shegong.evaluation.models import IndicatorScore, StationEvaluation
from shegong.plans import services as plan_services
from shegong.stats.selectors import person_time_summary
from tests.delivery_world import TODAY, casework_note, make_delivery, record, this_year
from tests.evaluation_world import english_messages


@pytest.fixture(autouse=True)
def english(settings):
    english_messages(settings)


@pytest.fixture
def station_a_year(world):
    """Station A: key project 40 person-times (target 480, volunteer hours target
    10, 2.5 served), family 3 (target 240), one casework note (1 person-time, one
    open case). Total 44 person-times against 720 targeted."""
    d = make_delivery(world)
    director = world["director"]
    plan_services.target_set(
        actor=director,
        project=d.projects["key"],
        targets={"person_times": 480, "volunteer_hours": 10},
    )
    plan_services.target_set(
        actor=director, project=d.projects["family"], targets={"person_times": 240}
    )
    record(d, project="key", headcount=40, volunteers=[(d.volunteers[0], Decimal("2.5"))])
    record(d, project="family", attendees=d.residents[:3])
    note = casework_note(d, d.residents[0])
    d.extra["case"] = note.case
    return d


def _open_round(world, **kwargs) -> StationEvaluation:
    city = world["city"]
    round = services.round_create(
        actor=city, name="末期评估", kind="final", year=this_year(), **kwargs
    )
    services.round_add_standard_system(actor=city, round=round)
    services.round_assign(
        actor=city, round=round, station=world.station_a, evaluator=world["evaluator"]
    )
    round = services.round_open(actor=city, round=round)
    return StationEvaluation.objects.get(round=round, station=world.station_a)


def _computed(sheet) -> dict[str, tuple]:
    return {
        row.indicator.computation: (row.value, row.score, row.note)
        for row in IndicatorScore.objects.filter(
            evaluation=sheet, indicator__method="computed"
        ).select_related("indicator")
    }


def test_computed_indicators_match_the_stats_selectors(station_a_year):
    world = station_a_year.world
    summary = person_time_summary(world["city"], year=this_year(), station=world.station_a)
    assert summary.total == 44
    assert [(p.name, p.person_times, p.target) for p in summary.projects if p.target] == [
        ("邻里互助", 40, 480),
        ("家庭服务", 3, 240),
    ]
    figures = _computed(_open_round(world))
    # person-times 44 / 720 = 0.0611 → 10 × 0.0611 = 0.61
    assert figures["person_times"] == (
        Decimal("0.0611"),
        Decimal("0.61"),
        "44 person-times of 720 expected (annual target 720)",
    )
    # projects: 40/480 = 0.08333, 3/240 = 0.0125 → mean 0.04792 → 0.0479 → 10 × = 0.48
    assert figures["project_completion"][:2] == (Decimal("0.0479"), Decimal("0.48"))
    assert figures["project_completion"][2] == "0 of 2 projects at target; mean completion 4.79%"
    # volunteer hours 2.5 / 10 = 0.25 → 5 × 0.25 = 1.25
    assert figures["volunteer_hours"] == (
        Decimal("0.2500"),
        Decimal("1.25"),
        "2.5 volunteer hours of 10 expected",
    )
    # one case, open: 0 of 1 closed
    assert figures["case_closure"] == (Decimal("0.0000"), Decimal("0.00"), "0 of 1 cases closed")
    assert figures["satisfaction"] == (
        None,
        None,
        f"No satisfaction survey answers in {this_year()}.",
    )


def test_refresh_follows_new_data(station_a_year, api):
    world = station_a_year.world
    sheet = _open_round(world)
    case = station_a_year.extra["case"]
    case.refresh_from_db()
    case_services.case_close(
        actor=world["worker"], case=case, closed_on=TODAY(), outcome="goals_met"
    )
    # Five computed indicators on each of the round's three sheets (A, B, C).
    assert services.round_compute(actor=world["city"], round=sheet.round) == 15
    figures = _computed(sheet)
    assert figures["case_closure"] == (Decimal("1.0000"), Decimal("10.00"), "1 of 1 cases closed")


def test_a_round_of_one_month_prorates_the_annual_targets(station_a_year):
    world = station_a_year.world
    month = TODAY().month
    sheet = _open_round(world, month_from=month, month_to=month)
    # 44 person-times against 720 × 1/12 = 60 expected → 0.7333 → 7.33
    assert _computed(sheet)["person_times"] == (
        Decimal("0.7333"),
        Decimal("7.33"),
        "44 person-times of 60 expected (annual target 720)",
    )


def test_no_targets_means_no_data(world):
    figures = _computed(_open_round(world))
    assert figures["person_times"] == (None, None, "No person-time targets in the station's plan.")
    assert figures["case_closure"] == (None, None, "No cases in the period.")


def test_events_outside_the_period_do_not_count(station_a_year):
    world = station_a_year.world
    other = 1 if TODAY().month != 1 else 2
    sheet = _open_round(world, month_from=other, month_to=other)
    assert _computed(sheet)["person_times"][:2] == (Decimal("0.0000"), Decimal("0.00"))


def test_satisfaction_comes_from_the_stations_satisfaction_surveys(station_a_year):
    from shegong.surveys import services as survey_services

    world = station_a_year.world
    director = world["director"]
    survey = survey_services.survey_create(actor=director, kind="satisfaction", title="满意度")
    question = survey_services.question_add(
        actor=director, survey=survey, kind="rating", text="总体满意度", required=True, options=[]
    )
    survey_services.survey_publish(actor=director, survey=survey)
    for rating in (5, 4, 3, 2):  # two of four satisfied: 50.00 %
        survey_services.response_enter_paper(
            actor=world["worker"], survey=survey, answers={question.pk: rating}, answered_on=TODAY()
        )
    sheet = _open_round(world)
    row = IndicatorScore.objects.get(evaluation=sheet, indicator__computation="satisfaction")
    assert (row.value, row.note) == (
        Decimal("0.5000"),
        "50.00% satisfied (2 of 4 rating answers)",
    )
    assert row.score == (row.indicator.max_score * Decimal("0.5")).quantize(Decimal("0.01"))
