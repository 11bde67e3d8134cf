"""Survey analysis against hand-counted fixtures: distributions per question
(counts, percentages, mean rating), the needs ranking per domain, and the
satisfaction rate per station, district and city with its change in percentage
points against a baseline year. Responses are entered as paper questionnaires so
that their dates (and so their years) are chosen."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shegong.org.models import Station
from shegong.surveys import selectors, services
from shegong.surveys.models import Survey
from tests.conftest import make_user
from tests.survey_world import (
    published,
    survey_settings,  # noqa: F401  (autouse fixture)
)

TODAY = timezone.localdate()
YEAR = TODAY.year
LAST_YEAR_DAY = datetime.date(YEAR - 1, 6, 1)


def _question(survey, kind, text, options=(), required=True, director=None):
    return services.question_add(
        actor=director or survey.created_by,
        survey=survey,
        kind=kind,
        text=text,
        required=required,
        options=[(o, "") for o in options],
    )


def _enter(world, survey, answers, on=TODAY, worker=None):
    return services.response_enter_paper(
        actor=worker or world["worker"], survey=survey, answers=answers, answered_on=on
    )


@pytest.fixture
def sample(world):
    """Five responses to a four-question survey of station A."""
    director = world["director"]
    survey = services.survey_create(actor=director, kind="other", title="样本问卷")
    single = _question(survey, "single", "Q1", ["A", "B", "C"])
    multiple = _question(survey, "multiple", "Q2", ["X", "Y", "Z"], required=False)
    rating = _question(survey, "rating", "Q3")
    text = _question(survey, "text", "Q4", required=False)
    services.survey_publish(actor=director, survey=survey)
    o = {opt.label: opt.pk for q in (single, multiple) for opt in q.options.all()}
    rows = [
        ("A", ["X", "Y"], 5, "好"),
        ("A", ["X"], 4, ""),
        ("B", ["Y", "Z"], 3, "一般"),
        ("C", [], 2, ""),
        ("A", [], 5, ""),
    ]
    for one, many, stars, words in rows:
        _enter(
            world,
            survey,
            {
                single.pk: o[one],
                multiple.pk: [o[m] for m in many],
                rating.pk: stars,
                text.pk: words,
            },
        )
    return survey


def test_distribution_per_question_is_counted_exactly(sample):
    results = selectors.survey_results(sample)
    q1, q2, q3, q4 = results["questions"]
    assert results["responses"] == 5
    assert q1["answered"] == 5
    assert [(o["label"], o["count"], o["percent"]) for o in q1["options"]] == [
        ("A", 3, Decimal("60.0")),
        ("B", 1, Decimal("20.0")),
        ("C", 1, Decimal("20.0")),
    ]
    # Multiple choice: percentages of the 3 who answered it, adding up to > 100 %.
    assert q2["answered"] == 3
    assert [(o["label"], o["count"], o["percent"]) for o in q2["options"]] == [
        ("X", 2, Decimal("66.7")),
        ("Y", 2, Decimal("66.7")),
        ("Z", 1, Decimal("33.3")),
    ]
    assert [(r["label"], r["count"], r["percent"]) for r in q3["ratings"]] == [
        ("1", 0, Decimal("0.0")),
        ("2", 1, Decimal("20.0")),
        ("3", 1, Decimal("20.0")),
        ("4", 1, Decimal("20.0")),
        ("5", 2, Decimal("40.0")),
    ]
    assert (q3["mean"], q3["satisfied_percent"]) == (Decimal("3.80"), Decimal("60.00"))
    assert (q4["answered"], sorted(q4["texts"])) == (2, sorted(["好", "一般"]))


def test_results_page_shows_the_figures_and_the_chart_data(world, client, sample):
    client.force_login(world["director"])
    page = client.get(f"/surveys/{sample.pk}/results/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="survey-charts"' in body and "surveys/results.js" in body
    assert "<script>" not in body.replace('<script id="survey-charts" type="application/json">', "")
    charts = page.context["charts"]
    assert [c["counts"] for c in charts] == [[3, 1, 1], [2, 2, 1], [0, 1, 1, 1, 2]]
    assert "3.80" in body and "60.0%" in body


def test_needs_ranking_by_domain(world):
    survey = published(world, "needs")
    questions = list(survey.questions.prefetch_related("options").order_by("position"))
    age, years, family, elderly, youth, featured, _text = questions
    o = {opt.label: opt.pk for q in questions for opt in q.options.all()}
    base = {age.pk: o["60–79岁"], years.pk: o["5年以上"]}
    picks = [
        (
            ["邻里互助", "亲子关系与家庭教育"],
            ["长者照顾"],
            ["青少年课后托管"],
            ["旧楼加装电梯协商"],
        ),
        (["邻里互助"], ["长者照顾", "独居长者探访"], [], ["旧楼加装电梯协商"]),
        (["邻里互助"], ["长者饭堂与送餐"], [], ["社区图书馆"]),
    ]
    for f, e, y, x in picks:
        _enter(
            world,
            survey,
            {
                **base,
                family.pk: [o[n] for n in f],
                elderly.pk: [o[n] for n in e],
                youth.pk: [o[n] for n in y],
                featured.pk: [o[n] for n in x],
            },
        )
    ranking = {g["domain"]: g["needs"] for g in selectors.needs_ranking(survey)}
    assert list(ranking) == ["family", "elderly", "youth", "featured"]
    assert [(n["need"], n["count"], n["percent"]) for n in ranking["family"][:2]] == [
        ("邻里互助", 3, Decimal("100.0")),
        ("亲子关系与家庭教育", 1, Decimal("33.3")),
    ]
    assert [(n["need"], n["count"]) for n in ranking["elderly"]][0] == ("长者照顾", 2)
    assert {n["need"]: n["count"] for n in ranking["elderly"]} == {
        "长者照顾": 2,
        "独居长者探访": 1,
        "长者饭堂与送餐": 1,
        "长者健康与防跌倒": 0,
    }
    assert ranking["youth"][0] == {"need": "青少年课后托管", "count": 1, "percent": Decimal("33.3")}
    assert [(n["need"], n["count"]) for n in ranking["featured"][:2]] == [
        ("旧楼加装电梯协商", 2),
        ("社区图书馆", 1),
    ]
    top = selectors.top_needs(survey, limit=2)
    assert [(n["need"], n["count"]) for n in top] == [("邻里互助", 3), ("旧楼加装电梯协商", 2)]


# --- Satisfaction rate -------------------------------------------------------------


def _satisfaction(world, director):
    survey = services.survey_create(actor=director, kind="satisfaction", title="满意度")
    first = _question(survey, "rating", "总体", director=director)
    second = _question(survey, "rating", "态度", director=director)
    services.survey_publish(actor=director, survey=survey)
    return survey, first, second


@pytest.fixture
def rates(world):
    """Ratings (two per response) at stations A, B (海珠) and C (越秀):

    this year:  A (5,4) (4,3) (2,5) → 4 of 6;  B (5,5) (4,1) → 3 of 4;  C (3,3) → 0 of 2
    last year:  A (5,5) → 2 of 2;  B none;  C (4,2) → 1 of 2
    """
    director_c = make_user("director_c", "station_director", station=world.station_c)
    worker_b = make_user("worker_b", "social_worker", station=world.station_b)
    worker_c = world["worker_c"]
    plan = {
        (world["director"], world["worker"]): [
            ((5, 4), TODAY),
            ((4, 3), TODAY),
            ((2, 5), TODAY),
            ((5, 5), LAST_YEAR_DAY),
        ],
        (world["director_b"], worker_b): [((5, 5), TODAY), ((4, 1), TODAY)],
        (director_c, worker_c): [((3, 3), TODAY), ((4, 2), LAST_YEAR_DAY)],
    }
    for (director, worker), rows in plan.items():
        survey, first, second = _satisfaction(world, director)
        for (a, b), on in rows:
            _enter(world, survey, {first.pk: a, second.pk: b}, on=on, worker=worker)
    # Ratings of a survey of another kind never count in the satisfaction rate.
    other = services.survey_create(actor=world["director"], kind="other", title="其他")
    q = _question(other, "rating", "评分")
    services.survey_publish(actor=world["director"], survey=other)
    _enter(world, other, {q.pk: 1})
    return world


def test_satisfaction_rate_of_the_city_for_a_year(rates):
    stations = Station.objects.visible_to(rates["city"])
    assert selectors.satisfaction_rate(stations_queryset=stations, year=YEAR) == {
        "rate": Decimal("58.33"),
        "satisfied": 7,
        "answers": 12,
        "responses": 6,
    }
    assert selectors.satisfaction_rate(stations_queryset=stations, year=YEAR - 1) == {
        "rate": Decimal("75.00"),
        "satisfied": 3,
        "answers": 4,
        "responses": 2,
    }
    assert selectors.satisfaction_rate(stations_queryset=stations, year=YEAR - 2)["rate"] is None


def test_satisfaction_rate_per_station_and_district(rates):
    stations = Station.objects.visible_to(rates["city"])
    by_station = selectors.satisfaction_rate_by_station(stations_queryset=stations, year=YEAR)
    assert {k: v["rate"] for k, v in by_station.items()} == {
        rates.station_a.pk: Decimal("66.67"),
        rates.station_b.pk: Decimal("75.00"),
        rates.station_c.pk: Decimal("0.00"),
    }
    by_district = selectors.satisfaction_rate_by_district(stations_queryset=stations, year=YEAR)
    assert {k: (v["rate"], v["answers"]) for k, v in by_district.items()} == {
        rates.district.pk: (Decimal("70.00"), 10),
        rates.other_district.pk: (Decimal("0.00"), 2),
    }


def test_satisfaction_change_against_the_baseline_year(rates):
    overview = selectors.satisfaction_overview(
        stations_queryset=Station.objects.visible_to(rates["city"]),
        year=YEAR,
        baseline_year=YEAR - 1,
    )
    assert (overview["now"]["rate"], overview["base"]["rate"], overview["change"]) == (
        Decimal("58.33"),
        Decimal("75.00"),
        Decimal("-16.67"),
    )
    districts = {d["district"].name: d for d in overview["districts"]}
    assert districts["海珠区"]["change"] == Decimal("-30.00")
    assert districts["越秀区"]["change"] == Decimal("-50.00")
    stations = {
        s["station"].code: s["change"] for d in overview["districts"] for s in d["stations"]
    }
    assert stations == {
        "haizhu-10": Decimal("-33.33"),
        "haizhu-11": None,
        "yuexiu-02": Decimal("-50.00"),
    }


def test_satisfaction_rate_respects_the_viewers_scope(rates, client):
    district = rates["district"]
    own = selectors.satisfaction_rate(
        stations_queryset=Station.objects.visible_to(district), year=YEAR
    )
    assert (own["rate"], own["answers"]) == (Decimal("70.00"), 10)
    # With `user`, even an unrestricted station list is read through the scope.
    scoped = selectors.satisfaction_rate(
        stations_queryset=Station.objects.all(), year=YEAR, user=district
    )
    assert scoped == own
    client.force_login(district)
    page = client.get(f"/surveys/satisfaction/?year={YEAR}&baseline={YEAR - 1}")
    assert page.status_code == 200
    overview = page.context["overview"]
    assert (overview["now"]["rate"], overview["change"]) == (Decimal("70.00"), Decimal("-30.00"))
    assert [d["district"].name for d in overview["districts"]] == ["海珠区"]


def test_satisfaction_page_for_the_city(rates, client):
    client.force_login(rates["city"])
    page = client.get("/surveys/satisfaction/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "58.33%" in body and "-16.67" in body and "北京街社工站" in body


def test_versions_of_a_satisfaction_survey_all_count(world):
    director = world["director"]
    survey, first, _second = _satisfaction(world, director)
    _enter(world, survey, {first.pk: 5, _second.pk: 5})
    draft = services.survey_new_version(actor=director, survey=survey)
    services.survey_publish(actor=director, survey=draft)
    q1, q2 = draft.questions.order_by("position")
    _enter(world, draft, {q1.pk: 1, q2.pk: 2})
    assert Survey.objects.get(pk=survey.pk).status == "closed"
    rate = selectors.satisfaction_rate(
        stations_queryset=Station.objects.filter(pk=world.station_a.pk), year=YEAR
    )
    assert (rate["rate"], rate["answers"], rate["responses"]) == (Decimal("50.00"), 4, 2)
