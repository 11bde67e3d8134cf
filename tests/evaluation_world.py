"""Evaluation fixtures on top of the standard world (tests/conftest.py).

`scored_round` is a city-wide final round 2026 with a small hand-made indicator
system (all indicators scored, so the totals are pure arithmetic):

    服务产出 weight 40: I1 max 10 weight 1, I2 max 20 weight 3
    服务质量 weight 30: I3 max 10 weight 1
    管理     weight 30: I4 max 5  weight 1

It is opened (sheets for stations A, B and C); `evaluator` is assigned to A and
`evaluator_2` to B and C.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shegong.core.roles import Role
from shegong.evaluation import services
from shegong.evaluation.models import EvaluationRound, Indicator, StationEvaluation
from tests.conftest import World, make_user


@dataclass
class ScoredRound:
    world: World
    round: EvaluationRound
    indicators: dict[str, Indicator]

    def sheet(self, station) -> StationEvaluation:
        return StationEvaluation.objects.get(round=self.round, station=station)


def draft_round(world: World, **kwargs) -> EvaluationRound:
    args = {"name": "2026年末期评估", "kind": "final", "year": 2026}
    args.update(kwargs)
    return services.round_create(actor=world["city"], **args)


def make_scored_round(world: World) -> ScoredRound:
    city = world["city"]
    world.people["evaluator_2"] = make_user("evaluator_2", Role.EVALUATOR, city=world.city)
    round = draft_round(world)
    output = services.indicator_group_add(actor=city, round=round, name="服务产出", weight=40)
    quality = services.indicator_group_add(
        actor=city, round=round, name="服务质量", weight=30, position=1
    )
    management = services.indicator_group_add(
        actor=city, round=round, name="管理", weight=30, position=2
    )

    def scored(group, name, max_score, weight=1, position=0):
        return services.indicator_add(
            actor=city,
            group=group,
            name=name,
            max_score=Decimal(max_score),
            weight=weight,
            method="scored",
            position=position,
        )

    indicators = {
        "I1": scored(output, "服务计划执行", 10),
        "I2": scored(output, "服务成效", 20, weight=3, position=1),
        "I3": scored(quality, "专业服务质量", 10),
        "I4": scored(management, "制度与档案", 5),
    }
    services.round_assign(
        actor=city, round=round, station=world.station_a, evaluator=world["evaluator"]
    )
    for station in (world.station_b, world.station_c):
        services.round_assign(
            actor=city, round=round, station=station, evaluator=world["evaluator_2"]
        )
    round = services.round_open(actor=city, round=round)
    return ScoredRound(world=world, round=round, indicators=indicators)


# Scores per station: I1, I2, I3, I4.
SCORES = {
    "station_a": ("8", "15", "9", "5"),
    "station_b": ("10", "20", "10", "4.5"),
    "station_c": ("5", "10", "6", "3"),
}
EVALUATOR_OF = {"station_a": "evaluator", "station_b": "evaluator_2", "station_c": "evaluator_2"}


def score_all(sr: ScoredRound, api, submit: bool = True) -> None:
    """Every station scored (and submitted) by its evaluator through the API."""
    for station_name, values in SCORES.items():
        station = getattr(sr.world, station_name)
        client = api(sr.world[EVALUATOR_OF[station_name]])
        sheet = sr.sheet(station)
        for key, value in zip(("I1", "I2", "I3", "I4"), values, strict=True):
            response = client.post(
                f"/api/station-evaluations/{sheet.pk}/scores/",
                {"indicator": sr.indicators[key].pk, "score": value, "note": "现场查阅"},
                format="json",
            )
            assert response.status_code == 200, response.json()
        if submit:
            response = client.post(f"/api/station-evaluations/{sheet.pk}/submit/", {})
            assert response.status_code == 200, response.json()


def english_messages(settings) -> None:
    """Requests answer in English (the messages compared in the tests); the
    Chinese default is exercised where a test sets the zh-hans cookie."""
    settings.LANGUAGE_CODE = "en"
