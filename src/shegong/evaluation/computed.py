"""Computed indicators: figures the platform already holds, turned into scores.

A computed indicator names one function of `REGISTRY` by its code. Each function
returns a `Figure` for one station and one round: `ratio` (1 = 100 % of what is
expected) and a human-readable `detail`, or `ratio=None` when the platform has no
data. Figures are read through the same selectors as the dashboards
(`stats.selectors.person_time_summary`, `community.selectors.station_volunteer_totals`,
the case scope), never recounted from raw rows here.

Score rule (docs/architecture.md "Evaluation and inspection"):
    score = max_score × min(ratio, 1), rounded to 0.01 (half up);
    no data → no score (counted as 0 in the total, shown as "no data").

For a round covering part of the year, an annual target is pro-rated:
    expected = annual target × months of the round / 12.

The satisfaction indicator reads the surveys app's `satisfaction_rate`; the
`sample_*` ones the evaluators' verification sample of the sheet
(evaluation.sampling).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.core.roles import Role
from shegong.org.models import Station

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")


class PlatformReader:
    """The platform reading its own figures for an evaluation, with the whole
    city in view: computed indicators must not depend on who happens to press the
    button (an evaluator may not read cases, a district officer sees one district).
    Only the figures leave this module, never rows."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    role = Role.ADMIN
    pk = None


PLATFORM = PlatformReader()


@dataclass(frozen=True)
class Figure:
    ratio: Decimal | None
    detail: str


@dataclass(frozen=True)
class Period:
    year: int
    month_from: int
    month_to: int

    @property
    def months(self) -> int:
        return self.month_to - self.month_from + 1

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, self.month_from, 1)

    @property
    def ends_on(self) -> datetime.date:
        last = calendar.monthrange(self.year, self.month_to)[1]
        return datetime.date(self.year, self.month_to, last)

    def expected(self, annual_target: int | Decimal) -> Decimal:
        return Decimal(annual_target) * self.months / 12


def _ratio(done: Decimal | int, expected: Decimal | int) -> Decimal | None:
    if not expected:
        return None
    return (Decimal(done) / Decimal(expected)).quantize(RATIO_PLACES, ROUND_HALF_UP)


def score_from_ratio(ratio: Decimal | None, max_score: Decimal) -> Decimal | None:
    """Linear up to the maximum score at 100 % of the target; above it, capped."""
    if ratio is None:
        return None
    capped = min(max(ratio, Decimal(0)), Decimal(1))
    return (max_score * capped).quantize(CENT, ROUND_HALF_UP)


def person_times(station: Station, period: Period) -> Figure:
    """Person-times of the station in the period against its 113X plan's
    person-time targets (summed over projects, pro-rated to the period)."""
    from shegong.stats.selectors import person_time_summary

    summary = person_time_summary(
        PLATFORM,
        year=period.year,
        month_from=period.month_from,
        month_to=period.month_to,
        station=station,
    )
    target = sum(p.target or 0 for p in summary.projects)
    if not target:
        return Figure(None, _("No person-time targets in the station's plan."))
    expected = period.expected(target)
    return Figure(
        _ratio(summary.total, expected),
        _("%(done)s person-times of %(expected)s expected (annual target %(target)s)")
        % {"done": summary.total, "expected": expected.quantize(Decimal(1)), "target": target},
    )


def project_completion(station: Station, period: Period) -> Figure:
    """113X project target completion: the mean over the plan's projects with a
    person-time target of min(person-times / pro-rated target, 1)."""
    from shegong.stats.selectors import person_time_summary

    summary = person_time_summary(
        PLATFORM,
        year=period.year,
        month_from=period.month_from,
        month_to=period.month_to,
        station=station,
    )
    rates = [
        min(Decimal(p.person_times) / period.expected(p.target), Decimal(1))
        for p in summary.projects
        if p.target
    ]
    if not rates:
        return Figure(None, _("No person-time targets in the station's plan."))
    done = sum(1 for r in rates if r >= 1)
    mean = (sum(rates) / len(rates)).quantize(RATIO_PLACES, ROUND_HALF_UP)
    return Figure(
        mean,
        _("%(done)s of %(count)s projects at target; mean completion %(percent)s%%")
        % {"done": done, "count": len(rates), "percent": (mean * 100).quantize(CENT)},
    )


def case_closure(station: Station, period: Period) -> Figure:
    """Case closure rate: cases closed in the period / cases open at some time in
    the period (opened by its end, not closed before its start)."""
    from shegong.cases.models import Case

    cases = Case.objects.visible_to(PLATFORM).filter(station=station, opened_on__lte=period.ends_on)
    active = cases.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.starts_on))
    total = active.count()
    closed = active.filter(closed_on__lte=period.ends_on).count()
    if not total:
        return Figure(None, _("No cases in the period."))
    return Figure(
        _ratio(closed, total),
        _("%(closed)s of %(total)s cases closed") % {"closed": closed, "total": total},
    )


def volunteer_hours(station: Station, period: Period) -> Figure:
    """Volunteer hours served at the station's events in the period against the
    plan's volunteer-hour targets (pro-rated)."""
    from shegong.community.selectors import station_volunteer_totals
    from shegong.plans.models import Metric, ProjectTarget

    target = (
        ProjectTarget.objects.visible_to(PLATFORM)
        .filter(
            project__plan__station=station,
            project__plan__year=period.year,
            metric=Metric.VOLUNTEER_HOURS,
        )
        .aggregate(total=Sum("value"))["total"]
    )
    hours = station_volunteer_totals(station, since=period.starts_on, until=period.ends_on)["hours"]
    if not target:
        return Figure(None, _("No volunteer-hour target in the station's plan."))
    expected = period.expected(target)
    return Figure(
        _ratio(hours, expected),
        _("%(hours)s volunteer hours of %(expected)s expected")
        % {"hours": hours, "expected": expected.quantize(Decimal(1))},
    )


def satisfaction(station: Station, period: Period) -> Figure:
    """Satisfaction rate (surveys app: rating answers of 4–5 among all rating
    answers of the station's satisfaction surveys answered in the round's year);
    ratio = rate / 100, so 90 % satisfied earns 90 % of the indicator's score."""
    from shegong.surveys.selectors import satisfaction_rate

    figures = satisfaction_rate(
        stations_queryset=Station.objects.filter(pk=station.pk), year=period.year
    )
    if figures["rate"] is None:
        return Figure(
            None, _("No satisfaction survey answers in %(year)s.") % {"year": period.year}
        )
    return Figure(
        (figures["rate"] / 100).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP),
        _("%(rate)s%% satisfied (%(satisfied)s of %(answers)s rating answers)")
        % {
            "rate": figures["rate"],
            "satisfied": figures["satisfied"],
            "answers": figures["answers"],
        },
    )


def _no_sample() -> Figure:
    return Figure(None, _("No verification sample drawn for this station yet."))


def sample_awareness(station: Station, period: Period, sheet=None) -> Figure:
    """Awareness 知晓度 verified by the evaluators' sample: reached residents
    knowing at least 3 of the 5 items / reached residents."""
    from shegong.evaluation.sampling import sample_figures

    figures = sample_figures(sheet) if sheet is not None else None
    if figures is None:
        return _no_sample()
    if figures.awareness is None:
        return Figure(None, _("No sampled resident reached yet."))
    return Figure(
        figures.awareness,
        _("%(aware)s of %(reached)s reached residents aware (knowing at least 3 of 5 items)")
        % {"aware": figures.aware, "reached": figures.reached},
    )


def sample_satisfaction(station: Station, period: Period, sheet=None) -> Figure:
    """Satisfaction verified by the evaluators' sample: answers of 4–5 of 5
    among the reached residents' answers."""
    from shegong.evaluation.sampling import sample_figures

    figures = sample_figures(sheet) if sheet is not None else None
    if figures is None:
        return _no_sample()
    if figures.satisfaction is None:
        return Figure(None, _("No satisfaction answer in the sample yet."))
    return Figure(
        figures.satisfaction,
        _("%(satisfied)s of %(answered)s sampled residents satisfied")
        % {"satisfied": figures.satisfied, "answered": figures.answered},
    )


@dataclass(frozen=True)
class Computation:
    code: str
    label: Any
    function: Callable[..., Figure]
    # Read from the sheet itself (the evaluators' sample), not only the station.
    per_sheet: bool = False


REGISTRY: dict[str, Computation] = {
    c.code: c
    for c in (
        Computation("person_times", gettext_lazy("Person-times against plan target"), person_times),
        Computation(
            "project_completion", gettext_lazy("113X project target completion"), project_completion
        ),
        Computation("case_closure", gettext_lazy("Case closure rate"), case_closure),
        Computation(
            "volunteer_hours", gettext_lazy("Volunteer hours against target"), volunteer_hours
        ),
        Computation("satisfaction", gettext_lazy("Satisfaction rate"), satisfaction),
        Computation(
            "sample_awareness",
            gettext_lazy("Awareness verified by sampled calls and visits"),
            sample_awareness,
            per_sheet=True,
        ),
        Computation(
            "sample_satisfaction",
            gettext_lazy("Satisfaction verified by sampled calls and visits"),
            sample_satisfaction,
            per_sheet=True,
        ),
    )
}


def register(computation: Computation) -> None:
    """Add a figure computed by an app above evaluation (the layers forbid
    importing it here), e.g. the contracts' personnel share; called from the
    app's `ready`."""
    REGISTRY[computation.code] = computation


def choices() -> list[tuple[str, Any]]:
    return [(c.code, c.label) for c in REGISTRY.values()]


def compute(code: str, station: Station, period: Period, sheet=None) -> Figure:
    computation = REGISTRY[code]
    if computation.per_sheet:
        return computation.function(station, period, sheet=sheet)
    return computation.function(station, period)
