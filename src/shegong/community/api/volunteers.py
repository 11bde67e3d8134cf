"""Volunteers with their record of service and the station's totals, their
sign-ups (报名) and their teams."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.community import filtersets, selectors, services
from shegong.community.api._common import station_of, valid_input
from shegong.community.models import PartyMember, Volunteer, VolunteerSignup, VolunteerTeam
from shegong.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.core.scope import VIEW, restrict
from shegong.delivery.models import EventVolunteer
from shegong.org.models import Station
from shegong.plans.models import PlanProject


class VolunteerSerializer(serializers.ModelSerializer):
    """A volunteer with `total_hours` served (summed from the events they helped
    at) and the number of those events. Registration needs `consent_on`."""

    total_hours = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True)
    events_served = serializers.IntegerField(read_only=True)
    party_member = ScopedRelatedField(
        queryset=PartyMember.objects.all(), allow_null=True, required=False
    )
    registered_on = serializers.DateField(required=False)
    # Required by the service, which answers its own message when it is missing.
    consent_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "station",
            "name",
            "phone",
            "skills",
            "is_party_member",
            "party_member",
            "registered_on",
            "consent_on",
            "is_active",
            "total_hours",
            "events_served",
            "created_at",
        ]
        read_only_fields = ["id", "station", "created_at"]
        extra_kwargs = {"phone": {"max_length": 20}}


class ServiceRecordLineSerializer(serializers.ModelSerializer):
    """One line of a volunteer's record of service."""

    held_on = serializers.DateField(source="event.held_on", read_only=True)
    title = serializers.CharField(source="event.title", read_only=True)
    kind = serializers.CharField(source="event.kind", read_only=True)

    class Meta:
        model = EventVolunteer
        fields = ["event", "held_on", "title", "kind", "hours"]
        read_only_fields = fields


class VolunteerTotalsSerializer(serializers.Serializer):
    """A station's volunteer figures (see `selectors.station_volunteer_totals`)."""

    station = serializers.IntegerField()
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    volunteers = serializers.IntegerField()
    party_members = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    participations = serializers.IntegerField()
    volunteers_served = serializers.IntegerField()


class VolunteerViewSet(ScopedModelViewSet):
    """义工. POST registers (with the date of consent); PATCH changes details;
    GET /volunteers/{id}/service/ is the record of service; GET
    /volunteers/totals/?station=&since=&until= the station's figures."""

    queryset = Volunteer.objects.all()
    serializer_class = VolunteerSerializer
    filterset_class = filtersets.VolunteerFilterSet
    ordering_fields = ["name", "registered_on", "total_hours", "events_served", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.volunteers_visible_to(self.request.user)

    def _answer(self, volunteer: Volunteer, code: int = status.HTTP_200_OK) -> Response:
        volunteer = self.get_queryset().get(pk=volunteer.pk)
        return Response(self.get_serializer(volunteer).data, status=code)

    def create(self, request, *args, **kwargs):
        data = valid_input(VolunteerSerializer, request, self)
        data.pop("is_active", None)
        volunteer = services.volunteer_register(
            actor=request.user,
            station=station_of(request.user),
            consent_on=data.pop("consent_on", None),
            **data,
        )
        return self._answer(volunteer, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        volunteer = self.get_object()
        data = valid_input(VolunteerSerializer, request, self, partial=True)
        data.pop("registered_on", None)
        services.volunteer_update(actor=request.user, volunteer=volunteer, **data)
        return self._answer(volunteer)

    @extend_schema(responses=ServiceRecordLineSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def service(self, request, pk=None):
        """The volunteer's record of service: events and hours, newest first."""
        volunteer = self.get_object()
        rows = selectors.volunteer_service_record(request.user, volunteer)
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(ServiceRecordLineSerializer(page, many=True).data)
        return Response(ServiceRecordLineSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("station", OpenApiTypes.INT, description="default: your station"),
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
        ],
        responses=VolunteerTotalsSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def totals(self, request):
        """The station's volunteers, the party members among them, and the hours
        served at events held from `since` to `until` (inclusive, either open)."""
        params = _TotalsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        station_id = query.get("station") or request.user.station_id
        station = get_object_or_404(
            restrict(Station.objects.all(), request.user, VIEW), pk=station_id
        )
        totals = selectors.station_volunteer_totals(station, query.get("since"), query.get("until"))
        payload = {
            "station": station.pk,
            "since": query.get("since"),
            "until": query.get("until"),
            **totals,
        }
        return Response(VolunteerTotalsSerializer(payload).data)


class _TotalsQuery(serializers.Serializer):
    station = serializers.IntegerField(required=False, min_value=1)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": _("The end is before the start.")})
        return attrs


class VolunteerTeamSerializer(serializers.ModelSerializer):
    members = ScopedRelatedField(queryset=Volunteer.objects.all(), many=True, required=False)

    class Meta:
        model = VolunteerTeam
        fields = ["id", "station", "name", "members", "created_at"]
        read_only_fields = ["id", "station", "created_at"]
        validators: list = []


class TeamMembersSerializer(serializers.Serializer):
    members = ScopedRelatedField(queryset=Volunteer.objects.all(), many=True)


class VolunteerTeamViewSet(ScopedModelViewSet):
    """义工队. POST /volunteer-teams/{id}/members/ sets the team's members."""

    queryset = VolunteerTeam.objects.prefetch_related("members")
    serializer_class = VolunteerTeamSerializer
    filterset_class = filtersets.VolunteerTeamFilterSet
    ordering_fields = ["name", "created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = valid_input(VolunteerTeamSerializer, request, self)
        team = services.team_create(
            actor=request.user,
            station=station_of(request.user),
            name=data["name"],
            members=data.get("members", []),
        )
        team = self.get_queryset().get(pk=team.pk)
        return Response(self.get_serializer(team).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TeamMembersSerializer, responses=VolunteerTeamSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        """The team's members become exactly the ones given."""
        team = self.get_object()
        data = valid_input(TeamMembersSerializer, request, self)
        services.team_set_members(actor=request.user, team=team, members=data["members"])
        team = self.get_queryset().get(pk=team.pk)
        return Response(self.get_serializer(team).data)


class VolunteerSignupSerializer(serializers.ModelSerializer):
    volunteer = ScopedRelatedField(queryset=Volunteer.objects.all())
    project = ScopedRelatedField(queryset=PlanProject.objects.all())

    class Meta:
        model = VolunteerSignup
        fields = ["id", "volunteer", "project", "activity_on", "activity_title", "status", "event"]
        read_only_fields = ["status", "event"]


class VolunteerSignupViewSet(ScopedReadOnlyViewSet):
    """报名: volunteers signed up for upcoming activities. POST signs one up;
    POST /volunteer-signups/{id}/cancel/ cancels; recording the activity with the
    volunteer's hours marks the sign-up served."""

    queryset = VolunteerSignup.objects.select_related("volunteer", "project")
    serializer_class = VolunteerSignupSerializer
    filterset_fields = ["volunteer", "project", "status", "activity_on"]
    ordering_fields = ["activity_on", "id"]

    def create(self, request, *args, **kwargs):
        data = valid_input(VolunteerSignupSerializer, request, self)
        signup = services.volunteer_sign_up(actor=request.user, **data)
        return Response(self.get_serializer(signup).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        signup = services.volunteer_signup_cancel(actor=request.user, signup=self.get_object())
        return Response(self.get_serializer(signup).data)
