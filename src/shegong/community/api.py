"""REST API for the programmes around the station: volunteers (with their record
of service and the station's totals), volunteer teams, party organisations and
members, community organisations, governance projects with their deliberation
meetings, and the meal programme (enrolments, meal records, the day's roll call).

Reads go through `visible_to`; every write calls a service of
`community.services`: the serializers here only check the shape of the input.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from shegong.clients.models import Resident
from shegong.community import filtersets, selectors, services
from shegong.community.models import (
    CommunityOrganisation,
    DeliberationMeeting,
    GovernanceProject,
    MealEnrolment,
    MealKind,
    MealRecord,
    PartyMember,
    PartyOrganisation,
    Volunteer,
    VolunteerSignup,
    VolunteerTeam,
)
from shegong.core.access import require_create
from shegong.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.core.scope import VIEW, restrict
from shegong.delivery.models import EventVolunteer
from shegong.org.models import Station
from shegong.plans.models import PlanProject


def _valid(serializer_class, request, view, partial: bool = False) -> dict:
    serializer = serializer_class(
        data=request.data, context=view.get_serializer_context(), partial=partial
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _station_of(user) -> Station:
    """The caller's own station, where the programmes' records are created (who
    may create them at all was decided by ScopedPermission before the body was read)."""
    return user.station


# --- Volunteers --------------------------------------------------------------------


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
        data = _valid(VolunteerSerializer, request, self)
        data.pop("is_active", None)
        volunteer = services.volunteer_register(
            actor=request.user,
            station=_station_of(request.user),
            consent_on=data.pop("consent_on", None),
            **data,
        )
        return self._answer(volunteer, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        volunteer = self.get_object()
        data = _valid(VolunteerSerializer, request, self, partial=True)
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


# --- Teams -------------------------------------------------------------------------


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
        data = _valid(VolunteerTeamSerializer, request, self)
        team = services.team_create(
            actor=request.user,
            station=_station_of(request.user),
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
        data = _valid(TeamMembersSerializer, request, self)
        services.team_set_members(actor=request.user, team=team, members=data["members"])
        team = self.get_queryset().get(pk=team.pk)
        return Response(self.get_serializer(team).data)


# --- Party organisations and members -----------------------------------------------


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
        data = _valid(PartyOrganisationSerializer, request, self)
        organisation = services.party_organisation_create(
            actor=request.user, station=_station_of(request.user), **data
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
        data = _valid(PartyMemberSerializer, request, self)
        member = services.party_member_add(actor=request.user, **data)
        return Response(self.get_serializer(member).data, status=status.HTTP_201_CREATED)


# --- Community organisations -------------------------------------------------------


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
        data = _valid(CommunityOrganisationSerializer, request, self)
        organisation = services.community_organisation_create(
            actor=request.user, station=_station_of(request.user), **data
        )
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        organisation = self.get_object()
        data = _valid(CommunityOrganisationSerializer, request, self, partial=True)
        organisation = services.community_organisation_update(
            actor=request.user, organisation=organisation, **data
        )
        return Response(self.get_serializer(organisation).data)


# --- Governance projects -----------------------------------------------------------


class GovernanceProjectSerializer(serializers.ModelSerializer):
    """A governance project; it starts "proposed" and moves through
    POST /governance-projects/{id}/stage/."""

    meeting_count = serializers.IntegerField(read_only=True)
    next_stages = serializers.SerializerMethodField()

    class Meta:
        model = GovernanceProject
        fields = [
            "id",
            "station",
            "title",
            "category",
            "stage",
            "next_stages",
            "started_on",
            "outcome",
            "outcome_count",
            "meeting_count",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "station",
            "stage",
            "outcome",
            "outcome_count",
            "created_at",
        ]

    def get_next_stages(self, project) -> list[str]:
        return [str(s) for s in services.allowed_next_stages(project.stage)]


class StageInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=GovernanceProject.Stage.choices)
    outcome = serializers.CharField(allow_blank=True, default="")
    outcome_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class GovernanceProjectViewSet(ScopedModelViewSet):
    """社区专案, e.g. 旧楼加装电梯. Stages in order: proposed → deliberation →
    implementation → completed (with its outcome); suspended at any open stage."""

    serializer_class = GovernanceProjectSerializer
    filterset_class = filtersets.GovernanceProjectFilterSet
    queryset = GovernanceProject.objects.all()
    ordering_fields = ["started_on", "title", "stage", "outcome_count", "created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.governance_projects_visible_to(self.request.user)

    def _answer(self, project, code=status.HTTP_200_OK) -> Response:
        project = self.get_queryset().get(pk=project.pk)
        return Response(self.get_serializer(project).data, status=code)

    def create(self, request, *args, **kwargs):
        data = _valid(GovernanceProjectSerializer, request, self)
        project = services.governance_project_create(
            actor=request.user, station=_station_of(request.user), **data
        )
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=StageInputSerializer, responses=GovernanceProjectSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Move the project to its next stage; completing needs the outcome."""
        project = self.get_object()
        data = _valid(StageInputSerializer, request, self)
        services.governance_stage_set(actor=request.user, project=project, **data)
        return self._answer(project)


class DeliberationMeetingSerializer(serializers.ModelSerializer):
    project = ScopedRelatedField(queryset=GovernanceProject.objects.all())

    class Meta:
        model = DeliberationMeeting
        fields = [
            "id",
            "project",
            "held_on",
            "attendees",
            "party_members_present",
            "decisions",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class DeliberationMeetingViewSet(ScopedModelViewSet):
    """居民议事: a governance project's residents' deliberation meetings."""

    queryset = DeliberationMeeting.objects.select_related("project")
    serializer_class = DeliberationMeetingSerializer
    filterset_class = filtersets.DeliberationMeetingFilterSet
    ordering_fields = ["held_on", "attendees", "created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = _valid(DeliberationMeetingSerializer, request, self)
        meeting = services.deliberation_meeting_record(actor=request.user, **data)
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)


# --- Meal programme ----------------------------------------------------------------


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
        data = _valid(MealEnrolmentSerializer, request, self)
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
        require_create(request.user, MealRecord)
        data = _valid(RollCallSerializer, request, self)
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
        data = _valid(VolunteerSignupSerializer, request, self)
        signup = services.volunteer_sign_up(actor=request.user, **data)
        return Response(self.get_serializer(signup).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        signup = services.volunteer_signup_cancel(actor=request.user, signup=self.get_object())
        return Response(self.get_serializer(signup).data)
