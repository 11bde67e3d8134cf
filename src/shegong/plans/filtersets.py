"""One FilterSet per model of the annual plan, for the list page and the API.

Related-object choices are limited to the caller's scope (SearchFilterSet)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shegong.core.filtersets import SearchFilterSet
from shegong.org.models import District, Station
from shegong.plans.models import AnnualPlan, PlanProject


class AnnualPlanFilterSet(SearchFilterSet):
    search_fields = ("station__name", "station__code")
    district = django_filters.ModelChoiceFilter(
        field_name="station__street__district",
        queryset=District.objects.all(),
        label=_("District"),
    )

    class Meta:
        model = AnnualPlan
        fields = ["q", "station", "district", "year", "status"]


class PlanProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "description")
    station = django_filters.ModelChoiceFilter(
        field_name="plan__station", queryset=Station.objects.all(), label=_("Station")
    )
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Year"))

    class Meta:
        model = PlanProject
        fields = ["q", "plan", "station", "year", "kind", "domain"]
