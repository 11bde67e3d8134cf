"""The meal programme: enrolments, meal records and the day's roll call."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from shegong.clients.models import Resident
from shegong.community import filtersets, selectors, services
from shegong.community.api._common import valid_input
from shegong.community.models import MealEnrolment, MealKind, MealRecord
from shegong.core.access import require_at
from shegong.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.core.scope import CREATE, VIEW, restrict
from shegong.org.models import Station


class MealEnrolmentSerializer(serializers.ModelSerializer):
    resident = ScopedRelatedField(queryset=Resident.objects.all())
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    started_on = serializers.DateField(default=timezone.localdate)

    class Meta:
        model = MealEnrolment
        fields = ["id", "station", "resident", "resident_name", "started_on", "ended_on"]
        read_only_fields = ["id", "station", "ended_on"]
        validators: list = []


class MealEnrolmentViewSet(ScopedModelViewSet):
    """Elders enrolled in the station's meal programme (长者饭堂 / 大配餐)."""

    queryset = MealEnrolment.objects.select_related("resident")
    serializer_class = MealEnrolmentSerializer
    filterset_class = filtersets.MealEnrolmentFilterSet
    ordering_fields = ["started_on", "resident__name", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = valid_input(MealEnrolmentSerializer, request, self)
        enrolment = services.meal_enrol(actor=request.user, **data)
        return Response(self.get_serializer(enrolment).data, status=status.HTTP_201_CREATED)


class MealRecordSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)

    class Meta:
        model = MealRecord
        fields = ["id", "station", "resident", "resident_name", "served_on", "kind", "recorded_by"]
        read_only_fields = fields


class MealRecordViewSet(ScopedReadOnlyViewSet):
    """Who ate on which day (dine-in or delivery). Written by the roll call."""

    queryset = MealRecord.objects.select_related("resident")
    serializer_class = MealRecordSerializer
    filterset_class = filtersets.MealRecordFilterSet
    ordering_fields = ["served_on", "resident__name", "id"]


class RollCallSerializer(serializers.Serializer):
    """The day's roll call of a canteen: `present` maps each elder who ate
    (resident id) to "dine_in" or "delivery"; `absent` lists the elders who did
    not. An elder in neither keeps the day's entry as it is, as on the roll call page."""

    station = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    present = serializers.DictField(child=serializers.ChoiceField(choices=MealKind.choices))
    absent = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )

    def validate_present(self, present: dict) -> dict[int, str]:
        try:
            return {int(resident_id): kind for resident_id, kind in present.items()}
        except ValueError:
            raise serializers.ValidationError(_("The keys are resident ids.")) from None


RollCallResultSerializer = inline_serializer(
    "RollCallResult",
    {
        "station": serializers.IntegerField(),
        "date": serializers.DateField(),
        "present": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "removed": serializers.IntegerField(),
        "dine_in": serializers.IntegerField(),
        "delivery": serializers.IntegerField(),
        "absent": serializers.IntegerField(),
        "enrolled": serializers.IntegerField(),
    },
)


class MealRollCallView(GenericAPIView):
    """点名: the day's roll call of a canteen in one request. A second roll call
    of the same day corrects the first (no duplicates); an elder it does not
    mention keeps the day's entry. The records it writes are read at
    /api/meal-records/."""

    serializer_class = RollCallSerializer
    scope_model = MealRecord

    @extend_schema(request=RollCallSerializer, responses={201: RollCallResultSerializer})
    def post(self, request, *args, **kwargs):
        # Officials read the meal records; the roll call, which creates them, is
        # the station staff's (the meal scope's create right), before the body is read.
        require_at(request.user, CREATE, MealRecord, None)
        data = valid_input(RollCallSerializer, request, self)
        station = get_object_or_404(
            restrict(Station.objects.all(), request.user, VIEW), pk=data["station"]
        )
        result = services.meal_roll_call(
            actor=request.user,
            station=station,
            served_on=data["date"],
            present=data["present"],
            absent=data["absent"],
        )
        day = selectors.meal_day(request.user, station, data["date"])
        return Response(
            {
                "station": station.pk,
                "date": data["date"],
                **result,
                **day.totals,
                "enrolled": day.enrolled,
            },
            status=status.HTTP_201_CREATED,
        )
