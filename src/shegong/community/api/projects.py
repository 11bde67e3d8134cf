"""Governance projects (社区专案) with their deliberation meetings (居民议事)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.community import filtersets, selectors, services
from shegong.community.api._common import station_of, valid_input
from shegong.community.models import DeliberationMeeting, GovernanceProject
from shegong.core.api import ScopedModelViewSet, ScopedRelatedField


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
        read_only_fields = ["id", "station", "stage", "outcome", "outcome_count", "created_at"]

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
        data = valid_input(GovernanceProjectSerializer, request, self)
        project = services.governance_project_create(
            actor=request.user, station=station_of(request.user), **data
        )
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=StageInputSerializer, responses=GovernanceProjectSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Move the project to its next stage; completing needs the outcome."""
        project = self.get_object()
        data = valid_input(StageInputSerializer, request, self)
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
        data = valid_input(DeliberationMeetingSerializer, request, self)
        meeting = services.deliberation_meeting_record(actor=request.user, **data)
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)
