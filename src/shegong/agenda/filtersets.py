"""The FilterSet of appointments (the API's list)."""

import django_filters

from shegong.agenda.models import Appointment
from shegong.core.filtersets import SearchFilterSet


class AppointmentFilterSet(SearchFilterSet):
    search_fields = ("client__name",)
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Appointment
        fields = [
            "q",
            "station",
            "worker",
            "client",
            "kind",
            "status",
            "starts_after",
            "starts_before",
        ]
