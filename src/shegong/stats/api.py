"""The statistics API: the same figures as the dashboard, from the same selector."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shegong.core.access import get_visible_or_404
from shegong.core.models import Domain
from shegong.org.models import District, ServicePoint, Station, Street
from shegong.stats.forms import PeriodForm
from shegong.stats.selectors import person_time_summary, view_scope


class PersonTimeSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month_from = serializers.IntegerField()
    month_to = serializers.IntegerField()
    domain = serializers.CharField(allow_null=True)
    person_times = serializers.IntegerField()
    events = serializers.IntegerField()
    cumulative_person_times = serializers.IntegerField()
    by_domain = serializers.DictField(child=serializers.IntegerField())
    cumulative_by_domain = serializers.DictField(child=serializers.IntegerField())
    by_month = serializers.ListField(child=serializers.DictField())
    clients_served = serializers.IntegerField(allow_null=True)
    priority_clients_served = serializers.IntegerField(allow_null=True)
    clients_by_domain = serializers.DictField(child=serializers.IntegerField())
    volunteer_hours = serializers.DecimalField(max_digits=14, decimal_places=1)
    volunteers_active = serializers.IntegerField()
    meals = serializers.DictField(child=serializers.IntegerField())
    cases = serializers.DictField(child=serializers.IntegerField())
    alerts_open = serializers.IntegerField(allow_null=True)
    satisfaction = serializers.DictField()
    units = serializers.ListField(child=serializers.DictField())
    streets = serializers.ListField(child=serializers.DictField())
    points = serializers.ListField(child=serializers.DictField())
    projects = serializers.ListField(child=serializers.DictField())


class PersonTimesView(APIView):
    """Person-times and events in the caller's scope, by domain, month and unit."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("month_from", int),
            OpenApiParameter("month_to", int),
            OpenApiParameter("domain", str, enum=[d.value for d in Domain]),
            OpenApiParameter("district", int),
            OpenApiParameter("street", int),
            OpenApiParameter("station", int),
            OpenApiParameter("point", int, description="A service point 社工点 of a station."),
        ],
        responses=PersonTimeSummarySerializer,
    )
    def get(self, request):
        form = PeriodForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        found = {}
        for name, model in (
            ("district", District),
            ("street", Street),
            ("station", Station),
            ("point", ServicePoint),
        ):
            value = request.query_params.get(name)
            if value:
                if not value.isdigit():
                    raise serializers.ValidationError({name: ["A whole number is required."]})
                found[name] = get_visible_or_404(model, request.user, pk=int(value))
        if not found:
            # As on the dashboard: a scope of one station (or district) is that unit.
            scope = view_scope(request.user)
            if scope.station is not None:
                found["station"] = scope.station
            elif scope.district is not None:
                found["district"] = scope.district
        summary = person_time_summary(request.user, **found, **form.cleaned_data)
        return Response(summary.as_dict())
