"""Reads of the organisation tree, always through the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shegong.org.models import (
    Agency,
    Contract,
    District,
    ServicePoint,
    SpecialProject,
    Station,
    Street,
)


@dataclass(frozen=True)
class OrgSummary:
    districts: int
    streets: int
    stations: int
    agencies: int
    special_projects: int
    active_contracts: int
    staff: int


def stations_visible_to(user: Any) -> QuerySet[Station]:
    return Station.objects.visible_to(user).select_related("street__district", "agency")


def districts_with_counts(user: Any) -> QuerySet[District]:
    """Districts in scope, each with the number of its active stations the user can see."""
    visible = Station.objects.visible_to(user).filter(is_active=True).values("pk")
    return (
        District.objects.visible_to(user)
        .annotate(
            station_count=Count(
                "streets__stations", filter=Q(streets__stations__in=visible), distinct=True
            ),
            street_count=Count("streets", distinct=True),
        )
        .order_by("code")
    )


def active_contracts(user: Any, on: datetime.date | None = None) -> QuerySet[Contract]:
    on = on or timezone.localdate()
    return Contract.objects.visible_to(user).filter(starts_on__lte=on, ends_on__gte=on)


# Contracts ending within this many days are listed for renewal or re-tender.
ENDING_WITHIN_DAYS = 90


def contracts_ending(user: Any, today: datetime.date | None = None) -> QuerySet[Contract]:
    """Contracts in force that end within `ENDING_WITHIN_DAYS`, soonest first."""
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=ENDING_WITHIN_DAYS)
    return (
        Contract.objects.visible_to(user)
        .filter(starts_on__lte=today, ends_on__gte=today, ends_on__lte=last)
        .select_related("station", "special_project")
        .order_by("ends_on", "code")
    )


def org_summary(user: Any) -> OrgSummary:
    return OrgSummary(
        districts=District.objects.visible_to(user).count(),
        streets=Street.objects.visible_to(user).count(),
        stations=Station.objects.visible_to(user).filter(is_active=True).count(),
        agencies=Agency.objects.visible_to(user).count(),
        special_projects=SpecialProject.objects.visible_to(user).count(),
        active_contracts=active_contracts(user).count(),
        staff=get_user_model().objects.visible_to(user).filter(is_active=True).count(),
    )


def station_staff(user: Any, station: Station) -> QuerySet:
    # The user model by Django's indirection: accounts stands above org (a user
    # hangs from the organisation tree), so org does not import it.
    return (
        get_user_model()
        .objects.visible_to(user)
        .filter(station=station, is_active=True)
        .order_by("role", "username")
    )


def station_points(user: Any, station: Station) -> QuerySet[ServicePoint]:
    """The service points of a station in the user's view, with their community."""
    return (
        ServicePoint.objects.visible_to(user)
        .filter(station=station)
        .select_related("community")
        .prefetch_related("staff")
        .order_by("code")
    )


def point_of_community(station_id: int | None, community_id: int | None) -> ServicePoint | None:
    """The active service point of `community` at the station, if there is one: the
    default point of a resident living there (read by the services, no scope: the
    resident's own station is checked by the caller)."""
    if station_id is None or community_id is None:
        return None
    return ServicePoint.objects.filter(
        station_id=station_id, community_id=community_id, is_active=True
    ).first()
