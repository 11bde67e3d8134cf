"""The one source of person-time figures: dashboards, exports and the API all ask
`person_time_summary`, which reads the rollups through the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum

from shegong.core.models import Domain
from shegong.org.models import District, Station
from shegong.plans.models import Metric, ProjectTarget
from shegong.stats.models import DomainMonth, ProjectMonth

DOMAINS = [d.value for d in Domain]


@dataclass
class Unit:
    """A row of a ranking: a district (for the city) or a station (for a district)."""

    kind: str
    pk: int
    name: str
    person_times: int


@dataclass
class ProjectProgress:
    name: str
    kind: str
    domain: str
    person_times: int
    target: int | None

    @property
    def percent(self) -> int | None:
        return round(100 * self.person_times / self.target) if self.target else None


@dataclass
class PersonTimeSummary:
    year: int
    month_from: int
    month_to: int
    total: int = 0
    events: int = 0
    by_domain: dict[str, int] = field(default_factory=dict)
    by_month: list[dict[str, Any]] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    projects: list[ProjectProgress] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month_from": self.month_from,
            "month_to": self.month_to,
            "person_times": self.total,
            "events": self.events,
            "by_domain": self.by_domain,
            "by_month": self.by_month,
            "units": [u.__dict__ for u in self.units],
            "projects": [{**p.__dict__, "percent": p.percent} for p in self.projects],
        }


def person_time_summary(
    user: Any,
    *,
    year: int,
    month_from: int = 1,
    month_to: int = 12,
    district: District | None = None,
    station: Station | None = None,
) -> PersonTimeSummary:
    """Person-times and events in the user's scope for a year's month range,
    narrowed to a district or a station; the four domains always add up to the
    total. Units rank the districts (city view), the stations (district view);
    a station view lists its 113X projects against their person-time targets."""
    rows = DomainMonth.objects.visible_to(user).filter(
        year=year, month__gte=month_from, month__lte=month_to
    )
    if district is not None:
        rows = rows.filter(station__street__district=district)
    if station is not None:
        rows = rows.filter(station=station)
    summary = PersonTimeSummary(year=year, month_from=month_from, month_to=month_to)
    by_domain = {d: 0 for d in DOMAINS}
    for row in rows.values("domain").annotate(p=Sum("person_times"), e=Sum("events")):
        by_domain[row["domain"]] = row["p"] or 0
        summary.events += row["e"] or 0
    summary.by_domain = by_domain
    summary.total = sum(by_domain.values())
    months: dict[int, dict[str, int]] = {
        m: {d: 0 for d in DOMAINS} for m in range(month_from, month_to + 1)
    }
    for row in rows.values("month", "domain").annotate(p=Sum("person_times")):
        months[row["month"]][row["domain"]] = row["p"] or 0
    summary.by_month = [
        {"month": m, "person_times": sum(v.values()), **v} for m, v in months.items()
    ]
    if station is None and district is None:
        grouped = rows.values("station__street__district", "station__street__district__name")
        summary.units = [
            Unit(
                "district",
                r["station__street__district"],
                r["station__street__district__name"],
                r["p"] or 0,
            )
            for r in grouped.annotate(p=Sum("person_times")).order_by("-p")
        ]
    elif station is None:
        grouped = rows.values("station", "station__name")
        summary.units = [
            Unit("station", r["station"], r["station__name"], r["p"] or 0)
            for r in grouped.annotate(p=Sum("person_times")).order_by("-p")
        ]
    else:
        summary.projects = _project_progress(user, station, year, month_from, month_to)
    return summary


def _project_progress(user, station, year, month_from, month_to) -> list[ProjectProgress]:
    done = {
        r["project"]: (r["project__name"], r["project__kind"], r["project__domain"], r["p"] or 0)
        for r in ProjectMonth.objects.visible_to(user)
        .filter(station=station, year=year, month__gte=month_from, month__lte=month_to)
        .values("project", "project__name", "project__kind", "project__domain")
        .annotate(p=Sum("person_times"))
    }
    targets = {
        t.project_id: (t.project.name, t.project.kind, t.project.domain, t.value)
        for t in ProjectTarget.objects.visible_to(user)
        .filter(
            project__plan__station=station, project__plan__year=year, metric=Metric.PERSON_TIMES
        )
        .select_related("project")
    }
    progress = []
    for pk in sorted(set(done) | set(targets)):
        name, kind, domain = (targets.get(pk) or done[pk])[:3]
        progress.append(
            ProjectProgress(
                name=name,
                kind=kind,
                domain=domain,
                person_times=done.get(pk, (0, 0, 0, 0))[3],
                target=targets[pk][3] if pk in targets else None,
            )
        )
    order = {"core": 0, "key": 1, "basic": 2, "featured": 3}
    return sorted(progress, key=lambda p: (order.get(p.kind, 9), p.domain, p.name))
