"""The FilterSet of appointments (the API's list)."""

from shegong.agenda.models import Appointment
from shegong.core.filtersets import SearchFilterSet, UTCDateTimeFilter


class AppointmentFilterSet(SearchFilterSet):
    search_fields = ("client__name",)
    starts_after = UTCDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UTCDateTimeFilter(field_name="starts_at", lookup_expr="lt")

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
