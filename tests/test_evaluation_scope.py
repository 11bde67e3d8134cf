"""Evaluators' scope comes from evaluation rounds: the stations of their
assignments in open rounds, nothing from drafts or finalised rounds; reassignment
changes it at once. API and web scoping of the evaluation records."""

from __future__ import annotations

import pytest

from shegong.evaluation import services
from shegong.evaluation.models import EvaluationRound, RoundAssignment
from tests.evaluation_world import english_messages, make_scored_round, score_all


@pytest.fixture(autouse=True)
def english(settings):
    english_messages(settings)


def _station_codes(api, user) -> list[str]:
    return [s["code"] for s in api(user).get("/api/stations/").json()["results"]]


def _close_world_round(world):
    """The world's own round (evaluator at A) is finalised out of the way."""
    EvaluationRound.objects.filter(name="2026 final evaluation").update(status="finalised")


def test_evaluator_sees_only_the_stations_of_open_round_assignments(world, api):
    assert _station_codes(api, world["evaluator"]) == ["haizhu-10"]
    _close_world_round(world)
    assert _station_codes(api, world["evaluator"]) == []
    assert api(world["evaluator"]).get(f"/api/stations/{world.station_a.pk}/").status_code == 404


def test_draft_round_gives_no_scope_until_opened(world, api):
    _close_world_round(world)
    city = world["city"]
    round = services.round_create(actor=city, name="中期评估", kind="mid_term", year=2026)
    services.round_add_standard_system(actor=city, round=round)
    services.round_assign(
        actor=city, round=round, station=world.station_c, evaluator=world["evaluator"]
    )
    assert _station_codes(api, world["evaluator"]) == []
    services.round_open(actor=city, round=round)
    assert _station_codes(api, world["evaluator"]) == ["yuexiu-02"]


def test_reassignment_changes_scope(world, api):
    sr = make_scored_round(world)
    evaluator_2 = world["evaluator_2"]
    assert _station_codes(api, evaluator_2) == ["haizhu-11", "yuexiu-02"]
    sheet_c = sr.sheet(world.station_c)
    assert api(evaluator_2).get(f"/api/station-evaluations/{sheet_c.pk}/").status_code == 200
    assignment = RoundAssignment.objects.get(evaluation=sheet_c, evaluator=evaluator_2)
    response = api(world["city"]).delete(f"/api/evaluation-assignments/{assignment.pk}/")
    assert response.status_code == 204
    assert _station_codes(api, evaluator_2) == ["haizhu-11"]
    assert api(evaluator_2).get(f"/api/station-evaluations/{sheet_c.pk}/").status_code == 404
    created = api(world["city"]).post(
        "/api/evaluation-assignments/",
        {"round": sr.round.pk, "station": world.station_c.pk, "evaluator": world["evaluator"].pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert _station_codes(api, world["evaluator"]) == ["haizhu-10", "yuexiu-02"]


def test_evaluator_sees_only_their_sheets_of_the_round(world, api):
    sr = make_scored_round(world)
    sheets = api(world["evaluator"]).get("/api/station-evaluations/", {"round": sr.round.pk})
    assert [s["station"] for s in sheets.json()["results"]] == [world.station_a.pk]
    # Station B is in the round but not theirs: 404 on the sheet and its page.
    sheet_b = sr.sheet(world.station_b)
    assert api(world["evaluator"]).get(f"/api/station-evaluations/{sheet_b.pk}/").status_code == 404
    # The world's round also assigns them to station A: the sheet of that other
    # round is theirs, but B's sheet of this round still is not.
    assert api(world["evaluator"]).get("/api/station-evaluations/").json()["count"] == 2


def test_evaluator_loses_the_round_when_it_is_finalised(world, api):
    sr = make_scored_round(world)
    score_all(sr, api)
    api(world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    assert api(world["evaluator_2"]).get("/api/station-evaluations/").json()["count"] == 0
    assert _station_codes(api, world["evaluator_2"]) == []


@pytest.mark.parametrize(
    ("person", "count"),
    [
        ("city", 3),
        ("district", 2),
        ("other_district", 1),
        ("agency", 0),  # station side: only after finalising
        ("director", 0),
        ("admin", 3),
    ],
)
def test_sheet_lists_per_role_while_open(world, api, person, count):
    sr = make_scored_round(world)
    response = api(world[person]).get("/api/station-evaluations/", {"round": sr.round.pk})
    assert response.json()["count"] == count


def test_social_workers_see_no_evaluation_at_all(world, api):
    sr = make_scored_round(world)
    client = api(world["worker"])
    assert client.get("/api/station-evaluations/").json()["count"] == 0
    assert client.get("/api/evaluation-rounds/").json()["count"] == 0
    # Even naming the round in a filter reads like a missing one.
    assert client.get("/api/station-evaluations/", {"round": sr.round.pk}).status_code == 400


def test_only_the_city_officer_creates_rounds_and_assigns(world, api):
    body = {"name": "评估", "kind": "final", "year": 2026}
    assert (
        api(world["district"]).post("/api/evaluation-rounds/", body, format="json").status_code
        == 403
    )
    assert (
        api(world["evaluator"]).post("/api/evaluation-rounds/", body, format="json").status_code
        == 403
    )
    assert api().get("/api/evaluation-rounds/").status_code == 401


def test_web_pages_follow_the_scope(world, api, login):
    sr = make_scored_round(world)
    sheet_a, sheet_b = sr.sheet(world.station_a), sr.sheet(world.station_b)
    evaluator = login(world["evaluator"])
    assert evaluator.get(f"/evaluation/sheets/{sheet_a.pk}/").status_code == 200
    assert evaluator.get(f"/evaluation/sheets/{sheet_b.pk}/").status_code == 404
    response = evaluator.post(
        f"/evaluation/sheets/{sheet_a.pk}/score/",
        {"indicator": sr.indicators["I1"].pk, "score": "11"},
    )
    assert response.status_code == 400
    assert "The score must be between 0 and 10." in response.content.decode()
    ok = evaluator.post(
        f"/evaluation/sheets/{sheet_a.pk}/score/",
        {"indicator": sr.indicators["I1"].pk, "score": "7"},
    )
    assert ok.status_code == 302
    assert login(world["director"]).get(f"/evaluation/sheets/{sheet_a.pk}/").status_code == 404
    page = login(world["city"]).get(f"/evaluation/rounds/{sr.round.pk}/")
    assert page.status_code == 200
    assert login(world["director_b"]).get(f"/evaluation/rounds/{sr.round.pk}/").status_code == 404
    anonymous = api().get(f"/evaluation/rounds/{sr.round.pk}/")
    assert anonymous.status_code == 302
