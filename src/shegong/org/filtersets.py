"""One FilterSet per model, used by the directory pages and the API alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shegong.core.filtersets import SearchFilterSet
from shegong.org.models import (
    Agency,
    Contract,
    District,
    ServicePoint,
    SpecialProject,
    Station,
    Street,
)


class DistrictFilterSet(SearchFilterSet):
    class Meta:
        model = District
        fields = ["q", "city"]


class StreetFilterSet(SearchFilterSet):
    class Meta:
        model = Street
        fields = ["q", "district", "kind"]


class AgencyFilterSet(SearchFilterSet):
    search_fields = ("name", "credit_code")

    class Meta:
        model = Agency
        fields = ["q"]


class StationFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "street__name", "agency__name", "address")
    district = django_filters.ModelChoiceFilter(
        field_name="street__district", queryset=District.objects.all(), label=_("District")
    )

    class Meta:
        model = Station
        fields = ["q", "district", "street", "agency", "is_active"]


class SpecialProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "agency__name")

    class Meta:
        model = SpecialProject
        fields = ["q", "agency", "domain"]


class ContractFilterSet(SearchFilterSet):
    search_fields = ("code", "buyer", "agency__name", "station__name", "special_project__name")
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Active on"))

    class Meta:
        model = Contract
        fields = ["q", "agency", "station", "special_project", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


class ServicePointFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "community__name")

    class Meta:
        model = ServicePoint
        fields = ["q", "station", "community", "is_active"]
