"""Reads of the programmes around the station, always through the user's scope:
volunteers with their hours of service, the station's volunteer totals, teams,
party organisations, community organisations, governance projects, and the
meal programme's enrolled elders and day's roll call."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from shegong.community.models import (
    CommunityOrganisation,
    DeliberationMeeting,
    GovernanceProject,
    MealEnrolment,
    MealKind,
    MealRecord,
    PartyMember,
    PartyOrganisation,
    Volunteer,
    VolunteerTeam,
)
from shegong.delivery.models import EventKind, EventVolunteer, ServiceEvent
from shegong.org.models import Station

ZERO_HOURS = Decimal("0.0")
ABSENT = "absent"


# --- Volunteers --------------------------------------------------------------------


def _hours_of_volunteer() -> Subquery:
    """Total hours of the outer volunteer, summed from their EventVolunteer rows.
    A subquery rather than a join: it stays right when the list is also joined
    to teams or filtered through other relations."""
    rows = (
        EventVolunteer.objects.filter(volunteer=OuterRef("pk"))
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(
        Subquery(rows, output_field=DecimalField(max_digits=9, decimal_places=1)),
        ZERO_HOURS,
        output_field=DecimalField(max_digits=9, decimal_places=1),
    )


def volunteers_visible_to(user: Any) -> QuerySet[Volunteer]:
    """Volunteers in scope, each with `total_hours` and `events_served`."""
    served = (
        EventVolunteer.objects.filter(volunteer=OuterRef("pk"))
        .order_by()
        .values("volunteer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Volunteer.objects.visible_to(user)
        .select_related("station", "party_member")
        .annotate(total_hours=_hours_of_volunteer(), events_served=Coalesce(Subquery(served), 0))
        .order_by("name", "pk")
    )


def volunteer_service_record(user: Any, volunteer: Volunteer) -> QuerySet[EventVolunteer]:
    """A volunteer's record of service: each event they helped at, and the hours."""
    return (
        EventVolunteer.objects.visible_to(user)
        .filter(volunteer=volunteer)
        .select_related("event", "event__project")
        .order_by("-event__held_on", "-event__pk")
    )


def station_volunteer_totals(
    station: Station,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> dict[str, int | Decimal]:
    """The station's volunteer figures: active volunteers and the party members
    among them; and, for events held in [since, until] (either end open), the
    hours served, the participations (a volunteer at an event) and how many
    different volunteers served. Counted from EventVolunteer rows."""
    volunteers = Volunteer.objects.filter(station=station, is_active=True)
    service = EventVolunteer.objects.filter(event__station=station)
    if since is not None:
        service = service.filter(event__held_on__gte=since)
    if until is not None:
        service = service.filter(event__held_on__lte=until)
    served = service.aggregate(
        hours=Coalesce(Sum("hours"), ZERO_HOURS),
        participations=Count("pk"),
        volunteers_served=Count("volunteer", distinct=True),
    )
    return {
        "volunteers": volunteers.count(),
        "party_members": volunteers.filter(is_party_member=True).count(),
        "hours": served["hours"],
        "participations": served["participations"],
        "volunteers_served": served["volunteers_served"],
    }


def teams_visible_to(user: Any) -> QuerySet[VolunteerTeam]:
    return (
        VolunteerTeam.objects.visible_to(user)
        .select_related("station")
        .annotate(member_count=Count("members"))
        .order_by("name", "pk")
    )


# --- Party organisations -----------------------------------------------------------


def party_organisations_visible_to(user: Any) -> QuerySet[PartyOrganisation]:
    return (
        PartyOrganisation.objects.visible_to(user)
        .select_related("station")
        .annotate(
            member_count=Count("members"),
            representative_count=Count("members", filter=Q(members__is_representative=True)),
        )
        .order_by("name", "pk")
    )


def party_members_of(user: Any, organisation: PartyOrganisation) -> QuerySet[PartyMember]:
    return (
        PartyMember.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("volunteer")
        .order_by("-is_representative", "name", "pk")
    )


# --- Community organisations and governance projects --------------------------------


def community_organisations_visible_to(user: Any) -> QuerySet[CommunityOrganisation]:
    return CommunityOrganisation.objects.visible_to(user).select_related("station")


def governance_projects_visible_to(user: Any) -> QuerySet[GovernanceProject]:
    return (
        GovernanceProject.objects.visible_to(user)
        .select_related("station")
        .annotate(meeting_count=Count("meetings"))
        .order_by("-started_on", "-pk")
    )


def meetings_of(user: Any, project: GovernanceProject) -> QuerySet[DeliberationMeeting]:
    return DeliberationMeeting.objects.visible_to(user).filter(project=project)


# --- Meal programme ----------------------------------------------------------------


def enrolled_on(station: Station | int, day: datetime.date) -> Q:
    """The condition for enrolments of the station open on `day`."""
    return Q(station=station, started_on__lte=day) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )


def enrolments_visible_to(user: Any) -> QuerySet[MealEnrolment]:
    return MealEnrolment.objects.visible_to(user).select_related("resident", "station")


@dataclass
class RollCall:
    """The canteen's day: every elder enrolled that day with their meal (or
    absent), and the day's totals."""

    station: Station
    day: datetime.date
    rows: list[tuple[MealEnrolment, str]]
    totals: dict[str, int] = field(default_factory=dict)
    recorded: bool = False

    @property
    def enrolled(self) -> int:
        return len(self.rows)


def meal_day(user: Any, station: Station, day: datetime.date) -> RollCall:
    """The roll call of `station`'s canteen on `day`, prefilled from the day's
    records (an elder without one is absent). Two queries, whatever the size."""
    enrolments = list(
        MealEnrolment.objects.visible_to(user)
        .filter(enrolled_on(station, day))
        .select_related("resident")
        .only("pk", "station_id", "started_on", "resident__id", "resident__name")
        .order_by("resident__name", "resident__pk")
    )
    kinds = dict(
        MealRecord.objects.visible_to(user)
        .filter(station=station, served_on=day)
        .values_list("resident_id", "kind")
    )
    rows = [(e, kinds.get(e.resident_id, ABSENT)) for e in enrolments]
    totals = dict.fromkeys([*MealKind.values, ABSENT], 0)
    for _enrolment, kind in rows:
        totals[kind] += 1
    # Meals of elders no longer enrolled that day still count as served.
    enrolled_ids = {e.resident_id for e in enrolments}
    for resident_id, kind in kinds.items():
        if resident_id not in enrolled_ids:
            totals[kind] += 1
    return RollCall(station=station, day=day, rows=rows, totals=totals, recorded=bool(kinds))


def roll_call_due(user: Any, station_id: int, day: datetime.date) -> int:
    """How many elders are enrolled at the station's canteen on `day` while no
    meal is recorded for it yet (0: nothing to call, or already called)."""
    recorded = MealRecord.objects.visible_to(user).filter(station_id=station_id, served_on=day)
    if recorded.exists():
        return 0
    return MealEnrolment.objects.visible_to(user).filter(enrolled_on(station_id, day)).count()


def meal_activities(user: Any, station: Station) -> QuerySet[ServiceEvent]:
    """The station's pre-meal activities (餐前活动), newest first."""
    return (
        ServiceEvent.objects.visible_to(user)
        .filter(station=station, kind=EventKind.MEAL_ACTIVITY)
        .prefetch_related(
            Prefetch(
                "volunteer_service",
                queryset=EventVolunteer.objects.select_related("volunteer"),
            )
        )
        .order_by("-held_on", "-pk")
    )
