"""Reads of the 113X annual plans, always through the user's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When

from shegong.core.models import Domain
from shegong.core.scope import CHANGE, can, may
from shegong.plans.models import (
    DECIDE,
    AnnualPlan,
    Metric,
    PlanProject,
    PlanStatus,
    ProjectKind,
    ProjectTarget,
)
from shegong.plans.services import EDITABLE

# The sections of the plan page, in the order of "1+1+3+X".
SECTIONS = (ProjectKind.CORE, ProjectKind.KEY, ProjectKind.BASIC, ProjectKind.FEATURED)


def plans_visible_to(user: Any) -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.visible_to(user).select_related(
        "station__street__district", "submitted_by", "decided_by"
    )


def plans_waiting_decision(user: Any) -> QuerySet[AnnualPlan]:
    """Submitted plans the user may approve or return (the scope's DECIDE act),
    the longest waiting first."""
    return (
        AnnualPlan.objects.visible_to(user, DECIDE)
        .filter(status=PlanStatus.SUBMITTED)
        .select_related("station__street__district")
        .order_by("submitted_at", "pk")
    )


def station_plan(user: Any, station_id: int, year: int) -> AnnualPlan | None:
    """The station's plan for `year`, if the user can see it."""
    return AnnualPlan.objects.visible_to(user).filter(station_id=station_id, year=year).first()


def plan_list(user: Any) -> QuerySet[AnnualPlan]:
    """The plans in scope with their project count. Officers, who approve, get
    the plans waiting for them (submitted) first; station staff see theirs by year."""
    plans = plans_visible_to(user).annotate(project_count=Count("projects"))
    if may(user, DECIDE, AnnualPlan):
        waiting = Case(
            When(status=PlanStatus.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return plans.order_by(waiting, "-year", "station__code")
    return plans.order_by("-year", "station__code")


def targets_of(user: Any) -> Prefetch:
    """The prefetch of projects' targets, through the scope like every other read,
    in the order the indicators are declared (person-times first)."""
    order = Case(
        *(When(metric=metric, then=Value(n)) for n, metric in enumerate(Metric.values)),
        output_field=IntegerField(),
    )
    targets = ProjectTarget.objects.visible_to(user).order_by(order)
    return Prefetch("targets", queryset=targets)


def plan_with_projects(user: Any, plans: QuerySet[AnnualPlan]) -> QuerySet[AnnualPlan]:
    """`plans` with their projects and targets, read in two more queries."""
    projects = (
        PlanProject.objects.visible_to(user)
        .prefetch_related(targets_of(user))
        .order_by("kind", "domain", "name")
    )
    return plans.prefetch_related(Prefetch("projects", queryset=projects))


def next_plan_year(station_id: int, today_year: int) -> int:
    """The first year from this one for which the station has no plan yet."""
    years = set(AnnualPlan.objects.filter(station_id=station_id).values_list("year", flat=True))
    year = today_year
    while year in years:
        year += 1
    return year


def latest_plan_before(user: Any, station_id: int, year: int) -> AnnualPlan | None:
    """The station's most recent plan before `year`: the one to copy."""
    return (
        AnnualPlan.objects.visible_to(user)
        .filter(station_id=station_id, year__lt=year)
        .order_by("-year")
        .first()
    )


def can_draft(user: Any, plan: AnnualPlan) -> bool:
    """Whether the plan page offers `user` the drafting forms (the services
    decide; this only avoids showing buttons that would be refused)."""
    return plan.status in EDITABLE and can(user, CHANGE, plan)


def can_decide(user: Any, plan: AnnualPlan) -> bool:
    """Whether the plan page offers `user` approve / return."""
    return plan.status == PlanStatus.SUBMITTED and can(user, DECIDE, plan)


@dataclass
class Section:
    kind: str
    label: str
    required: int | None  # None: any number (featured)
    projects: list[PlanProject] = field(default_factory=list)


def plan_sections(plan: AnnualPlan) -> list[Section]:
    """The plan's projects grouped 1 core / 1 key / 3 basic / X featured."""
    required = {ProjectKind.CORE: 1, ProjectKind.KEY: 1, ProjectKind.BASIC: 3}
    sections = {
        kind: Section(kind=kind, label=ProjectKind(kind).label, required=required.get(kind))
        for kind in SECTIONS
    }
    order = {domain: n for n, domain in enumerate(Domain.values)}
    for project in sorted(plan.projects.all(), key=lambda p: (order[p.domain], p.name)):
        sections[project.kind].projects.append(project)
    return list(sections.values())
