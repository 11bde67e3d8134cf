"""REST API for service events (服务记录) and groups (小组).

Reads go through `visible_to`; every write calls a service of
`delivery.services`, so the API counts person-times exactly as the forms, the
import and the demo do. Attendance leaves the server as resident ids: officials
see how many were served, not who.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.accounts.models import User
from shegong.clients.models import Resident
from shegong.community.models import PartyMember, Volunteer
from shegong.core.api import ScopedModelViewSet, ScopedRelatedField
from shegong.core.models import Domain
from shegong.delivery import filtersets, selectors, services
from shegong.delivery.models import EventKind, EventVolunteer, Group, ServiceEvent
from shegong.org.models import ServicePoint
from shegong.plans.models import PlanProject


class AttendeeField(ScopedRelatedField):
    """A resident present at the event: written as a resident id, read from the
    event's attendance rows (one row, one person-time)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Resident.objects.all(), **kwargs)

    def to_representation(self, value):
        return value.resident_id


class VolunteerServiceSerializer(serializers.Serializer):
    """A volunteer who helped at the event, and for how many hours."""

    volunteer = ScopedRelatedField(queryset=Volunteer.objects.all())
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)


class ServiceEventSerializer(serializers.Serializer):
    """A service event. On create, `project`, `kind`, `held_on`, `title` and
    `attendees` and/or `headcount` (community activities) are what is served;
    `workers` default to the caller. `person_times` = named attendance +
    head-count, counted in the project's domain."""

    id = serializers.IntegerField(read_only=True)
    station = serializers.IntegerField(source="station_id", read_only=True)
    # Null only on casework contacts of a station without a plan for the year.
    project = ScopedRelatedField(queryset=PlanProject.objects.all(), allow_null=True)
    project_name = serializers.CharField(
        source="project.name", read_only=True, default=None, allow_null=True
    )
    point = ScopedRelatedField(
        queryset=ServicePoint.objects.all(),
        allow_null=True,
        required=False,
        help_text="The service point 社工点 of the station where the service was given.",
    )
    domain = serializers.ChoiceField(choices=Domain.choices, read_only=True)
    kind = serializers.ChoiceField(choices=EventKind.choices)
    held_on = serializers.DateField()
    starts_at = serializers.TimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="HH:MM; with `ends_at` or not at all.",
    )
    ends_at = serializers.TimeField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=150)
    group = serializers.IntegerField(source="group_id", read_only=True, allow_null=True)
    session_number = serializers.IntegerField(read_only=True, allow_null=True)
    attendees = AttendeeField(many=True, source="attendances", required=False)
    headcount = serializers.IntegerField(required=False, default=0)
    person_times = serializers.IntegerField(read_only=True)
    workers = ScopedRelatedField(queryset=User.objects.all(), many=True, required=False)
    volunteers = VolunteerServiceSerializer(many=True, source="volunteer_service", required=False)
    party_members = ScopedRelatedField(
        queryset=PartyMember.objects.all(), many=True, required=False
    )
    created_at = serializers.DateTimeField(read_only=True)

    def validate_project(self, project: PlanProject | None) -> PlanProject:
        if project is None:
            raise serializers.ValidationError(_("Choose the project of the annual plan."))
        return project

    def validate_kind(self, kind: str) -> str:
        if kind == EventKind.CASEWORK:
            raise serializers.ValidationError(_("Casework contacts come from case notes."))
        if kind == EventKind.GROUP_SESSION:
            raise serializers.ValidationError(
                _("Group sessions are recorded at /api/groups/{id}/sessions/.")
            )
        return kind


class AttendanceInputSerializer(serializers.Serializer):
    """The corrected attendance of an event: who was there, and the head-count."""

    attendees = AttendeeField(many=True)
    headcount = serializers.IntegerField(required=False, default=0)


class SessionInputSerializer(serializers.Serializer):
    """A session of the group; sessions are numbered in order."""

    held_on = serializers.DateField(default=timezone.localdate)
    starts_at = serializers.TimeField(required=False, allow_null=True, default=None)
    ends_at = serializers.TimeField(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    attendees = AttendeeField(many=True)
    volunteers = VolunteerServiceSerializer(many=True, required=False, default=list)
    party_members = ScopedRelatedField(
        queryset=PartyMember.objects.all(), many=True, required=False, default=list
    )


def _volunteers(rows) -> list:
    return [(row["volunteer"], row["hours"]) for row in rows]


def _valid(serializer_class, request, view) -> dict:
    serializer = serializer_class(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ServiceEventViewSet(ScopedModelViewSet):
    """服务记录. Create any kind but casework (from case notes) and group sessions
    (from their group); PATCH corrects the attendance; DELETE removes the record."""

    queryset = ServiceEvent.objects.select_related("project").prefetch_related(
        "attendances",
        "workers",
        "party_members",
        Prefetch("volunteer_service", queryset=EventVolunteer.objects.select_related("volunteer")),
    )
    serializer_class = ServiceEventSerializer
    filterset_class = filtersets.ServiceEventFilterSet
    ordering_fields = ["held_on", "person_times", "created_at", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _answer(self, event: ServiceEvent, code: int = status.HTTP_200_OK) -> Response:
        event = self.get_queryset().get(pk=event.pk)
        return Response(self.get_serializer(event).data, status=code)

    def create(self, request, *args, **kwargs):
        """Record a service event; person-times = named attendance + head-count."""
        data = _valid(ServiceEventSerializer, request, self)
        event = services.service_event_record(
            actor=request.user,
            project=data["project"],
            kind=data["kind"],
            held_on=data["held_on"],
            title=data["title"],
            attendees=data.get("attendances", []),
            headcount=data["headcount"],
            workers=data.get("workers"),
            volunteers=_volunteers(data.get("volunteer_service", [])),
            party_members=data.get("party_members", []),
            point=data.get("point"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
        )
        return self._answer(event, status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceInputSerializer, responses=ServiceEventSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Correct who attended (and the head-count); person-times follow."""
        event = self.get_object()
        data = _valid(AttendanceInputSerializer, request, self)
        services.service_event_update_attendance(
            actor=request.user,
            event=event,
            attendees=data["attendees"],
            headcount=data["headcount"],
        )
        return self._answer(event)

    def perform_destroy(self, instance):
        services.service_event_delete(actor=self.request.user, event=instance)


class GroupSerializer(serializers.Serializer):
    """A group with planned sessions and members; `leaders` default to the caller."""

    id = serializers.IntegerField(read_only=True)
    station = serializers.IntegerField(source="station_id", read_only=True)
    project = ScopedRelatedField(queryset=PlanProject.objects.all())
    project_name = serializers.CharField(source="project.name", read_only=True)
    domain = serializers.ChoiceField(
        source="project.domain", choices=Domain.choices, read_only=True
    )
    name = serializers.CharField(max_length=100)
    planned_sessions = serializers.IntegerField()
    sessions_recorded = serializers.IntegerField(read_only=True)
    person_times = serializers.IntegerField(read_only=True)
    members = ScopedRelatedField(queryset=Resident.objects.all(), many=True, required=False)
    leaders = ScopedRelatedField(queryset=User.objects.all(), many=True, required=False)
    point = ScopedRelatedField(
        queryset=ServicePoint.objects.all(),
        allow_null=True,
        required=False,
        help_text="The service point 社工点 where the group meets; its sessions count there.",
    )
    created_at = serializers.DateTimeField(read_only=True)


class GroupViewSet(ScopedModelViewSet):
    """小组. POST /groups/{id}/sessions/ records the next session with its attendance."""

    queryset = Group.objects.prefetch_related("members", "leaders")
    serializer_class = GroupSerializer
    filterset_class = filtersets.GroupFilterSet
    ordering_fields = ["name", "created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        # Scoped by the selector, with the sessions and person-times of each group.
        return selectors.groups_visible_to(self.request.user).prefetch_related("members", "leaders")

    def create(self, request, *args, **kwargs):
        data = _valid(GroupSerializer, request, self)
        group = services.group_create(
            actor=request.user,
            project=data["project"],
            name=data["name"],
            planned_sessions=data["planned_sessions"],
            members=data.get("members", []),
            leaders=data.get("leaders"),
            point=data.get("point"),
        )
        group = self.get_queryset().get(pk=group.pk)
        return Response(self.get_serializer(group).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SessionInputSerializer, responses={201: ServiceEventSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Record the group's next session: its named attendance (members or not)."""
        group = self.get_object()
        data = _valid(SessionInputSerializer, request, self)
        event = services.group_session_record(
            actor=request.user,
            group=group,
            held_on=data["held_on"],
            title=data["title"],
            attendees=data["attendees"],
            volunteers=_volunteers(data["volunteers"]),
            party_members=data["party_members"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )
        event = ServiceEventViewSet.queryset.get(pk=event.pk)
        context = self.get_serializer_context()
        return Response(
            ServiceEventSerializer(event, context=context).data, status=status.HTTP_201_CREATED
        )
