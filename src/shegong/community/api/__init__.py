"""REST API for the programmes around the station: volunteers (with their record
of service and the station's totals), volunteer teams, party organisations and
members, community organisations, governance projects with their deliberation
meetings, and the meal programme (enrolments, meal records, the day's roll call).

Reads go through `visible_to`; every write calls a service of
`community.services`: the serializers here only check the shape of the input.
"""

from __future__ import annotations

from shegong.community.api.meals import MealEnrolmentViewSet, MealRecordViewSet, MealRollCallView
from shegong.community.api.organisations import CommunityOrganisationViewSet
from shegong.community.api.party import PartyMemberViewSet, PartyOrganisationViewSet
from shegong.community.api.projects import DeliberationMeetingViewSet, GovernanceProjectViewSet
from shegong.community.api.volunteers import (
    VolunteerSignupViewSet,
    VolunteerTeamViewSet,
    VolunteerViewSet,
)

__all__ = [
    "CommunityOrganisationViewSet",
    "DeliberationMeetingViewSet",
    "GovernanceProjectViewSet",
    "MealEnrolmentViewSet",
    "MealRecordViewSet",
    "MealRollCallView",
    "PartyMemberViewSet",
    "PartyOrganisationViewSet",
    "VolunteerSignupViewSet",
    "VolunteerTeamViewSet",
    "VolunteerViewSet",
]
