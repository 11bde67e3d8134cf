"""One FilterSet per model of the programmes around the station, for the list
pages and the API alike. Related-object choices are limited to the caller's scope
(SearchFilterSet)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.filtersets import ResidentNameSearch
from shegong.clients.models import Resident
from shegong.community.models import (
    CommunityOrganisation,
    DeliberationMeeting,
    GovernanceProject,
    MealEnrolment,
    MealRecord,
    PartyMember,
    PartyOrganisation,
    Volunteer,
    VolunteerTeam,
)
from shegong.core.filtersets import SearchFilterSet


class VolunteerFilterSet(SearchFilterSet):
    search_fields = ("name", "skills")
    team = django_filters.ModelChoiceFilter(
        field_name="teams", queryset=VolunteerTeam.objects.all(), label=_("Team")
    )

    class Meta:
        model = Volunteer
        fields = ["q", "station", "is_party_member", "is_active", "team"]


class VolunteerTeamFilterSet(SearchFilterSet):
    member = django_filters.ModelChoiceFilter(
        field_name="members", queryset=Volunteer.objects.all(), label=_("Member")
    )

    class Meta:
        model = VolunteerTeam
        fields = ["q", "station", "member"]


class PartyOrganisationFilterSet(SearchFilterSet):
    class Meta:
        model = PartyOrganisation
        fields = ["q", "station", "kind"]


class PartyMemberFilterSet(SearchFilterSet):
    class Meta:
        model = PartyMember
        fields = ["q", "station", "organisation", "is_representative"]


class CommunityOrganisationFilterSet(SearchFilterSet):
    search_fields = ("name", "field")

    class Meta:
        model = CommunityOrganisation
        fields = ["q", "station", "status"]


class GovernanceProjectFilterSet(SearchFilterSet):
    search_fields = ("title", "category")
    started_after = django_filters.DateFilter(
        field_name="started_on", lookup_expr="gte", label=_("From")
    )
    started_before = django_filters.DateFilter(
        field_name="started_on", lookup_expr="lte", label=_("Until")
    )

    class Meta:
        model = GovernanceProject
        fields = ["q", "station", "stage", "started_after", "started_before"]


class DeliberationMeetingFilterSet(SearchFilterSet):
    search_fields = ("decisions", "project__title")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("From"))
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("Until")
    )

    class Meta:
        model = DeliberationMeeting
        fields = ["q", "project", "held_after", "held_before"]


class MealEnrolmentFilterSet(ResidentNameSearch, SearchFilterSet):
    search_fields = ("resident__name",)
    resident = django_filters.ModelChoiceFilter(queryset=Resident.objects.all(), label=_("Elder"))
    enrolled_on = django_filters.DateFilter(method="filter_enrolled_on", label=_("Enrolled on"))

    class Meta:
        model = MealEnrolment
        fields = ["q", "station", "resident", "enrolled_on"]

    def filter_enrolled_on(self, queryset, name, value):
        return queryset.filter(started_on__lte=value).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=value)
        )


class MealRecordFilterSet(ResidentNameSearch, SearchFilterSet):
    search_fields = ("resident__name",)
    resident = django_filters.ModelChoiceFilter(queryset=Resident.objects.all(), label=_("Elder"))
    served_after = django_filters.DateFilter(
        field_name="served_on", lookup_expr="gte", label=_("From")
    )
    served_before = django_filters.DateFilter(
        field_name="served_on", lookup_expr="lte", label=_("Until")
    )

    class Meta:
        model = MealRecord
        fields = ["q", "station", "resident", "served_on", "kind", "served_after", "served_before"]
