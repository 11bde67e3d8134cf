"""The directory's FilterSet, for the list page and the API alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shegong.clients.filtersets import ResidentNameSearch
from shegong.core.filtersets import SearchFilterSet
from shegong.core.models import Domain
from shegong.org.models import District, Street
from shegong.referrals import selectors
from shegong.referrals.models import Partner, PartnerKind


class PartnerFilterSet(ResidentNameSearch, SearchFilterSet):
    """`q` searches the name (characters, full pinyin or initials, as residents'
    names: clients.pinyin), the services, the eligibility, the address and the
    contact; `domain` the domains accepted; `district` and `street` the area
    served (entries serving the whole city or district included)."""

    resident_path = ""
    search_fields = ("services", "eligibility", "address", "contact_person")
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, label=_("Kind"))
    domain = django_filters.ChoiceFilter(
        choices=Domain.choices, method="filter_domain", label=_("Domain accepted")
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(),
        field_name="served_district",
        method="filter_area",
        label=_("District served"),
    )
    street = django_filters.ModelChoiceFilter(
        queryset=Street.objects.all(),
        field_name="served_street",
        method="filter_area",
        label=_("Street served"),
    )
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Partner
        fields = ["q", "kind", "domain", "district", "street", "active"]

    def filter_domain(self, queryset, name, value):
        return selectors.accepting(queryset, value) if value else queryset

    def filter_area(self, queryset, name, value):
        if value is None:
            return queryset
        area = "street" if name == "served_street" else "district"
        return selectors.serving(queryset, **{area: value})
