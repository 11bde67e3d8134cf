"""Reads of service records, always through the user's scope: events, groups and
the person-times of a set of events by statistical domain."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from shegong.accounts.models import User
from shegong.clients import pinyin
from shegong.clients.models import Resident
from shegong.community.models import PartyMember, Volunteer
from shegong.core.models import Domain
from shegong.core.roles import STAFF_ROLES
from shegong.core.scope import CREATE, may
from shegong.delivery.models import EventKind, EventVolunteer, Group, ServiceEvent
from shegong.org.models import ServicePoint
from shegong.plans.models import PlanProject


def events_visible_to(user: Any) -> QuerySet[ServiceEvent]:
    return ServiceEvent.objects.visible_to(user).select_related("project", "station", "group")


def event_detail_queryset(user: Any) -> QuerySet[ServiceEvent]:
    """Events with everything their page or API record shows, fetched up front."""
    return (
        events_visible_to(user)
        .select_related("point")
        .prefetch_related(
            "attendances",
            "workers",
            "party_members",
            Prefetch(
                "volunteer_service", queryset=EventVolunteer.objects.select_related("volunteer")
            ),
        )
    )


def person_times_by_domain(events: QuerySet[ServiceEvent]) -> dict[str, int]:
    """Person-times per statistical domain, every domain present (0 if none).
    Each event is in exactly one domain, so the values add up to the total."""
    totals = dict.fromkeys(Domain.values, 0)
    rows = events.order_by().values("domain").annotate(total=Sum("person_times"))
    for row in rows:
        totals[row["domain"]] = row["total"] or 0
    return totals


# A group's sessions recorded: its events (distinct, beside other joins).
SESSIONS_RECORDED = Count("sessions", distinct=True)


def groups_visible_to(user: Any) -> QuerySet[Group]:
    """Groups with the number of sessions recorded and their person-times."""
    return (
        Group.objects.visible_to(user)
        .select_related("project", "station")
        .annotate(
            sessions_recorded=SESSIONS_RECORDED,
            person_times=Coalesce(Sum("sessions__person_times"), 0),
        )
        .order_by("-created_at", "-pk")
    )


def group_sessions(user: Any, group: Group) -> QuerySet[ServiceEvent]:
    """The group's recorded sessions, in order."""
    return (
        ServiceEvent.objects.visible_to(user).filter(group=group).order_by("session_number", "pk")
    )


def people_visible_to(user: Any, residents: QuerySet[Resident]) -> QuerySet[Resident]:
    """The residents of `residents` whose names the user may read: station staff
    see people, officials only counts (docs/domain.md "Who uses it")."""
    return residents.visible_to(user).order_by("name", "pk")


def attendees_of(user: Any, event: ServiceEvent) -> QuerySet[Resident]:
    return people_visible_to(
        user, Resident.objects.filter(pk__in=event.attendances.values("resident_id"))
    )


def records_services(user: Any) -> bool:
    """Whether `user` records their own station's services: the service event
    scope's create right, anchored at a station (officials read them)."""
    return bool(user.is_authenticated and user.station_id and may(user, CREATE, ServiceEvent))


def recording_projects(user: Any, year: int | None = None) -> QuerySet[PlanProject]:
    """The projects of the user's station's plan for `year` (this year by default),
    under which the user records services."""
    year = year or timezone.localdate().year
    if not records_services(user):
        return PlanProject.objects.none()
    return (
        PlanProject.objects.visible_to(user)
        .filter(plan__station_id=user.station_id, plan__year=year)
        .select_related("plan")
        .order_by("kind", "domain", "name")
    )


def station_residents(user: Any) -> QuerySet[Resident]:
    """Residents of the user's station who can be counted at an event (merged
    duplicates are left out: their records live on the kept one)."""
    if not records_services(user):
        return Resident.objects.none()
    return (
        Resident.objects.visible_to(user)
        .filter(station_id=user.station_id, merged_into__isnull=True)
        .order_by("name", "pk")
    )


# How many residents a name lookup on a form lists at most.
LOOKUP_LIMIT = 20


def station_residents_matching(
    user: Any, query: str, *, exclude: QuerySet[Resident] | None = None, leave_out=()
) -> QuerySet[Resident]:
    """Residents of the user's station (through the scope) whose name contains
    `query` (or whose pinyin or initials start with it), other than those of
    `exclude` and the ids `leave_out`: a form's look-up of someone to add (e.g. a
    non-member at a group session)."""
    query = query.strip()
    if not query:
        return Resident.objects.none()
    residents = station_residents(user).filter(pinyin.name_search(query))
    if exclude is not None:
        residents = residents.exclude(pk__in=exclude.values("pk"))
    if leave_out:
        residents = residents.exclude(pk__in=list(leave_out))
    return residents


def station_points(user: Any) -> QuerySet[ServicePoint]:
    """The active service points of the recorder's station (none for others)."""
    if not records_services(user):
        return ServicePoint.objects.none()
    return ServicePoint.objects.filter(station_id=user.station_id, is_active=True).order_by("code")


def station_workers(user: Any) -> QuerySet[User]:
    if not records_services(user):
        return User.objects.none()
    return User.objects.filter(
        station_id=user.station_id,
        is_active=True,
        role__in=STAFF_ROLES,
    ).order_by("role", "full_name", "username")


def station_volunteers(user: Any) -> QuerySet[Volunteer]:
    if not records_services(user):
        return Volunteer.objects.none()
    return Volunteer.objects.visible_to(user).filter(station_id=user.station_id, is_active=True)


def station_party_members(user: Any) -> QuerySet[PartyMember]:
    if not records_services(user):
        return PartyMember.objects.none()
    return (
        PartyMember.objects.visible_to(user)
        .filter(station_id=user.station_id)
        .select_related("organisation")
        .order_by("-is_representative", "name", "pk")
    )


# --- The worker's week (home page) -------------------------------------------------


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The Monday and the Sunday of `day`'s week."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def my_services(user: Any, first: datetime.date, last: datetime.date) -> QuerySet[ServiceEvent]:
    """The group sessions, activities, visits and consultations held between
    `first` and `last` in which the user took part (or that they recorded),
    latest first. Casework contacts are the cases' notes, listed with the cases."""
    mine = ServiceEvent.objects.filter(
        Q(workers=user) | Q(created_by=user), held_on__gte=first, held_on__lte=last
    ).values("pk")
    # The dates again on the outer query: on PostgreSQL they prune the year
    # partitions and use the (station, held_on) index, instead of testing every
    # event of the station against the subquery (7 ms → 0.2 ms at city scale).
    # The columns the home page lists, without the event's station, project and
    # group (made into objects, they were half the block's CPU).
    return (
        ServiceEvent.objects.visible_to(user)
        .filter(pk__in=mine, held_on__gte=first, held_on__lte=last)
        .exclude(kind=EventKind.CASEWORK)
        .only("pk", "title", "kind", "held_on", "person_times")
        .order_by("-held_on", "-pk")
    )


def my_groups_to_run(user: Any) -> QuerySet[Group]:
    """The groups the user leads that still have sessions to hold, with the
    number of the next one (`sessions_recorded` + 1): their names and numbers."""
    led = Group.objects.filter(leaders=user).values("pk")
    return (
        Group.objects.visible_to(user)
        .annotate(sessions_recorded=SESSIONS_RECORDED)
        .filter(pk__in=led, sessions_recorded__lt=F("planned_sessions"))
        .only("pk", "name", "planned_sessions")
        .order_by("name", "pk")
    )
