"""The one source of statistical figures: dashboards, exports and the API all ask
`person_time_summary`, which reads the rollups (and the small case, alert and
volunteer tables) through the viewer's scope.

Person-times, events, volunteer hours, group sessions and activities are sums of
`DomainMonth`/`ProjectMonth`; clients served are rows of `ClientYear` whose month
mask meets the period (distinct people per station: a resident served by two
stations counts at each); meals are sums of `MealMonth`.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from shegong.core.models import Domain
from shegong.core.scope import VIEW, may
from shegong.org.models import District, ServicePoint, Station, Street
from shegong.plans.models import Metric, ProjectTarget
from shegong.stats.models import (
    ClientRange,
    ClientYear,
    DomainMonth,
    DomainYear,
    MealMonth,
    MealPointMonth,
    PointMonth,
    ProjectMonth,
    ProjectPointMonth,
)
from shegong.stats.rollups import DOMAIN_MASK_FIELDS, month_range_mask

DOMAINS = [d.value for d in Domain]
# Metrics summed from ProjectMonth, by its column.
PROJECT_MONTH_METRICS = {
    Metric.PERSON_TIMES: "person_times",
    Metric.GROUP_SESSIONS: "group_sessions",
    Metric.ACTIVITIES: "activities",
    Metric.VOLUNTEER_HOURS: "volunteer_hours",
}


@dataclass
class Unit:
    """A row of a ranking: a district (for the city), a street or a station (for a
    district or a street), a service point (for a station). A station's events
    given at no point are the unit of kind "rest" (pk 0)."""

    kind: str
    pk: int
    name: str
    person_times: int
    events: int = 0


@dataclass
class TargetProgress:
    metric: str
    done: float
    target: float | None

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.target) if self.target else None


@dataclass
class ProjectProgress:
    name: str
    kind: str
    domain: str
    person_times: int
    target: int | None
    targets: list[TargetProgress] = field(default_factory=list)
    station_id: int | None = None

    @property
    def percent(self) -> int | None:
        return round(100 * self.person_times / self.target) if self.target else None


@dataclass
class PersonTimeSummary:
    year: int
    month_from: int
    month_to: int
    domain: str | None = None
    total: int = 0
    events: int = 0
    cumulative: int = 0
    by_domain: dict[str, int] = field(default_factory=dict)
    cumulative_by_domain: dict[str, int] = field(default_factory=dict)
    by_month: list[dict[str, Any]] = field(default_factory=list)
    clients_served: int | None = 0
    priority_clients_served: int | None = 0
    clients_by_domain: dict[str, int] = field(default_factory=dict)
    volunteer_hours: Decimal = Decimal("0.0")
    volunteers_active: int = 0
    meals: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    alerts_open: int | None = None
    satisfaction: dict[str, Any] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    # A district's streets (the level between district and station), a station's
    # service points: the next levels of the drill-down.
    streets: list[Unit] = field(default_factory=list)
    points: list[Unit] = field(default_factory=list)
    projects: list[ProjectProgress] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month_from": self.month_from,
            "month_to": self.month_to,
            "domain": self.domain,
            "person_times": self.total,
            "events": self.events,
            "cumulative_person_times": self.cumulative,
            "by_domain": self.by_domain,
            "cumulative_by_domain": self.cumulative_by_domain,
            "by_month": self.by_month,
            "clients_served": self.clients_served,
            "priority_clients_served": self.priority_clients_served,
            "clients_by_domain": self.clients_by_domain,
            "volunteer_hours": str(self.volunteer_hours),
            "volunteers_active": self.volunteers_active,
            "meals": self.meals,
            "cases": self.cases,
            "alerts_open": self.alerts_open,
            "satisfaction": {
                k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.satisfaction.items()
            },
            "units": [asdict(u) for u in self.units],
            "streets": [asdict(u) for u in self.streets],
            "points": [asdict(u) for u in self.points],
            "projects": [
                {
                    "name": p.name,
                    "kind": p.kind,
                    "domain": p.domain,
                    "person_times": p.person_times,
                    "target": p.target,
                    "percent": p.percent,
                    "targets": [{**asdict(t), "percent": t.percent} for t in p.targets],
                }
                for p in self.projects
            ],
        }


def _narrow(rows, district, station, path: str = "station", street=None):
    if district is not None:
        in_district = Station.objects.filter(street__district=district).values("pk")
        rows = rows.filter(**{f"{path}__in": in_district})
    if street is not None:
        rows = rows.filter(**{f"{path}__in": Station.objects.filter(street=street).values("pk")})
    if station is not None:
        rows = rows.filter(**{path: station})
    return rows


def person_time_summary(
    user: Any,
    *,
    year: int,
    month_from: int = 1,
    month_to: int = 12,
    district: District | None = None,
    street: Street | None = None,
    station: Station | None = None,
    point: ServicePoint | None = None,
    domain: str | None = None,
) -> PersonTimeSummary:
    """Every figure of the statistics in the user's scope for a year's month range,
    narrowed to a district, a street, a station or a service point, and optionally
    to one domain; without a domain the four domains always add up to the total.
    Units rank the districts (city view), the stations (district and street views);
    a district view lists its streets, a station view its service points and its
    113X projects against their targets. A point's figures are `point_summary`'s."""
    if point is not None:
        return point_summary(
            user, point, year=year, month_from=month_from, month_to=month_to, domain=domain
        )
    summary = PersonTimeSummary(
        year=year, month_from=month_from, month_to=month_to, domain=domain or None
    )
    domains = [domain] if domain else DOMAINS

    def narrow(rows, path: str = "station"):
        return _narrow(rows, district, station, path, street)

    this_year = narrow(DomainMonth.objects.visible_to(user)).filter(domain__in=domains, year=year)
    months, extra, cumulative = _months(summary, this_year, domains)
    # The years before from DomainYear (ten rows per station instead of 120 months).
    for row in (
        narrow(DomainYear.objects.visible_to(user))
        .filter(domain__in=domains, year__lt=year)
        .values("domain")
        .annotate(p=Sum("person_times"))
        .order_by()
    ):
        cumulative[row["domain"]] += row["p"] or 0
    summary.cumulative_by_domain = cumulative
    summary.cumulative = sum(cumulative.values())
    clients_by_month = _clients(summary, user, narrow, domains)
    summary.by_month = _by_month(months, extra, clients_by_month)
    _programmes(summary, user, narrow, domain)
    _satisfaction(summary, user, district, station, street)
    if station is None:
        if (month_from, month_to) == (1, 12):
            # A whole year: one DomainYear row per station and domain.
            period = narrow(DomainYear.objects.visible_to(user)).filter(
                domain__in=domains, year=year
            )
        else:
            period = this_year.filter(month__gte=month_from, month__lte=month_to)
        by_district = district is None and street is None
        summary.units = _ranking(period, by_district=by_district)
        if district is not None and street is None:
            summary.streets = _ranking(period, by_street=True)
    else:
        summary.projects = _project_progress(user, station, year, month_from, month_to, domain)
        summary.points = _point_ranking(user, station, summary, domains)
    return summary


def _months(summary, this_year, domains) -> tuple[dict, dict, dict]:
    """One pass over the year's months up to the period's end (DomainMonth or
    PointMonth rows): the period's figures, set on `summary`, and this year's share
    of the cumulative ones. Returns the months, their events and hours, and the
    cumulative person-times by domain so far."""
    by_domain = dict.fromkeys(domains, 0)
    cumulative = dict.fromkeys(domains, 0)
    months: dict[int, dict[str, int]] = {
        m: dict.fromkeys(domains, 0) for m in range(summary.month_from, summary.month_to + 1)
    }
    extra = {m: {"events": 0, "volunteer_hours": Decimal("0.0")} for m in months}
    for row in (
        this_year.filter(month__lte=summary.month_to)
        .values("month", "domain")
        .annotate(p=Sum("person_times"), e=Sum("events"), h=Sum("volunteer_hours"))
        .order_by()
    ):
        person_times = row["p"] or 0
        cumulative[row["domain"]] += person_times
        if row["month"] < summary.month_from:
            continue
        months[row["month"]][row["domain"]] = person_times
        by_domain[row["domain"]] += person_times
        extra[row["month"]]["events"] += row["e"] or 0
        extra[row["month"]]["volunteer_hours"] += row["h"] or 0
    summary.by_domain = by_domain
    summary.total = sum(by_domain.values())
    summary.events = sum(e["events"] for e in extra.values())
    summary.volunteer_hours = sum((e["volunteer_hours"] for e in extra.values()), Decimal("0.0"))
    return months, extra, cumulative


def _by_month(months, extra, clients_by_month) -> list[dict[str, Any]]:
    return [
        {
            "month": m,
            "person_times": sum(v.values()),
            **v,
            "events": extra[m]["events"],
            "volunteer_hours": float(extra[m]["volunteer_hours"]),
            "clients_served": clients_by_month.get(m),
        }
        for m, v in months.items()
    ]


def point_summary(
    user: Any,
    point: ServicePoint,
    *,
    year: int,
    month_from: int = 1,
    month_to: int = 12,
    domain: str | None = None,
) -> PersonTimeSummary:
    """The figures of one service point 社工点, from `PointMonth`: person-times,
    events and volunteer hours by domain and month, and the cumulative figures; the
    clients served are the point's residents served at its station in the period
    (`_point_clients`); the 113X projects' services given at the point
    (`point_projects`); the canteen's meals of the point's elders
    (`MealPointMonth`); the open cases of the point's residents. Alerts,
    volunteers and satisfaction are the station's."""
    from shegong.cases.models import OPEN_STATUSES, Case

    summary = PersonTimeSummary(
        year=year, month_from=month_from, month_to=month_to, domain=domain or None
    )
    domains = [domain] if domain else DOMAINS
    rows = PointMonth.objects.visible_to(user).filter(point=point, domain__in=domains)
    months, extra, cumulative = _months(summary, rows.filter(year=year), domains)
    for row in rows.filter(year__lt=year).values("domain").annotate(p=Sum("person_times")):
        cumulative[row["domain"]] += row["p"] or 0
    summary.cumulative_by_domain = cumulative
    summary.cumulative = sum(cumulative.values())
    summary.by_month = _by_month(months, extra, _point_clients(summary, user, point, domains))
    summary.projects = point_projects(
        user, point, year=year, month_from=month_from, month_to=month_to, domain=domain
    )
    if domain in (None, Domain.ELDERLY):
        meals = (
            MealPointMonth.objects.visible_to(user)
            .filter(point=point, year=year, month__gte=month_from, month__lte=month_to)
            .aggregate(dine_in=Sum("dine_in"), delivery=Sum("delivery"))
        )
        summary.meals = {k: v or 0 for k, v in meals.items()}
        summary.meals["total"] = summary.meals["dine_in"] + summary.meals["delivery"]
    cases = Case.objects.visible_to(user).filter(client__point=point)
    if domain:
        cases = cases.filter(domain=domain)
    summary.cases = {"open": cases.filter(status__in=OPEN_STATUSES).count()}
    return summary


def point_projects(
    user: Any,
    point: ServicePoint,
    *,
    year: int,
    month_from: int = 1,
    month_to: int = 12,
    domain: str | None = None,
) -> list[ProjectProgress]:
    """The 113X projects' services given at one service point in the period, from
    `ProjectPointMonth`: person-times, group sessions, activities and volunteer
    hours per project. Targets are the station's (a plan's, not a point's): none
    here."""
    rows = ProjectPointMonth.objects.visible_to(user).filter(
        point=point, year=year, month__gte=month_from, month__lte=month_to
    )
    if domain:
        rows = rows.filter(project__domain=domain)
    progress = [
        ProjectProgress(
            name=r["project__name"],
            kind=r["project__kind"],
            domain=r["project__domain"],
            person_times=int(r["person_times"] or 0),
            target=None,
            targets=[
                TargetProgress(metric, float(r[column] or 0), None)
                for metric, column in PROJECT_MONTH_METRICS.items()
                if metric != Metric.PERSON_TIMES and r[column]
            ],
            station_id=point.station_id,
        )
        for r in rows.values("project", "project__name", "project__kind", "project__domain")
        .annotate(**{column: Sum(column) for column in PROJECT_MONTH_METRICS.values()})
        .order_by()
    ]
    return sorted(progress, key=_plan_order)


def _point_clients(summary, user, point: ServicePoint, domains) -> dict[int, int]:
    """Distinct residents of the point (those whose service point it is) served at
    its station in the period, and in each of its months: the station's `ClientYear`
    masks of those residents, in one query. A resident who moves to another point
    counts at the new one. Priority clients as the station's figure does (none under
    a domain filter)."""
    main_field = "months" if len(domains) == len(DOMAINS) else DOMAIN_MASK_FIELDS[domains[0]]
    period = month_range_mask(summary.month_from, summary.month_to)
    hits = {"main": F(main_field).bitand(period), "priority": F("priority_months").bitand(period)}
    hits.update({d: F(DOMAIN_MASK_FIELDS[d]).bitand(period) for d in domains})
    singles = range(summary.month_from, summary.month_to + 1)
    hits.update({f"m{m}": F(main_field).bitand(1 << (m - 1)) for m in singles})
    figures = (
        ClientYear.objects.visible_to(user)
        .filter(station_id=point.station_id, year=summary.year, resident__point=point)
        .alias(**{f"{name}_hit": value for name, value in hits.items()})
        .aggregate(**{name: Count("pk", filter=Q(**{f"{name}_hit__gt": 0})) for name in hits})
    )
    summary.clients_served = figures["main"]
    summary.priority_clients_served = figures["priority"] if len(domains) == len(DOMAINS) else None
    summary.clients_by_domain = {d: figures[d] for d in domains}
    return {m: figures[f"m{m}"] for m in singles}


def _point_ranking(user, station, summary, domains) -> list[Unit]:
    """The station's service points by person-times in the period (every point of
    the station, those without a service too), then the events given at no point
    ("rest"), so that the rows add up to the station's total (the summary's, from
    the same rollup rows)."""
    year, month_from, month_to = summary.year, summary.month_from, summary.month_to
    points = list(
        ServicePoint.objects.visible_to(user).filter(station=station).values_list("pk", "name")
    )
    if not points:
        return []
    figures = {
        r["point"]: (r["p"] or 0, r["e"] or 0)
        for r in PointMonth.objects.visible_to(user)
        .filter(
            station=station,
            year=year,
            month__gte=month_from,
            month__lte=month_to,
            domain__in=domains,
        )
        .values("point")
        .annotate(p=Sum("person_times"), e=Sum("events"))
        .order_by()
    }
    units = sorted(
        (Unit("point", pk, name, *figures.get(pk, (0, 0))) for pk, name in points),
        key=lambda u: (-u.person_times, u.pk),
    )
    rest_p = summary.total - sum(u.person_times for u in units)
    rest_e = summary.events - sum(u.events for u in units)
    if rest_p or rest_e:
        units.append(Unit("rest", 0, "", rest_p, rest_e))
    return units


def _ranking(rows, *, by_district: bool = False, by_street: bool = False) -> list[Unit]:
    """The districts (city view), the streets or the stations (district and street
    views) by person-times, from the period's rollup rows (DomainYear for a whole
    year: one row per station and domain)."""
    if by_district:
        kind, key, name = "district", "station__street__district", "station__street__district__name"
    elif by_street:
        kind, key, name = "street", "station__street", "station__street__name"
    else:
        kind, key, name = "station", "station", "station__name"
    return [
        Unit(kind, r[key], r[name], r["p"] or 0, r["e"] or 0)
        for r in rows.values(key, name)
        .annotate(p=Sum("person_times"), e=Sum("events"))
        .order_by("-p", key)
    ]


def _clients(summary, user, narrow, domains) -> dict[int, int]:
    """Distinct residents served in the period, per station (a resident served by
    two stations counts at each), from the ClientRange counts; returns the clients
    served in each month of the period. Priority clients are counted across
    domains, so a domain filter leaves them out (None)."""
    main = "all" if len(domains) == len(DOMAINS) else domains[0]
    period = (summary.month_from, summary.month_to)
    singles = [(m, m) for m in range(summary.month_from, summary.month_to + 1)]
    # Each exact (year, kind, month_from, month_to) is an index look-up; SQLite and
    # PostgreSQL both answer an OR of them without scanning the year's 78 ranges.
    kinds = {period: [main, *domains, "priority"]}
    for single in singles:
        kinds.setdefault(single, [main])
    pairs = Q()
    for (first, last), wanted in kinds.items():
        pairs |= Q(year=summary.year, kind__in=wanted, month_from=first, month_to=last)
    figures: dict[tuple[int, int], dict[str, int]] = {}
    for r in (
        narrow(ClientRange.objects.visible_to(user))
        .filter(pairs)
        .values("month_from", "month_to", "kind")
        .annotate(n=Sum("clients"))
        .order_by()
    ):
        figures.setdefault((r["month_from"], r["month_to"]), {})[r["kind"]] = r["n"] or 0
    whole = figures.get(period, {})
    summary.clients_served = whole.get(main, 0)
    summary.priority_clients_served = whole.get("priority", 0) if main == "all" else None
    summary.clients_by_domain = {d: whole.get(d, 0) for d in domains}
    return {first: figures.get((first, last), {}).get(main, 0) for first, last in singles}


def _programmes(summary, user, narrow, domain) -> None:
    """Meals, cases, alerts and volunteers: small tables, counted through the scope."""
    from shegong.cases.models import OPEN_STATUSES, Alert, AlertStatus, Case, RiskLevel
    from shegong.community.models import Volunteer

    if domain in (None, Domain.ELDERLY):
        meals = (
            narrow(MealMonth.objects.visible_to(user))
            .filter(year=summary.year, month__gte=summary.month_from, month__lte=summary.month_to)
            .aggregate(dine_in=Sum("dine_in"), delivery=Sum("delivery"))
        )
        summary.meals = {k: v or 0 for k, v in meals.items()}
        summary.meals["total"] = summary.meals["dine_in"] + summary.meals["delivery"]
    start = datetime.date(summary.year, summary.month_from, 1)
    end = datetime.date(
        summary.year + summary.month_to // 12, summary.month_to % 12 + 1, 1
    ) - datetime.timedelta(days=1)
    cases = narrow(Case.objects.visible_to(user))
    if domain:
        cases = cases.filter(domain=domain)
    summary.cases = cases.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        high_risk_open=Count(
            "pk",
            filter=Q(status__in=OPEN_STATUSES, risk_level__in=[RiskLevel.HIGH, RiskLevel.CRISIS]),
        ),
        opened=Count("pk", filter=Q(opened_on__gte=start, opened_on__lte=end)),
        closed=Count("pk", filter=Q(closed_on__gte=start, closed_on__lte=end)),
    )
    # Alerts are the station's working list: officials see none, not a zero.
    if may(user, VIEW, Alert):
        alerts = narrow(Alert.objects.visible_to(user))
        summary.alerts_open = alerts.exclude(status=AlertStatus.RESOLVED).count()
    today = timezone.localdate()
    summary.volunteers_active = (
        narrow(Volunteer.objects.visible_to(user))
        .filter(is_active=True, registered_on__lte=today)
        .count()
    )


def _satisfaction(summary, user, district, station, street=None) -> None:
    """The satisfaction rate of the stations in view (surveys app: rating answers
    of 4–5 among all rating answers of satisfaction surveys) for the year, and its
    change in percentage points from the year before."""
    from shegong.surveys.selectors import change_points, satisfaction_rates

    stations = Station.objects.visible_to(user)
    if station is not None:
        stations = stations.filter(pk=station.pk)
    elif street is not None:
        stations = stations.filter(street=street)
    elif district is not None:
        stations = stations.filter(street__district=district)
    rates = satisfaction_rates(
        stations_queryset=stations, years=[summary.year, summary.year - 1], user=user
    )
    now, before = rates[summary.year], rates[summary.year - 1]
    summary.satisfaction = {
        "rate": now["rate"],
        "answers": now["answers"],
        "baseline_year": summary.year - 1,
        "baseline_rate": before["rate"],
        "change_points": change_points(now["rate"], before["rate"]),
    }


def _plan_order(p: ProjectProgress) -> tuple:
    """1+1+3+X: core, key, basic, featured; then by domain and name."""
    order = {"core": 0, "key": 1, "basic": 2, "featured": 3}
    return (order.get(p.kind, 9), p.domain, p.name)


def _project_progress(
    user, station, year, month_from, month_to, domain=None
) -> list[ProjectProgress]:
    """One station's 113X projects (see `projects_progress`)."""
    return projects_progress(
        user,
        stations=[station.pk],
        year=year,
        month_from=month_from,
        month_to=month_to,
        domain=domain,
    )


def projects_progress(
    user,
    *,
    stations,
    year: int,
    month_from: int = 1,
    month_to: int = 12,
    domain: str | None = None,
) -> list[ProjectProgress]:
    """The 113X projects of `stations` (ids or a queryset) in the viewer's scope:
    person-times (and every other target metric) done in the period against the
    annual targets, ordered by station, then core, key, basic, featured. The one
    computation behind the dashboard's progress and the target report."""
    from shegong.cases.models import Case
    from shegong.delivery.models import EventVolunteer, Group

    months = ProjectMonth.objects.visible_to(user).filter(
        station__in=stations, year=year, month__gte=month_from, month__lte=month_to
    )
    done: dict[int, dict[str, Any]] = {}
    info: dict[int, tuple[str, str, str, int]] = {}
    for r in months.values(
        "project", "project__name", "project__kind", "project__domain", "station"
    ).annotate(**{column: Sum(column) for column in PROJECT_MONTH_METRICS.values()}):
        info[r["project"]] = (
            r["project__name"],
            r["project__kind"],
            r["project__domain"],
            r["station"],
        )
        done[r["project"]] = {
            metric: r[column] or 0 for metric, column in PROJECT_MONTH_METRICS.items()
        }
    targets: dict[int, dict[str, int]] = {}
    for t in (
        ProjectTarget.objects.visible_to(user)
        .filter(project__plan__station__in=stations, project__plan__year=year)
        .select_related("project__plan")
    ):
        project = t.project
        info.setdefault(
            t.project_id, (project.name, project.kind, project.domain, project.plan.station_id)
        )
        targets.setdefault(t.project_id, {})[t.metric] = t.value
    wanted = {m for per in targets.values() for m in per}
    if Metric.GROUPS in wanted:
        for r in (
            Group.objects.visible_to(user)
            .filter(project__in=list(targets))
            .values("project")
            .annotate(n=Count("pk"))
        ):
            done.setdefault(r["project"], {})[Metric.GROUPS] = r["n"]
    if Metric.VOLUNTEERS in wanted:
        for r in (
            EventVolunteer.objects.visible_to(user)
            .filter(
                event__project__in=list(targets),
                event__held_on__year=year,
                event__held_on__month__gte=month_from,
                event__held_on__month__lte=month_to,
            )
            .values("event__project")
            .annotate(n=Count("volunteer", distinct=True))
        ):
            done.setdefault(r["event__project"], {})[Metric.VOLUNTEERS] = r["n"]
    if Metric.CASES in wanted:
        # Cases belong to a domain, not a project: a project's cases are the
        # station's cases of its domain opened in the period.
        opened = {
            (r["station"], r["domain"]): r["n"]
            for r in Case.objects.visible_to(user)
            .filter(
                station__in=stations,
                opened_on__year=year,
                opened_on__month__gte=month_from,
                opened_on__month__lte=month_to,
            )
            .values("station", "domain")
            .annotate(n=Count("pk"))
        }
        for pk, (_name, _kind, project_domain, station_id) in info.items():
            if Metric.CASES in targets.get(pk, {}):
                done.setdefault(pk, {})[Metric.CASES] = opened.get((station_id, project_domain), 0)
    progress = []
    for pk in sorted(info):
        name, kind, project_domain, station_id = info[pk]
        if domain and project_domain != domain:
            continue
        values, goals = done.get(pk, {}), targets.get(pk, {})
        progress.append(
            ProjectProgress(
                name=name,
                kind=kind,
                domain=project_domain,
                person_times=int(values.get(Metric.PERSON_TIMES, 0)),
                target=goals.get(Metric.PERSON_TIMES),
                targets=[
                    TargetProgress(metric, float(values.get(metric, 0)), goals[metric])
                    for metric in Metric.values
                    if metric in goals and metric != Metric.PERSON_TIMES
                ],
                station_id=station_id,
            )
        )
    return sorted(progress, key=lambda p: (p.station_id, *_plan_order(p)))


# --- Progress against the share of the year (home pages) ---------------------------


def year_share(year: int, today: datetime.date | None = None) -> float:
    """The share of `year` elapsed by the end of `today` (1 for a past year, 0
    for a year to come): what a target's completion is measured against."""
    today = today or timezone.localdate()
    if year < today.year:
        return 1.0
    if year > today.year:
        return 0.0
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year + 1, 1, 1) - start).days
    return ((today - start).days + 1) / days


def project_progress(user: Any, station: Station, year: int) -> list[ProjectProgress]:
    """The station's 113X projects for the whole year against their annual
    targets: the statistics' own computation (the station dashboard's), with the
    plan's projects that have neither a target nor a service yet at zero."""
    from shegong.plans.models import PlanProject

    progress = _project_progress(user, station, year, 1, 12)
    listed = {(p.name, p.kind, p.domain) for p in progress}
    for name, kind, domain in (
        PlanProject.objects.visible_to(user)
        .filter(plan__station=station, plan__year=year)
        .values_list("name", "kind", "domain")
    ):
        if (name, kind, domain) not in listed:
            progress.append(
                ProjectProgress(name=name, kind=kind, domain=domain, person_times=0, target=None)
            )
    return sorted(progress, key=_plan_order)


@dataclass
class StationProgress:
    """A station's person-times of the year against the sum of its projects'
    person-time targets (projects without such a target left out)."""

    pk: int
    name: str
    district: str
    done: int
    target: int
    expected: float  # the share of the year elapsed, 0..1

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.target)

    @property
    def expected_percent(self) -> int:
        return round(100 * self.expected)

    @property
    def gap(self) -> int:
        """Percentage points behind the share of the year (negative: ahead)."""
        return self.expected_percent - self.percent

    @property
    def behind(self) -> bool:
        return self.gap > 0


def station_progress(
    user: Any, year: int, today: datetime.date | None = None
) -> list[StationProgress]:
    """Every station in the user's scope with person-time targets for `year`,
    the furthest behind the share of the year first. Three queries, whatever the
    number of stations: the targets, the rollup's person-times of the targeted
    projects (the sums `project_progress` makes per project), the stations."""
    expected = year_share(year, today)
    targeted = ProjectTarget.objects.visible_to(user).filter(
        project__plan__year=year, metric=Metric.PERSON_TIMES, value__gt=0
    )
    goal = {
        r["project__plan__station"]: r["v"]
        for r in targeted.values("project__plan__station").annotate(v=Sum("value")).order_by()
    }
    if not goal:
        return []
    done = {
        r["station"]: r["p"] or 0
        for r in ProjectMonth.objects.visible_to(user)
        .filter(year=year, project__in=targeted.values("project"))
        .values("station")
        .annotate(p=Sum("person_times"))
        .order_by()
    }
    names = (
        Station.objects.visible_to(user)
        .filter(pk__in=list(goal))
        .values_list("pk", "name", "street__district__name")
    )
    rows = [
        StationProgress(pk, name, district, done.get(pk, 0), goal[pk], expected)
        for pk, name, district in names
    ]
    return sorted(rows, key=lambda r: (-r.gap, r.name))


@dataclass
class ViewScope:
    """What a statistics page covers when no district or station is asked for:
    the one station (or district) the viewer's scope holds, else the city."""

    district: District | None
    station: Station | None
    city_name: str
    many_districts: bool
    many_stations: bool


def view_scope(user: Any) -> ViewScope:
    """The narrowest unit that holds the user's whole scope (two short queries,
    three for a city-wide one): a worker's statistics are their station's, a
    district officer's their district's, and titled so."""
    from shegong.org.models import City

    stations = list(Station.objects.visible_to(user).select_related("street__district")[:2])
    if len(stations) == 1:
        station = stations[0]
        return ViewScope(station.street.district, station, "", False, False)
    districts = list(District.objects.visible_to(user).order_by("code")[:2])
    if len(districts) == 1:
        return ViewScope(districts[0], None, "", False, True)
    cities = list(City.objects.visible_to(user).values_list("name", flat=True)[:2])
    return ViewScope(None, None, cities[0] if len(cities) == 1 else "", True, True)
