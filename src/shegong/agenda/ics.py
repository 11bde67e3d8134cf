"""The iCalendar (RFC 5545) text of a staff member's feed, for the phone's calendar.

A phone's calendar syncs to services outside the platform, so the feed holds the
least that still plans the week (docs/agenda.md): the kind of appointment and
the client as surname + 某 (张某), its time, and its place except for home
visits (the client's address stays in the platform); never the purpose, a case,
a note or a risk level. Each entry links back to the platform, where the rest
is read after log-in."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from shegong.agenda.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    PlannedService,
)
from shegong.delivery.models import ServiceEvent

PRODID = "-//Shegong//agenda//ZH"


def client_label(name: str) -> str:
    """The client as the feed shows them: the first character and 某 (张三 → 张某);
    "服务对象" (client) when there is no name."""
    name = (name or "").strip()
    return f"{name[0]}某" if name else _("client")


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@shegong"


def appointment_event(appointment: Appointment, absolute: Callable[[str], str]) -> Event:
    event = Event()
    event.add("uid", _uid("appointment", appointment.pk))
    event.add("dtstamp", appointment.updated_at)
    event.add("dtstart", timezone.localtime(appointment.starts_at))
    event.add("dtend", timezone.localtime(appointment.ends_at))
    event.add(
        "summary",
        f"{appointment.get_kind_display()} · {client_label(appointment.client.name)}",
    )
    if appointment.place and appointment.kind != AppointmentKind.HOME_VISIT:
        event.add("location", appointment.place)
    event.add("status", "CONFIRMED")
    if appointment.status != AppointmentStatus.BOOKED:
        event.add("description", appointment.get_status_display())
    event.add("url", absolute(reverse("agenda:appointment-detail", args=[appointment.pk])))
    return event


def service_event(service: ServiceEvent, absolute: Callable[[str], str]) -> Event:
    event = Event()
    event.add("uid", _uid("service", service.pk))
    event.add("dtstamp", service.updated_at)
    # A service is recorded for a day: an all-day entry (DTEND is the next day).
    event.add("dtstart", service.held_on)
    event.add("dtend", service.held_on + datetime.timedelta(days=1))
    event.add("summary", f"{service.get_kind_display()} · {service.title}")
    event.add("url", absolute(reverse("delivery:event-detail", args=[service.pk])))
    return event


def planned_event(planned: PlannedService, absolute: Callable[[str], str]) -> Event:
    event = Event()
    event.add("uid", _uid("planned", planned.pk))
    event.add("dtstamp", planned.updated_at)
    event.add("dtstart", timezone.localtime(planned.starts_at))
    event.add("dtend", timezone.localtime(planned.ends_at))
    event.add("summary", f"{planned.get_kind_display()} · {planned.title}")
    if planned.place:
        event.add("location", planned.place)
    event.add("url", absolute(reverse("agenda:planned-detail", args=[planned.pk])))
    return event


def feed_calendar(
    appointments: Iterable[Appointment],
    services: Iterable[ServiceEvent],
    planned: Iterable[PlannedService],
    absolute: Callable[[str], str],
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Shegong calendar"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for appointment in appointments:
        calendar.add_component(appointment_event(appointment, absolute))
    for service in services:
        calendar.add_component(service_event(service, absolute))
    for plan in planned:
        calendar.add_component(planned_event(plan, absolute))
    return calendar.to_ical()
