"""Writes of service records. `service_event_record` is where the forms and the
API create an event; the import holds its rows to the same `check_*` functions.
Every path counts person-times and rollup changes through `delivery.counting`,
so the counting rule holds everywhere."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients.models import Resident
from shegong.community.models import PartyMember, SignupStatus, Volunteer, VolunteerSignup
from shegong.core import audit
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE
from shegong.delivery import counting
from shegong.delivery.counting import record_count_change
from shegong.delivery.models import (
    HEADCOUNT_KINDS,
    Attendance,
    EventKind,
    EventVolunteer,
    Group,
    ServiceEvent,
)
from shegong.org.models import ServicePoint, Station
from shegong.plans.models import PlanProject
from shegong.stats.rollups import clients_served_add, clients_served_refresh


def require_recorder_at(
    actor: User, station_id: int | None, model=ServiceEvent, message: str | None = None
) -> None:
    """Refuse (403) unless `actor` may create `model` rows (service events, groups)
    at the station: the scope's create right, at a station within their view,
    which for the station staff who hold it is their own station."""
    # Only the station's key is asked: no need to load the row.
    station = Station(pk=station_id) if station_id is not None else None
    message = message or _("Only the station's own staff record its services.")
    require_at(actor, CREATE, model, station, message=message)


def _require_change(actor: User, event: ServiceEvent) -> None:
    ensure_visible(actor, event)
    require(actor, CHANGE, event, message=_("Only the station's own staff record its services."))


# The rules of one service event. `service_event_record` and the bulk import
# (`delivery.importing`) both call these, so a spreadsheet row is held to exactly
# the rules of the form. Each raises a ValidationError keyed by the service's argument.


# Casework contacts are made by case notes (`casework_event_record`) only. A set,
# because the import checks a million rows and `EventKind.values` builds a list.
RECORDABLE_KINDS = frozenset(EventKind.values) - {EventKind.CASEWORK}


def check_event_kind(kind: str) -> None:
    if kind not in RECORDABLE_KINDS:
        raise ValidationError({"kind": _("Choose the kind of service.")})


def check_event_date(
    held_on: datetime.date, project: PlanProject | None, today: datetime.date | None = None
) -> None:
    """`today` lets a caller checking many rows (the import) look it up once."""
    if held_on > (today or timezone.localdate()):
        raise ValidationError({"held_on": _("The date cannot be in the future.")})
    if project is not None and held_on.year != project.plan.year:
        raise ValidationError(
            {
                "held_on": _("The date is outside the plan year %(year)s.")
                % {"year": project.plan.year}
            }
        )


def check_headcount(kind: str, headcount: int) -> None:
    if headcount < 0:
        raise ValidationError({"headcount": _("The head-count cannot be negative.")})
    if headcount and kind not in HEADCOUNT_KINDS:
        raise ValidationError(
            {"headcount": _("Only community activities may count people without names.")}
        )


def check_event_times(starts_at: datetime.time | None, ends_at: datetime.time | None) -> None:
    """Both times or neither; a service ends after it starts (on the same day)."""
    if (starts_at is None) != (ends_at is None):
        field = "ends_at" if ends_at is None else "starts_at"
        raise ValidationError(
            {field: _("Give the time the service started and ended, or neither.")}
        )
    if starts_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The service cannot end before it starts.")})


def check_attendees(station_id: int, attendees: Sequence[Resident]) -> None:
    seen: set[int] = set()
    for resident in attendees:
        if resident.pk in seen:
            raise ValidationError(
                {
                    "attendees": _("%(name)s is counted twice at this event.")
                    % {"name": resident.name}
                }
            )
        seen.add(resident.pk)
        if resident.station_id != station_id:
            raise ValidationError(
                {
                    "attendees": _("%(name)s is not a resident of this station.")
                    % {"name": resident.name}
                }
            )
        if resident.merged_into_id is not None:
            raise ValidationError(
                {
                    "attendees": _("%(name)s's record was merged; use the kept record.")
                    % {"name": resident.name}
                }
            )


def check_someone_attended(named: int, headcount: int) -> None:
    if not named and not headcount:
        raise ValidationError(_("Record who attended, or the head-count."))


def check_workers(station_id: int, workers: Iterable[User]) -> None:
    for worker in workers:
        if worker.station_id != station_id:
            raise ValidationError(
                {"workers": _("%(name)s is not a worker of this station.") % {"name": worker}}
            )


@transaction.atomic
def service_event_record(
    *,
    actor: User,
    project: PlanProject,
    kind: str,
    held_on: datetime.date,
    title: str,
    attendees: Sequence[Resident] = (),
    headcount: int = 0,
    workers: Iterable[User] | None = None,
    volunteers: Iterable[tuple[Volunteer, Decimal]] = (),
    party_members: Iterable[PartyMember] = (),
    group: Group | None = None,
    session_number: int | None = None,
    import_key: str = "",
    point: ServicePoint | None = None,
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
) -> ServiceEvent:
    """Record one service event with its attendance; person-times by
    `delivery.counting` (named attendance + head-count), in the project's domain,
    and at `point` (a service point of the station) if given; `starts_at` and
    `ends_at` (both or neither) give the workers' service hours."""
    station_id = project.plan.station_id
    # The scope's create right at the project's station; for those who hold it
    # (the station's own staff) the project is then within their view too.
    require_recorder_at(actor, station_id)
    check_event_kind(kind)
    check_event_date(held_on, project)
    check_headcount(kind, headcount)
    check_event_times(starts_at, ends_at)
    attendees = list(attendees)
    check_attendees(station_id, attendees)
    check_someone_attended(len(attendees), headcount)
    event = ServiceEvent(
        station_id=station_id,
        point=point,
        project=project,
        domain=project.domain,
        kind=kind,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title.strip(),
        group=group,
        session_number=session_number,
        headcount=headcount,
        person_times=counting.person_times(len(attendees), headcount),
        import_key=import_key,
        created_by=actor,
    )
    event.full_clean()
    # Attendance is written in bulk (no signals): the event's audit entry lists it.
    audit.note(event, attendees=(None, sorted(r.pk for r in attendees)))
    event.save()
    Attendance.objects.bulk_create(
        Attendance(event=event, resident=r, held_on=event.held_on) for r in attendees
    )
    hours = _set_people(event, actor, workers, volunteers, party_members)
    record_count_change(event, events=1, person_times=event.person_times, volunteer_hours=hours)
    clients_served_add(
        station_id=station_id, attendances=[(r.pk, held_on, event.domain) for r in attendees]
    )
    return event


def _set_people(event, actor, workers, volunteers, party_members) -> Decimal:
    """Set the event's workers, volunteers and party members; returns the
    volunteer hours recorded."""
    workers = list(workers) if workers is not None else [actor]
    check_workers(event.station_id, workers)
    event.workers.set(workers)
    rows = []
    for volunteer, hours in volunteers:
        if volunteer.station_id != event.station_id:
            raise ValidationError(
                {
                    "volunteers": _("%(name)s is not a volunteer of this station.")
                    % {"name": volunteer}
                }
            )
        if not volunteer.is_active:
            raise ValidationError(
                {
                    "volunteers": _("%(name)s is no longer an active volunteer.")
                    % {"name": volunteer}
                }
            )
        row = EventVolunteer(event=event, volunteer=volunteer, hours=Decimal(hours))
        row.full_clean(exclude=["event"])
        rows.append(row)
    if len({r.volunteer_id for r in rows}) != len(rows):
        raise ValidationError({"volunteers": _("A volunteer is listed twice.")})
    EventVolunteer.objects.bulk_create(rows)
    # Volunteers who signed up for this day's activity of the project have served.
    VolunteerSignup.objects.filter(
        volunteer_id__in=[r.volunteer_id for r in rows],
        project_id=event.project_id,
        activity_on=event.held_on,
        status=SignupStatus.SIGNED_UP,
    ).update(status=SignupStatus.SERVED, event=event)
    members = list(party_members)
    if any(m.station_id != event.station_id for m in members):
        raise ValidationError({"party_members": _("A party member is not of this station.")})
    event.party_members.set(members)
    return sum((r.hours for r in rows), Decimal(0))


@transaction.atomic
def service_event_update_attendance(
    *, actor: User, event: ServiceEvent, attendees: Sequence[Resident], headcount: int = 0
) -> ServiceEvent:
    """Correct who attended; person-times follow."""
    _require_change(actor, event)
    if event.kind == EventKind.CASEWORK:
        raise ValidationError(_("Casework contacts are changed through their case."))
    check_headcount(event.kind, headcount)
    attendees = list(attendees)
    check_attendees(event.station_id, attendees)
    check_someone_attended(len(attendees), headcount)
    event = ServiceEvent.objects.select_for_update().get(pk=event.pk)
    before = event.person_times
    affected = set(event.attendances.values_list("resident_id", flat=True))
    audit.note(
        event,
        attendees=(
            sorted(affected),
            sorted(r.pk for r in attendees),
        ),
    )
    event.attendances.all().delete()
    Attendance.objects.bulk_create(
        Attendance(event=event, resident=r, held_on=event.held_on) for r in attendees
    )
    event.headcount = headcount
    event.person_times = counting.person_times(len(attendees), headcount)
    event.save(update_fields=["headcount", "person_times", "updated_at"])
    record_count_change(event, events=0, person_times=event.person_times - before)
    clients_served_refresh(
        resident_ids=affected | {r.pk for r in attendees},
        station_id=event.station_id,
        year=event.held_on.year,
    )
    return event


@transaction.atomic
def service_event_delete(*, actor: User, event: ServiceEvent) -> None:
    _require_change(actor, event)
    if event.kind == EventKind.CASEWORK:
        raise ValidationError(_("Casework contacts are changed through their case."))
    hours = sum(event.volunteer_service.values_list("hours", flat=True), Decimal(0))
    attended = list(event.attendances.values_list("resident_id", flat=True))
    record_count_change(event, events=-1, person_times=-event.person_times, volunteer_hours=-hours)
    event.delete()
    clients_served_refresh(
        resident_ids=attended, station_id=event.station_id, year=event.held_on.year
    )


@transaction.atomic
def group_create(
    *,
    actor: User,
    project: PlanProject,
    name: str,
    planned_sessions: int,
    members: Sequence[Resident] = (),
    leaders: Iterable[User] | None = None,
    point: ServicePoint | None = None,
    uses_stages: bool = False,
) -> Group:
    require_recorder_at(actor, project.plan.station_id, Group)
    check_attendees(project.plan.station_id, list(members))
    leaders = list(leaders) if leaders is not None else [actor]
    # The leaders are the workers of every session (group_session_record), where
    # a worker of another station is refused: refuse such a leader here instead.
    for leader in leaders:
        if leader.station_id != project.plan.station_id:
            raise ValidationError(
                {"leaders": _("%(name)s is not a worker of this station.") % {"name": leader}}
            )
    group = Group(
        station_id=project.plan.station_id,
        point=point,
        project=project,
        name=name.strip(),
        planned_sessions=planned_sessions,
        uses_stages=uses_stages,
    )
    group.full_clean()
    group.save()
    group.members.set(members)
    group.leaders.set(leaders)
    return group


@transaction.atomic
def group_session_record(
    *,
    actor: User,
    group: Group,
    held_on: datetime.date,
    attendees: Sequence[Resident],
    title: str = "",
    volunteers: Iterable[tuple[Volunteer, Decimal]] = (),
    party_members: Iterable[PartyMember] = (),
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
) -> ServiceEvent:
    """A group session with named attendance; sessions are numbered in order and
    given at the group's service point, if it has one."""
    ensure_visible(actor, group)
    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.closed_on is not None:
        raise ValidationError(_("This group is closed."))
    done = group.sessions.aggregate(last=Max("session_number"))["last"] or 0
    if done >= group.planned_sessions:
        raise ValidationError(
            _("All %(n)s planned sessions of this group are recorded.")
            % {"n": group.planned_sessions}
        )
    number = done + 1
    return service_event_record(
        actor=actor,
        project=group.project,
        kind=EventKind.GROUP_SESSION,
        held_on=held_on,
        title=title or _("%(group)s, session %(n)s") % {"group": group.name, "n": number},
        attendees=attendees,
        workers=list(group.leaders.all()) or None,
        volunteers=volunteers,
        party_members=party_members,
        group=group,
        session_number=number,
        point=group.point,
        starts_at=starts_at,
        ends_at=ends_at,
    )


def casework_event_record(note) -> ServiceEvent:
    """The service event of a casework note: one person-time for the client, in
    the case's domain, under the plan project of that domain if the station has a
    plan for the year, at the client's service point if they have one (a casework
    contact is given where the client is looked after). Called inside
    `cases.services.case_note_add`'s transaction."""
    case = note.case
    client = case.client
    project = (
        PlanProject.objects.filter(
            plan__station_id=case.station_id,
            plan__year=note.happened_on.year,
            domain=case.domain,
        )
        .order_by("kind")  # "basic" sorts before "core", "featured", "key"
        .first()
    )
    event = ServiceEvent.objects.create(
        station_id=case.station_id,
        point_id=client.point_id if client.station_id == case.station_id else None,
        project=project,
        domain=case.domain,
        kind=EventKind.CASEWORK,
        held_on=note.happened_on,
        title=_("Case %(number)s") % {"number": case.number},
        case_note=note,
        person_times=counting.casework_person_times(),
        created_by=note.author,
    )
    Attendance.objects.create(event=event, resident_id=case.client_id)
    event.workers.set([note.author])
    record_count_change(event, events=1, person_times=event.person_times)
    clients_served_add(
        station_id=case.station_id, attendances=[(case.client_id, event.held_on, event.domain)]
    )
    return event


def resident_merge_attendance(*, keep: Resident, duplicate: Resident) -> None:
    """Delivery's part of `clients.services.resident_merge`, inside its transaction
    and after its checks: where both records attended the same event, the
    duplicate's attendance is dropped (the same person counts once) and the
    event's person-times are recounted, the rollups with them."""
    shared = list(
        Attendance.objects.filter(
            resident=duplicate,
            event__in=Attendance.objects.filter(resident=keep).values("event"),
        ).values_list("event_id", flat=True)
    )
    Attendance.objects.filter(resident=duplicate, event_id__in=shared).delete()
    for event in ServiceEvent.objects.filter(pk__in=shared):
        counting.event_recount(event)
