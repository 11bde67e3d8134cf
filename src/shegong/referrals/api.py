"""REST API of the directory of services 资源库 at /api/directory/ (scoped like
the pages: active entries for everyone logged in, the rest within the keeper's
scope; writes call `referrals.services`, filters are the page's FilterSet)."""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.response import Response

from shegong.core.api import ScopedModelViewSet, ScopedRelatedField
from shegong.core.models import Domain
from shegong.org.models import District, Station, Street
from shegong.referrals import filtersets, services
from shegong.referrals.models import Partner


class PartnerSerializer(serializers.ModelSerializer):
    """An entry. `domains` is a list of statistical domains; the keeper (station,
    district, city) is the caller's own anchor and cannot be sent."""

    domains = serializers.ListField(
        child=serializers.ChoiceField(choices=Domain.choices), required=False
    )
    platform_station = ScopedRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True
    )
    served_district = ScopedRelatedField(
        queryset=District.objects.all(), required=False, allow_null=True
    )
    served_street = ScopedRelatedField(
        queryset=Street.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "platform_station",
            "domains",
            "services",
            "eligibility",
            "served_district",
            "served_street",
            "contact_person",
            "phone",
            "address",
            "active",
            "city",
            "district",
            "station",
        ]
        read_only_fields = ["id", "city", "district", "station"]
        # The services validate the phone and say so in one message.
        extra_kwargs = {"phone": {"validators": []}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["domains"] = instance.domain_list
        return data


class PartnerViewSet(ScopedModelViewSet):
    """资源库: organisations a case can be referred to. Filters: `q` (name, pinyin
    or initials, services, address), `kind`, `domain`, `district`, `street`,
    `active`."""

    queryset = Partner.objects.select_related("served_district", "served_street")
    serializer_class = PartnerSerializer
    filterset_class = filtersets.PartnerFilterSet
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _valid(self, partial: bool = False) -> dict:
        serializer = PartnerSerializer(
            data=self.request.data, context=self.get_serializer_context(), partial=partial
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        partner = services.partner_create(actor=request.user, **self._valid())
        return Response(self.get_serializer(partner).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        partner = self.get_object()
        partner = services.partner_update(
            actor=request.user, partner=partner, **self._valid(partial=True)
        )
        return Response(self.get_serializer(partner).data)
