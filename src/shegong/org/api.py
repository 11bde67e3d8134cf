"""REST API for the organisation tree. Every queryset goes through `visible_to`."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from shegong.core.api import (
    CleanModelSerializer,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ScopedRelatedField,
)
from shegong.org import filtersets, selectors, services
from shegong.org.models import (
    Agency,
    City,
    Community,
    Contract,
    District,
    ServicePoint,
    SpecialProject,
    Station,
    Street,
)


class DistrictSerializer(serializers.ModelSerializer):
    station_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = District
        fields = ["id", "name", "code", "city", "station_count"]


class StreetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Street
        fields = ["id", "name", "kind", "district"]


class AgencySerializer(CleanModelSerializer):
    city = ScopedRelatedField(queryset=City.objects.all(), required=False)

    class Meta:
        model = Agency
        fields = ["id", "name", "city", "credit_code", "phone", "address"]

    def validate(self, attrs):
        if self.instance is None and "city" not in attrs:
            # A city officer registers agencies in their own city.
            attrs["city"] = getattr(self.context["request"].user, "city", None)
        return super().validate(attrs)


class StationSerializer(CleanModelSerializer):
    street = ScopedRelatedField(queryset=Street.objects.all())
    agency = ScopedRelatedField(queryset=Agency.objects.all(), allow_null=True, required=False)
    street_name = serializers.CharField(source="street.name", read_only=True)
    district = serializers.IntegerField(source="street.district_id", read_only=True)
    district_name = serializers.CharField(source="street.district.name", read_only=True)
    agency_name = serializers.CharField(
        source="agency.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Station
        fields = [
            "id",
            "code",
            "name",
            "street",
            "street_name",
            "district",
            "district_name",
            "agency",
            "agency_name",
            "address",
            "phone",
            "opened_on",
            "is_active",
        ]


class SpecialProjectSerializer(CleanModelSerializer):
    agency = ScopedRelatedField(queryset=Agency.objects.all())

    class Meta:
        model = SpecialProject
        fields = ["id", "code", "name", "domain", "city", "agency", "description"]
        read_only_fields = ["city"]


class ContractSerializer(CleanModelSerializer):
    agency = ScopedRelatedField(queryset=Agency.objects.all())
    station = ScopedRelatedField(queryset=Station.objects.all(), allow_null=True, required=False)
    special_project = ScopedRelatedField(
        queryset=SpecialProject.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "code",
            "buyer",
            "agency",
            "station",
            "special_project",
            "starts_on",
            "ends_on",
            "amount",
        ]


class ServicePointSerializer(serializers.ModelSerializer):
    """A station's service point 社工点, its community and its staff (user ids)."""

    station = ScopedRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    community = ScopedRelatedField(
        queryset=Community.objects.all(), allow_null=True, required=False
    )
    community_name = serializers.CharField(
        source="community.name", read_only=True, default=None, allow_null=True
    )
    # The user model by Django's indirection: accounts stands above org.
    staff = ScopedRelatedField(queryset=get_user_model().objects.all(), many=True, required=False)

    class Meta:
        model = ServicePoint
        fields = [
            "id",
            "code",
            "name",
            "station",
            "station_name",
            "community",
            "community_name",
            "is_active",
            "opened_on",
            "staff",
        ]


class DistrictViewSet(ScopedReadOnlyViewSet):
    queryset = District.objects.order_by("code")
    serializer_class = DistrictSerializer
    filterset_class = filtersets.DistrictFilterSet

    def get_queryset(self):
        # Count only the active stations the caller may see, as the directory page
        # does: a count of hidden stations tells what the scope keeps back.
        return selectors.districts_with_counts(self.request.user)


class StreetViewSet(ScopedReadOnlyViewSet):
    queryset = Street.objects.order_by("district__code", "name")
    serializer_class = StreetSerializer
    filterset_class = filtersets.StreetFilterSet


class AgencyViewSet(ScopedModelViewSet):
    queryset = Agency.objects.order_by("name")
    serializer_class = AgencySerializer
    filterset_class = filtersets.AgencyFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class StationViewSet(ScopedModelViewSet):
    queryset = Station.objects.select_related("street__district", "agency").order_by("code")
    serializer_class = StationSerializer
    filterset_class = filtersets.StationFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class SpecialProjectViewSet(ScopedModelViewSet):
    queryset = SpecialProject.objects.select_related("agency").order_by("code")
    serializer_class = SpecialProjectSerializer
    filterset_class = filtersets.SpecialProjectFilterSet
    http_method_names = ["get", "put", "patch", "head", "options"]


class ContractViewSet(ScopedModelViewSet):
    queryset = Contract.objects.select_related("agency", "station", "special_project")
    serializer_class = ContractSerializer
    filterset_class = filtersets.ContractFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ServicePointViewSet(ScopedModelViewSet):
    """社工点. Listed by whoever sees the station; opened and changed by the station
    director and the district and city officers (through `org.services`)."""

    queryset = ServicePoint.objects.select_related("station", "community").prefetch_related("staff")
    serializer_class = ServicePointSerializer
    filterset_class = filtersets.ServicePointFilterSet
    ordering_fields = ["code", "name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _answer(self, point: ServicePoint, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=point.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        """Open a service point of a station."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        point = services.service_point_create(actor=request.user, **serializer.validated_data)
        return self._answer(point, status.HTTP_201_CREATED)

    @extend_schema(request=ServicePointSerializer, responses=ServicePointSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change the fields sent (the station stays); `staff` replaces the staff."""
        point = self.get_object()
        serializer = self.get_serializer(point, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "station" in data and data.pop("station") != point.station:
            raise serializers.ValidationError(
                {"station": [_("A service point stays with its station.")]}
            )
        point = services.service_point_update(
            actor=request.user, point=point, staff=data.pop("staff", None), **data
        )
        return self._answer(point)
