"""REST API for the organisation tree. Every queryset goes through `visible_to`."""

from rest_framework import serializers

from shegong.core.api import (
    CleanModelSerializer,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ScopedRelatedField,
)
from shegong.org import filtersets, selectors
from shegong.org.models import Agency, City, Contract, District, SpecialProject, Station, Street


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
