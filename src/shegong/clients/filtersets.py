"""One FilterSet per model of residents and clients, for the pages and the API.

Related-object choices are limited to the caller's scope (SearchFilterSet)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.clients import identity, pinyin
from shegong.clients.models import (
    ClientStatus,
    Consent,
    Household,
    Resident,
    ResidentDocument,
    ResidentTag,
)
from shegong.core.filtersets import SearchFilterSet


def _current(queryset, name, value):
    """Rows in force today (True) or ended before today (False)."""
    in_force = Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())
    return queryset.filter(in_force) if value else queryset.exclude(in_force)


class ResidentNameSearch:
    """A FilterSet mixin: `q` matches the resident's name (characters, full pinyin
    or initials, clients.pinyin) along `resident_path`, and the other
    `search_fields` as usual."""

    resident_path = "resident"

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        condition = pinyin.name_search(value, self.resident_path)
        for field in self.search_fields:
            if field != f"{self.resident_path}__name":
                condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class ResidentFilterSet(SearchFilterSet):
    """`q` matches a name (or its pinyin), the start of a phone number, or a whole
    ID number.

    An ID number is matched through its keyed look-up hash: the stored numbers
    are never decrypted to search them."""

    class Meta:
        model = Resident
        fields = ["q", "household", "community", "point", "gender"]

    def search(self, queryset, name, value):
        value = value.strip()[:50]
        if not value:
            return queryset
        condition = pinyin.name_search(value) | Q(phone__startswith=value)
        number = identity.normalise_id_number(value)
        if len(number) == 18:
            condition |= Q(id_number_hash__in=identity.lookup_hashes(number))
        return queryset.filter(condition)


class HouseholdFilterSet(SearchFilterSet):
    search_fields = ("name", "address")

    class Meta:
        model = Household
        fields = ["q"]


class ConsentFilterSet(ResidentNameSearch, SearchFilterSet):
    search_fields = ("resident__name",)

    class Meta:
        model = Consent
        fields = ["q", "resident", "lawful_basis", "given_by", "covers_referral_sharing"]


class ClientStatusFilterSet(ResidentNameSearch, SearchFilterSet):
    search_fields = ("resident__name",)
    current = django_filters.BooleanFilter(method=_current, label=_("Current"))

    class Meta:
        model = ClientStatus
        fields = ["q", "resident", "domain", "category", "priority_kind", "current"]


class ResidentTagFilterSet(ResidentNameSearch, SearchFilterSet):
    search_fields = ("resident__name",)
    current = django_filters.BooleanFilter(method=_current, label=_("Current"))

    class Meta:
        model = ResidentTag
        fields = ["q", "resident", "tag", "current"]


class ResidentDocumentFilterSet(SearchFilterSet):
    search_fields = ("title",)

    class Meta:
        model = ResidentDocument
        fields = ["q", "resident", "kind"]
