"""Community organisations (社区组织)."""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.response import Response

from shegong.community import filtersets, services
from shegong.community.api._common import station_of, valid_input
from shegong.community.models import CommunityOrganisation
from shegong.core.api import ScopedModelViewSet


class CommunityOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommunityOrganisation
        fields = [
            "id",
            "station",
            "name",
            "field",
            "founded_on",
            "member_count",
            "status",
            "created_at",
        ]
        read_only_fields = ["id", "station", "created_at"]


class CommunityOrganisationViewSet(ScopedModelViewSet):
    """社区组织 incubated by the station."""

    queryset = CommunityOrganisation.objects.all()
    serializer_class = CommunityOrganisationSerializer
    filterset_class = filtersets.CommunityOrganisationFilterSet
    ordering_fields = ["name", "founded_on", "member_count", "created_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = valid_input(CommunityOrganisationSerializer, request, self)
        organisation = services.community_organisation_create(
            actor=request.user, station=station_of(request.user), **data
        )
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        organisation = self.get_object()
        data = valid_input(CommunityOrganisationSerializer, request, self, partial=True)
        organisation = services.community_organisation_update(
            actor=request.user, organisation=organisation, **data
        )
        return Response(self.get_serializer(organisation).data)
