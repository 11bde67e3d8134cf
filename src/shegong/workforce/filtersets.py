"""One FilterSet per workforce model, for the pages and the API alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shegong.core.filtersets import SearchFilterSet
from shegong.workforce.models import StaffProfile, SupervisionRecord, TrainingRecord
from shegong.workforce.pay_models import PayRate


class StaffProfileFilterSet(SearchFilterSet):
    search_fields = ("user__full_name", "user__username", "certificate_number")

    class Meta:
        model = StaffProfile
        fields = ["q", "station", "post", "qualification"]


class _RecordFilterSet(SearchFilterSet):
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("From"))
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("Until")
    )
    year = django_filters.NumberFilter(
        field_name="held_on", lookup_expr="year", label=_("Year"), min_value=1900, max_value=2100
    )


class TrainingRecordFilterSet(_RecordFilterSet):
    search_fields = ("course", "provider")

    class Meta:
        model = TrainingRecord
        fields = ["q", "profile", "held_after", "held_before", "year"]


class SupervisionRecordFilterSet(_RecordFilterSet):
    search_fields = ("supervisor", "note")

    class Meta:
        model = SupervisionRecord
        fields = ["q", "profile", "kind", "held_after", "held_before", "year"]


class PayRateFilterSet(SearchFilterSet):
    search_fields = ("post",)

    class Meta:
        model = PayRate
        fields = ["post", "qualification", "grade", "is_sample"]
