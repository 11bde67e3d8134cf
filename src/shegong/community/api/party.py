"""Party organisations and members."""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.response import Response

from shegong.community import filtersets, services
from shegong.community.api._common import station_of, valid_input
from shegong.community.models import PartyMember, PartyOrganisation
from shegong.core.api import ScopedModelViewSet, ScopedRelatedField


class PartyOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyOrganisation
        fields = ["id", "station", "name", "kind", "created_at"]
        read_only_fields = ["id", "station", "created_at"]
        # The service answers the unique name with its own message.
        validators: list = []


class PartyOrganisationViewSet(ScopedModelViewSet):
    """党组织 of the station's street."""

    queryset = PartyOrganisation.objects.all()
    serializer_class = PartyOrganisationSerializer
    filterset_class = filtersets.PartyOrganisationFilterSet
    ordering_fields = ["name", "created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = valid_input(PartyOrganisationSerializer, request, self)
        organisation = services.party_organisation_create(
            actor=request.user, station=station_of(request.user), **data
        )
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)


class PartyMemberSerializer(serializers.ModelSerializer):
    organisation = ScopedRelatedField(queryset=PartyOrganisation.objects.all())

    class Meta:
        model = PartyMember
        fields = ["id", "station", "organisation", "name", "is_representative", "created_at"]
        read_only_fields = ["id", "station", "created_at"]


class PartyMemberViewSet(ScopedModelViewSet):
    """党员 and 党代表 taking part in the station's services."""

    queryset = PartyMember.objects.all()
    serializer_class = PartyMemberSerializer
    filterset_class = filtersets.PartyMemberFilterSet
    ordering_fields = ["name", "created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = valid_input(PartyMemberSerializer, request, self)
        member = services.party_member_add(actor=request.user, **data)
        return Response(self.get_serializer(member).data, status=status.HTTP_201_CREATED)
