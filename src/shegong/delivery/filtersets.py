"""One FilterSet per model of service delivery, for the list pages and the API.

Related-object choices are limited to the caller's scope (SearchFilterSet): a
resident, volunteer or project the caller cannot see is refused like one that
does not exist."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import Resident
from shegong.community.models import PartyMember, Volunteer
from shegong.core.filtersets import SearchFilterSet
from shegong.core.models import Domain
from shegong.delivery.models import EventKind, Group, ServiceEvent
from shegong.org.models import ServicePoint
from shegong.plans.models import PlanProject


class ServiceEventFilterSet(SearchFilterSet):
    search_fields = ("title",)
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("From"))
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("Until")
    )
    project = django_filters.ModelChoiceFilter(
        queryset=PlanProject.objects.all(), label=_("Project")
    )
    point = django_filters.ModelChoiceFilter(
        queryset=ServicePoint.objects.all(), label=_("Service point")
    )
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    domain = django_filters.ChoiceFilter(choices=Domain.choices, label=_("Domain"))
    # One attendance row per resident and event, one row per volunteer and event:
    # these joins never repeat an event.
    attendee = django_filters.ModelChoiceFilter(
        field_name="attendances__resident", queryset=Resident.objects.all(), label=_("Attendee")
    )
    volunteer = django_filters.ModelChoiceFilter(
        field_name="volunteer_service__volunteer",
        queryset=Volunteer.objects.all(),
        label=_("Volunteer"),
    )
    party_member = django_filters.ModelChoiceFilter(
        field_name="party_members", queryset=PartyMember.objects.all(), label=_("Party member")
    )
    with_party_members = django_filters.BooleanFilter(
        method="filter_with_party_members", label=_("With party members taking part")
    )

    class Meta:
        model = ServiceEvent
        fields = [
            "q",
            "station",
            "point",
            "project",
            "kind",
            "domain",
            "group",
            "held_after",
            "held_before",
            "attendee",
            "volunteer",
            "party_member",
            "with_party_members",
        ]

    def filter_with_party_members(self, queryset, name, value):
        through = ServiceEvent.party_members.through
        linked = Exists(through.objects.filter(serviceevent=OuterRef("pk")))
        return queryset.filter(linked) if value else queryset.exclude(linked)


class GroupFilterSet(SearchFilterSet):
    search_fields = ("name",)
    domain = django_filters.ChoiceFilter(
        field_name="project__domain", choices=Domain.choices, label=_("Domain")
    )
    member = django_filters.ModelChoiceFilter(
        field_name="members", queryset=Resident.objects.all(), label=_("Member")
    )

    class Meta:
        model = Group
        fields = ["q", "station", "point", "project", "domain", "member"]
