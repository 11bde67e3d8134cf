"""Reads of the calendar, always through the scope: a user's own appointments
(`appointments_for`, which the home page reads), a station's calendar entries
(appointments and the services recorded on those days), and what a feed holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.agenda.models import Appointment, AppointmentStatus, PlannedService
from shegong.core.links import choice_labels, detail_link
from shegong.core.scope import VIEW, may
from shegong.delivery.models import EventKind, ServiceEvent

# What a feed holds around today: last month's (to look back) and the next three.
FEED_PAST_DAYS = 31
FEED_FUTURE_DAYS = 92


def _day_bounds(day_from: datetime.date, day_to: datetime.date):
    """The aware datetimes from the start of `day_from` to the end of `day_to`
    (local days, inclusive)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        day_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def reads_calendar(user: Any) -> bool:
    """Whether the user's role reads appointments at all (a station's own staff
    and superusers; officials, agencies and evaluators read none)."""
    return may(user, VIEW, Appointment)


def appointments_for(
    user: Any, day_from: datetime.date, day_to: datetime.date
) -> QuerySet[Appointment]:
    """The user's own appointments (as the worker) from `day_from` to `day_to`
    (local days, inclusive), cancelled ones left out, earliest first, with the
    client: what a worker's home page lists for today and this week."""
    start, end = _day_bounds(day_from, day_to)
    return (
        Appointment.objects.visible_to(user)
        .filter(worker_id=user.pk, starts_at__lt=end, ends_at__gt=start)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("client")
        .order_by("starts_at", "pk")
    )


def planned_for(
    user: Any, day_from: datetime.date, day_to: datetime.date
) -> QuerySet[PlannedService]:
    """The group sessions and activities planned from `day_from` to `day_to`
    with the user among their workers, cancelled ones left out, earliest first:
    what a worker's home page lists beside `appointments_for`."""
    start, end = _day_bounds(day_from, day_to)
    return (
        PlannedService.objects.visible_to(user)
        .filter(workers=user, cancelled_at__isnull=True, starts_at__lt=end, ends_at__gt=start)
        .select_related("group")
        .order_by("starts_at", "pk")
    )


def station_appointments(
    user: Any, station: Any, day_from: datetime.date, day_to: datetime.date
) -> QuerySet[Appointment]:
    """Every appointment of `station` in the range that `user` may read."""
    start, end = _day_bounds(day_from, day_to)
    return (
        Appointment.objects.visible_to(user)
        .filter(station=station, starts_at__lt=end, ends_at__gt=start)
        .select_related("client", "worker")
        .order_by("starts_at", "pk")
    )


# Casework contacts are case notes: they stay in the case file, not on a calendar.
CALENDAR_EVENT_KINDS = [k for k in EventKind if k != EventKind.CASEWORK]


def station_events(
    user: Any, station: Any, day_from: datetime.date, day_to: datetime.date
) -> QuerySet[ServiceEvent]:
    """The services recorded at `station` on those days (group sessions,
    activities, home visits...), casework left out."""
    return (
        ServiceEvent.objects.visible_to(user)
        .filter(
            station=station,
            held_on__gte=day_from,
            held_on__lte=day_to,
            kind__in=CALENDAR_EVENT_KINDS,
        )
        .order_by("held_on", "pk")
    )


def station_planned(
    user: Any, station: Any, day_from: datetime.date, day_to: datetime.date
) -> QuerySet[PlannedService]:
    """The group sessions and activities planned at `station` in the range."""
    start, end = _day_bounds(day_from, day_to)
    return (
        PlannedService.objects.visible_to(user)
        .filter(station=station, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at", "pk")
    )


def held_sessions(planned: list[PlannedService]) -> set[tuple[int, int]]:
    """(group, session number) of the planned group sessions already recorded."""
    groups = {p.group_id for p in planned if p.group_id}
    if not groups:
        return set()
    return set(
        ServiceEvent.objects.filter(group_id__in=groups).values_list("group_id", "session_number")
    )


def planned_status(planned: PlannedService, held: set[tuple[int, int]]) -> tuple[str, str]:
    if planned.is_cancelled:
        return "cancelled", _("Cancelled")
    if (planned.group_id, planned.session_number) in held:
        return "held", _("Held")
    return "planned", _("Planned")


@dataclass(frozen=True)
class Entry:
    """One line of the calendar: an appointment (timed) or a service (all day)."""

    day: datetime.date
    title: str
    kind: str
    url: str
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    status: str = ""
    status_label: str = ""
    worker: str = ""
    is_appointment: bool = False

    @property
    def time(self) -> str:
        if self.start is None:
            return ""
        return f"{timezone.localtime(self.start):%H:%M}–{timezone.localtime(self.end):%H:%M}"


def calendar_entries(
    user: Any, station: Any, day_from: datetime.date, day_to: datetime.date
) -> dict[datetime.date, list[Entry]]:
    """The station's calendar from `day_from` to `day_to`: per day, its
    services (all day, first) and its appointments in time order."""
    days: dict[datetime.date, list[Entry]] = {}
    event_kinds = choice_labels(ServiceEvent._meta.get_field("kind"))
    event_link = detail_link("delivery:event-detail")
    for event in station_events(user, station, day_from, day_to):
        days.setdefault(event.held_on, []).append(
            Entry(
                day=event.held_on,
                title=event.title,
                kind=event_kinds.get(event.kind, event.kind),
                url=event_link(event.pk),
            )
        )
    planned = list(station_planned(user, station, day_from, day_to))
    held = held_sessions(planned)
    planned_kinds = choice_labels(PlannedService._meta.get_field("kind"))
    planned_link = detail_link("agenda:planned-detail")
    for p in planned:
        day = timezone.localtime(p.starts_at).date()
        status, label = planned_status(p, held)
        days.setdefault(day, []).append(
            Entry(
                day=day,
                title=p.title,
                kind=planned_kinds.get(p.kind, p.kind),
                url=planned_link(p.pk),
                start=p.starts_at,
                end=p.ends_at,
                status=status,
                status_label=label,
            )
        )
    appointment_kinds = choice_labels(Appointment._meta.get_field("kind"))
    appointment_statuses = choice_labels(Appointment._meta.get_field("status"))
    appointment_link = detail_link("agenda:appointment-detail")
    for a in station_appointments(user, station, day_from, day_to):
        day = timezone.localtime(a.starts_at).date()
        days.setdefault(day, []).append(
            Entry(
                day=day,
                title=f"{a.client.name} · {a.purpose}",
                kind=appointment_kinds.get(a.kind, a.kind),
                url=appointment_link(a.pk),
                start=a.starts_at,
                end=a.ends_at,
                status=a.status,
                status_label=appointment_statuses.get(a.status, a.status),
                worker=str(a.worker),
                is_appointment=True,
            )
        )
    for entries in days.values():
        # Services of the day first, then the timed entries in time order.
        entries.sort(key=lambda e: (e.start is not None, e.start or timezone.now()))
    return days


def feed_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return (
        today - datetime.timedelta(days=FEED_PAST_DAYS),
        today + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )


def feed_appointments(holder: Any) -> QuerySet[Appointment]:
    """The feed's appointments: the holder's own in the window, read with the
    holder's scope (a holder who left the station reads none)."""
    day_from, day_to = feed_window()
    return appointments_for(holder, day_from, day_to)


def feed_events(holder: Any) -> QuerySet[ServiceEvent]:
    """The services in the window that the holder took part in (named among the
    event's workers, or leading its group)."""
    day_from, day_to = feed_window()
    return (
        ServiceEvent.objects.visible_to(holder)
        .filter(held_on__gte=day_from, held_on__lte=day_to, kind__in=CALENDAR_EVENT_KINDS)
        .filter(Q(workers=holder) | Q(group__leaders=holder))
        .distinct()
        .order_by("held_on", "pk")
    )


def feed_planned(holder: Any) -> QuerySet[PlannedService]:
    """The group sessions and activities planned in the window with the holder
    among their workers, cancelled ones left out."""
    return planned_for(holder, *feed_window())
