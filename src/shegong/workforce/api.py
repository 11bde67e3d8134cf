"""REST API of the workforce: staff profiles, training and supervision records
(scoped like the pages; writes call `workforce.services`) and the staffing
summary 人员配置 at /api/workforce/staffing/?year=&station= (the same
`selectors.staffing_summary` as the page and the export)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from shegong.accounts.models import User
from shegong.core.api import ScopedModelViewSet, ScopedRelatedField
from shegong.org.models import Station
from shegong.workforce import filtersets, selectors, services
from shegong.workforce.models import StaffProfile, SupervisionRecord, TrainingRecord


def _valid(serializer_class, request, view, partial: bool = False) -> dict:
    serializer = serializer_class(
        data=request.data, context=view.get_serializer_context(), partial=partial
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class StaffProfileSerializer(serializers.ModelSerializer):
    """A staff member's profile. POST takes `user` (a station staff account in
    your scope); the station is the account's own. PATCH may send `version`
    (optimistic locking: a stale one answers 400)."""

    user = ScopedRelatedField(queryset=User.objects.all())
    user_name = serializers.CharField(source="user.__str__", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = StaffProfile
        fields = [
            "id",
            "user",
            "user_name",
            "station",
            "station_name",
            "post",
            "qualification",
            "certificate_number",
            "certified_on",
            "employed_since",
            "left_on",
            "pay_grade",
            "version",
        ]
        read_only_fields = ["id", "station"]


class StaffProfileViewSet(ScopedModelViewSet):
    """Staff profiles 人员档案: a social worker sees only their own; the director
    and the agency manager create and change them."""

    queryset = StaffProfile.objects.select_related("user", "station")
    serializer_class = StaffProfileSerializer
    filterset_class = filtersets.StaffProfileFilterSet
    ordering_fields = ["employed_since", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _answer(self, profile: StaffProfile, code: int = status.HTTP_200_OK) -> Response:
        profile = self.get_queryset().get(pk=profile.pk)
        return Response(self.get_serializer(profile).data, status=code)

    def create(self, request, *args, **kwargs):
        data = _valid(StaffProfileSerializer, request, self)
        data.pop("version", None)
        profile = services.staff_profile_create(actor=request.user, **data)
        return self._answer(profile, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        profile = self.get_object()
        data = _valid(StaffProfileSerializer, request, self, partial=True)
        data.pop("user", None)
        version = data.pop("version", None)
        services.staff_profile_update(actor=request.user, profile=profile, version=version, **data)
        return self._answer(profile)


class TrainingRecordSerializer(serializers.ModelSerializer):
    profile = ScopedRelatedField(queryset=StaffProfile.objects.all())

    class Meta:
        model = TrainingRecord
        fields = ["id", "profile", "course", "provider", "held_on", "hours", "evidence"]
        read_only_fields = ["id"]


class SupervisionRecordSerializer(serializers.ModelSerializer):
    profile = ScopedRelatedField(queryset=StaffProfile.objects.all())

    class Meta:
        model = SupervisionRecord
        fields = ["id", "profile", "supervisor", "held_on", "hours", "kind", "note"]
        read_only_fields = ["id"]


class _RecordViewSet(ScopedModelViewSet):
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["held_on", "hours", "id"]
    service = None

    def create(self, request, *args, **kwargs):
        data = _valid(self.serializer_class, request, self)
        record = type(self).service(actor=request.user, **data)
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class TrainingRecordViewSet(_RecordViewSet):
    """培训 records; POST records one (hours > 0)."""

    queryset = TrainingRecord.objects.all()
    serializer_class = TrainingRecordSerializer
    filterset_class = filtersets.TrainingRecordFilterSet
    service = staticmethod(services.training_record_add)


class SupervisionRecordViewSet(_RecordViewSet):
    """督导 records; POST records one (hours > 0)."""

    queryset = SupervisionRecord.objects.all()
    serializer_class = SupervisionRecordSerializer
    filterset_class = filtersets.SupervisionRecordFilterSet
    service = staticmethod(services.supervision_record_add)


class StaffingRowSerializer(serializers.Serializer):
    """One station's staffing figures in the year."""

    station = serializers.IntegerField(source="station_id")
    station_code = serializers.CharField()
    station_name = serializers.CharField()
    district_name = serializers.CharField()
    agency_name = serializers.CharField()
    headcount = serializers.IntegerField()
    by_post = serializers.SerializerMethodField()
    by_qualification = serializers.SerializerMethodField()
    qualified = serializers.IntegerField()
    qualified_share = serializers.DecimalField(max_digits=5, decimal_places=1)
    training_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    training_per_staff = serializers.DecimalField(max_digits=9, decimal_places=1)
    supervision_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    supervision_per_staff = serializers.DecimalField(max_digits=9, decimal_places=1)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_by_post(self, row) -> dict[str, int]:
        return {value: n for value, _label, n in row.posts()}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_by_qualification(self, row) -> dict[str, int]:
        return {value: n for value, _label, n in row.qualifications()}


class _StaffingQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    station = serializers.IntegerField(required=False, min_value=1)


class StaffingView(GenericAPIView):
    """人员配置: the staffing figures of each station in your scope for `year`
    (default this year): headcount by post and qualification, the qualified
    share (%), training and supervision hours, total and per staff member.
    For directors, agencies, district and city officers and evaluators."""

    serializer_class = StaffingRowSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("station", OpenApiTypes.INT),
        ],
        responses=StaffingRowSerializer(many=True),
    )
    def get(self, request):
        if not selectors.may_read_summary(request.user):
            raise PermissionDenied(_("Staffing figures are for directors, agencies and officials."))
        query = _StaffingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", timezone.localdate().year)
        stations = None
        if "station" in query.validated_data:
            stations = Station.objects.filter(pk=query.validated_data["station"])
        rows = selectors.staffing_summary(request.user, year=year, stations=stations)
        if stations is not None and not rows:
            return Response({"detail": _("No such record.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(StaffingRowSerializer(rows, many=True).data)
