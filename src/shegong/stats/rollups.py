"""Keeping the rollups in step with the raw service records.

`record_event_change` is called by the delivery services inside their transaction
with the change in an event's counts; `recompute` rebuilds every rollup from the
raw rows with one GROUP BY, and `drift` compares the two.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum

from shegong.stats.models import DomainMonth, ProjectMonth


@dataclass(frozen=True)
class Delta:
    events: int
    person_times: int


def _bump(model, key: dict, delta: Delta) -> None:
    updated = model.objects.filter(**key).update(
        events=F("events") + delta.events, person_times=F("person_times") + delta.person_times
    )
    if updated:
        return
    try:
        with transaction.atomic():  # a savepoint: a concurrent insert may win the race
            model.objects.create(**key, events=delta.events, person_times=delta.person_times)
    except IntegrityError:
        model.objects.filter(**key).update(
            events=F("events") + delta.events,
            person_times=F("person_times") + delta.person_times,
        )


def record_event_change(
    *, station_id: int, project_id: int | None, domain: str, held_on, delta: Delta
) -> None:
    """Apply the change of one event's counts (+1 event when created, -1 when
    deleted; the person-times difference) to the rollups of its month."""
    if delta.events == 0 and delta.person_times == 0:
        return
    month = {"year": held_on.year, "month": held_on.month}
    _bump(DomainMonth, {"station_id": station_id, "domain": domain, **month}, delta)
    if project_id is not None:
        _bump(ProjectMonth, {"station_id": station_id, "project_id": project_id, **month}, delta)


def _raw_domain_months() -> dict[tuple, tuple[int, int]]:
    from shegong.delivery.models import ServiceEvent

    rows = (
        ServiceEvent.objects.values("station_id", "held_on__year", "held_on__month", "domain")
        .annotate(events=Count("pk"), person_times=Sum("person_times"))
        .order_by()
    )
    return {
        (r["station_id"], r["held_on__year"], r["held_on__month"], r["domain"]): (
            r["events"],
            r["person_times"] or 0,
        )
        for r in rows
    }


def _raw_project_months() -> dict[tuple, tuple[int, int]]:
    from shegong.delivery.models import ServiceEvent

    rows = (
        ServiceEvent.objects.filter(project__isnull=False)
        .values("station_id", "project_id", "held_on__year", "held_on__month")
        .annotate(events=Count("pk"), person_times=Sum("person_times"))
        .order_by()
    )
    return {
        (r["station_id"], r["project_id"], r["held_on__year"], r["held_on__month"]): (
            r["events"],
            r["person_times"] or 0,
        )
        for r in rows
    }


def _stored(model, fields) -> dict[tuple, tuple[int, int]]:
    return {
        tuple(row[:-2]): (row[-2], row[-1])
        for row in model.objects.values_list(*fields, "events", "person_times")
        if row[-2] or row[-1]
    }


@dataclass
class Drift:
    table: str
    key: tuple
    stored: tuple[int, int]
    raw: tuple[int, int]


def drift() -> list[Drift]:
    """Every rollup row that differs from a recount of the raw records."""
    found = []
    for name, raw, stored in (
        (
            "domain_month",
            _raw_domain_months(),
            _stored(DomainMonth, ("station_id", "year", "month", "domain")),
        ),
        (
            "project_month",
            _raw_project_months(),
            _stored(ProjectMonth, ("station_id", "project_id", "year", "month")),
        ),
    ):
        for key in sorted(set(raw) | set(stored), key=str):
            if raw.get(key, (0, 0)) != stored.get(key, (0, 0)):
                found.append(Drift(name, key, stored.get(key, (0, 0)), raw.get(key, (0, 0))))
    return found


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Replace every rollup with a recount of the raw records."""
    DomainMonth.objects.all().delete()
    ProjectMonth.objects.all().delete()
    domain_rows = [
        DomainMonth(station_id=s, year=y, month=m, domain=d, events=e, person_times=p)
        for (s, y, m, d), (e, p) in _raw_domain_months().items()
    ]
    project_rows = [
        ProjectMonth(station_id=s, project_id=pr, year=y, month=m, events=e, person_times=p)
        for (s, pr, y, m), (e, p) in _raw_project_months().items()
    ]
    DomainMonth.objects.bulk_create(domain_rows, batch_size=5000)
    ProjectMonth.objects.bulk_create(project_rows, batch_size=5000)
    return {"domain_month": len(domain_rows), "project_month": len(project_rows)}


def totals_by_domain(queryset) -> dict[str, int]:
    """Person-times per domain from a DomainMonth queryset (already scoped)."""
    result = defaultdict(int)
    for row in queryset.values("domain").annotate(n=Sum("person_times")).order_by():
        result[row["domain"]] = row["n"] or 0
    return dict(result)
