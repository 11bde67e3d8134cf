"""One FilterSet per model, used by the directory pages and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.scope import restrict
from shegong.org.models import Agency, Contract, District, SpecialProject, Station, Street


class SearchFilterSet(django_filters.FilterSet):
    """Adds `q`, a free-text search over `search_fields`, and limits every
    choice of a related object to what the user can see: an out-of-scope id is
    refused exactly like an id that does not exist."""

    search_fields: tuple[str, ...] = ("name",)
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for flt in self.filters.values():
            if isinstance(flt, django_filters.ModelChoiceFilter):
                flt.queryset = restrict(flt.queryset.model._default_manager.all(), user)

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


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
