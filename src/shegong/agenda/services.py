"""Writes of the calendar: booking an appointment, one service per move of its
status (booked → attended / no-show / cancelled; anything else is refused), and
issuing or revoking a staff member's feed token.

Contact and counting (docs/agenda.md): an appointment counts nothing, attended
or not. Only a service record counts (a case note sets the case's last contact
and counts one person-time). A no-show leaves the case without contact and asks
the alert rules at once, so a high-risk client who missed the appointment past
the no-contact threshold raises the alert now, not at the next daily run."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.agenda.models import (
    Appointment,
    AppointmentStatus,
    CalendarFeed,
    PlannedKind,
    PlannedService,
)
from shegong.cases import alerts
from shegong.cases.models import OPEN_STATUSES, Alert, Case
from shegong.clients.models import Resident
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE, VIEW, can, may
from shegong.delivery.models import Group, ServiceEvent
from shegong.org.models import Station

# One appointment is a meeting, not a day's programme.
LONGEST = datetime.timedelta(hours=12)
OVERLAP = "overlap"


def overlapping(
    worker: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    exclude_pk: int | None = None,
):
    """The worker's booked appointments that share some time with [starts_at, ends_at)."""
    found = Appointment.objects.filter(
        worker=worker,
        status=AppointmentStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    return found.exclude(pk=exclude_pk) if exclude_pk else found


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("An appointment ends after it starts.")})
    if ends_at - starts_at > LONGEST:
        raise ValidationError({"ends_at": _("An appointment lasts at most 12 hours.")})
    if timezone.localtime(starts_at).date() < timezone.localdate():
        raise ValidationError({"starts_at": _("An appointment cannot be booked in the past.")})


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    client: Resident,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    kind: str = "meeting",
    place: str = "",
    worker: User | None = None,
    confirm_overlap: bool = False,
) -> Appointment:
    """预约: book `worker` (the actor by default) to meet `client`, a resident of
    their station. A time overlapping the worker's other booked appointments is
    refused with code "overlap" unless `confirm_overlap`."""
    if not can(actor, VIEW, client):
        # A resident of another station is one the actor does not know.
        raise ValidationError({"client": _("No such resident at your station.")})
    require_at(actor, CREATE, Appointment, client.station)
    worker = worker or actor
    if client.is_merged:
        raise ValidationError({"client": _("This record was merged; book the kept record.")})
    if worker.station_id != client.station_id or not may(worker, CREATE, Appointment):
        raise ValidationError({"worker": _("The worker must be on the station's staff.")})
    _check_times(starts_at, ends_at)
    clashes = list(overlapping(worker, starts_at, ends_at).order_by("starts_at"))
    if clashes and not confirm_overlap:
        times = "、".join(
            f"{timezone.localtime(a.starts_at):%H:%M}–{timezone.localtime(a.ends_at):%H:%M}"
            for a in clashes
        )
        raise ValidationError(
            _("%(worker)s already has an appointment at %(times)s. Confirm to book anyway.")
            % {"worker": worker, "times": times},
            code=OVERLAP,
        )
    appointment = Appointment(
        station_id=client.station_id,
        worker=worker,
        client=client,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        purpose=purpose.strip(),
        created_by=actor,
    )
    appointment.full_clean()
    appointment.save()
    ensure_visible(actor, appointment)
    return appointment


def _move(actor: User, appointment: Appointment, to: str, *, started: bool) -> Appointment:
    """Lock the appointment, refuse unless it is still booked (and, for what can
    only be said afterwards, has started), then set its new status."""
    require(actor, CHANGE, appointment)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError(
            _("This appointment is already %(status)s; only a booked one can change.")
            % {"status": appointment.get_status_display()},
            code="invalid_transition",
        )
    now = timezone.now()
    if started and appointment.starts_at > now:
        raise ValidationError(
            _("The appointment has not started yet; mark it once it has taken place."),
            code="invalid_transition",
        )
    appointment.status = to
    appointment.status_changed_at = now
    appointment.status_changed_by = actor
    appointment.full_clean()
    appointment.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    return appointment


@transaction.atomic
def appointment_attend(*, actor: User, appointment: Appointment) -> Appointment:
    """The client came. Counts nothing by itself: the service given is recorded
    as a case note or a service record (which the appointment page links to)."""
    return _move(actor, appointment, AppointmentStatus.ATTENDED, started=True)


@transaction.atomic
def appointment_no_show(*, actor: User, appointment: Appointment) -> list[Alert]:
    """The client did not come: no contact, nothing counted. The client's open
    cases are checked against the alert rules at once; returns the alerts raised."""
    appointment = _move(actor, appointment, AppointmentStatus.NO_SHOW, started=True)
    raised: list[Alert] = []
    for case in Case.objects.filter(client_id=appointment.client_id, status__in=OPEN_STATUSES):
        raised.extend(alerts.evaluate_case(case))
    return raised


@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment) -> Appointment:
    """Called off (by either side), before or after its time."""
    return _move(actor, appointment, AppointmentStatus.CANCELLED, started=False)


TRANSITIONS = {
    "attend": appointment_attend,
    "no-show": appointment_no_show,
    "cancel": appointment_cancel,
}


# --- Planned group sessions and activities -----------------------------------------


def _next_session(group: Group) -> int:
    """The group's next session not yet recorded nor planned."""
    recorded = group.sessions.aggregate(last=Max("session_number"))["last"] or 0
    planned = (
        PlannedService.objects.filter(group=group, cancelled_at__isnull=True).aggregate(
            last=Max("session_number")
        )["last"]
        or 0
    )
    return max(recorded, planned) + 1


@transaction.atomic
def planned_service_add(
    *,
    actor: User,
    station: Station,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    title: str = "",
    group: Group | None = None,
    place: str = "",
    workers: Iterable[User] | None = None,
) -> PlannedService:
    """日程安排: plan the group's next session (numbered after those recorded
    and planned) or a community activity, for a time to come."""
    require_at(actor, CREATE, PlannedService, station)
    _check_times(starts_at, ends_at)
    number = None
    if kind == PlannedKind.GROUP_SESSION:
        if group is None or group.station_id != station.pk or not can(actor, VIEW, group):
            raise ValidationError({"group": _("Choose a group of the station.")})
        group = Group.objects.select_for_update().get(pk=group.pk)
        number = _next_session(group)
        if number > group.planned_sessions:
            raise ValidationError(
                {
                    "group": _("All %(n)s sessions of this group are recorded or planned.")
                    % {"n": group.planned_sessions}
                }
            )
        title = title.strip() or _("%(group)s, session %(n)s") % {"group": group.name, "n": number}
        if workers is None:
            workers = list(group.leaders.all())
    else:
        group = None
        if not title.strip():
            raise ValidationError({"title": _("Give the activity a title.")})
    staff = list(workers or [])
    if any(w.station_id != station.pk or not may(w, CREATE, PlannedService) for w in staff):
        raise ValidationError({"workers": _("The workers must be on the station's staff.")})
    planned = PlannedService(
        station=station,
        kind=kind,
        group=group,
        session_number=number,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        created_by=actor,
    )
    planned.full_clean()
    planned.save()
    planned.workers.set(staff)
    ensure_visible(actor, planned)
    return planned


def is_held(planned: PlannedService) -> bool:
    """A planned group session is held once the group's session of its number is recorded."""
    return bool(
        planned.group_id
        and ServiceEvent.objects.filter(
            group_id=planned.group_id, session_number=planned.session_number
        ).exists()
    )


@transaction.atomic
def planned_service_cancel(*, actor: User, planned: PlannedService) -> PlannedService:
    """Called off: it leaves the calendars; a group's session number is free again."""
    require(actor, CHANGE, planned)
    planned = PlannedService.objects.select_for_update().get(pk=planned.pk)
    if planned.is_cancelled:
        raise ValidationError(_("This plan is already cancelled."), code="invalid_transition")
    if is_held(planned):
        raise ValidationError(
            _("This session is already recorded; it cannot be cancelled."),
            code="invalid_transition",
        )
    planned.cancelled_at = timezone.now()
    planned.save(update_fields=["cancelled_at", "updated_at"])
    return planned


# --- The feed ----------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_issue(*, actor: User) -> CalendarFeed:
    """Issue the actor's feed token, or replace it: the old address stops working."""
    require_at(actor, CREATE, CalendarFeed, actor.station)
    CalendarFeed.objects.filter(user=actor).delete()
    feed = CalendarFeed.objects.create(user=actor, station=actor.station, token=_new_token())
    ensure_visible(actor, feed)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> bool:
    """Revoke the actor's feed: its address answers 404 from now on."""
    deleted, _rows = CalendarFeed.objects.filter(user=actor).delete()
    return bool(deleted)
