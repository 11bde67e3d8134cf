"""Evaluation rounds: the indicator system's rules, the round's state machine,
scoring with range checks and locking, weighted totals, grades and ranks against
hand-computed figures, the export, and the station's replies."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shegong.evaluation import services
from shegong.evaluation.models import RoundStatus, SheetStatus
from shegong.evaluation.scoring import grade
from tests.conftest import shared
from tests.evaluation_world import draft_round, english_messages, make_scored_round, score_all


@pytest.fixture(autouse=True)
def english(settings):
    english_messages(settings)


sr = shared(make_scored_round)


def _messages(error: ValidationError) -> list[str]:
    return error.messages


# --- The indicator system -----------------------------------------------------------


def test_group_weights_must_add_up_to_100_before_opening(world):
    city = world["city"]
    round = draft_round(world)
    group = services.indicator_group_add(actor=city, round=round, name="服务产出", weight=60)
    services.indicator_add(
        actor=city, group=group, name="服务成效", max_score=Decimal(10), method="scored"
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.round_open(actor=city, round=round)
    assert _messages(error.value) == ["The group weights add up to 60; they must add up to 100."]
    # A group that would push the sum past 100 is refused when added.
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.indicator_group_add(actor=city, round=round, name="管理", weight=50)
    assert error.value.message_dict["weight"] == [
        "The group weights would add up to 110; they must add up to 100."
    ]
    services.indicator_group_add(actor=city, round=round, name="管理", weight=40)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.round_open(actor=city, round=round)
    assert _messages(error.value) == ["These groups have no indicators: 管理."]


def test_standard_system_adds_up_to_100_and_opens(world, api):
    response = api(world["city"]).post(
        "/api/evaluation-rounds/",
        {"name": "2026年末期评估(全市)", "kind": "final", "year": 2026},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [g["weight"] for g in body["groups"]] == [30, 30, 15, 10, 15]
    assert body["month_from"], body["month_to"] == (1, 12)
    opened = api(world["city"]).post(f"/api/evaluation-rounds/{body['id']}/open/", {})
    assert opened.status_code == 200
    assert opened.json()["status"] == "open"


def test_mid_term_round_covers_january_to_june(world):
    round = draft_round(world, kind="mid_term", name="2026年中期评估")
    assert (round.month_from, round.month_to) == (1, 6)


def test_illegal_transitions_are_refused_with_a_message(sr, api):
    client = api(sr.world["city"])
    with translation.override("en"):
        again = client.post(f"/api/evaluation-rounds/{sr.round.pk}/open/", {})
        early = client.post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    assert again.status_code == 400
    assert again.json() == {
        "detail": ["Only a draft round can be opened; this one is Open for scoring."]
    }
    assert early.status_code == 400
    assert early.json() == {"detail": ["3 station(s) have not been submitted yet."]}
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.indicator_group_add(actor=sr.world["city"], round=sr.round, name="财务", weight=1)
    assert _messages(error.value) == [
        "The indicator system can only be changed while the round is a draft."
    ]


def test_only_the_city_officer_finalises(sr, api):
    score_all(sr, api)
    refused = api(sr.world["district"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    assert refused.status_code == 403
    done = api(sr.world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    assert done.status_code == 200
    assert done.json()["status"] == "finalised"
    with translation.override("en"):
        again = api(sr.world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    assert again.json() == {
        "detail": ["Only an open round can be finalised; this one is Finalised."]
    }


# --- Scoring ------------------------------------------------------------------------


def test_score_outside_zero_to_max_is_refused(sr, api):
    sheet = sr.sheet(sr.world.station_a)
    client = api(sr.world["evaluator"])
    url = f"/api/station-evaluations/{sheet.pk}/scores/"
    with translation.override("en"):
        over = client.post(
            url, {"indicator": sr.indicators["I1"].pk, "score": "10.5"}, format="json"
        )
        under = client.post(
            url, {"indicator": sr.indicators["I1"].pk, "score": "-1"}, format="json"
        )
    assert over.status_code == under.status_code == 400
    assert over.json() == {"score": ["The score must be between 0 and 10."]}
    assert under.json() == {"score": ["The score must be between 0 and 10."]}
    edge = client.post(url, {"indicator": sr.indicators["I1"].pk, "score": "10"}, format="json")
    assert edge.status_code == 200
    assert edge.json()["score"] == "10.00"


def test_submission_needs_every_scored_indicator(sr, api):
    sheet = sr.sheet(sr.world.station_a)
    client = api(sr.world["evaluator"])
    client.post(
        f"/api/station-evaluations/{sheet.pk}/scores/",
        {"indicator": sr.indicators["I1"].pk, "score": "8"},
        format="json",
    )
    with translation.override("en"):
        response = client.post(f"/api/station-evaluations/{sheet.pk}/submit/", {})
    assert response.status_code == 400
    assert response.json() == {
        "detail": [
            "Score every indicator before submitting. Missing: 服务成效、专业服务质量、制度与档案."
        ]
    }


def test_scores_are_locked_after_submission(sr, api):
    score_all(sr, api)
    sheet = sr.sheet(sr.world.station_a)
    assert sheet.status == SheetStatus.SUBMITTED
    with translation.override("en"):
        response = api(sr.world["evaluator"]).post(
            f"/api/station-evaluations/{sheet.pk}/scores/",
            {"indicator": sr.indicators["I1"].pk, "score": "1"},
            format="json",
        )
    assert response.status_code == 400
    assert response.json() == {"detail": ["This station's scores were submitted and are locked."]}
    assert sheet.scores.get(indicator=sr.indicators["I1"]).score == Decimal("8.00")


def test_only_the_assigned_evaluator_scores(sr, api):
    sheet_b = sr.sheet(sr.world.station_b)
    # `evaluator` is not assigned to B: B's sheet does not exist for them.
    response = api(sr.world["evaluator"]).post(
        f"/api/station-evaluations/{sheet_b.pk}/scores/",
        {"indicator": sr.indicators["I1"].pk, "score": "1"},
        format="json",
    )
    assert response.status_code == 404
    # The district officer may read B's sheet but not score it.
    response = api(sr.world["district"]).post(
        f"/api/station-evaluations/{sheet_b.pk}/scores/",
        {"indicator": sr.indicators["I1"].pk, "score": "1"},
        format="json",
    )
    assert response.status_code == 403


# --- Results ------------------------------------------------------------------------


def test_weighted_totals_grades_and_ranks(sr, api):
    """Hand-computed (group score = W × Σ(w·s/M) / Σw):

    A: 服务产出 40 × (1×8/10 + 3×15/20) / 4 = 40 × 3.05/4 = 30.50
       服务质量 30 × 9/10 = 27.00; 管理 30 × 5/5 = 30.00 → 87.50 良好
    B: 40 × (1×10/10 + 3×20/20)/4 = 40.00; 30 × 10/10 = 30.00; 30 × 4.5/5 = 27.00
       → 97.00 优秀
    C: 40 × (1×5/10 + 3×10/20)/4 = 40 × 2/4 = 20.00; 30 × 6/10 = 18.00;
       30 × 3/5 = 18.00 → 56.00 不合格
    City ranks B 1, A 2, C 3; in 海珠 B 1, A 2; in 越秀 C 1.
    """
    score_all(sr, api)
    api(sr.world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    rows = api(sr.world["city"]).get(f"/api/evaluation-rounds/{sr.round.pk}/results/").json()
    assert [
        (
            r["station_code"],
            r["groups"],
            r["total"],
            r["grade"],
            r["rank_district"],
            r["rank_round"],
        )
        for r in rows
    ] == [
        (
            "haizhu-11",
            {"服务产出": "40.00", "服务质量": "30.00", "管理": "27.00"},
            "97.00",
            "excellent",
            1,
            1,
        ),
        (
            "haizhu-10",
            {"服务产出": "30.50", "服务质量": "27.00", "管理": "30.00"},
            "87.50",
            "good",
            2,
            2,
        ),
        (
            "yuexiu-02",
            {"服务产出": "20.00", "服务质量": "18.00", "管理": "18.00"},
            "56.00",
            "fail",
            1,
            3,
        ),
    ]
    # The district officer sees their district's stations, with the city ranks.
    district_rows = (
        api(sr.world["district"]).get(f"/api/evaluation-rounds/{sr.round.pk}/results/").json()
    )
    assert [(r["station_code"], r["rank_round"]) for r in district_rows] == [
        ("haizhu-11", 1),
        ("haizhu-10", 2),
    ]


def test_equal_totals_share_a_rank(sr, api):
    score_all(sr, api, submit=False)
    # Give C the same scores as A: both 87.50, ranked 2 and 2, none 3.
    sheet_c = sr.sheet(sr.world.station_c)
    client = api(sr.world["evaluator_2"])
    for key, value in zip(("I1", "I2", "I3", "I4"), ("8", "15", "9", "5"), strict=True):
        client.post(
            f"/api/station-evaluations/{sheet_c.pk}/scores/",
            {"indicator": sr.indicators[key].pk, "score": value},
            format="json",
        )
    rows = api(sr.world["city"]).get(f"/api/evaluation-rounds/{sr.round.pk}/results/").json()
    assert [(r["station_code"], r["total"], r["rank_round"]) for r in rows] == [
        ("haizhu-11", "97.00", 1),
        ("haizhu-10", "87.50", 2),
        ("yuexiu-02", "87.50", 2),
    ]


@pytest.mark.parametrize(
    ("total", "code"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("80", "good"),
        ("79.99", "pass"),
        ("60", "pass"),
        ("59.99", "fail"),
        ("0", "fail"),
    ],
)
def test_grade_thresholds(total, code):
    assert grade(Decimal(total))[0] == code


def test_results_export_has_chinese_headers_and_the_figures(sr, api, login):
    score_all(sr, api)
    api(sr.world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    client = login(sr.world["city"])
    client.cookies["django_language"] = "zh-hans"  # the default language's headers
    response = client.get(f"/evaluation/rounds/{sr.round.pk}/export/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="evaluation-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "排名",
        "区排名",
        "区",
        "社工站",
        "服务产出",
        "服务质量",
        "管理",
        "总分",
        "等级",
    ]
    assert rows[1:] == [
        ["1", "1", "海珠区", "南石头街社工站", "40.00", "30.00", "27.00", "97.00", "优秀"],
        ["2", "2", "海珠区", "沙园街社工站", "30.50", "27.00", "30.00", "87.50", "良好"],
        ["3", "1", "越秀区", "北京街社工站", "20.00", "18.00", "18.00", "56.00", "不合格"],
    ]
    xlsx = login(sr.world["city"]).get(
        f"/evaluation/rounds/{sr.round.pk}/export/", {"format": "xlsx"}
    )
    assert xlsx.status_code == 200
    # The district officer's export holds only their district.
    district = login(sr.world["district"]).get(
        f"/evaluation/rounds/{sr.round.pk}/export/", {"format": "csv"}
    )
    text = b"".join(district.streaming_content).decode("utf-8-sig")
    assert [r[3] for r in csv.reader(io.StringIO(text))][1:] == ["南石头街社工站", "沙园街社工站"]


# --- The station's view and replies -------------------------------------------------


def test_director_sees_own_scores_only_once_finalised(sr, api):
    score_all(sr, api)
    director = api(sr.world["director"])
    sheet_a = sr.sheet(sr.world.station_a)
    assert director.get(f"/api/station-evaluations/{sheet_a.pk}/").status_code == 404
    assert director.get("/api/indicator-scores/").json()["count"] == 0
    api(sr.world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    assert director.get(f"/api/station-evaluations/{sheet_a.pk}/").status_code == 200
    scores = director.get("/api/indicator-scores/").json()
    assert sorted(s["score"] for s in scores["results"]) == ["15.00", "5.00", "8.00", "9.00"]
    # Another station's sheet stays out of reach.
    sheet_b = sr.sheet(sr.world.station_b)
    assert director.get(f"/api/station-evaluations/{sheet_b.pk}/").status_code == 404
    rows = director.get(f"/api/evaluation-rounds/{sr.round.pk}/results/").json()
    assert [(r["station_code"], r["total"], r["rank_round"]) for r in rows] == [
        ("haizhu-10", "87.50", 2)
    ]


def test_director_replies_per_indicator_and_overall(sr, api):
    score_all(sr, api)
    sheet_a = sr.sheet(sr.world.station_a)
    director = api(sr.world["director"])
    api(sr.world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    overall = director.post(
        f"/api/station-evaluations/{sheet_a.pk}/reply/", {"text": "感谢评估组的意见"}, format="json"
    )
    assert overall.status_code == 200
    assert overall.json()["director_comment"] == "感谢评估组的意见"
    one = director.post(
        f"/api/station-evaluations/{sheet_a.pk}/reply/",
        {"text": "服务成效已补充材料", "indicator": sr.indicators["I2"].pk},
        format="json",
    )
    assert one.status_code == 200
    assert sheet_a.scores.get(indicator=sr.indicators["I2"]).director_reply == "服务成效已补充材料"
    # Director B cannot reply on A's sheet (404: not theirs); a worker never sees it.
    assert (
        api(sr.world["director_b"])
        .post(f"/api/station-evaluations/{sheet_a.pk}/reply/", {"text": "x"}, format="json")
        .status_code
        == 404
    )
    assert api(sr.world["worker"]).get(f"/api/station-evaluations/{sheet_a.pk}/").status_code == 404


def test_round_status_after_finalising(sr, api):
    score_all(sr, api)
    api(sr.world["city"]).post(f"/api/evaluation-rounds/{sr.round.pk}/finalise/", {})
    sr.round.refresh_from_db()
    assert sr.round.status == RoundStatus.FINALISED
    assert sr.round.finalised_by == sr.world["city"]
