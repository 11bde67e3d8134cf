"""The programmes at a glance."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from shegong.community import selectors
from shegong.community.models import (
    CommunityOrganisation,
    GovernanceProject,
    PartyOrganisation,
    Volunteer,
    VolunteerTeam,
)
from shegong.community.views._common import keeps_station_records


@login_required
def overview(request):
    """The programmes at a glance: for the station's staff, their station's figures."""
    user = request.user
    today = timezone.localdate()
    context = {
        "is_staff": keeps_station_records(user),
        "volunteer_count": Volunteer.objects.visible_to(user).filter(is_active=True).count(),
        "team_count": VolunteerTeam.objects.visible_to(user).count(),
        "party_organisation_count": PartyOrganisation.objects.visible_to(user).count(),
        "organisation_count": CommunityOrganisation.objects.visible_to(user).count(),
        "project_count": GovernanceProject.objects.visible_to(user).count(),
        "year": today.year,
    }
    if context["is_staff"]:
        station = user.station
        context["totals"] = selectors.station_volunteer_totals(
            station, since=datetime.date(today.year, 1, 1), until=today
        )
        context["today"] = selectors.meal_day(user, station, today)
    return render(request, "community/overview.html", context)
