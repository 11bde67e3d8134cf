"""REST API of the 113X annual plans: plans with their projects and targets, and
one POST endpoint per transition (submit, approve, return) plus copy.

Reads go through `visible_to`; every write calls a service of `plans.services`.
Targets travel as one object, indicator → annual value, both ways:
`{"person_times": 3000, "cases": 30}`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.clients.api import ConflictMixin
from shegong.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedRelatedField
from shegong.core.scope import CREATE
from shegong.plans import filtersets, selectors, services
from shegong.plans.models import DECIDE, AnnualPlan, Metric, PlanProject

# --- Targets ---------------------------------------------------------------------

TARGETS_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "integer", "minimum": 0},
    "description": "Indicator → annual target; indicators: " + ", ".join(Metric.values) + ".",
    "example": {"person_times": 3000, "cases": 30, "groups": 3},
}


@extend_schema_field(TARGETS_SCHEMA)
class TargetsField(serializers.DictField):
    """A project's targets as `{indicator: annual value}`; on input, 0 removes a target."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(min_value=0), **kwargs)

    def to_representation(self, value):
        # `value` is the project's targets manager (prefetched by the viewsets).
        return {target.metric: target.value for target in value.all()}

    def to_internal_value(self, data):
        targets = super().to_internal_value(data)
        unknown = sorted(set(targets) - set(Metric.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown indicator: %(names)s. Use one of: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(Metric.values)}
            )
        return targets


# --- Projects --------------------------------------------------------------------


class PlanProjectSerializer(serializers.ModelSerializer):
    """A project of the plan; also the body that adds one (POST /api/plan-projects/)."""

    plan = ScopedRelatedField(queryset=AnnualPlan.objects.all())
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    domain_label = serializers.CharField(source="get_domain_display", read_only=True)
    targets = TargetsField(required=False)

    class Meta:
        model = PlanProject
        fields = [
            "id",
            "plan",
            "kind",
            "kind_label",
            "domain",
            "domain_label",
            "name",
            "description",
            "targets",
        ]
        read_only_fields = ["id"]
        # The service checks the model's constraints with their own messages.
        validators = []


# --- Plans: output ---------------------------------------------------------------


class AnnualPlanSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    decided_by_name = serializers.CharField(
        source="decided_by.full_name", read_only=True, default=None, allow_null=True
    )
    projects = PlanProjectSerializer(many=True, read_only=True)
    structure_errors = serializers.SerializerMethodField()

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "station",
            "station_name",
            "year",
            "status",
            "status_label",
            "key_need_reason",
            "projects",
            "structure_errors",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_comment",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_structure_errors(self, plan: AnnualPlan) -> list[str]:
        """What the plan still lacks of the 1+1+3 rule; empty when complete."""
        return services.structure_errors(plan)


# --- Plans: input ----------------------------------------------------------------


class AnnualPlanCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    key_need_reason = serializers.CharField(allow_blank=True, default="")


class AnnualPlanUpdateSerializer(serializers.Serializer):
    """`version` is the plan version the caller read, if it wants the change
    refused when someone changed the plan since."""

    key_need_reason = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(min_value=1, required=False)


class AnnualPlanSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)


class AnnualPlanDecisionSerializer(serializers.Serializer):
    # Blank reaches the service, which refuses a return without one.
    comment = serializers.CharField(allow_blank=True, default="")


class AnnualPlanCopySerializer(serializers.Serializer):
    year = serializers.IntegerField()


def _valid(serializer_class, request, view) -> dict:
    serializer = serializer_class(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Plans: viewset --------------------------------------------------------------


class AnnualPlanViewSet(ConflictMixin, ScopedModelViewSet):
    """年度服务计划. The director drafts (create, change, projects) and submits; a
    district or city officer approves or returns it with a comment."""

    queryset = AnnualPlan.objects.select_related("station", "decided_by")
    serializer_class = AnnualPlanSerializer
    filterset_class = filtersets.AnnualPlanFilterSet
    ordering_fields = ["year", "status", "submitted_at", "decided_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.plan_with_projects(self.request.user, super().get_queryset())

    def _answer(self, plan: AnnualPlan, code: int = status.HTTP_200_OK) -> Response:
        plan = self.get_queryset().get(pk=plan.pk)
        context = self.get_serializer_context()
        return Response(AnnualPlanSerializer(plan, context=context).data, status=code)

    @extend_schema(request=AnnualPlanCreateSerializer, responses={201: AnnualPlanSerializer})
    def create(self, request, *args, **kwargs):
        """A new, empty plan of the caller's station (station directors only)."""
        data = _valid(AnnualPlanCreateSerializer, request, self)
        station = request.user.station
        if station is None:
            raise PermissionDenied(_("Only the station director drafts the station's plan."))
        plan = services.plan_create(actor=request.user, station=station, **data)
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=AnnualPlanUpdateSerializer, responses=AnnualPlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change why the key project was chosen, while the plan is a draft or returned."""
        plan = self.get_object()
        data = _valid(AnnualPlanUpdateSerializer, request, self)
        return self._answer(services.plan_update(actor=request.user, plan=plan, **data))

    @extend_schema(request=AnnualPlanSubmitSerializer, responses=AnnualPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交: refused unless the plan has its 1+1+3 and says why the key project."""
        plan = self.get_object()
        data = _valid(AnnualPlanSubmitSerializer, request, self)
        return self._answer(services.plan_submit(actor=request.user, plan=plan, **data))

    @extend_schema(request=AnnualPlanDecisionSerializer, responses=AnnualPlanSerializer)
    @action(detail=True, methods=["post"], scope_action=DECIDE)
    def approve(self, request, pk=None):
        """批准 a submitted plan (district or city officers)."""
        plan = self.get_object()
        data = _valid(AnnualPlanDecisionSerializer, request, self)
        return self._answer(services.plan_approve(actor=request.user, plan=plan, **data))

    @extend_schema(request=AnnualPlanDecisionSerializer, responses=AnnualPlanSerializer)
    @action(
        detail=True, methods=["post"], url_path="return", url_name="return", scope_action=DECIDE
    )
    def return_(self, request, pk=None):
        """退回 a submitted plan to the station, with a comment saying what to change."""
        plan = self.get_object()
        data = _valid(AnnualPlanDecisionSerializer, request, self)
        return self._answer(services.plan_return(actor=request.user, plan=plan, **data))

    @extend_schema(request=AnnualPlanCopySerializer, responses={201: AnnualPlanSerializer})
    # Copying starts a new plan of the source's station: a create there.
    @action(detail=True, methods=["post"], scope_action=CREATE)
    def copy(self, request, pk=None):
        """A new draft plan for `year` with this plan's projects and targets."""
        source = self.get_object()
        data = _valid(AnnualPlanCopySerializer, request, self)
        plan = services.plan_copy(actor=request.user, source=source, **data)
        return self._answer(plan, status.HTTP_201_CREATED)


class PlanProjectViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ScopedReadOnlyViewSet):
    """The projects of the plans. Added and removed by the station director while
    the plan is a draft or returned; targets are set with PUT …/targets/."""

    queryset = PlanProject.objects.select_related("plan")
    serializer_class = PlanProjectSerializer
    filterset_class = filtersets.PlanProjectFilterSet
    ordering_fields = ["kind", "domain", "name", "id"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related(selectors.targets_of(self.request.user))

    def _answer(self, project: PlanProject, code: int = status.HTTP_200_OK) -> Response:
        project = self.get_queryset().get(pk=project.pk)
        context = self.get_serializer_context()
        return Response(PlanProjectSerializer(project, context=context).data, status=code)

    @extend_schema(request=PlanProjectSerializer, responses={201: PlanProjectSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(PlanProjectSerializer, request, self)
        project = services.project_add(actor=request.user, **data)
        return self._answer(project, status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.project_remove(actor=self.request.user, project=instance)

    @extend_schema(request={"application/json": TARGETS_SCHEMA}, responses=PlanProjectSerializer)
    @action(detail=True, methods=["put"])
    def targets(self, request, pk=None):
        """Set the project's annual targets: `{indicator: value}`; an indicator
        left out is kept, 0 removes it."""
        project = self.get_object()
        targets = TargetsField().run_validation(request.data)
        services.target_set(actor=request.user, project=project, targets=targets)
        return self._answer(project)
