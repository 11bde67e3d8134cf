"""The API of the service hours (60 % rule) and personnel share (65 % rule): the
same figures as the station's hours page (workforce.hours, workforce.pay)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from shegong.core.access import get_visible_or_404
from shegong.core.api import ScopedReadOnlyViewSet
from shegong.org.models import Station
from shegong.workforce import filtersets, hours, pay, selectors
from shegong.workforce.hours_views import named_rows
from shegong.workforce.pay_models import PayRate


class HoursRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    username = serializers.CharField()
    working_hours = serializers.DecimalField(max_digits=9, decimal_places=1)
    service_hours = serializers.DecimalField(max_digits=9, decimal_places=1)
    share = serializers.DecimalField(max_digits=6, decimal_places=1)
    meets_rule = serializers.BooleanField()
    untimed = serializers.IntegerField()


class PersonnelShareSerializer(serializers.Serializer):
    contract = serializers.CharField(source="contract.code")
    amount = serializers.DecimalField(source="contract.amount", max_digits=14, decimal_places=2)
    personnel_cost = serializers.DecimalField(source="cost.yuan", max_digits=14, decimal_places=2)
    percent = serializers.DecimalField(max_digits=6, decimal_places=1)
    meets_rule = serializers.BooleanField()
    uses_sample_pay = serializers.BooleanField(source="cost.uses_samples")


class ServiceHoursSerializer(serializers.Serializer):
    station = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    rows = HoursRowSerializer(many=True)
    total = HoursRowSerializer()
    personnel_share = PersonnelShareSerializer(allow_null=True)


class _Query(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, data):
        today = timezone.localdate()
        data.setdefault("start", today.replace(month=1, day=1))
        data.setdefault("end", today)
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": [_("The period ends before it starts.")]})
        if (data["end"] - data["start"]).days > 366:
            raise serializers.ValidationError({"end": [_("A period is at most one year.")]})
        return data


class ServiceHoursView(GenericAPIView):
    """服务时长: a station's staff in a period (default this year to today): working
    hours (8 a working day employed), service hours (timed services), the share
    against the 60 % rule; and the current contract's personnel share against
    the 65 % rule. For those who read the station's staffing figures; named rows
    only for those who read its staff profiles."""

    serializer_class = ServiceHoursSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses=ServiceHoursSerializer,
    )
    def get(self, request, pk: int):
        user = request.user
        # The station first: an outsider's station is missing (404), whatever the role.
        get_visible_or_404(Station, user, pk=pk)
        if not selectors.may_read_summary(user):
            raise PermissionDenied(_("Staffing figures are for directors, agencies and officials."))
        station = get_visible_or_404(selectors.summary_stations(user), user, pk=pk)
        query = _Query(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows, total = hours.station_hours(station, data["start"], data["end"])
        contract = pay.current_contract(station, data["end"])
        body = {
            "station": station.pk,
            "start": data["start"],
            "end": data["end"],
            "rows": named_rows(user, station, rows),
            "total": total,
            "personnel_share": pay.contract_personnel_share(contract) if contract else None,
        }
        return Response(ServiceHoursSerializer(body).data)


class PayRateSerializer(serializers.ModelSerializer):
    monthly_yuan = serializers.DecimalField(max_digits=11, decimal_places=2, read_only=True)

    class Meta:
        model = PayRate
        fields = ["id", "post", "qualification", "grade", "monthly_yuan", "valid_from", "is_sample"]


class PayRateViewSet(ScopedReadOnlyViewSet):
    """The pay table 薪酬表 (every account reads it; kept on /workforce/pay/ by the
    city officer). `is_sample`: a demonstration value, not an official figure."""

    queryset = PayRate.objects.all()
    serializer_class = PayRateSerializer
    filterset_class = filtersets.PayRateFilterSet
    ordering_fields = ["post", "qualification", "grade", "valid_from", "id"]
