"""Standard reports as Excel or CSV, with Chinese headers, from the same rollups
and scope as the dashboard (formula-safe through `core.exports`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from shegong.core.models import Domain
from shegong.org.models import Station
from shegong.plans.models import Metric, ProjectKind
from shegong.stats.models import DomainMonth, PointMonth
from shegong.stats.selectors import (
    DOMAINS,
    TargetProgress,
    person_time_summary,
    projects_progress,
)

REPORTS = ("monthly", "districts", "targets")


def _domain_labels(domains=DOMAINS) -> list[str]:
    return [str(Domain(d).label) for d in domains]


def monthly(
    user: Any, *, year: int, district=None, street=None, station=None, point=None, domain=None
) -> tuple[list, Iterator]:
    """月报: person-times per month and domain in the viewer's scope, with the
    month's events, distinct clients served (per station: none for a service
    point) and volunteer hours."""
    summary = person_time_summary(
        user,
        year=year,
        district=district,
        street=street,
        station=station,
        point=point,
        domain=domain,
    )
    domains = [domain] if domain else DOMAINS
    headers = [
        _("Month"),
        *_domain_labels(domains),
        _("Person-times"),
        _("Service events"),
        _("Clients served"),
        _("Volunteer hours"),
    ]
    rows = (
        [
            f"{year}-{m['month']:02d}",
            *[m[d] for d in domains],
            m["person_times"],
            m["events"],
            "" if m["clients_served"] is None else m["clients_served"],
            m["volunteer_hours"],
        ]
        for m in summary.by_month
    )
    return headers, rows


def districts(
    user: Any, *, year: int, district=None, street=None, station=None, point=None, domain=None
) -> tuple[list, Iterator]:
    """年度报表: person-times per district and domain for the year, in the viewer's
    scope narrowed to `district`, `street`, `station` or `point` like the other
    reports (a point's from `PointMonth`)."""
    if point is not None:
        months = PointMonth.objects.visible_to(user).filter(year=year, point=point)
    else:
        months = DomainMonth.objects.visible_to(user).filter(year=year)
    if district is not None:
        months = months.filter(station__street__district=district)
    if street is not None:
        months = months.filter(station__street=street)
    if station is not None:
        months = months.filter(station=station)
    if domain:
        months = months.filter(domain=domain)
    data: dict[str, dict[str, int]] = {}
    for row in (
        months.values(
            "station__street__district__code", "station__street__district__name", "domain"
        )
        .annotate(p=Sum("person_times"))
        .order_by("station__street__district__code")
    ):
        name = row["station__street__district__name"]
        data.setdefault(name, dict.fromkeys(DOMAINS, 0))[row["domain"]] = row["p"] or 0
    headers = [_("District"), *_domain_labels(), _("Person-times")]
    rows = ([name, *[v[d] for d in DOMAINS], sum(v.values())] for name, v in data.items())
    return headers, rows


def targets(
    user: Any, *, year: int, district=None, street=None, station=None, point=None, domain=None
) -> tuple[list, Iterator]:
    """113X 目标完成表: each project's every annual target (person-times, cases,
    groups, sessions, activities, volunteers, hours) against what was done, from
    the same computation as the dashboard's progress (the plan is the station's:
    a service point reads its station's table)."""
    if point is not None:
        station = point.station
    stations = Station.objects.visible_to(user)
    if district is not None:
        stations = stations.filter(street__district=district)
    if street is not None:
        stations = stations.filter(street=street)
    if station is not None:
        stations = stations.filter(pk=station.pk)
    places = {s.pk: s for s in stations.select_related("street__district")}
    progress = projects_progress(user, stations=list(places), year=year, domain=domain)
    progress.sort(key=lambda p: places[p.station_id].code)
    headers = [
        _("District"),
        _("Station"),
        _("Project"),
        _("Kind"),
        _("Metric"),
        _("Annual target"),
        _("Done"),
        _("Completion (%)"),
    ]
    kinds = dict(ProjectKind.choices)

    def rows():
        for project in progress:
            place = places[project.station_id]
            measured = [TargetProgress(Metric.PERSON_TIMES, project.person_times, project.target)]
            for target in (*measured, *project.targets):
                if target.target is None:
                    continue
                done = target.done
                yield [
                    place.street.district.name,
                    place.name,
                    project.name,
                    str(kinds.get(project.kind, project.kind)),
                    str(Metric(target.metric).label),
                    target.target,
                    int(done) if float(done).is_integer() else float(done),
                    round(100 * done / target.target, 1) if target.target else "",
                ]

    return headers, rows()
