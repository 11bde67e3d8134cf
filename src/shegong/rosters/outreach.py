"""The outreach list 走访清单: the station's roster persons with the visit their
lists' rules ask for (due, overdue, never reached), their address and last
contact; and the missed-visit alert rule of the alert engine (cases.alerts).

A person on several lists appears once, under the strictest rule (the earliest
next visit). "Contact" is any service they attended; "visit" a home visit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.cases.models import OPEN_STATUSES, AlertKind, Case
from shegong.delivery.models import EventKind
from shegong.rosters.models import RosterEntry
from shegong.rosters.rules import DUE_SOON_DAYS, rules_for

NEVER_REACHED = "never_reached"
OVERDUE = "overdue"
DUE = "due"
UP_TO_DATE = "up_to_date"
STATUS_LABELS = {
    NEVER_REACHED: _("Never reached"),
    OVERDUE: _("Overdue"),
    DUE: _("Due soon"),
    UP_TO_DATE: _("Up to date"),
}
STATUS_ORDER = (NEVER_REACHED, OVERDUE, DUE, UP_TO_DATE)


@dataclass
class Person:
    resident_id: int
    entry_id: int
    name: str
    address: str
    community: str
    categories: list[str] = field(default_factory=list)
    joined: datetime.date | None = None
    last_contact: datetime.date | None = None
    last_visit: datetime.date | None = None
    next_due: datetime.date | None = None
    status: str = UP_TO_DATE

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _status(person: Person, today: datetime.date) -> str:
    if person.last_contact is None:
        return NEVER_REACHED
    if person.next_due < today:
        return OVERDUE
    if person.next_due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return DUE
    return UP_TO_DATE


def outreach_list(entries, station_id: int, today: datetime.date | None = None) -> list[Person]:
    """The persons of the open `entries` (already scoped to the reader) at one
    station, most urgent first."""
    today = today or timezone.localdate()
    rows = (
        entries.filter(station_id=station_id, closed_on__isnull=True, resident__isnull=False)
        .values(
            "pk",
            "resident_id",
            "name",
            "address",
            "community__name",
            "category_id",
            "category__name",
            "first_month",
        )
        .order_by("resident_id", "category__order", "pk")
    )
    rows = list(rows)
    ids = {r["resident_id"] for r in rows}
    from shegong.delivery.models import Attendance

    seen = {
        r["resident_id"]: r
        for r in Attendance.objects.filter(resident_id__in=ids)
        .values("resident_id")
        .annotate(
            last=Max("event__held_on"),
            visit=Max("event__held_on", filter=Q(event__kind=EventKind.HOME_VISIT)),
        )
        .order_by()
    }
    rules = rules_for([station_id])
    people: dict[int, Person] = {}
    for row in rows:
        person = people.get(row["resident_id"])
        if person is None:
            contact = seen.get(row["resident_id"], {})
            person = people[row["resident_id"]] = Person(
                resident_id=row["resident_id"],
                entry_id=row["pk"],
                name=row["name"],
                address=row["address"],
                community=row["community__name"] or "",
                joined=row["first_month"],
                last_contact=contact.get("last"),
                last_visit=contact.get("visit"),
            )
        person.categories.append(row["category__name"])
        person.joined = min(person.joined, row["first_month"])
        due = rules[(station_id, row["category_id"])].next_due(
            person.last_visit, row["first_month"]
        )
        person.next_due = due if person.next_due is None else min(person.next_due, due)
    for person in people.values():
        person.status = _status(person, today)
    return sorted(
        people.values(),
        key=lambda p: (STATUS_ORDER.index(p.status), p.next_due, p.name, p.resident_id),
    )


def evaluate_missed_visits(station_id: int, today: datetime.date | None = None) -> list:
    """The alert rule: a roster person whose visit is overdue (past the station's
    grace days). The episode is the due date, so one alert per missed visit; a
    visit moves the due date and a later miss raises a new one."""
    from shegong.cases.alerts import raise_alert, rule_settings

    today = today or timezone.localdate()
    setting = rule_settings(station_id)[AlertKind.ROSTER_VISIT_OVERDUE]
    if not setting.enabled:
        return []
    raised = []
    for person in outreach_list(RosterEntry.objects.all(), station_id, today):
        if (today - person.next_due).days <= setting.threshold_days:
            continue
        case = (
            Case.objects.filter(client_id=person.resident_id, status__in=OPEN_STATUSES)
            .order_by("-opened_on")
            .first()
        )
        alert = raise_alert(
            kind=AlertKind.ROSTER_VISIT_OVERDUE,
            subject=f"roster:{person.resident_id}:{person.next_due.isoformat()}",
            station_id=station_id,
            resident_id=person.resident_id,
            case=case,
            detail={
                "categories": "、".join(person.categories),
                "date": person.next_due.isoformat(),
            },
            assigned_to_id=(
                case.workers.order_by("pk").values_list("pk", flat=True).first() if case else None
            ),
        )
        if alert:
            raised.append(alert)
    return raised
