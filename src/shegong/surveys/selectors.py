"""Reads of the surveys app: results of one survey, the needs ranking, and the
satisfaction rate of stations, districts and the city.

Satisfaction rate (满意度), exactly: among all rating answers (1–5) given in
satisfaction surveys (kind "satisfaction") of the stations in question, in
responses whose `answered_on` falls in the year, the share of answers rated 4
(satisfied) or 5 (very satisfied), as a percentage rounded to two decimals:

    rate = 100 × #(rating ≥ 4) / #(rating answers)

Every rating question counts equally and every answer once; online and paper
responses count alike; with no rating answers the rate is None (not 0). The
change against a baseline year is the difference of the two rates in percentage
points.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from shegong.core.models import Domain
from shegong.surveys.models import (
    CHOICE_KINDS,
    SATISFIED_FROM,
    Answer,
    QuestionKind,
    Survey,
    SurveyKind,
    SurveyStatus,
)

TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")


def percent(part: int, whole: int, places: Decimal = ONE_PLACE) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)


def visible_surveys(user) -> QuerySet[Survey]:
    return Survey.objects.visible_to(user).select_related("station", "city")


def station_surveys_answered(user, station_id: int) -> QuerySet[Survey]:
    """The station's published and closed surveys with their number of
    responses, the most recently published first: the results to read."""
    return (
        Survey.objects.visible_to(user)
        .filter(station_id=station_id, status__in=[SurveyStatus.PUBLISHED, SurveyStatus.CLOSED])
        .annotate(response_count=Count("responses"))
        .filter(response_count__gt=0)
        .order_by("-published_at", "-pk")
    )


# --- One survey's results --------------------------------------------------------


def survey_results(survey: Survey) -> dict[str, Any]:
    """Per question: how many answered it, and
    - choice: per option the respondents who chose it and their percentage of those
      who answered the question (multiple choice can add up to more than 100 %),
    - rating: the count and percentage of each rating 1–5 and the mean (2 places),
    - text: the answers, newest first.
    """
    responses = survey.responses.count()
    questions = list(survey.questions.prefetch_related("options").order_by("position", "pk"))
    answered = dict(
        Answer.objects.filter(response__survey=survey)
        .values_list("question")
        .annotate(n=Count("response", distinct=True))
        .values_list("question", "n")
    )
    by_option = dict(
        Answer.objects.filter(response__survey=survey, option__isnull=False)
        .values_list("option")
        .annotate(n=Count("id"))
        .values_list("option", "n")
    )
    by_rating: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, rating, n in (
        Answer.objects.filter(response__survey=survey, rating__isnull=False)
        .values_list("question", "rating")
        .annotate(n=Count("id"))
        .values_list("question", "rating", "n")
    ):
        by_rating[question_id][rating] = n
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in (
        Answer.objects.filter(response__survey=survey)
        .exclude(text="")
        .order_by("-response__submitted_at", "-pk")
        .values_list("question", "text")
    ):
        texts[question_id].append(text)

    results = []
    for q in questions:
        n = answered.get(q.pk, 0)
        item: dict[str, Any] = {"question": q, "answered": n, "kind": q.kind}
        if q.kind in CHOICE_KINDS:
            item["options"] = [
                {
                    "label": o.label,
                    "domain": o.domain,
                    "count": by_option.get(o.pk, 0),
                    "percent": percent(by_option.get(o.pk, 0), n),
                }
                for o in q.options.all()
            ]
        elif q.kind == QuestionKind.RATING:
            counts = by_rating.get(q.pk, {})
            total = sum(counts.values())
            item["ratings"] = [
                {
                    "label": str(r),
                    "count": counts.get(r, 0),
                    "percent": percent(counts.get(r, 0), total),
                }
                for r in range(1, 6)
            ]
            item["mean"] = (
                (Decimal(sum(r * c for r, c in counts.items())) / total).quantize(
                    TWO_PLACES, rounding=ROUND_HALF_UP
                )
                if total
                else None
            )
            item["satisfied_percent"] = percent(
                sum(c for r, c in counts.items() if r >= SATISFIED_FROM), total, TWO_PLACES
            )
        else:
            item["texts"] = texts.get(q.pk, [])
        item["bars"] = item.get("options") or item.get("ratings") or []
        results.append(item)
    return {"responses": responses, "questions": results}


def chart_data(results: dict[str, Any]) -> list[dict]:
    """The bar charts of a results page, for json_script."""
    charts = []
    for item in results["questions"]:
        bars = item["bars"]
        if not bars:
            continue
        charts.append(
            {
                "id": f"chart-{item['question'].pk}",
                "labels": [b["label"] for b in bars],
                "counts": [b["count"] for b in bars],
            }
        )
    return charts


def needs_ranking(survey: Survey) -> list[dict[str, Any]]:
    """The needs of a needs survey, per statistical domain (family, elderly, youth,
    featured, in that order): each need (an option with a domain) with the number of
    respondents who chose it and their share of all respondents, most chosen first."""
    responses = survey.responses.count()
    counts = (
        Answer.objects.filter(response__survey=survey, option__isnull=False)
        .exclude(option__domain="")
        .values("option", "option__label", "option__domain")
        .annotate(n=Count("response", distinct=True))
    )
    by_domain: dict[str, list[dict]] = {d: [] for d in Domain.values}
    for row in counts:
        by_domain[row["option__domain"]].append(
            {
                "need": row["option__label"],
                "count": row["n"],
                "percent": percent(row["n"], responses),
            }
        )
    # Needs nobody chose still appear, with 0.
    for q in survey.questions.filter(kind__in=CHOICE_KINDS).prefetch_related("options"):
        for o in q.options.all():
            if o.domain and not any(n["need"] == o.label for n in by_domain[o.domain]):
                by_domain[o.domain].append(
                    {"need": o.label, "count": 0, "percent": percent(0, responses)}
                )
    return [
        {
            "domain": domain,
            "label": label,
            "needs": sorted(by_domain[domain], key=lambda n: (-n["count"], n["need"])),
        }
        for domain, label in Domain.choices
        if by_domain[domain]
    ]


def top_needs(survey: Survey, limit: int = 5) -> list[dict[str, Any]]:
    """The most chosen needs across the four domains."""
    needs = [
        {**need, "domain_label": group["label"]}
        for group in needs_ranking(survey)
        for need in group["needs"]
    ]
    return sorted(needs, key=lambda n: (-n["count"], n["need"]))[:limit]


# --- Satisfaction rate --------------------------------------------------------------


def _rating_answers(
    stations_queryset: QuerySet, year: int, user=None, *, last_year: int | None = None
) -> QuerySet[Answer]:
    """Rating answers of satisfaction surveys of the stations, answered in `year`
    (through `last_year` when given)."""
    answers = Answer.objects.visible_to(user) if user is not None else Answer.objects.all()
    return answers.filter(
        rating__isnull=False,
        response__survey__kind=SurveyKind.SATISFACTION,
        response__survey__station__in=stations_queryset.values("pk"),
        response__answered_on__gte=datetime.date(year, 1, 1),
        response__answered_on__lte=datetime.date(last_year or year, 12, 31),
    )


def _figures(satisfied: int, answers: int, responses: int) -> dict[str, Any]:
    return {
        "rate": percent(satisfied, answers, TWO_PLACES),
        "satisfied": satisfied,
        "answers": answers,
        "responses": responses,
    }


_AGGREGATE = {
    "satisfied": Count("id", filter=Q(rating__gte=SATISFIED_FROM)),
    "answers": Count("id"),
    "responses": Count("response", distinct=True),
}


def satisfaction_rate(*, stations_queryset: QuerySet, year: int, user=None) -> dict[str, Any]:
    """The satisfaction rate of the stations together for a year (see the module
    docstring): {"rate": Decimal percent or None, "satisfied", "answers",
    "responses"}. Pass `stations_queryset` from `Station.objects.visible_to(user)`
    (and/or `user`, which also restricts the answers through their scope)."""
    return satisfaction_rates(stations_queryset=stations_queryset, years=[year], user=user)[year]


def satisfaction_rates(
    *, stations_queryset: QuerySet, years: list[int], user=None
) -> dict[int, dict[str, Any]]:
    """`satisfaction_rate` of several years in one query: {year: figures}, every
    year present (a year without answers has rate None)."""
    rows = (
        _rating_answers(stations_queryset, min(years), user, last_year=max(years))
        .annotate(year=ExtractYear("response__answered_on"))
        .values("year")
        .annotate(**_AGGREGATE)
        .order_by()
    )
    found = {r["year"]: _figures(r["satisfied"], r["answers"], r["responses"]) for r in rows}
    return {y: found.get(y, _figures(0, 0, 0)) for y in years}


def _grouped(stations_queryset, year, user, key: str) -> dict[int, dict[str, Any]]:
    rows = (
        _rating_answers(stations_queryset, year, user)
        .values(key)
        .annotate(**_AGGREGATE)
        .order_by(key)
    )
    return {r[key]: _figures(r["satisfied"], r["answers"], r["responses"]) for r in rows}


def satisfaction_rate_by_station(
    *, stations_queryset: QuerySet, year: int, user=None
) -> dict[int, dict[str, Any]]:
    """{station id: figures} for the stations with rating answers in the year (one
    GROUP BY query)."""
    return _grouped(stations_queryset, year, user, "response__survey__station")


def satisfaction_rate_by_district(
    *, stations_queryset: QuerySet, year: int, user=None
) -> dict[int, dict[str, Any]]:
    """{district id: figures}: all rating answers of the district's stations pooled."""
    return _grouped(stations_queryset, year, user, "response__survey__station__street__district")


def change_points(rate: Decimal | None, baseline: Decimal | None) -> Decimal | None:
    """The change of a rate against its baseline, in percentage points."""
    if rate is None or baseline is None:
        return None
    return rate - baseline


def satisfaction_overview(
    *, stations_queryset: QuerySet, year: int, baseline_year: int, user=None
) -> dict[str, Any]:
    """The satisfaction page: the whole (city or the viewer's scope), each district
    and each station, for the year and the baseline year, with the change in
    percentage points."""
    stations = list(
        stations_queryset.select_related("street__district").order_by(
            "street__district__code", "code"
        )
    )
    rates = satisfaction_rates(
        stations_queryset=stations_queryset, years=[year, baseline_year], user=user
    )
    now, base = rates[year], rates[baseline_year]
    by_station = satisfaction_rate_by_station(
        stations_queryset=stations_queryset, year=year, user=user
    )
    by_station_base = satisfaction_rate_by_station(
        stations_queryset=stations_queryset, year=baseline_year, user=user
    )
    by_district = satisfaction_rate_by_district(
        stations_queryset=stations_queryset, year=year, user=user
    )
    by_district_base = satisfaction_rate_by_district(
        stations_queryset=stations_queryset, year=baseline_year, user=user
    )
    empty = _figures(0, 0, 0)
    districts: dict[int, dict[str, Any]] = {}
    for station in stations:
        district = station.street.district
        entry = districts.setdefault(
            district.pk,
            {
                "district": district,
                "now": by_district.get(district.pk, empty),
                "base": by_district_base.get(district.pk, empty),
                "stations": [],
            },
        )
        s_now = by_station.get(station.pk, empty)
        s_base = by_station_base.get(station.pk, empty)
        entry["stations"].append(
            {
                "station": station,
                "now": s_now,
                "base": s_base,
                "change": change_points(s_now["rate"], s_base["rate"]),
            }
        )
    for entry in districts.values():
        entry["change"] = change_points(entry["now"]["rate"], entry["base"]["rate"])
    return {
        "year": year,
        "baseline_year": baseline_year,
        "now": now,
        "base": base,
        "change": change_points(now["rate"], base["rate"]),
        "districts": list(districts.values()),
    }
